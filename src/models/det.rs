//! Elementary functions that give the same bits natively and in wasm. `f64::ln`, `exp` and the like
//! call the platform's math library, whose last digit differs between glibc and the wasm build; the
//! models call these instead (the `libm` crate on every target), so the page and the command line
//! report identical fits and predictions.

/// `ln`, `exp`, … computed by `libm`: `x.ln_d()` is `libm::log(x)`.
pub trait Det {
    /// Natural logarithm.
    fn ln_d(self) -> f64;
    /// e^x.
    fn exp_d(self) -> f64;
    /// ln(1 + x).
    fn ln_1p_d(self) -> f64;
    /// e^x − 1.
    fn exp_m1_d(self) -> f64;
    /// x^y.
    fn powf_d(self, y: f64) -> f64;
    /// Hyperbolic sine.
    fn sinh_d(self) -> f64;
    /// Hyperbolic cosine.
    fn cosh_d(self) -> f64;
}

impl Det for f64 {
    fn ln_d(self) -> f64 {
        libm::log(self)
    }
    fn exp_d(self) -> f64 {
        libm::exp(self)
    }
    fn ln_1p_d(self) -> f64 {
        libm::log1p(self)
    }
    fn exp_m1_d(self) -> f64 {
        libm::expm1(self)
    }
    fn powf_d(self, y: f64) -> f64 {
        libm::pow(self, y)
    }
    fn sinh_d(self) -> f64 {
        libm::sinh(self)
    }
    fn cosh_d(self) -> f64 {
        libm::cosh(self)
    }
}
