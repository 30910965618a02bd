//! `(scheme complex)` for the reals, the only numbers there are (complex
//! numbers are not supported: README): the real part of a real is itself,
//! its imaginary part exact 0, its magnitude its absolute value, its angle
//! 0 or pi. Results follow Chez Scheme's (`(angle 3)` is exact 0,
//! `(angle -0.0)` is pi). Constructors whose result would not be real are
//! errors, never a silently dropped imaginary part.

use std::cmp::Ordering;

use crate::number::Number;
use crate::scheme_fn;

/// The real part of a real number: itself.
#[scheme_fn(name = "real-part")]
fn real_part(z: Number) -> Number {
    z
}

/// The imaginary part of a real number: exact 0.
#[scheme_fn(name = "imag-part")]
fn imag_part(z: Number) -> Number {
    let _ = z;
    Number::Fix(0)
}

/// The magnitude of a real number: its absolute value.
#[scheme_fn]
fn magnitude(z: Number) -> Number {
    super::numbers::abs(z)
}

/// The angle of a real number: 0 for a positive one (exact if it is), pi
/// for a negative one (and -0.0); undefined for exact 0.
#[scheme_fn]
fn angle(z: Number) -> Result<Number, String> {
    match z {
        Number::Flo(f) if f.is_sign_negative() => Ok(Number::Flo(std::f64::consts::PI)),
        Number::Flo(_) => Ok(Number::Flo(0.0)),
        n => match n.sign() {
            Some(Ordering::Less) => Ok(Number::Flo(std::f64::consts::PI)),
            Some(Ordering::Greater) => Ok(Number::Fix(0)),
            _ => Err("undefined for 0".into()),
        },
    }
}

/// `real` if the other part (`what`) is exact 0, else the error: the
/// result would not be a real number.
fn real_only(real: Number, other: Number, what: &str) -> Result<Number, String> {
    match other {
        Number::Fix(0) => Ok(real),
        n => Err(format!(
            "complex numbers are not supported ({what} {})",
            crate::number_syntax::format(&n, 10)
        )),
    }
}

/// `x + yi`: only real results (y exact 0) exist here.
#[scheme_fn(name = "make-rectangular")]
fn make_rectangular(x: Number, y: Number) -> Result<Number, String> {
    real_only(x, y, "imaginary part")
}

/// The number of magnitude m and angle a: only real results (a exact 0)
/// exist here.
#[scheme_fn(name = "make-polar")]
fn make_polar(m: Number, a: Number) -> Result<Number, String> {
    real_only(m, a, "angle")
}
