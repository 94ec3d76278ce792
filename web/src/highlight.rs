//! YAML syntax colours for the editor: a small line tokenizer, no parser.
//! Each line becomes spans that cover it exactly (so the coloured layer
//! drawn behind the text area lines up with the text character for
//! character); the only state carried from line to line is a block scalar
//! (`|`, `>`) and a quoted string left open. Plain scalars are typed as
//! go-yaml v2 (kubectl's YAML library) resolves them: `yes` and `on` are
//! booleans there, so they are coloured as such.

/// What a span of a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// Indentation, spaces, anything without a colour.
    Plain,
    /// A mapping key (`name` in `name: web`).
    Key,
    /// A string: quoted, plain, or a block scalar's lines.
    Str,
    /// An integer or a float.
    Num,
    /// `true`/`false` (and go-yaml v2's `yes`/`no`/`on`/`off`), `null`, `~`.
    Literal,
    Comment,
    /// A block sequence's `- `.
    Dash,
    /// `---` and `...`.
    Document,
    /// `:`, flow brackets and commas, block scalar indicators.
    Punct,
}

impl Token {
    /// The CSS class the editor gives the span (none for plain text).
    pub fn class(self) -> Option<&'static str> {
        Some(match self {
            Token::Plain => return None,
            Token::Key => "tok-key",
            Token::Str => "tok-str",
            Token::Num => "tok-num",
            Token::Literal => "tok-lit",
            Token::Comment => "tok-comment",
            Token::Dash => "tok-dash",
            Token::Document => "tok-doc",
            Token::Punct => "tok-punct",
        })
    }
}

/// What a line leaves open for the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Nothing,
    /// A block scalar whose parent node sits at this column: its content
    /// is every following line indented deeper (and blank lines).
    Block(usize),
    /// A quoted string not yet closed (`"` or `'`).
    Quote(char),
}

/// The spans of every line of `text` (split at `\n`).
pub fn highlight(text: &str) -> Vec<Vec<(Token, &str)>> {
    let mut open = Open::Nothing;
    text.split('\n')
        .map(|line| {
            let mut spans = Vec::new();
            open = tokenize_line(line, open, &mut spans);
            spans
        })
        .collect()
}

fn tokenize_line<'a>(line: &'a str, open: Open, out: &mut Vec<(Token, &'a str)>) -> Open {
    let indent = line.len() - line.trim_start_matches(' ').len();
    match open {
        Open::Block(parent) if line.trim().is_empty() || indent > parent => {
            push(out, Token::Str, line);
            return open;
        }
        Open::Quote(q) => {
            let Some(end) = quote_end(line, 0, q) else {
                push(out, Token::Str, line);
                return open;
            };
            push(out, Token::Str, &line[..end]);
            return after_scalar(line, end, out);
        }
        _ => {}
    }
    // `---` / `...` start a document (or end one).
    if (line.starts_with("---") || line.starts_with("..."))
        && line[3..].chars().next().is_none_or(char::is_whitespace)
    {
        push(out, Token::Document, &line[..3]);
        return value(line, 3, 0, out);
    }
    push(out, Token::Plain, &line[..indent]);
    let mut at = indent;
    // `- ` (nested: `- - `): each dash is a node of its own column.
    let mut node = indent;
    while line[at..].starts_with('-') && line[at + 1..].chars().next().is_none_or(|c| c == ' ') {
        push(out, Token::Dash, &line[at..at + 1]);
        node = at;
        let spaces = line[at + 1..].len() - line[at + 1..].trim_start_matches(' ').len();
        push(out, Token::Plain, &line[at + 1..at + 1 + spaces]);
        at += 1 + spaces;
    }
    if line[at..].starts_with('#') {
        push(out, Token::Comment, &line[at..]);
        return Open::Nothing;
    }
    if let Some(colon) = key_end(line, at) {
        push(out, Token::Key, &line[at..colon]);
        push(out, Token::Punct, &line[colon..colon + 1]);
        return value(line, colon + 1, at, out);
    }
    value(line, at, node, out)
}

/// The byte index of the `:` ending a key that starts at `at`, if the
/// line is `key: value` (or `key:`).
fn key_end(line: &str, at: usize) -> Option<usize> {
    let rest = &line[at..];
    let first = rest.chars().next()?;
    if matches!(
        first,
        '[' | '{' | '|' | '>' | '&' | '*' | '!' | '%' | '@' | '`'
    ) {
        return None;
    }
    let after = if first == '"' || first == '\'' {
        let end = quote_end(line, at + 1, first)?;
        let spaces = line[end..].len() - line[end..].trim_start_matches(' ').len();
        end + spaces
    } else {
        // A plain key ends at the first `: ` (or `:` at the end), before any comment.
        let mut prev = ' ';
        let mut found = None;
        for (i, c) in rest.char_indices() {
            if c == '#' && prev == ' ' {
                return None;
            }
            if c == ':' && rest[i + 1..].chars().next().is_none_or(|n| n == ' ') {
                found = Some(at + i);
                break;
            }
            prev = c;
        }
        return found;
    };
    (line[after..].starts_with(':') && line[after + 1..].chars().next().is_none_or(|n| n == ' '))
        .then_some(after)
}

/// The byte index just past the quote closing a string whose text starts
/// at `from` (`None`: it stays open past the line). `\"` escapes in
/// double quotes, `''` in single quotes.
fn quote_end(line: &str, from: usize, q: char) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if q == '"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == q as u8 {
            if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// A node's value from `at` to the end of the line; `node` is the column
/// of the key or dash it belongs to (a block scalar's content is indented
/// deeper than it).
fn value<'a>(line: &'a str, at: usize, node: usize, out: &mut Vec<(Token, &'a str)>) -> Open {
    let rest = &line[at..];
    let spaces = rest.len() - rest.trim_start().len();
    push(out, Token::Plain, &rest[..spaces]);
    let at = at + spaces;
    let rest = &line[at..];
    let Some(first) = rest.chars().next() else {
        return Open::Nothing;
    };
    match first {
        '#' => {
            push(out, Token::Comment, rest);
            Open::Nothing
        }
        '"' | '\'' => {
            let Some(end) = quote_end(line, at + 1, first) else {
                push(out, Token::Str, rest);
                return Open::Quote(first);
            };
            push(out, Token::Str, &line[at..end]);
            after_scalar(line, end, out)
        }
        '|' | '>' => {
            // The indicator with its chomping/indentation marks (`|-`, `>+`, `|2`).
            let len = 1 + rest[1..]
                .chars()
                .take_while(|c| matches!(c, '-' | '+' | '0'..='9'))
                .count();
            push(out, Token::Punct, &rest[..len]);
            after_scalar(line, at + len, out);
            Open::Block(node)
        }
        '[' | '{' => {
            flow(line, at, out);
            Open::Nothing
        }
        _ => {
            let end = plain_end(line, at);
            let scalar = line[at..end].trim_end();
            push(out, scalar_token(scalar), scalar);
            after_scalar(line, at + scalar.len(), out)
        }
    }
}

/// Where a plain scalar starting at `at` ends: at a ` #` comment or the line's end.
fn plain_end(line: &str, at: usize) -> usize {
    line[at..].find(" #").map_or(line.len(), |i| at + i)
}

/// Spaces and a comment after a scalar; anything else is left plain.
fn after_scalar<'a>(line: &'a str, at: usize, out: &mut Vec<(Token, &'a str)>) -> Open {
    let rest = &line[at..];
    let spaces = rest.len() - rest.trim_start().len();
    push(out, Token::Plain, &rest[..spaces]);
    let rest = &rest[spaces..];
    if rest.starts_with('#') && spaces > 0 {
        push(out, Token::Comment, rest);
    } else {
        push(out, Token::Plain, rest);
    }
    Open::Nothing
}

/// A flow collection on one line (`[a, b]`, `{cpu: 100m}`, `{}`):
/// brackets and commas are punctuation, scalars are typed, keys are keys.
fn flow<'a>(line: &'a str, from: usize, out: &mut Vec<(Token, &'a str)>) {
    let mut at = from;
    while at < line.len() {
        let rest = &line[at..];
        let Some(c) = rest.chars().next() else { break };
        if matches!(c, '[' | ']' | '{' | '}' | ',' | ':') {
            push(out, Token::Punct, &rest[..1]);
            at += 1;
        } else if c == ' ' {
            let n = rest.len() - rest.trim_start_matches(' ').len();
            push(out, Token::Plain, &rest[..n]);
            at += n;
        } else if c == '#' && line[..at].ends_with(' ') {
            push(out, Token::Comment, rest);
            break;
        } else if c == '"' || c == '\'' {
            let end = quote_end(line, at + 1, c).unwrap_or(line.len());
            let token = if line[end..].trim_start().starts_with(':') {
                Token::Key
            } else {
                Token::Str
            };
            push(out, token, &line[at..end]);
            at = end;
        } else {
            // A plain scalar ends at a flow indicator or at `: `.
            let mut end = line.len();
            for (i, ch) in rest.char_indices() {
                let next = rest[i + ch.len_utf8()..].chars().next();
                if matches!(ch, ',' | '[' | ']' | '{' | '}')
                    || (ch == ':' && next.is_none_or(|n| matches!(n, ' ' | ',' | ']' | '}')))
                {
                    end = at + i;
                    break;
                }
            }
            let scalar = line[at..end].trim_end();
            if scalar.is_empty() {
                // Cannot happen (the scalar starts with a non-space), but
                // never loop forever on a surprise.
                push(out, Token::Plain, rest);
                break;
            }
            let token = if line[at + scalar.len()..].trim_start().starts_with(':') {
                Token::Key
            } else {
                scalar_token(scalar)
            };
            push(out, token, scalar);
            at += scalar.len();
        }
    }
}

/// How go-yaml v2 resolves a plain scalar: null, bool, number or string.
fn scalar_token(s: &str) -> Token {
    const LITERALS: &[&str] = &[
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y",
        "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    ];
    if LITERALS.contains(&s) {
        Token::Literal
    } else if is_number(s) {
        Token::Num
    } else {
        Token::Str
    }
}

/// Integers (decimal, `0x`, `0o`), floats (`1.5`, `.5`, `1e3`) and `.inf`/`.nan`.
fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| matches!(c, '0'..='7'));
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| d.chars().all(|c| c.is_ascii_digit() || c == '_');
    let has_digits = int.chars().any(|c| c.is_ascii_digit())
        || frac.is_some_and(|f| f.chars().any(|c| c.is_ascii_digit()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    has_digits && digits(int) && frac.is_none_or(digits) && exponent_ok
}

fn push<'a>(out: &mut Vec<(Token, &'a str)>, token: Token, text: &'a str) {
    if !text.is_empty() {
        out.push((token, text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The coloured spans of each line as `class:text`, plain ones left out.
    fn coloured(text: &str) -> Vec<String> {
        highlight(text)
            .iter()
            .map(|spans| {
                spans
                    .iter()
                    .filter_map(|(t, s)| {
                        Some(format!("{}:{s}", t.class()?.trim_start_matches("tok-")))
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn a_kubectl_edit_file() {
        let text = "\
# Please edit the object below.
apiVersion: apps/v1
kind: Deployment
metadata:
  generation: 1
  labels:
    app: web
spec:
  replicas: 3
  paused: false
  template:
    spec:
      containers:
      - image: nginx:1.27 # the new one
        name: nginx
        resources: {}
      terminationGracePeriodSeconds: 30
status:
  availableReplicas: 0.5
  observedGeneration: null
";
        let expected = [
            "comment:# Please edit the object below.",
            "key:apiVersion punct:: str:apps/v1",
            "key:kind punct:: str:Deployment",
            "key:metadata punct::",
            "key:generation punct:: num:1",
            "key:labels punct::",
            "key:app punct:: str:web",
            "key:spec punct::",
            "key:replicas punct:: num:3",
            "key:paused punct:: lit:false",
            "key:template punct::",
            "key:spec punct::",
            "key:containers punct::",
            "dash:- key:image punct:: str:nginx:1.27 comment:# the new one",
            "key:name punct:: str:nginx",
            "key:resources punct:: punct:{ punct:}",
            "key:terminationGracePeriodSeconds punct:: num:30",
            "key:status punct::",
            "key:availableReplicas punct:: num:0.5",
            "key:observedGeneration punct:: lit:null",
            "",
        ];
        assert_eq!(coloured(text), expected);
    }

    #[test]
    fn documents_strings_and_lists() {
        let text = "\
---
a: \"quoted: not a key\" # note
'b c': 'it''s'
- - x
-
- \"two
  lines\" # end
url: http://x:80/#top
...";
        let expected = [
            "doc:---",
            "key:a punct:: str:\"quoted: not a key\" comment:# note",
            "key:'b c' punct:: str:'it''s'",
            "dash:- dash:- str:x",
            "dash:-",
            "dash:- str:\"two",
            "str:  lines\" comment:# end",
            "key:url punct:: str:http://x:80/#top",
            "doc:...",
        ];
        assert_eq!(coloured(text), expected);
    }

    #[test]
    fn block_scalars_hold_their_lines() {
        let text = "\
metadata:
  annotations:
    note: |-
      key: not a key
      - not a dash

      # not a comment
    other: 1
- run: >
    echo hi
  then: yes";
        let expected = [
            "key:metadata punct::",
            "key:annotations punct::",
            "key:note punct:: punct:|-",
            "str:      key: not a key",
            "str:      - not a dash",
            "",
            "str:      # not a comment",
            "key:other punct:: num:1",
            "dash:- key:run punct:: punct:>",
            "str:    echo hi",
            "key:then punct:: lit:yes",
        ];
        assert_eq!(coloured(text), expected);
    }

    #[test]
    fn flow_collections() {
        assert_eq!(
            coloured("args: [\"sleep\", 3600, true]\nlimits: {cpu: 100m, memory: 1Gi}"),
            [
                "key:args punct:: punct:[ str:\"sleep\" punct:, num:3600 punct:, lit:true punct:]",
                "key:limits punct:: punct:{ key:cpu punct:: str:100m punct:, key:memory punct:: str:1Gi punct:}",
            ]
        );
    }

    #[test]
    fn scalars_resolve_as_go_yaml_v2_does() {
        for n in [
            "0", "-3", "+7", "1.5", ".5", "1e3", "2.5E-2", "0x1F", "0o17", ".inf", "-.Inf", ".nan",
            "1_000",
        ] {
            assert_eq!(scalar_token(n), Token::Num, "{n}");
        }
        for l in ["~", "null", "True", "off", "No", "y"] {
            assert_eq!(scalar_token(l), Token::Literal, "{l}");
        }
        for s in [
            "100m",
            "1Gi",
            "1.2.3",
            "e3",
            ".",
            "-",
            "0x",
            "nginx:1.27",
            "10.0.0.1",
            "Truee",
        ] {
            assert_eq!(scalar_token(s), Token::Str, "{s}");
        }
    }

    #[test]
    fn spans_cover_every_line_exactly() {
        // Odd input never loses, repeats or reorders a character (the layer
        // behind the text area would drift), and never panics.
        let odd = [
            "",
            " ",
            "-",
            "--",
            "---x",
            "- -",
            "a:b",
            "a :",
            ": a",
            "\"open",
            "'",
            "k: \"a\\\"",
            "k: [a, {b: [c]}",
            "k: {",
            "]",
            "#",
            " #x",
            "a: b#c",
            "é: ü # ö",
            "- é:",
            "k: |9+",
            "k: 'x''",
            "\t- tab",
            "k:\tv",
            "[a]: b",
            "? complex",
            "k: &anchor v",
            "k: *ref",
            "k: !!str 1",
            "日本: 語",
        ];
        for line in odd {
            for prefix in ["", "k: |\n", "k: \"\n"] {
                let text = format!("{prefix}{line}");
                let joined: Vec<String> = highlight(&text)
                    .iter()
                    .map(|spans| spans.iter().map(|(_, s)| *s).collect())
                    .collect();
                assert_eq!(joined.join("\n"), text, "{text:?}");
            }
        }
    }
}
