//! The integral of the Pareto/NBD likelihood and predictions,
//!
//! I(lo, hi) = ∫_lo^hi (α+u)^−p (β+u)^−q du   (α, β, p > 0, q > 1),
//!
//! in logarithms, with the gradient of ln I in (p, α, q, β), accurate to a few units in the last
//! place of a double from the start of a fit to far into the tails (α/β from 1e-13 to 1e13, p in the
//! hundreds).
//!
//! # The tail by its series
//!
//! With the larger of α and β called B (its exponent P) and the smaller b (its exponent Q), the tail is
//!
//! T(τ) = ∫_τ^∞ = (B+τ)^−P (b+τ)^(1−Q) / (P+Q−1) · ₂F₁(1, P; P+Q; z),   z = (B − b)/(B + τ) ∈ [0, 1),
//!
//! (the Euler transformation of the ₂F₁(P+Q−1, Q; P+Q; z) of Fader, Hardie & Lee's note 009, which the
//! lifetimes and BTYD implementations evaluate as it stands). The series of ₂F₁(1, P; P+Q; z) has
//! positive terms whose ratio (P+n)/(P+Q+n)·z is below z, so it neither grows nor cancels, and the
//! derivatives in P, Q and z are sums of the same terms. It converges slowly as z → 1 (its terms fall
//! like n^−Q), the regime of one-time buyers (τ = 0) when one of α, β is much smaller than the other.
//!
//! # Near z = 1: the series from where it converges, quadrature before
//!
//! When z(τ) > [`SERIES_LIMIT`], the tail is split at τ′ where z(τ′) = [`SERIES_LIMIT`]: the series
//! gives T(τ′), and ∫_τ^τ′ is computed by Gauss–Legendre quadrature on v = ln(b + u), which turns the
//! power laws into exponentials. In v the log-integrand L(v) = v − p ln(α+u) − q ln(β+u) is concave,
//! so the panels are sized from its slope and curvature (a change of at most about 2 in L per panel,
//! where an 8-point rule is exact to rounding) and the sum stops once the rest, bounded by the tangent
//! at the panel's end, is below 1e-18 of it. The gradient is the integral of −ln(α+u), −p/(α+u),
//! −ln(β+u) and −q/(β+u) times the integrand at the same nodes.
//!
//! I(lo, hi) = T(lo) − T(hi) when T(hi) ≤ T(lo)·(1 − 10⁻⁶) (at most 6 of the 16 digits lost to
//! cancellation; the tails are computed once per (x, time) and shared by every customer); otherwise (a
//! range too short for that) it is computed by the same quadrature directly.
//!
//! # Many times at once
//!
//! The likelihood and the predictions need the tails of one (p, q) at many times τ (every day on which
//! a customer with that x last bought, or was last observed). [`ln_tails`] computes them together: the
//! series at the split once, and below the split one pass of quadrature from the split down to the
//! smallest τ, each tail being the next one up plus the piece in between. Where one-time buyers have
//! z near 1 this is several times cheaper than a series and a quadrature per time.

use super::det::Det;

/// Above this z the tail's series is used only from the point where z falls to it (at most about 440
/// terms to 1e-17).
pub const SERIES_LIMIT: f64 = 0.9;

/// ln T(lo) − ln T(hi) at least this for I(lo, hi) to be taken as the difference of the two tails:
/// the difference then keeps at least 10 significant digits (about 6 are lost to cancellation), and the
/// quadrature is needed only for ranges of a fraction of a day at the scale of the data.
pub(crate) const DIFFERENCE_MARGIN: f64 = 1e-6;

/// Gauss–Legendre nodes and weights on [−1, 1], 8 points (the positive half; symmetric).
const NODES: [f64; 4] = [
    0.183_434_642_495_649_8,
    0.525_532_409_916_329,
    0.796_666_477_413_626_7,
    0.960_289_856_497_536_3,
];
const WEIGHTS: [f64; 4] = [
    0.362_683_783_378_362,
    0.313_706_645_877_887_3,
    0.222_381_034_453_374_5,
    0.101_228_536_290_376_3,
];

/// Largest change of the log-integrand a quadrature panel is sized for.
const PANEL_CHANGE: f64 = 2.0;

/// Widest quadrature panel in v = ln(b + u).
const PANEL_WIDTH: f64 = 1.0;

/// Most quadrature panels before the integral is given up as not finite (never reached for
/// parameters within the fits' bounds).
const MAX_PANELS: usize = 100_000;

/// ln of an integral and the partial derivatives of that logarithm in (p, α, q, β).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LnIntegral {
    /// The logarithm (−∞ for an empty range).
    pub value: f64,
    /// ∂/∂p, ∂/∂α, ∂/∂q, ∂/∂β of `value` (zeros when not asked for, or for an empty range).
    pub gradient: [f64; 4],
}

impl LnIntegral {
    pub(crate) const EMPTY: LnIntegral = LnIntegral {
        value: f64::NEG_INFINITY,
        gradient: [0.0; 4],
    };

    /// ln(e^self + e^other) and its gradient.
    fn plus(self, other: LnIntegral) -> LnIntegral {
        let value = ln_add_exp(self.value, other.value);
        if value == f64::NEG_INFINITY {
            return LnIntegral::EMPTY;
        }
        let (w1, w2) = ((self.value - value).exp_d(), (other.value - value).exp_d());
        LnIntegral {
            value,
            gradient: std::array::from_fn(|i| w1 * self.gradient[i] + w2 * other.gradient[i]),
        }
    }

    /// ln(e^self − e^smaller) and its gradient, `None` when the two are closer than
    /// [`DIFFERENCE_MARGIN`] (the difference would lose more than a few bits).
    fn minus(self, smaller: LnIntegral) -> Option<LnIntegral> {
        if smaller.value == f64::NEG_INFINITY {
            return Some(self);
        }
        let apart = (self.value - smaller.value).partial_cmp(&DIFFERENCE_MARGIN);
        if matches!(apart, None | Some(std::cmp::Ordering::Less)) {
            return None;
        }
        let ratio = (smaller.value - self.value).exp_d();
        let value = self.value + (-ratio).ln_1p_d();
        let keep = 1.0 - ratio;
        Some(LnIntegral {
            value,
            gradient: std::array::from_fn(|i| {
                (self.gradient[i] - ratio * smaller.gradient[i]) / keep
            }),
        })
    }
}

/// ln(e^a + e^b) without overflow.
pub fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp_d().ln_1p_d()
}

/// The integral's parameters, with α, β and their exponents ordered as the series needs them.
#[derive(Debug, Clone, Copy)]
struct Integrand {
    alpha: f64,
    beta: f64,
    p: f64,
    q: f64,
}

impl Integrand {
    /// (B, P, b, Q): the larger of α and β with its exponent, then the smaller with its exponent.
    fn ordered(&self) -> (f64, f64, f64, f64) {
        if self.alpha >= self.beta {
            (self.alpha, self.p, self.beta, self.q)
        } else {
            (self.beta, self.q, self.alpha, self.p)
        }
    }

    /// A gradient in (P, B, Q, b) back in (p, α, q, β).
    fn unorder(&self, g: [f64; 4]) -> [f64; 4] {
        if self.alpha >= self.beta {
            g
        } else {
            [g[2], g[3], g[0], g[1]]
        }
    }

    /// z at τ.
    fn z(&self, tau: f64) -> f64 {
        let (big, _, small, _) = self.ordered();
        (big - small) / (big + tau)
    }

    /// T(τ) by the series (see the module docs), for z(τ) ≤ [`SERIES_LIMIT`].
    fn tail_by_series(&self, tau: f64, with_gradient: bool) -> LnIntegral {
        let (big, p, small, q) = self.ordered();
        let (big_t, small_t) = (big + tau, small + tau);
        let z = (big - small) / big_t;
        let (d, c) = (p, p + q);
        // Σ tₙ with t₀ = 1, tₙ₊₁ = tₙ·(d+n)/(c+n)·z, and for the gradient Σ tₙ·Σ_{k<n} 1/(d+k),
        // Σ tₙ·Σ_{k<n} 1/(c+k) and Σ n·tₙ/z.
        let (mut term, mut sum) = (1.0, 1.0);
        let (mut by_d, mut by_c, mut by_z) = (0.0, 0.0, 0.0);
        let (mut inv_d, mut inv_c) = (0.0, 0.0);
        let mut n = 0.0;
        while n < 10_000.0 {
            let ratio = (d + n) / (c + n);
            if with_gradient {
                inv_d += 1.0 / (d + n);
                inv_c += 1.0 / (c + n);
                by_z += (n + 1.0) * term * ratio;
            }
            term *= ratio * z;
            sum += term;
            if with_gradient {
                by_d += term * inv_d;
                by_c += term * inv_c;
            }
            n += 1.0;
            if term * (n + 1.0) <= 1e-18 * sum * (1.0 - z) {
                break;
            }
        }
        let (ln_big_t, ln_small_t) = (big_t.ln_d(), small_t.ln_d());
        let a = p + q - 1.0;
        let value = -p * ln_big_t + (1.0 - q) * ln_small_t - a.ln_d() + sum.ln_d();
        if !with_gradient {
            return LnIntegral {
                value,
                gradient: [0.0; 4],
            };
        }
        let (s_d, s_c, s_z) = (by_d / sum, -by_c / sum, by_z / sum);
        let g = [
            -ln_big_t - 1.0 / a + s_d + s_c,
            -p / big_t + s_z * small_t / (big_t * big_t),
            -ln_small_t - 1.0 / a + s_c,
            (1.0 - q) / small_t - s_z / big_t,
        ];
        LnIntegral {
            value,
            gradient: self.unorder(g),
        }
    }

    /// ∫_lo^hi by Gauss–Legendre panels on v = ln(b + u) (see the module docs), lo < hi finite.
    fn by_quadrature(&self, lo: f64, hi: f64, with_gradient: bool) -> LnIntegral {
        let Integrand { alpha, beta, p, q } = *self;
        let m = alpha.min(beta);
        let (da, db) = (alpha - m, beta - m);
        let (v_end, mut v) = ((m + hi).ln_d(), (m + lo).ln_d());
        // ln(d + eᵛ), exactly v when d = 0.
        let ln_shift = |d: f64, v: f64, e: f64| if d == 0.0 { v } else { (d + e).ln_d() };
        // The slope of L and a bound on its curvature over [v, v + h] (κ(v) = Σ c·d·eᵛ/(d+eᵛ)² is
        // largest at eᵛ = d, where it is c/4).
        let slope = |e: f64| 1.0 - p * e / (da + e) - q * e / (db + e);
        let curvature = |e0: f64, e1: f64| {
            let part = |c: f64, d: f64| {
                if d == 0.0 {
                    0.0
                } else if e0 <= d && d <= e1 {
                    c / 4.0
                } else {
                    let at = |e: f64| c * d * e / ((d + e) * (d + e));
                    at(e0).max(at(e1))
                }
            };
            part(p, da) + part(q, db)
        };
        // Σ w·e^(L − scale) and the same times each derivative's integrand.
        let mut scale = f64::NEG_INFINITY;
        let mut sum = 0.0;
        let mut by = [0.0; 4];
        let mut done = false;
        for _ in 0..MAX_PANELS {
            if v >= v_end {
                done = true;
                break;
            }
            let e = v.exp_d();
            let steep = slope(e).abs();
            let mut h = PANEL_WIDTH.min(v_end - v);
            if steep > 0.0 {
                h = h.min(PANEL_CHANGE / steep);
            }
            let kappa = curvature(e, e * h.exp_d());
            if kappa > 0.0 {
                h = h.min((2.0 * PANEL_CHANGE / kappa).sqrt());
            }
            let (mid, half) = (v + 0.5 * h, 0.5 * h);
            let mut nodes = [(0.0, [0.0; 4], 0.0); 8];
            let mut panel_max = f64::NEG_INFINITY;
            for (i, node) in nodes.iter_mut().enumerate() {
                let (x, w) = (NODES[i / 2], WEIGHTS[i / 2]);
                let at = if i % 2 == 0 {
                    mid - half * x
                } else {
                    mid + half * x
                };
                let e = at.exp_d();
                let (la, lb) = (ln_shift(da, at, e), ln_shift(db, at, e));
                let ln_f = at - p * la - q * lb;
                let d = [-la, -p / (da + e), -lb, -q / (db + e)];
                *node = (ln_f, d, w * half);
                panel_max = panel_max.max(ln_f);
            }
            if panel_max > scale {
                let shrink = (scale - panel_max).exp_d();
                sum *= shrink;
                by.iter_mut().for_each(|b| *b *= shrink);
                scale = panel_max;
            }
            for (ln_f, d, w) in nodes {
                let f = w * (ln_f - scale).exp_d();
                sum += f;
                if with_gradient {
                    by.iter_mut().zip(d).for_each(|(b, d)| *b += f * d);
                }
            }
            v += h;
            // The rest is below the tangent at v: ∫ e^(L(v) + L'(v)·t) dt = e^L(v) / |L'(v)|.
            let e = v.exp_d();
            let slope_here = slope(e);
            if slope_here < 0.0 && v < v_end {
                let ln_f = v - p * ln_shift(da, v, e) - q * ln_shift(db, v, e);
                if ln_f - (-slope_here).ln_d() < scale + sum.ln_d() - 41.5 {
                    done = true;
                    break;
                }
            }
        }
        if !(done && sum > 0.0 && sum.is_finite()) {
            return LnIntegral {
                value: f64::NAN,
                gradient: [f64::NAN; 4],
            };
        }
        LnIntegral {
            value: scale + sum.ln_d(),
            gradient: if with_gradient {
                by.map(|b| b / sum)
            } else {
                [0.0; 4]
            },
        }
    }

    /// T(τ) = ∫_τ^∞.
    fn tail(&self, tau: f64, with_gradient: bool) -> LnIntegral {
        let (big, _, small, _) = self.ordered();
        let split = (big - small) / SERIES_LIMIT - big;
        if self.z(tau) <= SERIES_LIMIT || tau >= split {
            return self.tail_by_series(tau, with_gradient);
        }
        self.by_quadrature(tau, split, with_gradient)
            .plus(self.tail_by_series(split, with_gradient))
    }
}

/// ln ∫_τ^∞ (α+u)^−p (β+u)^−q du and its gradient in (p, α, q, β) (zeros unless `with_gradient`);
/// α, β, p > 0, q > 1, τ ≥ 0. The value is NaN only for parameters outside that domain.
pub fn ln_tail(alpha: f64, beta: f64, p: f64, q: f64, tau: f64, with_gradient: bool) -> LnIntegral {
    if !valid(alpha, beta, p, q) || !tau.is_finite() || tau < 0.0 {
        return LnIntegral {
            value: f64::NAN,
            gradient: [f64::NAN; 4],
        };
    }
    Integrand { alpha, beta, p, q }.tail(tau, with_gradient)
}

/// [`ln_tail`] at each of `taus` (ascending, each ≥ 0), in `out` in the same order, sharing the work of
/// neighbouring times: where z(τ) > [`SERIES_LIMIT`] the series at the split is taken once, and the
/// quadrature runs once from the split down to the smallest τ, each tail being the one above it plus
/// the piece between them (positive terms: no cancellation, a few units in the last place per piece).
pub fn ln_tails(
    alpha: f64,
    beta: f64,
    p: f64,
    q: f64,
    taus: &[f64],
    with_gradient: bool,
    out: &mut Vec<LnIntegral>,
) {
    out.clear();
    let ascending = taus.windows(2).all(|w| w[0] <= w[1]);
    let domain = taus.first().is_none_or(|&t| t >= 0.0) && taus.iter().all(|t| t.is_finite());
    if !valid(alpha, beta, p, q) || !ascending || !domain {
        out.extend(
            taus.iter()
                .map(|&tau| ln_tail(alpha, beta, p, q, tau, with_gradient)),
        );
        return;
    }
    let integrand = Integrand { alpha, beta, p, q };
    let (big, _, small, _) = integrand.ordered();
    let split = (big - small) / SERIES_LIMIT - big;
    let below = taus.partition_point(|&t| integrand.z(t) > SERIES_LIMIT && t < split);
    out.resize(below, LnIntegral::EMPTY);
    if below > 0 {
        let mut tail = integrand.tail_by_series(split, with_gradient);
        let mut upper = split;
        for (slot, &tau) in out.iter_mut().zip(&taus[..below]).rev() {
            if tau < upper {
                tail = integrand
                    .by_quadrature(tau, upper, with_gradient)
                    .plus(tail);
                upper = tau;
            }
            *slot = tail;
        }
    }
    out.extend(
        taus[below..]
            .iter()
            .map(|&tau| integrand.tail(tau, with_gradient)),
    );
}

/// ln ∫_lo^hi (α+u)^−p (β+u)^−q du and its gradient (−∞ and zeros for an empty range), from the
/// tails at lo and hi when they are given and far enough apart, else by quadrature.
pub fn ln_between(
    alpha: f64,
    beta: f64,
    p: f64,
    q: f64,
    (lo, hi): (f64, f64),
    tails: Option<(LnIntegral, LnIntegral)>,
    with_gradient: bool,
) -> LnIntegral {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return LnIntegral::EMPTY;
    }
    if !valid(alpha, beta, p, q) || lo.is_nan() || lo < 0.0 {
        return LnIntegral {
            value: f64::NAN,
            gradient: [f64::NAN; 4],
        };
    }
    let integrand = Integrand { alpha, beta, p, q };
    if hi == f64::INFINITY {
        return integrand.tail(lo, with_gradient);
    }
    let (at_lo, at_hi) = tails.unwrap_or_else(|| {
        (
            integrand.tail(lo, with_gradient),
            integrand.tail(hi, with_gradient),
        )
    });
    at_lo
        .minus(at_hi)
        .unwrap_or_else(|| integrand.by_quadrature(lo, hi, with_gradient))
}

/// ln ∫_lo^hi (α+u)^−p (β+u)^−q du (−∞ for an empty range).
pub fn ln_power_integral(alpha: f64, beta: f64, p: f64, q: f64, lo: f64, hi: f64) -> f64 {
    ln_between(alpha, beta, p, q, (lo, hi), None, false).value
}

/// The domain of the integral: α, β, p finite and positive, q finite and above 1.
fn valid(alpha: f64, beta: f64, p: f64, q: f64) -> bool {
    [alpha, beta, p].iter().all(|v| v.is_finite() && *v > 0.0) && q.is_finite() && q > 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ln ∫_lo^hi (α+u)^−p (β+u)^−q du by composite Simpson on v = ln(1 + u − lo) with many panels,
    /// scaled by the integrand at lo: an independent check of the series and the quadrature.
    fn ln_simpson(alpha: f64, beta: f64, p: f64, q: f64, lo: f64, hi: f64) -> f64 {
        let n = 200_000;
        let (v0, v1) = (0.0, (1.0 + hi - lo).ln());
        let h = (v1 - v0) / n as f64;
        let ln_f = |v: f64| {
            let u = lo + v.exp() - 1.0;
            v - p * (alpha + u).ln() - q * (beta + u).ln()
        };
        let scale = ln_f(v0);
        let f = |v: f64| (ln_f(v) - scale).exp();
        let mut sum = f(v0) + f(v1);
        for i in 1..n {
            sum += f(v0 + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        (sum * h / 3.0).ln() + scale
    }

    #[test]
    fn the_integral_agrees_with_simpson_far_into_the_tails() {
        // (α, β, p, q, lo, hi): α ≫ β and β ≫ α (z close to 1, where the quadrature takes over), many
        // repeat purchases (p = r + x large), long and tiny ranges.
        for &(alpha, beta, p, q, lo, hi) in &[
            (10.578, 11.665, 0.5533, 1.6061, 0.0, 39.0),
            (10.578, 11.665, 30.5533, 1.6061, 20.0, 39.0),
            (1e4, 0.5, 0.5, 1.6, 0.0, 500.0),
            (0.5, 1e4, 0.5, 1.6, 0.0, 500.0),
            (0.5, 1e4, 200.5, 1.6, 300.0, 500.0),
            (1e3, 1.0, 80.0, 1.1, 0.0, 10.0),
            (2.0, 2.0, 3.0, 2.0, 1.0, 5.0),
            (5.0, 7.0, 1.5, 1.2, 100.0, 100.001),
            (300.0, 0.01, 0.3, 1.05, 0.0, 1e4),
            (1e6, 1e-3, 450.0, 1.01, 0.0, 2e3),
            (1e-3, 1e6, 0.02, 3.5, 0.0, 50.0),
        ] {
            let got = ln_power_integral(alpha, beta, p, q, lo, hi);
            let want = ln_simpson(alpha, beta, p, q, lo, hi);
            assert!(
                (got - want).abs() <= 1e-7,
                "{alpha} {beta} {p} {q} {lo} {hi}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn tails_at_many_times_are_the_tails_one_by_one() {
        // Times on both sides of the split (repeated, and one exactly 0), with α ≫ β, β ≫ α and α = β:
        // the cumulative pieces against each tail computed alone, in value and gradient.
        let taus = [
            0.0, 0.0, 0.5, 1.0, 7.0, 7.0, 30.0, 119.0, 121.0, 400.0, 5000.0,
        ];
        for (alpha, beta, p, q) in [
            (122.0, 2297.0, 0.68, 7.09),
            (2297.0, 122.0, 14.68, 1.2),
            (1e4, 0.5, 0.5, 1.6),
            (0.5, 1e4, 200.5, 1.6),
            (10.578, 11.665, 0.5533, 1.6061),
            (5.0, 5.0, 2.0, 3.0),
        ] {
            let mut tails = Vec::new();
            ln_tails(alpha, beta, p, q, &taus, true, &mut tails);
            assert_eq!(tails.len(), taus.len());
            for (got, &tau) in tails.iter().zip(&taus) {
                let alone = ln_tail(alpha, beta, p, q, tau, true);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
                assert!(
                    close(got.value, alone.value),
                    "{alpha} {beta} {p} {q} {tau}: {got:?} vs {alone:?}"
                );
                for i in 0..4 {
                    assert!(
                        close(got.gradient[i], alone.gradient[i]),
                        "{alpha} {beta} {p} {q} {tau} ∂{i}: {got:?} vs {alone:?}"
                    );
                }
            }
        }
        // Times out of order or invalid parameters: each tail on its own, NaN outside the domain.
        let mut tails = Vec::new();
        ln_tails(10.0, 3.0, 2.5, 1.7, &[5.0, 1.0], false, &mut tails);
        assert_eq!(
            tails[0].value,
            ln_tail(10.0, 3.0, 2.5, 1.7, 5.0, false).value
        );
        ln_tails(-1.0, 3.0, 2.5, 1.7, &[1.0], false, &mut tails);
        assert!(tails[0].value.is_nan());
    }

    /// Parameters where the series converges (z ≤ 0.9) at τ, so series and quadrature both apply.
    const BOTH_APPLY: [(f64, f64, f64, f64, f64); 6] = [
        (10.0, 3.0, 2.5, 1.7, 0.0),
        (3.0, 10.0, 12.5, 1.7, 5.0),
        (50.0, 6.0, 0.7, 2.5, 0.0),
        (6.0, 50.0, 0.7, 2.5, 0.0),
        (10.578, 11.665, 0.5533, 1.6061, 0.0),
        (1e3, 200.0, 150.0, 1.05, 30.0),
    ];

    #[test]
    fn series_and_quadrature_agree_in_value_and_gradient() {
        // The tail from τ by the series alone, and as quadrature up to a far point plus the series
        // from there: two computations that share nothing but the series' tail far out.
        for (alpha, beta, p, q, tau) in BOTH_APPLY {
            let integrand = Integrand { alpha, beta, p, q };
            assert!(integrand.z(tau) <= SERIES_LIMIT);
            let series = integrand.tail_by_series(tau, true);
            let far = tau + 1e3 * (alpha + beta);
            let split = integrand
                .by_quadrature(tau, far, true)
                .plus(integrand.tail_by_series(far, true));
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
            assert!(
                close(series.value, split.value),
                "{alpha} {beta} {p} {q} {tau}: {series:?} vs {split:?}"
            );
            for i in 0..4 {
                assert!(
                    close(series.gradient[i], split.gradient[i]),
                    "{alpha} {beta} {p} {q} {tau} ∂{i}: {series:?} vs {split:?}"
                );
            }
        }
    }

    #[test]
    fn the_gradient_is_the_derivative_of_the_value() {
        // Central differences of ln I in each of (p, α, q, β), on tails and finite ranges, on both
        // sides of the series limit and with α ≫ β and β ≫ α.
        let cases = [
            (10.0, 3.0, 2.5, 1.7, 0.0, f64::INFINITY),
            (3.0, 10.0, 12.5, 1.7, 5.0, 30.0),
            (1e4, 0.5, 0.5, 1.6, 0.0, 500.0),
            (0.5, 1e4, 0.5, 1.6, 0.0, f64::INFINITY),
            (0.5, 1e4, 40.5, 1.6, 300.0, 300.5),
            (1e3, 1.0, 80.0, 1.1, 0.0, 10.0),
            (300.0, 0.01, 0.3, 1.05, 0.0, 1e4),
        ];
        for (alpha, beta, p, q, lo, hi) in cases {
            let theta = [p, alpha, q, beta];
            let at = |t: [f64; 4]| ln_between(t[1], t[3], t[0], t[2], (lo, hi), None, true);
            let got = at(theta);
            for i in 0..4 {
                let h = 1e-6 * theta[i];
                let (mut up, mut down) = (theta, theta);
                up[i] += h;
                down[i] -= h;
                let numeric = (at(up).value - at(down).value) / (2.0 * h);
                assert!(
                    (numeric - got.gradient[i]).abs() <= 1e-6 * numeric.abs().max(1.0),
                    "{theta:?} [{lo}, {hi}] ∂{i}: {numeric} vs {}",
                    got.gradient[i]
                );
            }
        }
    }

    #[test]
    fn a_range_is_the_difference_of_its_tails() {
        // ∫_lo^hi = T(lo) − T(hi), whichever way each piece is computed: the short range by quadrature,
        // the tails by the series or the split.
        for &(alpha, beta, p, q) in &[(1e4, 0.5, 0.5, 1.6), (2.0, 3.0, 5.0, 1.3)] {
            let (lo, hi) = (10.0, 10.5);
            let range = ln_power_integral(alpha, beta, p, q, lo, hi).exp();
            let t_lo = ln_tail(alpha, beta, p, q, lo, false).value.exp();
            let t_hi = ln_tail(alpha, beta, p, q, hi, false).value.exp();
            assert!(
                ((t_lo - t_hi) - range).abs() <= 1e-9 * range,
                "{range} vs {}",
                t_lo - t_hi
            );
        }
    }

    #[test]
    fn a_closed_form_is_reproduced() {
        // α = β: ∫_τ^∞ (α+u)^−(p+q) du = (α+τ)^(1−p−q)/(p+q−1); and ∫_0^h (α+u)^−(p+q) du likewise.
        let (alpha, p, q): (f64, f64, f64) = (2.5, 0.7, 1.4);
        for tau in [0.0f64, 1.0, 1e3] {
            let want = (1.0 - p - q) * (alpha + tau).ln() - (p + q - 1.0).ln();
            let got = ln_tail(alpha, alpha, p, q, tau, false).value;
            assert!((got - want).abs() <= 1e-13, "{got} vs {want}");
        }
        let h: f64 = 0.01;
        let want =
            (((alpha).powf(1.0 - p - q) - (alpha + h).powf(1.0 - p - q)) / (p + q - 1.0)).ln();
        let got = ln_power_integral(alpha, alpha, p, q, 0.0, h);
        assert!((got - want).abs() <= 1e-12, "{got} vs {want}");
    }

    #[test]
    fn outside_the_domain_is_nan_and_an_empty_range_is_minus_infinity() {
        assert!(ln_tail(0.0, 1.0, 1.0, 2.0, 0.0, true).value.is_nan());
        assert!(ln_tail(1.0, 1.0, 1.0, 1.0, 0.0, true).value.is_nan());
        assert_eq!(
            ln_power_integral(1.0, 2.0, 1.0, 2.0, 3.0, 3.0),
            f64::NEG_INFINITY
        );
    }
}
