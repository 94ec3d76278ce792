// Indexing is safe in this module: f[0..5] only after checking the schedule has exactly 5 fields.
#![allow(clippy::indexing_slicing)]
//! Cron schedules as the CronJob controller parses them (robfig/cron's
//! standard parser): five fields, `*`, `*/n`, `a-b`, `a-b/n`, lists, month
//! and weekday names, and the `@hourly`-style descriptors.

use crate::clock::{Duration, Time};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// A field that was `*` (or `?`): robfig's day matching ANDs the two day
    /// fields when either is a star, ORs them otherwise.
    dom_star: bool,
    dow_star: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn value(s: &str, names: &[&str], offset: u32) -> Result<u32, String> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + offset);
    }
    s.parse::<u32>().map_err(|_| {
        format!("failed to parse int from {s}: strconv.Atoi: parsing \"{s}\": invalid syntax")
    })
}

fn field(s: &str, min: u32, max: u32, names: &[&str], offset: u32) -> Result<(u64, bool), String> {
    let mut bits = 0u64;
    let mut star = false;
    for part in s.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, st)) => (
                r,
                Some(
                    st.parse::<u32>()
                        .map_err(|_| format!("failed to parse int from {st}"))?,
                ),
            ),
            None => (part, None),
        };
        let (lo, hi) = if range == "*" || range == "?" {
            if step.is_none() {
                star = true;
            }
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, names, offset)?, value(b, names, offset)?)
        } else {
            let v = value(range, names, offset)?;
            (v, if step.is_some() { max } else { v })
        };
        if lo < min || hi > max || lo > hi {
            return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
        }
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok((bits, star))
}

impl Schedule {
    pub fn parse(spec: &str) -> Result<Schedule, String> {
        let spec = spec.trim();
        let spec = match spec {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            s => s,
        };
        let f: Vec<&str> = spec.split_whitespace().collect();
        if f.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: [{}]",
                f.len(),
                f.join(" ")
            ));
        }
        let (minute, _) = field(f[0], 0, 59, &[], 0)?;
        let (hour, _) = field(f[1], 0, 23, &[], 0)?;
        let (dom, dom_star) = field(f[2], 1, 31, &[], 0)?;
        let (month, _) = field(f[3], 1, 12, &MONTHS, 1)?;
        let (mut dow, dow_star) = field(f[4], 0, 7, &DAYS, 0)?;
        if dow & (1 << 7) != 0 {
            dow |= 1;
        }
        Ok(Schedule {
            minute,
            hour,
            dom,
            month,
            dow,
            dom_star,
            dow_star,
        })
    }

    fn matches(&self, t: Time, offset_secs: i64) -> bool {
        let (_, mo, d, h, mi, wd) = civil(t, offset_secs);
        let bit = |set: u64, v: i64| set & (1u64 << v) != 0;
        let dom = bit(self.dom, d);
        let dow = bit(self.dow, wd);
        let day = if self.dom_star || self.dow_star {
            dom && dow
        } else {
            dom || dow
        };
        bit(self.minute, mi) && bit(self.hour, h) && bit(self.month, mo) && day
    }

    /// The first scheduled minute strictly after `t` (within ~5 years).
    pub fn next(&self, t: Time, offset_secs: i64) -> Option<Time> {
        let minute = 60_000;
        let mut c = Time((t.0.div_euclid(minute) + 1) * minute);
        let limit = t + Duration::from_secs(5 * 366 * 86_400);
        while c < limit {
            let (_, mo, d, h, _, _) = civil(c, offset_secs);
            if self.month & (1 << mo) == 0 {
                // Skip to the next day quickly.
                c = c + Duration::from_secs(86_400 - ((h * 60) * 60));
                c = Time(c.0.div_euclid(3_600_000) * 3_600_000);
                continue;
            }
            let _ = d;
            if self.hour & (1 << h) == 0 {
                c = Time((c.0.div_euclid(3_600_000) + 1) * 3_600_000);
                continue;
            }
            if self.matches(c, offset_secs) {
                return Some(c);
            }
            c = c + Duration::from_millis(minute);
        }
        None
    }
}

/// (year, month, day, hour, minute, weekday 0=Sunday) at a fixed offset.
fn civil(t: Time, offset_secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let secs = t.0.div_euclid(1000) + offset_secs;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let s = Time(days * 86_400_000).rfc3339();
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
    let weekday = (days + 4).rem_euclid(7);
    (
        num(0..4),
        num(5..7),
        num(8..10),
        sod / 3600,
        (sod / 60) % 60,
        weekday,
    )
}

/// Fixed UTC offsets of the time zones a learner is likely to name (no
/// daylight saving in these); `None` for an unknown zone.
pub fn zone_offset(tz: Option<&str>) -> Option<i64> {
    let h = |x: i64| Some(x * 3600);
    match tz {
        None
        | Some(
            "" | "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "Africa/Abidjan" | "Atlantic/Reykjavik",
        ) => h(0),
        Some("Asia/Seoul" | "Asia/Tokyo" | "Asia/Pyongyang") => h(9),
        Some(
            "Asia/Shanghai" | "Asia/Singapore" | "Asia/Taipei" | "Asia/Hong_Kong" | "Asia/Manila"
            | "Australia/Perth",
        ) => h(8),
        Some("Asia/Kolkata" | "Asia/Calcutta") => Some(5 * 3600 + 1800),
        Some("Asia/Dubai") => h(4),
        Some("Asia/Jakarta" | "Asia/Bangkok" | "Asia/Ho_Chi_Minh") => h(7),
        Some("America/Sao_Paulo" | "America/Argentina/Buenos_Aires") => h(-3),
        Some("America/Phoenix") => h(-7),
        Some("Pacific/Honolulu") => h(-10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Time {
        Time::parse_rfc3339(s).unwrap_or_default()
    }

    #[test]
    fn parses_and_steps() {
        let s = Schedule::parse("*/5 * * * *").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.next(at("2025-04-23T08:00:00Z"), 0),
            Some(at("2025-04-23T08:05:00Z"))
        );
        assert_eq!(
            s.next(at("2025-04-23T08:03:10Z"), 0),
            Some(at("2025-04-23T08:05:00Z"))
        );
        let s = Schedule::parse("@hourly").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.next(at("2025-04-23T08:00:00Z"), 0),
            Some(at("2025-04-23T09:00:00Z"))
        );
        let s = Schedule::parse("30 9-17/4 * jan,apr mon-fri").unwrap_or_else(|e| panic!("{e}"));
        // 2025-04-23 is a Wednesday.
        assert_eq!(
            s.next(at("2025-04-23T08:00:00Z"), 0),
            Some(at("2025-04-23T09:30:00Z"))
        );
        assert_eq!(
            s.next(at("2025-04-23T17:31:00Z"), 0),
            Some(at("2025-04-24T09:30:00Z"))
        );
        let s = Schedule::parse("0 0 1 * *").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.next(at("2025-04-23T08:00:00Z"), 0),
            Some(at("2025-05-01T00:00:00Z"))
        );
        // Seoul midnight is 15:00 UTC.
        let s = Schedule::parse("0 0 * * *").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.next(at("2025-04-23T08:00:00Z"), 9 * 3600),
            Some(at("2025-04-23T15:00:00Z"))
        );
        assert!(Schedule::parse("* * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
        let s = Schedule::parse("0 0 * * 7").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.next(at("2025-04-23T08:00:00Z"), 0),
            Some(at("2025-04-27T00:00:00Z"))
        );
    }
}
