//! The tables are the standard library's mappings, regenerated here from
//! it (`UPDATE_EXPECT=1` rewrites `tables.rs` when Rust's Unicode moves),
//! and every character maps as the standard library maps it.
#![allow(clippy::disallowed_methods)]

use super::*;

/// Every character, `char::MAX` included.
fn all_chars() -> impl Iterator<Item = char> {
    (0..=char::MAX as u32).filter_map(char::from_u32)
}

/// Runs of one-character mappings (see [`single`]) and the lines of
/// mappings to several characters.
fn runs(mapped: &[(char, String)]) -> (Vec<u64>, String) {
    let mut singles: Vec<(u32, i64)> = Vec::new();
    let mut multi = String::new();
    for (c, m) in mapped {
        let c = *c;
        let mut chars = m.chars();
        match (chars.next(), chars.next()) {
            (Some(one), None) if one == c => {}
            (Some(one), None) => {
                singles.push((c as u32, i64::from(one as u32) - i64::from(c as u32)))
            }
            _ => multi.push_str(&format!("{c}{m}\n")),
        }
    }
    let mut runs = Vec::new();
    let mut i = 0;
    while i < singles.len() {
        let (start, delta) = singles[i];
        let mut j = i + 1;
        let stride = match singles.get(j) {
            Some(&(next, d)) if d == delta && next - start == 2 => 2,
            _ => 1,
        };
        while j < singles.len()
            && singles[j].1 == delta
            && singles[j].0 == singles[j - 1].0 + stride
        {
            j += 1;
        }
        let len = (j - i) as u64;
        assert!(len < 1 << 10, "a run longer than its field");
        runs.push(
            u64::from(start)
                | len << 21
                | u64::from(stride == 2) << 31
                | u64::from(delta as i32 as u32) << 32,
        );
        i = j;
    }
    (runs, multi)
}

/// The lower case of the `Σ` in `text` (after `A`).
fn sigma_of(lower: &str) -> Option<char> {
    lower.chars().nth(1)
}

/// One pass over every character: each maps as the standard library maps
/// it, and so does Σ before it (after `AΣ`: a Case_Ignorable character is
/// skipped, then `A` makes Σ not final and the end of the text makes it
/// final; any other character decides by itself, Cased or not). Returns
/// the tables' source, from the standard library's mappings.
fn check_every_character() -> String {
    let (mut upper, mut lower) = (Vec::new(), Vec::new());
    let (mut ignorable, mut boundaries) = (false, vec![]);
    let (mut text, mut ours, mut one) = (String::new(), String::new(), [0; 4]);
    for c in all_chars() {
        let s: &str = c.encode_utf8(&mut one);
        let (std_upper, std_lower) = (s.to_uppercase(), s.to_lowercase());
        ours.clear();
        push_upper(&mut ours, c);
        assert_eq!(ours, std_upper, "{c:?}");
        assert_eq!(upper_first(s), std_upper, "{c:?}");
        assert_eq!(to_uppercase(s), std_upper, "{c:?}");
        assert_eq!(to_lowercase(s), std_lower, "{c:?}");
        if std_upper != s {
            upper.push((c, std_upper));
        }
        if std_lower != s {
            lower.push((c, std_lower));
        }
        let mut sigma = |format: &dyn Fn(&mut String)| {
            text.clear();
            format(&mut text);
            let std = text.to_lowercase();
            assert_eq!(to_lowercase(&text), std, "{text:?}");
            sigma_of(&std)
        };
        let then_a = sigma(&|t| t.push_str(&format!("AΣ{c}A")));
        let at_end = sigma(&|t| t.push_str(&format!("AΣ{c}")));
        let now = then_a == Some('σ') && at_end == Some('ς');
        if now != ignorable {
            boundaries.push(c as u32);
            ignorable = now;
        }
    }
    rust_source(&upper, &lower, &boundaries)
}

fn rust_source(upper: &[(char, String)], lower: &[(char, String)], boundaries: &[u32]) -> String {
    let (upper, upper_multi) = runs(upper);
    let (lower, lower_multi) = runs(lower);
    let mut ignorable = Vec::new();
    let mut last = 0;
    for &at in boundaries {
        let mut delta = at - last;
        loop {
            let b = (delta & 0x7F) as u8;
            delta >>= 7;
            ignorable.push(if delta > 0 { b | 0x80 } else { b });
            if delta == 0 {
                break;
            }
        }
        last = at;
    }
    let words = |runs: &[u64]| {
        runs.iter()
            .map(|r| format!("    {r:#018x},\n"))
            .collect::<String>()
    };
    let text = |s: &str| s.escape_default().to_string();
    let bytes = ignorable
        .iter()
        .map(|b| format!("\\x{b:02x}"))
        .collect::<String>();
    format!(
        "//! Generated from the standard library's case mappings by\n\
         //! `case::tests::tables_are_the_standard_librarys`; `UPDATE_EXPECT=1\n\
         //! cargo test -p dinghy-engine --lib case` rewrites it. See the module.\n\n\
         #[rustfmt::skip]\npub(super) const UPPER: &[u64] = &[\n{}];\n\n\
         #[rustfmt::skip]\npub(super) const UPPER_MULTI: &str = \"{}\";\n\n\
         #[rustfmt::skip]\npub(super) const LOWER: &[u64] = &[\n{}];\n\n\
         #[rustfmt::skip]\npub(super) const LOWER_MULTI: &str = \"{}\";\n\n\
         #[rustfmt::skip]\npub(super) const CASE_IGNORABLE: &[u8] = b\"{}\";\n",
        words(&upper),
        text(&upper_multi),
        words(&lower),
        text(&lower_multi),
        bytes
    )
}

/// Every character is checked, and the tables are what the standard
/// library's mappings make (in one pass: it is the slow test).
#[test]
fn tables_are_the_standard_librarys() {
    expect_test::expect_file!["tables.rs"].assert_eq(&check_every_character());
}

#[test]
fn words_and_sigma_in_context() {
    assert_eq!(upper_first("dnsPolicy"), "DnsPolicy");
    assert_eq!(upper_first("ßa"), "SSa");
    assert_eq!(upper_first(""), "");
    for text in [
        "ΣΑΣ",
        "Σ",
        "ΑΣ.",
        "ΑΣ'Α",
        "ὈΔΥΣΣΕΎΣ",
        "aΣ\u{0345}",
        "aΣ\u{0345}b",
        "'Σ",
        "ǅΣ",
        "ǅ'Σ ",
        "ΣΣ",
        "a\u{0300}Σ",
        "1Σ",
        "Σa",
        "İSTANBUL",
        "ﬀ ß ŉ",
    ] {
        assert_eq!(to_lowercase(text), text.to_lowercase(), "{text:?}");
        assert_eq!(to_uppercase(text), text.to_uppercase(), "{text:?}");
    }
}
