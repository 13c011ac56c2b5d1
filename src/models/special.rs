//! Special functions for the likelihoods and predictions, for positive real arguments: `ln Γ`
//! (Lanczos approximation, g = 7, n = 9, below 10 and the Stirling series above), `ln B`, the digamma
//! function ψ (recurrence then asymptotic series), the Gauss hypergeometric function ₂F₁ for real z < 1
//! (power series, with the Euler transformation when it makes the terms smaller and the Pfaff
//! transformation for z < 0), and expectations under a Beta distribution by tanh-sinh quadrature (the
//! fallback for ₂F₁-type expressions when z is close to 1 and the series would be slow).

use super::det::Det;
use std::f64::consts::PI;

/// ½·ln(2π).
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Lanczos coefficients for g = 7, n = 9.
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln Γ(x) for x > 0 (absolute error about 1e-14 for moderate x); +∞ for x ≤ 0 or NaN.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::INFINITY;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x < 0.5 {
        // Γ(x) = Γ(x + 1) / x, without the reflection formula.
        return ln_gamma_lanczos(x + 1.0) - x.ln_d();
    }
    if x < 10.0 {
        return ln_gamma_lanczos(x);
    }
    // Stirling series; the first omitted term is below 3e-17 at x = 10.
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv
        * (1.0 / 12.0
            + inv2
                * (-1.0 / 360.0
                    + inv2
                        * (1.0 / 1260.0
                            + inv2
                                * (-1.0 / 1680.0
                                    + inv2
                                        * (1.0 / 1188.0
                                            + inv2 * (-691.0 / 360_360.0 + inv2 / 156.0))))));
    (x - 0.5) * x.ln_d() - x + HALF_LN_2PI + series
}

/// Lanczos approximation of ln Γ(x) for x ≥ 0.5.
fn ln_gamma_lanczos(x: f64) -> f64 {
    let z = x - 1.0;
    let mut sum = LANCZOS[0];
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (z + i as f64);
    }
    let t = z + 7.5;
    HALF_LN_2PI + (z + 0.5) * t.ln_d() - t + sum.ln_d()
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0; +∞ otherwise.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() || a <= 0.0 || b <= 0.0 {
        return f64::INFINITY;
    }
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The digamma function ψ(x) = d ln Γ(x) / dx for x > 0; NaN for x ≤ 0 (never called so here).
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    let mut x = x;
    let mut result = 0.0;
    while x < 10.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0
                                    - inv2
                                        * (1.0 / 132.0
                                            - inv2 * (691.0 / 32_760.0 - inv2 / 12.0))))));
    result + x.ln_d() - 0.5 * inv - series
}

/// The trigamma function ψ′(x) = d²ln Γ(x) / dx² for x > 0 (recurrence then asymptotic series, as
/// [`digamma`]); NaN for x ≤ 0.
pub fn trigamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return 0.0;
    }
    let mut x = x;
    let mut result = 0.0;
    while x < 10.0 {
        result += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    // Σ B₂ₖ / x^(2k+1), k = 1 … 7; the first omitted term is below 1e-17 at x = 10.
    let series = inv
        * inv2
        * (1.0 / 6.0
            - inv2
                * (1.0 / 30.0
                    - inv2
                        * (1.0 / 42.0
                            - inv2
                                * (1.0 / 30.0
                                    - inv2
                                        * (5.0 / 66.0
                                            - inv2 * (691.0 / 2730.0 - inv2 * 7.0 / 6.0))))));
    result + inv + 0.5 * inv2 + series
}

/// Most terms a ₂F₁ power series may take before [`hyp2f1`] gives up.
const MAX_SERIES_TERMS: usize = 200_000;

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real z < 1, or `None` when it cannot be
/// evaluated reliably (c a non-positive integer, z ≥ 1, non-finite input, or a series that does not
/// converge within 200,000 terms, which happens only for z very close to 1).
///
/// For z < 0 the Pfaff transformation ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z/(z − 1)) maps the
/// argument into [0, 1); for z in [0, 1) the Euler transformation
/// ₂F₁(a, b; c; z) = (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z) is used when its upper parameters are
/// smaller in size, which keeps the terms from growing before they decay.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) || z >= 1.0 {
        return None;
    }
    if c <= 0.0 && c == c.floor() {
        return None;
    }
    if z == 0.0 {
        return Some(1.0);
    }
    if z < 0.0 {
        let w = z / (z - 1.0);
        // Either upper parameter can be carried out front; take the one that keeps the series smaller.
        let (outer, inner) = if (c - b).abs() + a.abs() <= (c - a).abs() + b.abs() {
            (a, c - b)
        } else {
            (b, c - a)
        };
        let value = hyp2f1_unit(outer, inner, c, w)?;
        let factor = (-outer * (-z).ln_1p_d()).exp_d();
        return finite(factor * value);
    }
    hyp2f1_unit(a, b, c, z)
}

/// ₂F₁ for z in (0, 1), choosing between the plain and the Euler-transformed series.
fn hyp2f1_unit(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let euler = (c - a).abs() + (c - b).abs() < a.abs() + b.abs();
    if euler {
        let factor = ((c - a - b) * (-z).ln_1p_d()).exp_d();
        if let Some(value) = hyp2f1_series(c - a, c - b, c, z) {
            return finite(factor * value);
        }
    }
    hyp2f1_series(a, b, c, z)
}

/// The plain power series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ for |z| < 1.
fn hyp2f1_series(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let mut sum = 1.0;
    let mut term = 1.0;
    let mut small_terms = 0;
    for n in 0..MAX_SERIES_TERMS {
        let n = n as f64;
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        if !term.is_finite() {
            return None;
        }
        sum += term;
        if term == 0.0 {
            return finite(sum);
        }
        // Past the largest term (ratio below one), the tail is bounded by term / (1 − z).
        let ratio = ((a + n + 1.0) * (b + n + 1.0) / ((c + n + 1.0) * (n + 2.0)) * z).abs();
        if ratio < 1.0 && term.abs() <= 1e-16 * sum.abs() * (1.0 - z) {
            small_terms += 1;
            if small_terms >= 2 {
                return finite(sum);
            }
        } else {
            small_terms = 0;
        }
    }
    None
}

/// `Some(v)` when v is finite.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// E[f(P)] for P ~ Beta(a, b), a, b > 0, by tanh-sinh (double exponential) quadrature; `None` when the
/// parameters are not positive and finite or the result is not finite.
///
/// `f` receives p and 1 − p, each computed without cancellation (either may underflow to 0 at the ends,
/// where f must return its limit). The substitution p = (1 + tanh(π/2·sinh u))/2 absorbs the endpoint
/// singularities of the Beta density, and the density is evaluated in logs, so parameters from 1e-3 to
/// 1e3 are handled. The step is halved from 1/2 down to 1/128 until two levels agree to 1e-12.
pub fn beta_expectation(a: f64, b: f64, mut f: impl FnMut(f64, f64) -> f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && a > 0.0 && b > 0.0) {
        return None;
    }
    let ln_b = ln_beta(a, b);
    // Contribution of the node at u (already multiplied by dp/du; without the step h).
    let mut node = |u: f64| -> f64 {
        let v = 0.5 * PI * u.sinh_d();
        let (ln_p, ln_q) = ln_logistic_pair(2.0 * v);
        let weight = PI * u.cosh_d() * (a * ln_p + b * ln_q - ln_b).exp_d();
        if weight == 0.0 || !weight.is_finite() {
            return 0.0;
        }
        let value = weight * f(ln_p.exp_d(), ln_q.exp_d());
        if value.is_finite() {
            value
        } else {
            0.0
        }
    };
    const U_MAX: f64 = 12.0;
    let mut h = 0.5;
    // Level 0: all nodes j·h.
    let mut sum = node(0.0);
    let mut j = 1.0;
    while j * h <= U_MAX {
        sum += node(j * h) + node(-j * h);
        j += 1.0;
    }
    let mut estimate = sum * h;
    for _level in 0..6 {
        h *= 0.5;
        // New nodes: the odd multiples of the halved step.
        let mut j = 1.0;
        while j * h <= U_MAX {
            sum += node(j * h) + node(-j * h);
            j += 2.0;
        }
        let refined = sum * h;
        let converged = (refined - estimate).abs() <= 1e-12 * refined.abs();
        estimate = refined;
        if converged {
            break;
        }
    }
    finite(estimate)
}

/// (ln σ(s), ln σ(−s)) for the logistic σ(s) = 1/(1 + e^(−s)), without overflow or cancellation.
fn ln_logistic_pair(s: f64) -> (f64, f64) {
    // ln σ(s) = −ln(1 + e^(−s)); for s < 0 it is s − ln(1 + e^s).
    let softplus_neg = |s: f64| -> f64 {
        if s >= 0.0 {
            -(-s).exp_d().ln_1p_d()
        } else {
            s - s.exp_d().ln_1p_d()
        }
    };
    (softplus_neg(s), softplus_neg(-s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance * expected.abs().max(1.0)
    }

    #[test]
    fn trigamma_known_values_and_the_derivative_of_digamma() {
        assert!(close(trigamma(1.0), PI * PI / 6.0, 1e-14));
        assert!(close(trigamma(0.5), PI * PI / 2.0, 1e-14));
        // ψ′(n) = π²/6 − Σ_{k<n} 1/k².
        assert!(close(
            trigamma(12.0),
            PI * PI / 6.0 - (1..12).map(|k| 1.0 / f64::from(k * k)).sum::<f64>(),
            1e-14
        ));
        for x in [1e-3, 0.3, 2.5, 9.9, 10.0, 37.0, 1e4] {
            let h = 1e-5 * x;
            let numeric = (digamma(x + h) - digamma(x - h)) / (2.0 * h);
            assert!(
                close(trigamma(x), numeric, 1e-6),
                "{x}: {} vs {numeric}",
                trigamma(x)
            );
        }
    }

    #[test]
    fn ln_gamma_known_values() {
        assert!(close(ln_gamma(0.5), PI.sqrt().ln_d(), 1e-14));
        assert!(close(ln_gamma(1.0), 0.0, 1e-14));
        assert!(close(ln_gamma(2.0), 0.0, 1e-14));
        assert!(close(ln_gamma(3.0), 2f64.ln_d(), 1e-14));
        assert!(close(ln_gamma(10.0), 362_880f64.ln_d(), 1e-14));
        // 20! = 2432902008176640000 = Γ(21).
        assert!(close(
            ln_gamma(21.0),
            2_432_902_008_176_640_000f64.ln_d(),
            1e-14
        ));
        // Γ(1e-8) ≈ 1e8 − γ_E.
        assert!(close(
            ln_gamma(1e-8),
            (1e8 - 0.577_215_664_901_532_9f64).ln_d(),
            1e-14
        ));
        // ln Γ(100) = ln 99!.
        assert!(close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-14));
        // Continuity across the switch from Lanczos to Stirling.
        let below = ln_gamma(10.0 - 1e-12);
        let above = ln_gamma(10.0 + 1e-12);
        assert!((above - below).abs() < 1e-10);
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
        assert_eq!(ln_gamma(-1.5), f64::INFINITY);
    }

    #[test]
    fn ln_beta_known_values() {
        // B(1, 1) = 1, B(2, 3) = 1/12, B(1/2, 1/2) = π.
        assert!(close(ln_beta(1.0, 1.0), 0.0, 1e-14));
        assert!(close(ln_beta(2.0, 3.0), (1.0f64 / 12.0).ln_d(), 1e-14));
        assert!(close(ln_beta(0.5, 0.5), PI.ln_d(), 1e-14));
    }

    #[test]
    fn digamma_known_values() {
        let euler_gamma = 0.577_215_664_901_532_9;
        assert!(close(digamma(1.0), -euler_gamma, 1e-14));
        assert!(close(digamma(0.5), -euler_gamma - 2.0 * 2f64.ln_d(), 1e-14));
        assert!(close(digamma(10.0), 2.251_752_589_066_721, 1e-14));
        // Derivative check against ln Γ.
        for &x in &[0.01, 0.3, 2.5, 7.0, 50.0, 1234.5] {
            let h = 1e-5 * x;
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!(close(digamma(x), numeric, 1e-6), "x = {x}");
        }
    }

    #[test]
    fn hyp2f1_identities() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z.
        for &z in &[-20.0f64, -5.0, -0.9, -0.5, 0.1, 0.5, 0.9, 0.99, 0.999] {
            let expected = -(-z).ln_1p_d() / z;
            let actual = hyp2f1(1.0, 1.0, 2.0, z).unwrap();
            assert!(
                close(actual, expected, 1e-12),
                "z = {z}: {actual} vs {expected}"
            );
        }
        // ₂F₁(a, b; b; z) = (1 − z)^(−a).
        for &(a, z) in &[(0.3, 0.7), (2.5, -3.0), (7.0, 0.95)] {
            let actual = hyp2f1(a, 1.7, 1.7, z).unwrap();
            assert!(
                close(actual, (1.0 - z).powf_d(-a), 1e-12),
                "a = {a}, z = {z}"
            );
        }
        // ₂F₁(1/2, 1/2; 3/2; z²) = arcsin(z)/z and ₂F₁(1/2, 1; 3/2; −z²) = arctan(z)/z.
        for &z in &[0.2f64, 0.6, 0.9] {
            assert!(close(
                hyp2f1(0.5, 0.5, 1.5, z * z).unwrap(),
                z.asin() / z,
                1e-12
            ));
            assert!(close(
                hyp2f1(0.5, 1.0, 1.5, -z * z).unwrap(),
                z.atan() / z,
                1e-12
            ));
        }
        // A terminating series: ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
        let (b, c, z) = (1.5, 2.5, 0.4);
        let expected = 1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0));
        assert!(close(hyp2f1(-2.0, b, c, z).unwrap(), expected, 1e-14));
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.5), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, f64::NAN), None);
    }

    #[test]
    fn beta_expectations() {
        for &(a, b) in &[
            (1.0, 1.0),
            (0.5, 0.5),
            (0.01, 3.0),
            (2.0, 0.02),
            (800.0, 2.0),
            (0.001, 1000.0),
        ] {
            let one = beta_expectation(a, b, |_, _| 1.0).unwrap();
            assert!(close(one, 1.0, 1e-9), "a = {a}, b = {b}: {one}");
            let mean = beta_expectation(a, b, |p, _| p).unwrap();
            assert!(close(mean, a / (a + b), 1e-9), "a = {a}, b = {b}: {mean}");
        }
        // E[1/P] = (a + b − 1)/(a − 1) for a > 1.
        let inverse = beta_expectation(3.0, 2.0, |p, _| 1.0 / p).unwrap();
        assert!(close(inverse, 2.0, 1e-10));
        assert_eq!(beta_expectation(0.0, 1.0, |_, _| 1.0), None);
    }
}
