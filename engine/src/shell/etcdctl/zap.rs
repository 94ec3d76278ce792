//! The log lines etcdctl writes on stderr: zap's JSON encoder under etcd's
//! `logutil.DefaultZapLoggerConfig` (v3.5.21): `level`, `ts` (etcd's own
//! layout, `2006-01-02T15:04:05.000000Z0700`), the logger's name, the
//! short caller (`package/file.go:line`), `msg`, then the fields in the
//! order the call gives them. One encoder, so every line etcdctl prints
//! has the same shape and the same escaping.

use crate::clock::Time;

/// A field's value: zap encodes strings quoted and numbers bare.
pub enum Value<'a> {
    Str(&'a str),
    Uint(u64),
}

/// One log entry.
pub struct Entry<'a> {
    pub level: &'a str,
    pub ts: Time,
    /// The logger's name (`lg.Named("client")`), if it has one.
    pub logger: Option<&'a str>,
    pub caller: &'a str,
    pub msg: &'a str,
    pub fields: &'a [(&'a str, Value<'a>)],
}

impl Entry<'_> {
    /// The entry as zap writes it, with its newline.
    pub fn line(&self) -> String {
        let mut s = String::from("{\"level\":");
        string(&mut s, self.level);
        s.push_str(",\"ts\":");
        string(&mut s, &self.ts.rfc3339_micro());
        if let Some(logger) = self.logger {
            s.push_str(",\"logger\":");
            string(&mut s, logger);
        }
        s.push_str(",\"caller\":");
        string(&mut s, self.caller);
        s.push_str(",\"msg\":");
        string(&mut s, self.msg);
        for (key, value) in self.fields {
            s.push(',');
            string(&mut s, key);
            s.push(':');
            match value {
                Value::Str(v) => string(&mut s, v),
                Value::Uint(n) => s.push_str(&n.to_string()),
            }
        }
        s.push_str("}\n");
        s
    }
}

/// zap's `safeAddString`: quotes, backslashes and control characters
/// escaped (`\n`, `\r`, `\t` by name, the rest as `\u00XX`); everything
/// else, `<`, `>`, `&` and non-ASCII included, written as it is — unlike
/// Go's encoding/json.
fn string(s: &mut String, v: &str) {
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_zaps_key_order_and_escaping() {
        let e = Entry {
            level: "warn",
            ts: Time(1_745_396_134_250),
            logger: Some("etcd-client"),
            caller: "v3@v3.5.21/retry_interceptor.go:63",
            msg: "retrying of unary invoker failed",
            fields: &[
                ("attempt", Value::Uint(0)),
                ("error", Value::Str("desc = \"a\tb\u{1}\" <&>")),
            ],
        };
        assert_eq!(
            e.line(),
            "{\"level\":\"warn\",\"ts\":\"2025-04-23T08:15:34.250000Z\",\"logger\":\"etcd-client\",\"caller\":\"v3@v3.5.21/retry_interceptor.go:63\",\"msg\":\"retrying of unary invoker failed\",\"attempt\":0,\"error\":\"desc = \\\"a\\tb\\u0001\\\" <&>\"}\n"
        );
        let unnamed = Entry {
            logger: None,
            fields: &[],
            ..e
        };
        assert!(unnamed
            .line()
            .starts_with("{\"level\":\"warn\",\"ts\":\"2025-04-23T08:15:34.250000Z\",\"caller\":"));
    }
}
