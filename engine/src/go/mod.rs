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

/// A string as Go's encoding/json writes it (Go 1.22 on, which kubectl
/// v1.33 is built with): quotes, backslashes and control characters
/// escaped (`\b`, `\f`, `\n`, `\r`, `\t` by name, the rest as `\u00XX`),
/// and the HTML characters `<`, `>`, `&` and U+2028/U+2029 as `\u` escapes.
pub fn json_string(t: &str, s: &mut String) {
    s.push('"');
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\u{8}' => s.push_str("\\b"),
            '\u{c}' => s.push_str("\\f"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                s.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_string_escapes_as_go_encoding_json_does() {
        let mut s = String::new();
        super::json_string("\u{8}\u{c}<\u{1}\"\\é\u{2028}", &mut s);
        assert_eq!(s, "\"\\b\\f\\u003c\\u0001\\\"\\\\é\\u2028\"");
    }

    #[test]
    fn quote_escapes_as_strconv_quote_does() {
        assert_eq!(super::quote("a \"b\"\\\n\t\u{1}"), r#""a \"b\"\\\n\t\x01""#);
    }
}
