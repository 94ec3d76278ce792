// Indexing is safe in this module: parse_rfc3339 reads fixed offsets only after checking the input is at least 20 bytes.
#![allow(clippy::indexing_slicing)]
//! The virtual clock. The engine never reads the wall clock: every timestamp
//! a learner sees comes from here, so the same seed and the same commands give
//! the same output byte for byte.

use std::fmt;

/// An instant of simulated time, in milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

/// A span of simulated time, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub i64);

impl Duration {
    pub const ZERO: Duration = Duration(0);
    pub const fn from_secs(s: i64) -> Self {
        Duration(s * 1000)
    }
    pub const fn from_millis(ms: i64) -> Self {
        Duration(ms)
    }
    pub const fn as_millis(self) -> i64 {
        self.0
    }
    /// Whole seconds, rounded toward zero (as Go's `Duration.Seconds()` truncated by kubectl).
    pub const fn as_secs(self) -> i64 {
        self.0 / 1000
    }
}

impl std::ops::Add<Duration> for Time {
    type Output = Time;
    fn add(self, d: Duration) -> Time {
        Time(self.0.saturating_add(d.0))
    }
}

impl std::ops::Sub<Time> for Time {
    type Output = Duration;
    fn sub(self, t: Time) -> Duration {
        Duration(self.0.saturating_sub(t.0))
    }
}

impl Time {
    /// 2025-04-23T08:00:00Z — the day Kubernetes v1.33 was released. Every fresh
    /// simulation starts its clock here.
    pub const EPOCH: Time = Time(1_745_395_200_000);

    /// Parses the RFC 3339 form the API uses (`2025-04-23T08:00:00Z`, optional
    /// fraction). Returns `None` for anything else.
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse::<i64>().ok() };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut rest = &s[19..];
        let mut millis = 0i64;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
            rest = &frac[digits.len()..];
            let padded = format!("{:0<3}", &digits[..digits.len().min(3)]);
            millis = padded.parse().ok()?;
        }
        if rest != "Z"
            || !(1..=12).contains(&mo)
            || !(1..=31).contains(&d)
            || h > 23
            || mi > 59
            || se > 60
        {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        Some(Time(
            ((days * 24 + h) * 60 + mi) * 60_000 + se * 1000 + millis,
        ))
    }

    /// `2025-04-23T08:00:00Z`: seconds precision, as `metav1.Time` marshals.
    pub fn rfc3339(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// `2025-04-23T08:00:00.123456Z`: microsecond precision, as `metav1.MicroTime` marshals.
    pub fn rfc3339_micro(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        let micros = self.0.rem_euclid(1000) * 1000;
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{micros:06}Z")
    }

    fn civil(self) -> (i64, i64, i64, i64, i64, i64) {
        let secs = self.0.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        (y, mo, d, sod / 3600, (sod / 60) % 60, sod % 60)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

// Howard Hinnant's days-from-civil algorithms (public domain), proleptic Gregorian.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The simulation's clock. Only [`Clock::advance`] moves it.
#[derive(Clone, Debug)]
pub struct Clock {
    now: Time,
}

impl Clock {
    pub fn new(start: Time) -> Self {
        Clock { now: start }
    }
    pub fn now(&self) -> Time {
        self.now
    }
    pub fn advance(&mut self, d: Duration) {
        if d.0 > 0 {
            self.now = self.now + d;
        }
    }
    /// Moves the clock to `t` if `t` is later; never backwards.
    pub fn advance_to(&mut self, t: Time) {
        if t > self.now {
            self.now = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formats_as_release_day() {
        assert_eq!(Time::EPOCH.rfc3339(), "2025-04-23T08:00:00Z");
        assert_eq!(
            (Time::EPOCH + Duration(1500)).rfc3339_micro(),
            "2025-04-23T08:00:01.500000Z"
        );
    }

    #[test]
    fn rfc3339_round_trips() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2025-04-23T08:00:00Z",
            "2099-12-31T12:30:05Z",
        ] {
            let t = Time::parse_rfc3339(s).unwrap_or_default();
            assert_eq!(t.rfc3339(), s);
        }
        assert_eq!(
            Time::parse_rfc3339("2025-04-23T08:00:00.25Z"),
            Some(Time::EPOCH + Duration(250))
        );
        assert_eq!(Time::parse_rfc3339("yesterday"), None);
        assert_eq!(Time::parse_rfc3339("2025-13-01T00:00:00Z"), None);
    }

    #[test]
    fn clock_never_goes_back() {
        let mut c = Clock::new(Time::EPOCH);
        c.advance(Duration::from_secs(5));
        c.advance_to(Time::EPOCH);
        assert_eq!(c.now() - Time::EPOCH, Duration::from_secs(5));
    }
}
