//! Random parameters: drawn from the seed, substituted as `{{name}}` in
//! every string of the lab, so each attempt differs and answers cannot be
//! copied from a neighbour.

use crate::format::Param;
use engine::rng::Rng;
use serde_json::Value;
use std::collections::BTreeMap;

/// Names the grader fills in later, inside check explanations.
pub const GRADER_NAMES: &[&str] = &["actual", "expected"];

/// Draws every parameter, in name order, from the lab's seed.
pub fn draw(
    id: &str,
    params: &BTreeMap<String, Param>,
    seed: u64,
) -> Result<BTreeMap<String, String>, String> {
    // The id enters the seed so that two labs with the same seed differ.
    let salt = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = Rng::new(seed ^ salt);
    let mut out = BTreeMap::new();
    for (name, p) in params {
        let kinds = usize::from(!p.one_of.is_empty())
            + usize::from(p.range.is_some())
            + usize::from(p.suffix.is_some());
        if kinds != 1 {
            return Err(format!(
                "params.{name}: give exactly one of one_of, range, suffix"
            ));
        }
        let pick = rng.below(p.one_of.len() as u64) as usize;
        let v = if let Some(v) = p.one_of.get(pick) {
            v.clone()
        } else if let Some((lo, hi)) = p.range {
            if hi < lo {
                return Err(format!("params.{name}: range [{lo}, {hi}] is empty"));
            }
            (lo + rng.below((hi - lo + 1) as u64) as i64).to_string()
        } else {
            rng.k8s_suffix(p.suffix.unwrap_or(5))
        };
        out.insert(name.clone(), v);
    }
    Ok(out)
}

/// Replaces `{{name}}` in a string; an unknown name is an error naming it
/// (the grader's own names are left for the grader).
pub fn substitute(s: &str, values: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(mut start) = rest.find("{{") {
        // `{{{key}}` is a literal brace before a parameter (`{spray: x}`).
        while rest[start + 2..].starts_with('{') {
            start += 1;
        }
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = after[..end].trim();
        if let Some(v) = values.get(name) {
            out.push_str(v);
        } else if GRADER_NAMES.contains(&name) {
            out.push_str(&rest[start..start + 2 + end + 2]);
        } else {
            return Err(format!("unknown parameter {{{{{name}}}}}"));
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Substitutes inside every string of a YAML tree; errors name the spot.
pub fn substitute_tree(
    v: &mut Value,
    values: &BTreeMap<String, String>,
    spot: &str,
) -> Result<(), String> {
    match v {
        Value::String(s) => {
            *s = substitute(s, values).map_err(|e| format!("{spot}: {e}"))?;
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                substitute_tree(item, values, &format!("{spot}[{i}]"))?;
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                let spot = if spot.is_empty() {
                    k.clone()
                } else {
                    format!("{spot}.{k}")
                };
                substitute_tree(item, values, &spot)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn substitution_fills_known_names_keeps_grader_names_and_rejects_others() {
        let values = BTreeMap::from([("ns".to_string(), "dev".to_string())]);
        assert_eq!(
            substitute("in {{ns}}: {{ actual }}", &values).unwrap(),
            "in dev: {{ actual }}"
        );
        assert_eq!(
            substitute("taint {{{ns}}: x}", &values).unwrap(),
            "taint {dev: x}"
        );
        assert_eq!(
            substitute("{{nss}}", &values).unwrap_err(),
            "unknown parameter {{nss}}"
        );
    }

    #[test]
    fn draws_are_deterministic_and_within_bounds() {
        let params: BTreeMap<String, Param> = serde_json::from_value(serde_json::json!({
            "n": {"range": [2, 4]}, "img": {"one_of": ["a", "b"]}, "s": {"suffix": 4}
        }))
        .unwrap();
        let a = draw("x", &params, 7).unwrap();
        assert_eq!(a, draw("x", &params, 7).unwrap());
        let n: i64 = a["n"].parse().unwrap();
        assert!((2..=4).contains(&n));
        assert_eq!(a["s"].len(), 4);
        let seen: std::collections::BTreeSet<String> = (0..20)
            .map(|s| draw("x", &params, s).unwrap()["n"].clone())
            .collect();
        assert_eq!(seen.len(), 3, "every value of the range is drawn: {seen:?}");
    }
}
