//! Go's formatting where our output must read as the Go programs' does.

pub mod tabwriter;

/// Go's `%q` of a string (`strconv.Quote`) for printable ASCII and the
/// common escapes; other characters are kept as they are.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quote_escapes_as_strconv_quote_does() {
        assert_eq!(super::quote("a \"b\"\\\n\t\u{1}"), r#""a \"b\"\\\n\t\x01""#);
    }
}
