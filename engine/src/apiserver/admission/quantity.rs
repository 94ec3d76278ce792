//! Quantities as admission compares and prints them: a value in
//! thousandths and whether it was written with a binary suffix, printed in
//! the canonical form Go's `resource.Quantity.String()` gives (`500m`, `1`,
//! `1Gi`, `2k`).

use crate::apiserver::validation::quantity_milli;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Q {
    pub milli: i128,
    pub binary: bool,
}

impl Q {
    pub fn parse(s: &str) -> Option<Q> {
        Some(Q {
            milli: quantity_milli(s)?,
            binary: s.trim().ends_with('i'),
        })
    }

    /// A quantity in a JSON value (a string, or a bare number).
    pub fn of(v: &Value) -> Option<Q> {
        match v {
            Value::String(s) => Q::parse(s),
            Value::Number(n) => Q::parse(&n.to_string()),
            _ => None,
        }
    }

    pub fn count(n: i128) -> Q {
        Q {
            milli: n * 1000,
            binary: false,
        }
    }

    pub fn plus(self, other: Q) -> Q {
        Q {
            milli: self.milli.saturating_add(other.milli),
            binary: self.binary || other.binary,
        }
    }
}

impl std::fmt::Display for Q {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.milli % 1000 != 0 {
            return write!(f, "{}m", self.milli);
        }
        let n = self.milli / 1000;
        if n == 0 {
            return f.write_str("0");
        }
        let (base, suffixes): (i128, &[&str]) = if self.binary {
            (1024, &["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"])
        } else {
            (1000, &["", "k", "M", "G", "T", "P", "E"])
        };
        let mut v = n;
        let mut i = 0;
        while v % base == 0 && i + 1 < suffixes.len() {
            v /= base;
            i += 1;
        }
        write!(f, "{v}{}", suffixes.get(i).copied().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let f = |s: &str| Q::parse(s).map(|q| q.to_string()).unwrap_or_default();
        assert_eq!(f("500m"), "500m");
        assert_eq!(f("1000m"), "1");
        assert_eq!(f("0.5"), "500m");
        assert_eq!(f("1024Mi"), "1Gi");
        assert_eq!(f("1536Mi"), "1536Mi");
        assert_eq!(f("2000"), "2k");
        assert_eq!(f("0"), "0");
    }
}
