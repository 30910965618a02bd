//! The written form of numbers: one parser and one printer, shared by the
//! compiler's reader, `string->number`, `number->string`, `display` and
//! `write`.
//!
//! Syntax (R7RS 7.1.1, real numbers): an optional prefix of a radix
//! (`#x #o #b #d`) and an exactness (`#e #i`) in either order, then a sign,
//! then an integer, a ratio `n/d`, a decimal (`1.5 .5 5. 1e10 1.5E-7`, in
//! any radix, as Chez reads `#x1.8`), or `+inf.0 -inf.0 +nan.0 -nan.0`.
//!
//! Flonums print as Chez Scheme prints them: the shortest digits that read
//! back to the same double, positioned (`123.0`, `0.001`) when the decimal
//! exponent is from -3 to 9 and in scientific form (`1e21`, `1.5e-7`)
//! otherwise.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;

use crate::number::{f64_to_exact, Number};

/// The number `text` spells, read in `radix` unless a prefix says
/// otherwise; `None` if it is not a number.
pub fn parse(text: &str, radix: u32) -> Option<Number> {
    if radix == 10 {
        if let Some(f) = plain_decimal(text) {
            return Some(Number::Flo(f));
        }
    }
    let mut radix = radix;
    let mut exactness = None;
    let mut rest = text;
    let (mut seen_radix, mut seen_exactness) = (false, false);
    while let Some(tail) = rest.strip_prefix('#') {
        let mut chars = tail.chars();
        match chars.next()?.to_ascii_lowercase() {
            c @ ('x' | 'o' | 'b' | 'd') if !seen_radix => {
                seen_radix = true;
                radix = match c {
                    'x' => 16,
                    'o' => 8,
                    'b' => 2,
                    _ => 10,
                };
            }
            c @ ('e' | 'i') if !seen_exactness => {
                seen_exactness = true;
                exactness = Some(c == 'e');
            }
            _ => return None,
        }
        rest = chars.as_str();
    }
    let (magnitude, negative, decimal) = parse_real(rest, radix)?;
    if exactness.unwrap_or(!decimal) {
        let n = magnitude.to_exact()?;
        Some(if negative {
            crate::number::negate(n)
        } else {
            n
        })
    } else {
        // Round the exact magnitude once; the sign after, so `-0.0` keeps it.
        let f = magnitude.to_f64();
        Some(Number::Flo(if negative { -f } else { f }))
    }
}

/// A plain decimal without prefix (`1.5`, `-.5e3`, `2e10`), read by Rust's
/// correctly rounded parser instead of through the exact value (the same
/// double, faster); `None` for anything else.
fn plain_decimal(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_end = digits(i);
    let mut mantissa_digits = int_end - i;
    i = int_end;
    let mut decimal = false;
    if b.get(i) == Some(&b'.') {
        decimal = true;
        let frac_end = digits(i + 1);
        mantissa_digits += frac_end - (i + 1);
        i = frac_end;
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        decimal = true;
        i += 1 + usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let exp_end = digits(i);
        if exp_end == i {
            return None;
        }
        i = exp_end;
    }
    if !decimal || i != b.len() {
        return None;
    }
    text.parse().ok()
}

/// A real without prefix: its magnitude, whether it is negative, and
/// whether it is written as a decimal (inexact unless `#e` says
/// otherwise). Decimals are parsed exactly and rounded once, so `#e1.5` is
/// `3/2`, `#e1e30` is 10^30 and `0.1` is the double nearest to 1/10.
fn parse_real(text: &str, radix: u32) -> Option<(Number, bool, bool)> {
    match text.to_ascii_lowercase().as_str() {
        "+inf.0" => return Some((Number::Flo(f64::INFINITY), false, true)),
        "-inf.0" => return Some((Number::Flo(f64::INFINITY), true, true)),
        "+nan.0" | "-nan.0" => return Some((Number::Flo(f64::NAN), false, true)),
        _ => {}
    }
    let (negative, body) = match text.as_bytes().first()? {
        b'+' => (false, &text[1..]),
        b'-' => (true, &text[1..]),
        _ => (false, text),
    };
    let mut decimal = false;
    let n = if let Some((num, den)) = body.split_once('/') {
        let num = parse_digits(num, radix)?;
        let den = parse_digits(den, radix)?;
        if den.is_zero() {
            return None;
        }
        Number::Rat(BigRational::new(num, den)).normalize()
    } else if body.contains(|c: char| c == '.' || (radix == 10 && matches!(c, 'e' | 'E'))) {
        decimal = true;
        parse_decimal(body, radix)?
    } else {
        Number::Big(parse_digits(body, radix)?).normalize()
    };
    Some((n, negative, decimal))
}

/// Unsigned digits in `radix` (at least one).
fn parse_digits(digits: &str, radix: u32) -> Option<BigInt> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if digits.len() <= 15 {
        return i64::from_str_radix(digits, radix).ok().map(BigInt::from);
    }
    BigInt::parse_bytes(digits.as_bytes(), radix)
}

/// `digits[.digits][e[sign]digits]`, with a digit on at least one side of
/// the point, as an exact number.
fn parse_decimal(body: &str, radix: u32) -> Option<Number> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) if radix == 10 => (&body[..i], Some(&body[i + 1..])),
        _ => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let all_digits = |s: &str| s.chars().all(|c| c.is_digit(radix));
    if !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let mut value = BigRational::from_integer(parse_digits(&digits, radix)?);
    let base = BigRational::from_integer(BigInt::from(radix));
    let mut power: i64 = -(frac.len() as i64);
    if let Some(e) = exponent {
        let (sign, e_digits) = match e.as_bytes().first()? {
            b'+' => (1, &e[1..]),
            b'-' => (-1, &e[1..]),
            _ => (1, e),
        };
        if e_digits.is_empty() || !e_digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        // Beyond this, a double is 0 or infinite; keep the exact work bounded.
        let e: i64 = e_digits.parse().unwrap_or(i64::MAX).min(100_000);
        power += sign * e;
    }
    if value.is_zero() {
        return Some(Number::Fix(0));
    }
    let scale = num_traits::pow(base, power.unsigned_abs() as usize);
    if power >= 0 {
        value *= scale;
    } else {
        value /= scale;
    }
    Some(Number::Rat(value).normalize())
}

/// The written form of `n` in `radix` (2, 8, 10 or 16), as Chez writes it
/// (hex digits upper case).
pub fn format(n: &Number, radix: u32) -> String {
    match n {
        Number::Fix(i) if radix == 10 => i.to_string(),
        Number::Fix(i) => upper(BigInt::from(*i).to_str_radix(radix)),
        Number::Big(b) => upper(b.to_str_radix(radix)),
        Number::Rat(r) => format!(
            "{}/{}",
            upper(r.numer().to_str_radix(radix)),
            upper(r.denom().to_str_radix(radix))
        ),
        Number::Flo(f) if radix == 10 => format_flonum(*f),
        Number::Flo(f) => format_flonum_radix(*f, radix),
    }
}

fn upper(s: String) -> String {
    s.to_ascii_uppercase()
}

/// A double as Chez prints it.
pub fn format_flonum(f: f64) -> String {
    if f.is_nan() {
        return "+nan.0".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+inf.0" } else { "-inf.0" }.into();
    }
    // Rust's `{:e}` gives the shortest digits that round-trip: `d.ddde±x`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    if (-3..=9).contains(&exp) {
        let point = exp + 1; // digits before the point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{a}.{b}")
        };
        format!("{sign}{body}")
    } else if digits.len() == 1 {
        format!("{sign}{digits}e{exp}")
    } else {
        format!("{sign}{}.{}e{exp}", &digits[..1], &digits[1..])
    }
}

/// A finite double in radix 2, 8 or 16: its exact expansion, which always
/// terminates since its denominator is a power of two.
fn format_flonum_radix(f: f64, radix: u32) -> String {
    let Some(exact) = f64_to_exact(f) else {
        return format_flonum(f);
    };
    let Some(r) = exact.to_ratio() else {
        return format_flonum(f);
    };
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let r = if r < BigRational::zero() { -r } else { r };
    let int = r.to_integer();
    let mut frac = r.fract();
    let mut out = format!("{sign}{}.", upper(int.to_str_radix(radix)));
    if frac.is_zero() {
        out.push('0');
    }
    let base = BigRational::from_integer(BigInt::from(radix));
    while !frac.is_zero() {
        frac *= &base;
        let d = frac.to_integer();
        frac -= BigRational::from_integer(d.clone());
        out.push_str(&upper(d.to_str_radix(radix)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        parse(text, 10).map_or("#f".into(), |n| format(&n, 10))
    }

    #[test]
    fn reads_and_prints_as_chez() {
        for (text, printed) in [
            ("0.1", "0.1"),
            ("100.0", "100.0"),
            ("1e21", "1e21"),
            ("1e20", "1e20"),
            ("1e-7", "1e-7"),
            ("0.001", "0.001"),
            ("1e-4", "1e-4"),
            ("-0.0", "-0.0"),
            ("+nan.0", "+nan.0"),
            ("-inf.0", "-inf.0"),
            ("5e-324", "5e-324"),
            ("123456789.0", "123456789.0"),
            ("1234567890123.0", "1.234567890123e12"),
            ("1.5e-3", "0.0015"),
            ("1.23e-4", "1.23e-4"),
            (".5", "0.5"),
            ("+.5", "0.5"),
            ("-.5e1", "-5.0"),
            ("1E2", "100.0"),
            ("1.e2", "100.0"),
            ("1e+2", "100.0"),
            ("1e2.5", "#f"),
            ("e5", "#f"),
            ("1e", "#f"),
            ("inf", "#f"),
            ("nan", "#f"),
            ("5.", "5.0"),
            ("-6/4", "-3/2"),
            ("#e1.5", "3/2"),
            ("#i3/4", "0.75"),
            ("#x#e1A", "26"),
            ("#e#x10", "16"),
            ("#xff", "255"),
            ("#x1/A", "1/10"),
            ("1/0", "#f"),
            ("1.2.3", "#f"),
            ("#x1g", "#f"),
            ("1e", "#f"),
            (".", "#f"),
            ("+", "#f"),
            ("abc", "#f"),
            ("#e1e3", "1000"),
            ("1e400", "+inf.0"),
            ("-12345678901234567890", "-12345678901234567890"),
        ] {
            assert_eq!(show(text), printed, "{text}");
        }
        assert_eq!(format(&Number::Fix(-255), 16), "-FF");
        assert_eq!(format(&Number::Flo(0.5), 2), "0.1");
    }

    #[test]
    fn doubles_round_trip_bit_exactly() {
        // 100,000 doubles from random bit patterns (every exponent, subnormals
        // included) and 100,000 from random values of ordinary size.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..200_000 {
            let f = if i % 2 == 0 {
                f64::from_bits(next())
            } else {
                (next() as f64 / u64::MAX as f64 - 0.5) * 1e6
            };
            if f.is_nan() {
                continue;
            }
            let text = format(&Number::Flo(f), 10);
            match parse(&text, 10) {
                Some(Number::Flo(g)) => assert_eq!(g.to_bits(), f.to_bits(), "{text}"),
                other => panic!("{text} read back as {other:?}"),
            }
            // With a prefix, the text goes through the exact value and
            // `ratio_to_f64`: the same double.
            if i % 10 == 0 {
                match parse(&format!("#d{text}"), 10) {
                    Some(Number::Flo(g)) => assert_eq!(g.to_bits(), f.to_bits(), "#d{text}"),
                    other => panic!("#d{text} read back as {other:?}"),
                }
            }
        }
    }
}
