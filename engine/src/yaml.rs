//! The one place the engine touches a YAML library. serde_yaml is archived
//! upstream; keeping every call here makes a maintained fork a one-line swap.
//!
//! Objects inside the engine are `serde_json::Value`s (the apiserver's wire
//! form); YAML is only a surface for input and `-o yaml` output.

use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, Weak};

/// A YAML document that did not parse, with go-yaml's message (`line 8:
/// mapping values are not allowed in this context`), as kubectl shows it
/// after `yaml: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError(pub String);

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits a multi-document YAML (or JSON) stream into values. Empty documents
/// (`---` with nothing after) are skipped, as kubectl's decoder does.
///
/// Like apimachinery's `YAMLReader`, the stream is cut at `---` lines first
/// and each document parsed on its own, so an error's line number counts
/// from the start of its document, as kubectl's does.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, YamlError> {
    let mut out = Vec::new();
    for chunk in split_documents(text) {
        for doc in serde_yaml::Deserializer::from_str(&chunk) {
            let v = serde_yaml::Value::deserialize_any(doc)?;
            if v.is_null() {
                continue;
            }
            out.push(yaml_to_json(v)?);
        }
    }
    Ok(out)
}

/// The documents of a stream, cut where a line starts with `---` followed
/// by nothing but blanks or a comment.
fn split_documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        let rest = line.strip_prefix("---").map(str::trim);
        if rest.is_some_and(|r| r.is_empty() || r.starts_with('#')) {
            docs.push(String::new());
            continue;
        }
        if let Some(d) = docs.last_mut() {
            d.push_str(line);
        }
    }
    docs.retain(|d| !d.trim().is_empty());
    docs
}

/// libyaml's parser (not scanner) problems: go-yaml reports their line
/// zero-based, a quirk kubectl users see (`yaml: line 6: did not find
/// expected key` for a mistake on the seventh line).
const PARSER_PROBLEMS: [&str; 10] = [
    "did not find expected <document start>",
    "did not find expected node content",
    "did not find expected '-' indicator",
    "did not find expected key",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found duplicate %YAML directive",
    "found incompatible YAML document",
    "found duplicate %TAG directive",
    "found undefined tag handle",
];

/// go-yaml's text for a libyaml error (`line N: problem`, go-yaml's `fail`):
/// the problem's line if it is not the first, else the context's, the
/// scanner's one-based and the parser's zero-based. serde_yaml's own text
/// is `problem at line L column C[, context at line L2 column C2]`.
fn go_yaml_message(serde_text: &str) -> String {
    fn line_after(s: &str) -> Option<usize> {
        let rest = &s[s.find(" at line ")? + " at line ".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }
    let (head, context) = match serde_text.find(", while ") {
        Some(i) => (&serde_text[..i], Some(&serde_text[i + 2..])),
        None => (serde_text, None),
    };
    let problem = head
        .find(" at line ")
        .or_else(|| head.find(" at position "))
        .map_or(head, |i| &head[..i]);
    // Marks are printed one-based; go-yaml compares the zero-based line.
    let problem_line = line_after(head).map(|l| l - 1).unwrap_or(0);
    let context_line = context
        .map(|c| line_after(c).map_or(problem_line, |l| l - 1))
        .unwrap_or(0);
    let scanner = !PARSER_PROBLEMS.contains(&problem);
    let line = if problem_line != 0 {
        problem_line + usize::from(scanner)
    } else {
        context_line
    };
    if line == 0 {
        problem.to_string()
    } else {
        format!("line {line}: {problem}")
    }
}

trait DeserializeAny: Sized {
    fn deserialize_any(d: serde_yaml::Deserializer<'_>) -> Result<Self, YamlError>;
}

impl DeserializeAny for serde_yaml::Value {
    fn deserialize_any(d: serde_yaml::Deserializer<'_>) -> Result<Self, YamlError> {
        use serde::Deserialize;
        serde_yaml::Value::deserialize(d).map_err(|e| YamlError(go_yaml_message(&e.to_string())))
    }
}

fn yaml_to_json(v: serde_yaml::Value) -> Result<Value, YamlError> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(
            seq.into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(m) => {
            let mut obj = serde_json::Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Bool(b) => b.to_string(),
                    Y::Number(n) => n.to_string(),
                    Y::Null => "null".to_string(),
                    other => return Err(YamlError(format!("invalid map key: {other:?}"))),
                };
                obj.insert(key, yaml_to_json(v)?);
            }
            Value::Object(obj)
        }
        Y::Tagged(t) => yaml_to_json(t.value)?,
    })
}

/// Renders a value as kubectl's `-o yaml` does (sigs.k8s.io/yaml: block style,
/// two-space indent, sequences not indented under their key).
pub fn to_string(v: &Value) -> String {
    let mut e = emit::Emitter::new(0);
    e.value_at_top(v);
    e.out
}

/// The `v1 List` kubectl prints for several objects (`kubectl get pods -o
/// yaml`), exactly as [`to_string`] renders `{"apiVersion": "v1", "items":
/// items, "kind": "List", "metadata": {"resourceVersion": ""}}`, written from
/// the borrowed objects instead of a copy of them all.
pub fn list_to_string(items: &[&Value]) -> String {
    let mut e = emit::Emitter::new(0);
    // A pod is some 3 KB of YAML: one allocation up front instead of a
    // dozen doublings (each a copy of everything written so far).
    e.out = list_head(items.len(), items.len().saturating_mul(3072));
    for v in items {
        e.item(v, 0, false);
    }
    list_tail(e.out)
}

thread_local! {
    /// The text of each item of the last List written by
    /// [`list_to_string_shared`], by the address of the object it was
    /// written from, with a `Weak` to that object. A pure memo: while the
    /// `Weak` is held the address cannot be given to another object, and
    /// an `Arc`'s value cannot be changed in place (`Arc::get_mut` and
    /// `make_mut` refuse or move it while a `Weak` exists), so the same
    /// address with a live object is the same bytes. The entries are
    /// boxed so that the map shares `BTreeMap`'s code with the other maps
    /// of pointers by number (issue 11: the bundle's size).
    static SHARED_ITEMS: RefCell<BTreeMap<usize, SharedItem>> =
        const { RefCell::new(BTreeMap::new()) };
}

/// An item's text with a `Weak` to the object it was written from (see
/// `SHARED_ITEMS`).
type SharedItem = Box<(Weak<Value>, String)>;

/// [`list_to_string`] of objects shared with the apiserver's watch cache,
/// where they stay unchanged until replaced: an item is written again
/// only when its object is a new one (as the real apiserver's watch cache
/// serializes an object once for all its watchers, `cachingObject`; kubectl
/// itself writes every time). The memo keeps the items of this List only.
pub fn list_to_string_shared(items: &[&Arc<Value>]) -> String {
    let mut previous = SHARED_ITEMS.with(|m| std::mem::take(&mut *m.borrow_mut()));
    let mut e = emit::Emitter::new(0);
    let texts: Vec<String> = items
        .iter()
        .map(|v| match previous.remove(&(Arc::as_ptr(v) as usize)) {
            Some(entry) if std::ptr::eq(entry.0.as_ptr(), Arc::as_ptr(v)) => entry.1,
            _ => {
                e.item(v, 0, false);
                let capacity = e.out.len() + e.out.len() / 4;
                std::mem::replace(&mut e.out, String::with_capacity(capacity))
            }
        })
        .collect();
    drop(previous);
    // The exact size: no copy of megabytes when a guess falls short.
    let mut out = list_head(items.len(), texts.iter().map(String::len).sum());
    let mut kept = BTreeMap::new();
    for (v, text) in items.iter().zip(texts) {
        out.push_str(&text);
        kept.insert(Arc::as_ptr(v) as usize, Box::new((Arc::downgrade(v), text)));
    }
    SHARED_ITEMS.with(|m| *m.borrow_mut() = kept);
    list_tail(out)
}

/// A `v1 List`'s text before its `len` items, in a string with room for
/// `items_size` bytes of them and the rest.
fn list_head(len: usize, items_size: usize) -> String {
    let mut out = String::with_capacity(items_size.saturating_add(64));
    out.push_str("apiVersion: v1\n");
    out.push_str(if len == 0 { "items: []\n" } else { "items:\n" });
    out
}

fn list_tail(mut out: String) -> String {
    out.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    out
}

mod emit {
    //! A small emitter matching go-yaml v2's style, which kubectl uses;
    //! serde_yaml's own emitter indents sequences and quotes differently.
    //!
    //! `kubectl get -o yaml` runs through here for every object listed, so
    //! the common case — a short plain string, a mapping's keys — costs one
    //! scan of its bytes and no allocation: a mapping's entries are sorted
    //! on a stack shared by the whole document, and each entry's key is
    //! looked at once, for both its order and its quoting.
    use serde_json::Value;
    use std::borrow::Cow;
    use std::cmp::Ordering;

    pub struct Emitter<'v> {
        pub out: String,
        /// The entries of the mappings being written, innermost last.
        entries: Vec<Entry<'v>>,
    }

    /// A mapping entry, with what its key's bytes say about it.
    #[derive(Clone, Copy)]
    struct Entry<'v> {
        key: &'v str,
        value: &'v Value,
        /// The key's first eight bytes, big-endian, zero-padded; when they
        /// are all letters ([`Entry::letters`]) and two keys' prefixes
        /// differ, [`key_order`] is the prefixes' order: the first
        /// difference is between two letters, or one key ends there.
        prefix: u64,
        letters: bool,
        /// Written as it is (no quotes).
        plain: bool,
    }

    impl<'v> Entry<'v> {
        fn new(key: &'v str, value: &'v Value) -> Self {
            let b = key.as_bytes();
            let mut prefix = 0u64;
            let mut letters = !b.is_empty();
            let mut all = WORD;
            for (i, &c) in b.iter().enumerate() {
                let k = class(c);
                all &= k;
                if i < 8 {
                    letters &= k & LETTER != 0;
                    prefix |= u64::from(c) << (56 - 8 * i);
                }
            }
            let plain = all & WORD != 0
                && b.first().is_some_and(|&c| class(c) & LETTER != 0)
                && !is_resolved_word(key);
            Entry {
                key,
                value,
                prefix,
                letters,
                plain,
            }
        }

        fn order(&self, other: &Self) -> Ordering {
            if self.letters && other.letters && self.prefix != other.prefix {
                self.prefix.cmp(&other.prefix)
            } else {
                key_order(self.key, other.key)
            }
        }
    }

    impl<'v> Emitter<'v> {
        pub fn new(capacity: usize) -> Self {
            Emitter {
                out: String::with_capacity(capacity),
                entries: Vec::new(),
            }
        }

        pub fn value_at_top(&mut self, v: &'v Value) {
            match v {
                Value::Object(m) if !m.is_empty() => self.mapping(m, 0, false),
                Value::Array(a) if !a.is_empty() => self.sequence(a, 0, false),
                other => {
                    self.scalar(other, 0);
                    self.out.push('\n');
                }
            }
        }

        /// A block mapping at `indent`; `after_dash`: its first key goes
        /// on the line a sequence's dash started.
        fn mapping(
            &mut self,
            m: &'v serde_json::Map<String, Value>,
            indent: usize,
            after_dash: bool,
        ) {
            let start = self.entries.len();
            self.entries.extend(m.iter().map(|(k, v)| Entry::new(k, v)));
            if let Some(mine) = self.entries.get_mut(start..) {
                sort(mine);
            }
            let end = self.entries.len();
            for i in start..end {
                let Some(&e) = self.entries.get(i) else {
                    break;
                };
                if i > start || !after_dash {
                    pad(indent, &mut self.out);
                }
                if e.plain {
                    self.out.push_str(e.key);
                } else {
                    self.flow(e.key, 0, false);
                }
                self.child(e.value, indent);
            }
            self.entries.truncate(start);
        }

        /// A block sequence at `indent`; `after_dash`: its first dash goes
        /// on the line an outer sequence's dash started (`- - a`).
        fn sequence(&mut self, a: &'v [Value], indent: usize, after_dash: bool) {
            for (i, v) in a.iter().enumerate() {
                self.item(v, indent, after_dash && i == 0);
            }
        }

        /// One entry of a block sequence: the dash at `indent` (or where
        /// `out` ends, `after_dash`), then the value.
        pub fn item(&mut self, v: &'v Value, indent: usize, after_dash: bool) {
            if !after_dash {
                pad(indent, &mut self.out);
            }
            match v {
                Value::Object(m) if !m.is_empty() => {
                    // First key on the dash line, the rest aligned under it.
                    self.out.push_str("- ");
                    self.mapping(m, indent + 2, true);
                }
                Value::Array(inner) if !inner.is_empty() => {
                    self.out.push_str("- ");
                    self.sequence(inner, indent + 2, true);
                }
                other => {
                    self.out.push_str("- ");
                    self.scalar(other, indent + 2);
                    self.out.push('\n');
                }
            }
        }

        /// A mapping's value, after its key.
        fn child(&mut self, v: &'v Value, indent: usize) {
            match v {
                Value::Object(m) if !m.is_empty() => {
                    self.out.push_str(":\n");
                    self.mapping(m, indent + 2, false);
                }
                Value::Array(a) if !a.is_empty() => {
                    self.out.push_str(":\n");
                    self.sequence(a, indent, false);
                }
                other => {
                    self.out.push_str(": ");
                    self.scalar(other, indent + 2);
                    self.out.push('\n');
                }
            }
        }

        /// A scalar, written where `out` ends; `indent` is where its
        /// continuation lines (a literal block's, or a long string's folded
        /// ones) start.
        fn scalar(&mut self, v: &Value, indent: usize) {
            let out = &mut self.out;
            match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => {
                    if let Some(i) = n.as_u64() {
                        push_u64(i, out);
                    } else if let Some(i) = n.as_i64() {
                        out.push('-');
                        push_u64(i.unsigned_abs(), out);
                    } else {
                        use std::fmt::Write;
                        let _ = write!(out, "{n}");
                    }
                }
                Value::String(s) => {
                    if is_word(s) && !is_resolved_word(s) {
                        // Plain, and no space to fold at.
                        out.push_str(s);
                    } else {
                        self.flow(s, indent, true);
                    }
                }
                Value::Object(_) => out.push_str("{}"),
                Value::Array(_) => out.push_str("[]"),
            }
        }

        /// A string in the style go-yaml chooses for it; a value (`fold`)
        /// is folded as go-yaml v2 folds long lines, a key never is.
        fn flow(&mut self, s: &str, indent: usize, fold: bool) {
            let style = style(s);
            let out = &mut self.out;
            match style {
                Style::Literal => literal(s, indent, out),
                // Nowhere to break: no space (the common case), written
                // without a copy.
                _ if !fold || !s.contains(' ') => match style {
                    Style::Plain => out.push_str(s),
                    Style::Single => single_quoted(s, out),
                    Style::Double | Style::Literal => double_quoted(s, out),
                },
                _ => {
                    let mut text = String::with_capacity(s.len() + 2);
                    match style {
                        Style::Plain => text.push_str(s),
                        Style::Single => single_quoted(s, &mut text),
                        Style::Double | Style::Literal => double_quoted(s, &mut text),
                    }
                    folded(&text, style, indent, out);
                }
            }
        }
    }

    /// `entries` in go-yaml's key order. Small mappings (nearly all of an
    /// object's) are sorted by insertion in place.
    #[allow(clippy::indexing_slicing)] // 0 < j <= i < entries.len()
    fn sort(entries: &mut [Entry<'_>]) {
        if entries.len() <= 16 {
            for i in 1..entries.len() {
                let mut j = i;
                while j > 0 && entries[j - 1].order(&entries[j]).is_gt() {
                    entries.swap(j - 1, j);
                    j -= 1;
                }
            }
        } else {
            crate::sort::sort_by(entries, |a, b| a.order(b));
        }
    }

    /// `n` in decimal, as Go's strconv (and serde_json) write it.
    fn push_u64(mut n: u64, out: &mut String) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            start -= 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in digits.get(start..).unwrap_or_default() {
            out.push(char::from(d));
        }
    }

    /// The column the next character written to `out` lands in.
    fn column(out: &str) -> usize {
        let line = out.rsplit('\n').next().unwrap_or("");
        if line.is_ascii() {
            line.len()
        } else {
            line.chars().count()
        }
    }

    fn pad(n: usize, out: &mut String) {
        const SPACES: &str = "                                ";
        let mut n = n;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.push_str(SPACES.get(..k).unwrap_or_default());
            n -= k;
        }
    }

    /// The style go-yaml chooses for a string.
    fn style(s: &str) -> Style {
        if is_word(s) {
            return if is_resolved_word(s) {
                Style::Double
            } else {
                Style::Plain
            };
        }
        if resolves_to_non_string(s) {
            return Style::Double;
        }
        // One pass over the bytes: a control character (other than a line
        // break) or a byte-order mark forces double quotes.
        let (mut newline, mut special, mut wide) = (false, false, false);
        for &b in s.as_bytes() {
            match b {
                b'\n' => newline = true,
                0..=0x1f | 0x7f => special = true,
                0x80.. => wide = true,
                _ => {}
            }
        }
        if wide && !special {
            // C1 controls and the byte-order mark are multi-byte.
            special = s.chars().any(|c| c != '\n' && is_special(c));
        }
        if newline {
            // A space before a line break or at the end cannot be in a
            // literal block (libyaml's `space_break`, `trailing_space`).
            if special || s.ends_with(' ') || s.contains(" \n") {
                return Style::Double;
            }
            return Style::Literal;
        }
        if special {
            return Style::Double;
        }
        if plain_not_allowed(s) {
            return Style::Single;
        }
        Style::Plain
    }

    /// A literal block, as go-yaml writes multi-line strings.
    fn literal(s: &str, indent: usize, out: &mut String) {
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") {
            "+"
        } else {
            ""
        };
        out.push('|');
        if s.starts_with([' ', '\n']) {
            // The indentation indicator: the first line alone would not
            // tell it (libyaml's best_indent, 2).
            out.push('2');
        }
        out.push_str(chomp);
        let body = if chomp == "+" {
            s.strip_suffix('\n').unwrap_or(s)
        } else {
            s.trim_end_matches('\n')
        };
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                pad(indent, out);
                out.push_str(line);
            }
        }
    }

    fn single_quoted(s: &str, out: &mut String) {
        out.push('\'');
        for (i, part) in s.split('\'').enumerate() {
            if i > 0 {
                out.push_str("''");
            }
            out.push_str(part);
        }
        out.push('\'');
    }

    /// Past this column go-yaml v2 breaks a long flow scalar at its next
    /// space (`best_width`; kubectl does not change it).
    const BEST_WIDTH: usize = 80;

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Style {
        Plain,
        Single,
        Double,
        Literal,
    }

    /// A string value written in `style` (`text`, quotes included), as
    /// go-yaml v2 writes it in block context, appended to `out`: the
    /// emitter's line folding — at a space (not the first or last
    /// character, not followed by another space, except in double quotes
    /// where the break is escaped) once the line is past column 80, the
    /// rest going on an indented line.
    fn folded(text: &str, style: Style, indent: usize, out: &mut String) {
        let quote = match style {
            Style::Plain => "",
            Style::Single => "'",
            Style::Double | Style::Literal => "\"",
        };
        // Inside the quotes.
        let body = text
            .get(quote.len()..text.len() - quote.len())
            .unwrap_or_default();
        // Nowhere to break: the line ends before a break would be allowed
        // (a string's bytes are at least its characters).
        let column = column(out);
        if column + quote.len() + body.len() <= BEST_WIDTH
            || column + quote.len() + body.chars().count() <= BEST_WIDTH
        {
            out.push_str(text);
            return;
        }
        let chars: Vec<char> = body.chars().collect();
        out.push_str(quote);
        let mut col = column + quote.len();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c != ' ' {
                out.push(c);
                col += 1;
                spaces = false;
                continue;
            }
            let next_space = chars.get(i + 1) == Some(&' ');
            let inner = i > 0 && i + 1 < chars.len();
            let may_break = !spaces
                && col > BEST_WIDTH
                && match style {
                    Style::Plain => !next_space,
                    Style::Single => inner && !next_space,
                    Style::Double | Style::Literal => inner,
                };
            if may_break {
                out.push('\n');
                pad(indent, out);
                col = indent;
                if style == Style::Double && next_space {
                    out.push('\\');
                    col += 1;
                }
            } else {
                out.push(' ');
                col += 1;
            }
            spaces = true;
        }
        out.push_str(quote);
    }

    /// A character go-yaml's emitter will not write as it is (libyaml's
    /// `is_printable`, line feed aside): controls, the byte-order mark,
    /// U+FFFE/U+FFFF, and anything past U+FFFF (an emoji).
    fn is_special(c: char) -> bool {
        !matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}') || c == '\u{feff}'
    }

    /// A double-quoted scalar as go-yaml writes it: `"` and `\\` escaped,
    /// line breaks and the characters [`is_special`] names as YAML's
    /// escapes (`\\0`, `\\a`, `\\e`, `\\xXX`, `\\uXXXX`, `\\UXXXXXXXX`, hex in
    /// capitals), everything else as it is. go-yaml's byte-order-mark test
    /// looks at the string's first bytes wherever it is in the string, so
    /// after a leading byte-order mark every character is escaped.
    fn double_quoted(s: &str, out: &mut String) {
        out.push('"');
        if !s
            .bytes()
            .any(|b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b))
        {
            // Nothing to escape (timestamps, numbers as strings).
            out.push_str(s);
            out.push('"');
            return;
        }
        let bom = s.starts_with('\u{feff}');
        for c in s.chars() {
            let escape = match c {
                '\0' => "\\0",
                '\x07' => "\\a",
                '\x08' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\x0b' => "\\v",
                '\x0c' => "\\f",
                '\r' => "\\r",
                '\x1b' => "\\e",
                '"' => "\\\"",
                '\\' => "\\\\",
                '\u{85}' => "\\N",
                '\u{2028}' => "\\L",
                '\u{2029}' => "\\P",
                _ if bom || is_special(c) => "",
                _ => {
                    out.push(c);
                    continue;
                }
            };
            if !escape.is_empty() {
                out.push_str(escape);
                continue;
            }
            let (prefix, width) = match u32::from(c) {
                0..=0xff => ('x', 2),
                0x100..=0xffff => ('u', 4),
                _ => ('U', 8),
            };
            out.push('\\');
            out.push(prefix);
            for i in (0..width).rev() {
                let digit = (u32::from(c) >> (4 * i)) & 0xf;
                out.push(char::from_digit(digit, 16).map_or('0', |d| d.to_ascii_uppercase()));
            }
        }
        out.push('"');
    }

    /// A string of the commonest shape — a letter, then letters, digits and
    /// `-._/` (keys, names, images, reasons) —, which go-yaml writes plain
    /// unless it is one of the [`RESOLVED`] words: no character in it asks
    /// for quotes, and it has no space to fold at.
    fn is_word(s: &str) -> bool {
        let b = s.as_bytes();
        b.first().is_some_and(|&c| class(c) & LETTER != 0)
            && b.iter().all(|&c| class(c) & WORD != 0)
    }

    /// Classes of bytes, as bits of [`CLASSES`]: a table lookup, where
    /// `u8::is_ascii_alphanumeric` and a `matches!` are calls and branches
    /// in the size-optimized build.
    const LETTER: u8 = 1;
    const WORD: u8 = 2;
    /// The first byte of one of the [`RESOLVED`] words.
    const RESOLVED_FIRST: u8 = 4;

    #[allow(clippy::indexing_slicing)] // evaluated at compile time; bytes < 256, i < 39
    const CLASSES: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            if b.is_ascii_alphabetic() {
                t[c] |= LETTER;
            }
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'/') {
                t[c] |= WORD;
            }
            c += 1;
        }
        let mut i = 0;
        while i < RESOLVED.len() {
            if let [first, ..] = RESOLVED[i].as_bytes() {
                t[*first as usize] |= RESOLVED_FIRST;
            }
            i += 1;
        }
        t
    };

    #[allow(clippy::indexing_slicing)] // a byte indexes a table of 256
    fn class(c: u8) -> u8 {
        CLASSES[usize::from(c)]
    }

    fn is_resolved_word(s: &str) -> bool {
        s.len() <= 5
            && s.as_bytes()
                .first()
                .is_none_or(|&c| class(c) & RESOLVED_FIRST != 0)
            && RESOLVED_WORDS.contains(&pack(s.as_bytes()))
    }

    /// go-yaml's emitter analysis: indicators that stop a string from being
    /// written plain in block context (it is then single-quoted). Bytes,
    /// not characters: every indicator is ASCII, and a multi-byte
    /// character's bytes are never one.
    fn plain_not_allowed(s: &str) -> bool {
        let b = s.as_bytes();
        let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
            return true;
        };
        if first == b' ' || last == b' ' {
            return true;
        }
        let blank_after = |i: usize| matches!(b.get(i + 1), None | Some(b' ' | b'\n'));
        // A document marker's start (libyaml's analysis looks at the first
        // three bytes only).
        if b.starts_with(b"---") || b.starts_with(b"...") {
            return true;
        }
        match first {
            b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' => return true,
            b'?' | b':' | b'-' if blank_after(0) => return true,
            _ => {}
        }
        b.iter().enumerate().skip(1).any(|(i, &c)| match c {
            b':' => blank_after(i),
            b'#' => b.get(i - 1) == Some(&b' '),
            _ => false,
        })
    }

    /// The plain words YAML 1.1 reads as a bool, a null, an infinity or a
    /// NaN, none longer than five bytes. (Not the merge key `<<`: go-yaml's
    /// resolver looks words up only after a first character it has a hint
    /// for, and `<` is not one.)
    const RESOLVED: [&str; 39] = [
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
        ".NaN", ".NAN",
    ];

    /// [`RESOLVED`] as numbers, so that telling whether a key or a short
    /// value is one of them takes integer comparisons, not forty string
    /// comparisons (every key of every object printed asks).
    #[allow(clippy::indexing_slicing)] // evaluated at compile time; i < 39
    const RESOLVED_WORDS: [u64; 39] = {
        let mut out = [0; 39];
        let mut i = 0;
        while i < RESOLVED.len() {
            out[i] = pack(RESOLVED[i].as_bytes());
            i += 1;
        }
        out
    };

    /// Up to seven bytes and their count in one number (distinct strings of
    /// that length give distinct numbers).
    #[allow(clippy::indexing_slicing)] // i < b.len()
    const fn pack(b: &[u8]) -> u64 {
        let mut x = b.len() as u64;
        let mut i = 0;
        while i < b.len() {
            x = (x << 8) | b[i] as u64;
            i += 1;
        }
        x
    }

    /// Whether YAML 1.1 (go-yaml v2's resolver) would read the plain string
    /// as a bool, null, number or timestamp; such strings are double-quoted.
    fn resolves_to_non_string(s: &str) -> bool {
        if is_resolved_word(s) {
            return true;
        }
        let first = s.as_bytes().first().copied().unwrap_or(b' ');
        if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
            return false;
        }
        let plain: Cow<'_, str> = if s.contains('_') {
            Cow::Owned(s.chars().filter(|c| *c != '_').collect())
        } else {
            Cow::Borrowed(s)
        };
        is_go_int(&plain) || is_yaml_float(&plain) || is_timestamp(s) || is_base60_float(s)
    }

    /// go-yaml v2's `isBase60Float` (`1:20`, `-190:20:30.15`): YAML 1.1
    /// sexagesimal numbers, which its encoder double-quotes although its
    /// own resolver reads them as strings.
    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    fn is_base60_float(s: &str) -> bool {
        let b = s.as_bytes();
        let b = b
            .strip_prefix(b"-")
            .or_else(|| b.strip_prefix(b"+"))
            .unwrap_or(b);
        let [first, rest @ ..] = b else {
            return false;
        };
        if !first.is_ascii_digit() || !rest.contains(&b':') {
            return false;
        }
        let mut rest = rest;
        while let [c, tail @ ..] = rest {
            if !(c.is_ascii_digit() || *c == b'_') {
                break;
            }
            rest = tail;
        }
        let mut groups = 0;
        while let [b':', tail @ ..] = rest {
            // `[0-5]?[0-9]`, greedily: after two digits only `:`, `.` or
            // the end may follow, so one digit would not do better.
            rest = match tail {
                [b'0'..=b'5', b'0'..=b'9', more @ ..] => more,
                [b'0'..=b'9', more @ ..] => more,
                _ => return false,
            };
            groups += 1;
        }
        let fraction_ok = match rest {
            [] => true,
            [b'.', digits @ ..] => digits.iter().all(|c| c.is_ascii_digit() || *c == b'_'),
            _ => false,
        };
        groups > 0 && fraction_ok
    }

    /// strconv.ParseInt(s, 0, 64) syntax: optional sign, then 0x/0o/0b/0-octal or decimal.
    fn is_go_int(s: &str) -> bool {
        let t = s.strip_prefix(['+', '-']).unwrap_or(s);
        let (digits, radix) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"))
        {
            (h, 16)
        } else if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
            (b, 2)
        } else if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
            (o, 8)
        } else if t.len() > 1 && t.starts_with('0') {
            (&t[1..], 8)
        } else {
            (t, 10)
        };
        !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    fn is_yaml_float(s: &str) -> bool {
        let t = s.strip_prefix(['+', '-']).unwrap_or(s);
        let (mantissa, exp) = match t.bytes().position(|b| b == b'e' || b == b'E') {
            Some(i) => (&t[..i], Some(&t[i + 1..])),
            None => (t, None),
        };
        let mantissa_ok = match mantissa.split_once('.') {
            Some(("", frac)) => !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit()),
            Some((int, frac)) => {
                !int.is_empty()
                    && int.chars().all(|c| c.is_ascii_digit())
                    && frac.chars().all(|c| c.is_ascii_digit())
            }
            None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
        };
        let exp_ok = exp.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        });
        mantissa_ok && exp_ok
    }

    /// go-yaml v2's `parseTimestamp`: four digits and a dash, then Go's
    /// `time.Parse` with one of `2006-1-2T15:4:5.999999999Z07:00` (`T` or
    /// `t`), `2006-1-2 15:4:5.999999999` or `2006-1-2` — ranges checked
    /// as Go checks them (month, the month's days, hour, minute, second,
    /// zone offset).
    fn is_timestamp(s: &str) -> bool {
        let b = s.as_bytes();
        let [y0, y1, y2, y3, b'-', rest @ ..] = b else {
            return false;
        };
        let year = [y0, y1, y2, y3].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(**c - b'0'))
        });
        let Some(year) = year else {
            return false;
        };
        let Some((month, rest)) = go_getnum(rest) else {
            return false;
        };
        let Some((day, rest)) = rest.strip_prefix(b"-").and_then(go_getnum) else {
            return false;
        };
        if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
            return false;
        }
        match rest {
            [] => true,
            [b'T' | b't', time @ ..] => time_of_day(time).is_some_and(|zone| match zone {
                [b'Z'] => true,
                [b'+' | b'-', h0, h1, b':', m0, m1] => {
                    let two = |a: u8, b: u8| {
                        (a.is_ascii_digit() && b.is_ascii_digit())
                            .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
                    };
                    two(*h0, *h1).is_some_and(|h| h <= 24) && two(*m0, *m1).is_some_and(|m| m <= 60)
                }
                _ => false,
            }),
            // A space in a layout matches any number of spaces (Go's `skip`).
            [b' ', ..] => {
                let time = rest
                    .iter()
                    .position(|c| *c != b' ')
                    .and_then(|i| rest.get(i..));
                time.and_then(time_of_day).is_some_and(<[u8]>::is_empty)
            }
            _ => false,
        }
    }

    /// Go's `getnum(s, false)`: one or two digits.
    fn go_getnum(s: &[u8]) -> Option<(u32, &[u8])> {
        match s {
            [a, b, rest @ ..] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some((u32::from(a - b'0') * 10 + u32::from(b - b'0'), rest))
            }
            [a, rest @ ..] if a.is_ascii_digit() => Some((u32::from(a - b'0'), rest)),
            _ => None,
        }
    }

    /// `15:4:5.999999999`: the hour, minute and second in range and an
    /// optional fraction (`.` or `,`, then digits); what follows it.
    fn time_of_day(s: &[u8]) -> Option<&[u8]> {
        let (hour, rest) = go_getnum(s)?;
        let (minute, rest) = go_getnum(rest.strip_prefix(b":")?)?;
        let (second, rest) = go_getnum(rest.strip_prefix(b":")?)?;
        if hour >= 24 || minute >= 60 || second >= 60 {
            return None;
        }
        Some(match rest {
            [b'.' | b',', d, more @ ..] if d.is_ascii_digit() => {
                let digits = more.iter().take_while(|c| c.is_ascii_digit()).count();
                more.get(digits..)?
            }
            _ => rest,
        })
    }

    fn days_in(month: u32, year: u32) -> u32 {
        match month {
            2 if year.is_multiple_of(4)
                && (!year.is_multiple_of(100) || year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// go-yaml v2 sorts map keys with a "natural" order: runs of digits
    /// compare as numbers, and non-letters sort before letters.
    pub fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
        // Keys are nearly always ASCII: compare the bytes as characters
        // without collecting them (the emitter sorts every mapping). The
        // bytes give the characters' order when the first difference is
        // between ASCII characters: the equal prefix before it is the same
        // characters in both, and the digit runs the comparison reads
        // around it are ASCII.
        let same = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        match (a.as_bytes().get(same), b.as_bytes().get(same)) {
            // One is a prefix of the other (or they are equal).
            (None, _) | (_, None) => return a.len().cmp(&b.len()),
            // Two letters: no digit run to read, the letters decide.
            (Some(x), Some(y)) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
                return x.cmp(y)
            }
            _ => {}
        }
        let ascii_at = |s: &str| s.as_bytes().get(same).is_none_or(u8::is_ascii);
        if ascii_at(a) && ascii_at(b) {
            return natural_order(a.as_bytes(), b.as_bytes(), |c| (*c as char).is_alphabetic());
        }
        let ar: Vec<char> = a.chars().collect();
        let br: Vec<char> = b.chars().collect();
        natural_order(&ar, &br, |c| c.is_alphabetic())
    }

    /// [`key_order`] over the characters of both keys (bytes when ASCII).
    #[allow(clippy::indexing_slicing)] // i < both lengths, ai/bi and j checked by their loops
    fn natural_order<C: Copy + Ord + Into<char>>(
        ar: &[C],
        br: &[C],
        alphabetic: impl Fn(&C) -> bool,
    ) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let ch = |c: C| -> char { c.into() };
        let digit = |c: C| -> Option<i64> { ch(c).to_digit(10).map(i64::from) };
        let mut i = 0;
        while i < ar.len() && i < br.len() {
            if ar[i] == br[i] {
                i += 1;
                continue;
            }
            let (al, bl) = (alphabetic(&ar[i]), alphabetic(&br[i]));
            if al && bl {
                return ar[i].cmp(&br[i]);
            }
            if al || bl {
                return if bl {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            let (mut an, mut bn) = (0i64, 0i64);
            if ch(ar[i]) == '0' || ch(br[i]) == '0' {
                let mut j = i;
                while j > 0 && ch(ar[j - 1]).is_ascii_digit() {
                    j -= 1;
                    if ch(ar[j]) != '0' {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            let mut ai = i;
            while let Some(d) = ar.get(ai).and_then(|c| digit(*c)) {
                an = an.saturating_mul(10).saturating_add(d);
                ai += 1;
            }
            let mut bi = i;
            while let Some(d) = br.get(bi).and_then(|c| digit(*c)) {
                bn = bn.saturating_mul(10).saturating_add(d);
                bi += 1;
            }
            if an != bn {
                return an.cmp(&bn);
            }
            if ai != bi {
                return ai.cmp(&bi);
            }
            return ar[i].cmp(&br[i]);
        }
        ar.len().cmp(&br.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn list_is_the_list_object_rendered() {
        let items = [
            serde_json::json!({"metadata": {"name": "a"}, "spec": {"x": [1, {"b": "c"}], "z": ""}}),
            serde_json::json!({"b": [[1]], "a": "a long line with spaces that goes past the eightieth column of the line, and then folds"}),
        ];
        for n in 0..=items.len() {
            let refs: Vec<&Value> = items.iter().take(n).collect();
            let list = serde_json::json!({"apiVersion": "v1", "items": items[..n], "kind": "List", "metadata": {"resourceVersion": ""}});
            assert_eq!(list_to_string(&refs), to_string(&list));
        }
    }

    /// The memo of [`list_to_string_shared`] never shows an older text:
    /// an object replaced (a new `Arc`), dropped, or listed in another
    /// order is written as [`list_to_string`] writes it.
    #[test]
    fn shared_list_is_the_list() {
        let pod = |name: &str, phase: &str| {
            Arc::new(serde_json::json!({"metadata": {"name": name}, "status": {"phase": phase}}))
        };
        let check = |items: &[&Arc<Value>]| {
            let plain: Vec<&Value> = items.iter().map(|a| &***a).collect();
            assert_eq!(list_to_string_shared(items), list_to_string(&plain));
        };
        let (a, b) = (pod("a", "Pending"), pod("b", "Pending"));
        check(&[&a, &b]);
        check(&[&a, &b]);
        check(&[&b, &a, &b]);
        // `b` changes: the watch cache holds a new object.
        let b = pod("b", "Running");
        check(&[&a, &b]);
        // Objects dropped and new ones made, perhaps where they were.
        drop((a, b));
        let fresh: Vec<Arc<Value>> = (0..64).map(|i| pod(&format!("p{i}"), "Failed")).collect();
        check(&fresh.iter().collect::<Vec<_>>());
        check(&[]);
        check(&fresh.iter().rev().collect::<Vec<_>>());
    }

    #[test]
    fn multi_document_stream() {
        let docs = parse_documents("a: 1\n---\n---\nb: [x, 'y']\n").unwrap_or_default();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["b"][1], "y");
        assert!(parse_documents("a: [").is_err());
    }

    /// go-yaml v2 folds long strings past column 80 at a space; the
    /// expected text is kubectl 1.33's own (`create configmap
    /// --dry-run=client -o yaml`, `create job … -- sh -c …`).
    #[test]
    fn long_strings_fold_as_kubectl_prints_them() {
        let xs = "x".repeat(90);
        let ks = format!("{} a  b   c {} d", "x".repeat(60), "y".repeat(30));
        let cm = serde_json::json!({"data": {
            "message": "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu",
            "q": "'[{\"type\":\"AbleToScale\",\"status\":\"True\",\"message\":\"the HPA controller was able to get the target's current scale\"}]",
            "t": "a\tb c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d",
            "p": "plain words that go on and on and on and on and on and on and on and on and on and on and on",
            "pp": "- starts with dash and then many words go on and on and on and on and on and on and on",
            "long": format!("{xs} a b"),
            "k": ks,
        },
        "command": ["sh", "-c", "while true; do echo hello from the busybox container that runs forever; sleep 10; done and more words here"]});
        expect![[r#"
            command:
            - sh
            - -c
            - while true; do echo hello from the busybox container that runs forever; sleep 10;
              done and more words here
            data:
              k: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx a  b   c yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
                d
              long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
                a b
              message: 'the HPA was unable to compute the replica count: failed to get cpu utilization:
                unable to get metrics for resource cpu'
              p: plain words that go on and on and on and on and on and on and on and on and on
                and on and on
              pp: '- starts with dash and then many words go on and on and on and on and on and
                on and on'
              q: '''[{"type":"AbleToScale","status":"True","message":"the HPA controller was able
                to get the target''s current scale"}]'
              t: "a\tb c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l
                m n o p q r s t u v w x y z a b c d"
        "#]]
        .assert_eq(&to_string(&cm));
    }

    /// Strings as kubectl 1.33 writes them: each expected text is what
    /// `kubectl create configmap x --from-file=k=FILE --dry-run=client -o
    /// yaml` printed after `k: ` with the string in FILE (sigs.k8s.io/yaml,
    /// the path `-o yaml` takes). Not here: U+0085, U+2028 and U+2029,
    /// which kubectl's JSON-to-YAML step folds before its emitter sees
    /// them, and U+007F-U+009F, which it refuses to print.
    #[test]
    fn scalars_quote_as_kubectl_prints_them() {
        let cases: &[(&str, &str)] = &[
            ("yes", "\"yes\""),
            ("no", "\"no\""),
            ("on", "\"on\""),
            ("off", "\"off\""),
            ("y", "\"y\""),
            ("n", "\"n\""),
            ("Y", "\"Y\""),
            ("N", "\"N\""),
            ("~", "\"~\""),
            ("null", "\"null\""),
            ("Null", "\"Null\""),
            ("NULL", "\"NULL\""),
            ("true", "\"true\""),
            ("True", "\"True\""),
            ("TRUE", "\"TRUE\""),
            ("false", "\"false\""),
            ("FALSE", "\"FALSE\""),
            ("", "\"\""),
            ("0", "\"0\""),
            ("012", "\"012\""),
            ("0x1F", "\"0x1F\""),
            ("0o17", "\"0o17\""),
            ("0b101", "\"0b101\""),
            ("1_000", "\"1_000\""),
            ("1e3", "\"1e3\""),
            ("1E3", "\"1E3\""),
            ("1.5", "\"1.5\""),
            ("-1.5", "\"-1.5\""),
            (".5", "\".5\""),
            ("5.", "\"5.\""),
            ("+1", "\"+1\""),
            ("-0", "\"-0\""),
            ("1:2", "\"1:2\""),
            ("1:20:30", "\"1:20:30\""),
            ("190:20:30.15", "\"190:20:30.15\""),
            ("-1:2", "\"-1:2\""),
            ("1:60", "1:60"),
            ("12:5x", "12:5x"),
            (".inf", "\".inf\""),
            (".NaN", "\".NaN\""),
            ("-.inf", "\"-.inf\""),
            ("+.INF", "\"+.INF\""),
            (".nan", "\".nan\""),
            ("inf", "inf"),
            ("nan", "nan"),
            ("NaN", "NaN"),
            ("Infinity", "Infinity"),
            ("2001-12-14", "\"2001-12-14\""),
            (
                "2001-12-14t21:59:43.10-05:00",
                "\"2001-12-14t21:59:43.10-05:00\"",
            ),
            ("2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"),
            ("2002-1-2", "\"2002-1-2\""),
            ("2002-01-02T", "2002-01-02T"),
            ("20021-01-02", "20021-01-02"),
            ("2001-12-14x", "2001-12-14x"),
            ("a:b", "a:b"),
            ("a: b", "'a: b'"),
            ("a:", "'a:'"),
            ("a :b", "a :b"),
            (":a", ":a"),
            (": a", "': a'"),
            ("-a", "-a"),
            ("- a", "'- a'"),
            ("-", "'-'"),
            ("--", "--"),
            ("---", "'---'"),
            ("?", "'?'"),
            ("? a", "'? a'"),
            ("?a", "?a"),
            ("#a", "'#a'"),
            ("a#b", "a#b"),
            ("a #b", "'a #b'"),
            ("a# b", "a# b"),
            ("[a]", "'[a]'"),
            ("{a}", "'{a}'"),
            ("a,b", "a,b"),
            (",a", "',a'"),
            ("&a", "'&a'"),
            ("*a", "'*a'"),
            ("!a", "'!a'"),
            ("|a", "'|a'"),
            (">a", "'>a'"),
            ("'a", "'''a'"),
            ("\"a", "'\"a'"),
            ("%a", "'%a'"),
            ("@a", "'@a'"),
            ("`a", "'`a'"),
            ("a'b", "a'b"),
            ("a\"b", "a\"b"),
            ("a\\b", "a\\b"),
            (" a", "' a'"),
            ("a ", "'a '"),
            (" ", "' '"),
            ("  ", "'  '"),
            ("a  b", "a  b"),
            ("\ta", "\"\\ta\""),
            ("a\tb", "\"a\\tb\""),
            ("a\n", "|\n    a"),
            ("a\nb", "|-\n    a\n    b"),
            ("a\nb\n", "|\n    a\n    b"),
            ("a\nb\n\n", "|+\n    a\n    b\n"),
            ("\na", "|2-\n\n    a"),
            ("a\n\n", "|+\n    a\n"),
            (" a\nb", "|2-\n     a\n    b"),
            ("a \nb", "\"a \\nb\""),
            ("a\n b", "|-\n    a\n     b"),
            ("a\r\nb", "\"a\\r\\nb\""),
            ("a\rb", "\"a\\rb\""),
            ("é", "é"),
            ("café", "café"),
            ("あい", "あい"),
            ("\u{1f600}", "\"\\U0001F600\""),
            ("\u{a0}a", "\u{a0}a"),
            ("a\u{a0}", "a\u{a0}"),
            ("\u{feff}a", "\"\\uFEFF\\x61\""),
            ("\u{200b}", "\u{200b}"),
            ("<<", "<<"),
            ("=", "="),
            ("a=b", "a=b"),
            ("a|b", "a|b"),
            ("a>b", "a>b"),
            ("...", "'...'"),
            ("a...", "a..."),
            ("....", "'....'"),
            (".", "."),
            ("/", "/"),
            ("//", "//"),
            ("a/b", "a/b"),
            ("a-b", "a-b"),
            ("1a", "1a"),
            ("1-2", "1-2"),
            ("1.2.3", "1.2.3"),
            ("1.2.3.4", "1.2.3.4"),
            ("0.0.0.0", "0.0.0.0"),
            ("10.0.0.1", "10.0.0.1"),
            (
                "123456789012345678901234567890",
                "\"123456789012345678901234567890\"",
            ),
            ("-", "'-'"),
            ("+", "+"),
            ("+-1", "+-1"),
            ("0x", "0x"),
            ("0xG", "0xG"),
            ("08", "\"08\""),
            ("09", "\"09\""),
            ("0_1", "\"0_1\""),
            ("1__0", "\"1__0\""),
            ("_1", "_1"),
            ("1_", "\"1_\""),
            ("+.5", "\"+.5\""),
            ("-.5", "\"-.5\""),
            ("1.e5", "\"1.e5\""),
            ("1e", "1e"),
            ("e5", "e5"),
            ("3.14e-2", "\"3.14e-2\""),
            ("6.8523015e+5", "\"6.8523015e+5\""),
            ("685.230_15e+03", "\"685.230_15e+03\""),
            ("685_230.15", "\"685_230.15\""),
            ("0.", "\"0.\""),
            ("+0.", "\"+0.\""),
            ("1.0e+10", "\"1.0e+10\""),
            ("key:value with: colon", "'key:value with: colon'"),
            ("http://example.com:80/path", "http://example.com:80/path"),
            ("C:\\path", "C:\\path"),
            ("*", "'*'"),
            ("& a", "'& a'"),
            ("a&", "a&"),
            ("!", "'!'"),
            ("%", "'%'"),
            ("@", "'@'"),
            ("`", "'`'"),
            ("|", "'|'"),
            (">", "'>'"),
            ("'", "''''"),
            ("\"", "'\"'"),
            ("{", "'{'"),
            ("}", "'}'"),
            ("[", "'['"),
            ("]", "']'"),
            (",", "','"),
            ("#", "'#'"),
            ("true ", "'true '"),
            (" true", "' true'"),
            ("1 ", "'1 '"),
            ("a\u{0}b", "\"a\\0b\""),
            ("a\u{7}", "\"a\\a\""),
            ("\u{ad}", "\u{ad}"),
        ];
        for (s, want) in cases {
            let got = to_string(&serde_json::json!({ "data": { "k": s } }));
            assert_eq!(got, format!("data:\n  k: {want}\n"), "{s:?}");
        }
    }

    /// go-yaml v2's key order as kubectl 1.33 printed it for these keys
    /// (digit runs by value, shorter runs first when equal, non-letters
    /// before letters). With keys that start with digits its order is not
    /// transitive and kubectl's output changes from run to run (its keys
    /// come out of a Go map), so none are here.
    #[test]
    fn keys_sort_as_kubectl_sorts_them() {
        let keys = [
            "x9", "x10", "x09", "x1", "x01", "x001", "y0", "y00", "y0a", "y", "a-b", "a.b", "a_b",
            "aB", "ab", "Ab", "B10", "B9", "b",
        ];
        let map: serde_json::Map<String, Value> = keys
            .iter()
            .map(|k| (k.to_string(), Value::from(1)))
            .collect();
        let got = to_string(&Value::Object(map));
        let want = "Ab B9 B10 a-b a.b a_b aB ab b x1 x01 x001 x9 x09 x10 \"y\" y0 y00 y0a";
        let got: Vec<&str> = got.lines().filter_map(|l| l.strip_suffix(": 1")).collect();
        assert_eq!(got.join(" "), want);
    }

    /// Expected texts: kubectl 1.33's `label --local -f FILE x=y -o yaml`
    /// of the same object.
    #[test]
    fn nested_sequences_start_on_the_dash_line() {
        let v = serde_json::json!({"c": [[1, 2], [[3, {"a": 1, "b": [[4]]}], 5]], "d": {"e": [[{"f": 1, "g": 2}]]}});
        expect![[r#"
            c:
            - - 1
              - 2
            - - - 3
                - a: 1
                  b:
                  - - 4
              - 5
            d:
              e:
              - - f: 1
                  g: 2
        "#]]
        .assert_eq(&to_string(&v));
    }

    #[test]
    fn empty_maps_and_lists() {
        let v =
            serde_json::json!({"a": {}, "b": [], "c": [{}, [], [[]], {"d": []}], "e": {"f": {}}});
        expect![[r#"
            a: {}
            b: []
            c:
            - {}
            - []
            - - []
            - d: []
            e:
              f: {}
        "#]]
        .assert_eq(&to_string(&v));
        assert_eq!(to_string(&serde_json::json!({})), "{}\n");
        assert_eq!(to_string(&serde_json::json!([])), "[]\n");
    }

    #[test]
    fn emits_like_kubectl() {
        let v: Value = serde_json::from_str(
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"run":"web"},"name":"web","annotations":{}},
                "spec":{"containers":[{"image":"nginx","name":"web","args":["sleep","3600"],"resources":{}}],
                "nodeSelector":{"zone":"1"},"note":"line1\nline2\n","on":"true","empty":""}}"#,
        )
        .unwrap_or_default();
        expect![[r#"
            apiVersion: v1
            kind: Pod
            metadata:
              annotations: {}
              labels:
                run: web
              name: web
            spec:
              containers:
              - args:
                - sleep
                - "3600"
                image: nginx
                name: web
                resources: {}
              empty: ""
              nodeSelector:
                zone: "1"
              note: |
                line1
                line2
              "on": "true"
        "#]]
        .assert_eq(&to_string(&v));
    }
}

#[cfg(test)]
mod syntax_error_tests {
    use super::parse_documents;

    /// Each case's text is what kubectl 1.33 prints after `yaml: ` for the
    /// same file (`kubectl create -f f.yaml --dry-run=client`).
    #[test]
    fn errors_read_as_go_yaml_prints_them() {
        let cases = [
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    image: nginx\n     ports: 80\n",
                "line 9: mapping values are not allowed in this context",
            ),
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\n  labels\n    a: b\nspec: {}\n",
                "line 6: could not find expected ':'",
            ),
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  x: 1\n - a\n",
                "line 6: did not find expected key",
            ),
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"y\n",
                "line 5: found unexpected end of stream",
            ),
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: y\n",
                "line 4: found character that cannot start any token",
            ),
            // Lines count from the start of the failing document.
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: y\n  labels\n    a: b\nspec: {}\n",
                "line 6: could not find expected ':'",
            ),
        ];
        for (yaml, want) in cases {
            let got = parse_documents(yaml).map(|_| ()).map_err(|e| e.0);
            assert_eq!(got, Err(want.to_string()), "{yaml}");
        }
    }
}
