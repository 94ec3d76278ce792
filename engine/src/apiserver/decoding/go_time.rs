//! Go's `time.Parse` for the two layouts the apiserver decodes timestamps
//! with: `metav1.Time` (RFC 3339) and `metav1.MicroTime` (RFC 3339 with
//! exactly six fractional digits). What it accepts and the texts of its
//! errors are Go's (`parsing time "x" as "2006-01-02T15:04:05Z07:00":
//! cannot parse "x" as "2006"`), following `time/format.go`'s walk over
//! the layout's elements; `go_time_tests.rs` holds it to kubectl 1.33's.
//!
//! Only acceptance matters here: the decoder keeps the text it was given.

/// `time.RFC3339`, which `metav1.Time` parses with.
pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
/// `metav1.RFC3339Micro`, which `metav1.MicroTime` parses with.
pub const RFC3339_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

/// One element of a layout: the literal text before it, and what it is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Std {
    LongYear,
    ZeroMonth,
    ZeroDay,
    Hour,
    ZeroMinute,
    ZeroSecond,
    /// `.000000`: exactly this many digits after the point.
    FracSecond0(usize),
    Iso8601ColonTz,
}

/// The layouts as Go's `nextStdChunk` splits them: (prefix, element, the
/// element's text).
fn chunks(layout: &str) -> &'static [(&'static str, Std, &'static str)] {
    const BASE: [(&str, Std, &str); 7] = [
        ("", Std::LongYear, "2006"),
        ("-", Std::ZeroMonth, "01"),
        ("-", Std::ZeroDay, "02"),
        ("T", Std::Hour, "15"),
        (":", Std::ZeroMinute, "04"),
        (":", Std::ZeroSecond, "05"),
        ("", Std::Iso8601ColonTz, "Z07:00"),
    ];
    const MICRO: [(&str, Std, &str); 8] = [
        ("", Std::LongYear, "2006"),
        ("-", Std::ZeroMonth, "01"),
        ("-", Std::ZeroDay, "02"),
        ("T", Std::Hour, "15"),
        (":", Std::ZeroMinute, "04"),
        (":", Std::ZeroSecond, "05"),
        ("", Std::FracSecond0(6), ".000000"),
        ("", Std::Iso8601ColonTz, "Z07:00"),
    ];
    if layout == RFC3339_MICRO {
        &MICRO
    } else {
        &BASE
    }
}

/// Go's `time.quote`: double quotes, `"` and `\` escaped, the bytes of
/// non-ASCII or control characters as `\xNN` (byte by byte, so a value
/// cut inside a character prints the same).
fn quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

fn digit(s: &[u8], i: usize) -> Option<i64> {
    s.get(i)
        .filter(|c| c.is_ascii_digit())
        .map(|c| i64::from(c - b'0'))
}

/// Go's `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d0 = digit(s, 0)?;
    match digit(s, 1) {
        Some(d1) => Some((d0 * 10 + d1, s.get(2..)?)),
        None if fixed => None,
        None => Some((d0, s.get(1..)?)),
    }
}

/// Go's `atoi`: an optional sign, then digits only (none is zero).
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let mut x: i64 = 0;
    for c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        x = x.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
    }
    Some(if neg { -x } else { x })
}

/// Go's `parseNanoseconds`: `value[0]` is `.` or `,`, then the digits up
/// to `n` bytes in all. `Err(true)` is "fractional second out of range".
fn nanoseconds(value: &[u8], n: usize) -> Result<(), bool> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(false);
    }
    let n = n.min(10);
    match value.get(1..n).and_then(atoi) {
        None => Err(false),
        Some(ns) if ns < 0 => Err(true),
        Some(_) => Ok(()),
    }
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `time.Parse(layout, value)` (layout: [`RFC3339`] or [`RFC3339_MICRO`]):
/// `Ok` when Go accepts the value, else Go's error text.
pub fn parse(layout: &str, value: &str) -> Result<(), String> {
    let whole = value;
    let cannot = |value_elem: &[u8], layout_elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(whole.as_bytes()),
            quote(layout.as_bytes()),
            quote(value_elem),
            quote(layout_elem.as_bytes())
        )
    };
    let out_of_range = |what: &str| {
        format!(
            "parsing time {}: {what} out of range",
            quote(whole.as_bytes())
        )
    };
    let chunks = chunks(layout);
    let mut value = value.as_bytes();
    let (mut year, mut month, mut day) = (0, -1, -1);
    for (n, (prefix, std, elem)) in chunks.iter().enumerate() {
        // `skip`: the literal before the element.
        for p in prefix.bytes() {
            match value.split_first() {
                Some((c, rest)) if *c == p => value = rest,
                _ => return Err(cannot(value, prefix)),
            }
        }
        let hold = value;
        let mut range = None;
        let ok: Option<&[u8]> = match std {
            Std::LongYear => match value.get(..4) {
                Some(p) if digit(value, 0).is_some() => atoi(p).map(|y| {
                    year = y;
                    value.get(4..).unwrap_or_default()
                }),
                _ => None,
            },
            Std::ZeroMonth => getnum(value, true).map(|(m, rest)| {
                month = m;
                if !(1..=12).contains(&m) {
                    range = Some("month");
                }
                rest
            }),
            Std::ZeroDay => getnum(value, true).map(|(d, rest)| {
                day = d;
                rest
            }),
            Std::Hour => {
                let r = getnum(value, false);
                if r.is_some_and(|(h, _)| h >= 24) {
                    range = Some("hour");
                }
                r.map(|(_, rest)| rest)
            }
            Std::ZeroMinute => {
                let r = getnum(value, true);
                if r.is_some_and(|(m, _)| m >= 60) {
                    range = Some("minute");
                }
                r.map(|(_, rest)| rest)
            }
            Std::ZeroSecond => match getnum(value, true) {
                None => None,
                Some((s, _)) if s >= 60 => {
                    range = Some("second");
                    Some(value)
                }
                Some((_, mut rest)) => {
                    // A fraction the layout does not spell out is taken.
                    let next_is_frac =
                        matches!(chunks.get(n + 1), Some((_, Std::FracSecond0(_), _)));
                    if !next_is_frac
                        && matches!(rest.first(), Some(b'.' | b','))
                        && digit(rest, 1).is_some()
                    {
                        let mut end = 2;
                        while digit(rest, end).is_some() {
                            end += 1;
                        }
                        if let Err(true) = nanoseconds(rest, end) {
                            range = Some("fractional second");
                        }
                        rest = rest.get(end..).unwrap_or_default();
                    }
                    Some(rest)
                }
            },
            Std::FracSecond0(digits) => {
                let n = 1 + digits;
                if value.len() < n {
                    None
                } else {
                    match nanoseconds(value, n) {
                        Ok(()) => value.get(n..),
                        Err(true) => {
                            range = Some("fractional second");
                            value.get(n..)
                        }
                        Err(false) => None,
                    }
                }
            }
            Std::Iso8601ColonTz => match value.first() {
                Some(b'Z') => value.get(1..),
                _ if value.len() < 6 || value.get(3) != Some(&b':') => None,
                _ => {
                    let hh = value.get(1..3).and_then(|h| getnum(h, true));
                    let mm = value.get(4..6).and_then(|m| getnum(m, true));
                    if let Some((h, _)) = hh {
                        if h > 24 {
                            range = Some("time zone offset hour");
                        }
                    }
                    if let (Some(_), Some((m, _))) = (hh, mm) {
                        if m > 60 {
                            range = Some("time zone offset minute");
                        }
                    }
                    match (hh, mm, value.first()) {
                        (Some(_), Some(_), Some(b'+' | b'-')) => value.get(6..),
                        _ => None,
                    }
                }
            },
        };
        if let Some(what) = range {
            return Err(out_of_range(what));
        }
        match ok {
            Some(rest) => value = rest,
            None => return Err(cannot(hold, elem)),
        }
    }
    if !value.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            quote(whole.as_bytes()),
            quote(value)
        ));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(out_of_range("day"));
    }
    Ok(())
}
