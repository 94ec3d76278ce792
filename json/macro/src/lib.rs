//! `json!` with serde_json's syntax, compiled to data (issue 11: the web
//! bundle's size). serde_json's own macro expands every key and every
//! literal of an object into code (a `String` allocation and a map insert
//! each, a few dozen bytes of wasm apiece); the engine writes about a
//! thousand of them. This macro writes the literal part of the value as one
//! template string, and only the interpolated expressions stay code:
//!
//! ```text
//! json!({"kind": "Node", "metadata": {"name": name}})
//! // becomes
//! ::serde_json::__template(concat!("{\u{1}", "kind", "\u{1}\u{1}", "Node", ...),
//!     &mut [::serde_json::__value(&(name))])
//! ```
//!
//! The template's grammar, read by `dinghy_json::__template` (and
//! `__literal` without interpolations, `__template_keys` with keys): `{` entries
//! `}` (an entry is a key then a value, no separators), `[` values `]`,
//! `\u{1}`text`\u{1}` a string, `\u{2}` the next interpolated value, `\u{3}`
//! (as a key) the next interpolated key, `n`/`t`/`f` null/true/false, `i`
//! digits `;` a non-negative integer. String literals go through `concat!`
//! untouched, so rustc unescapes them exactly as serde_json's macro would
//! see them.
//!
//! The values are identical to serde_json's macro's: the same `to_value` of
//! each expression, evaluated in the order written (keys that are
//! expressions, rare, are evaluated before the values), maps filled by
//! `insert` in the order written. Anything this macro does not recognise
//! (a string literal holding the template's own markers) goes to serde_json's
//! macro unchanged.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

#[proc_macro]
pub fn json(input: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let mut t = Template::default();
    match tokens.as_slice() {
        [TokenTree::Ident(i)] if i.to_string() == "null" => return path(&["Value", "Null"]),
        [TokenTree::Ident(i)] if i.to_string() == "true" || i.to_string() == "false" => {
            let mut out = path(&["Value", "Bool"]);
            out.extend([group(
                Delimiter::Parenthesis,
                TokenTree::Ident(i.clone()).into(),
            )]);
            return out;
        }
        _ => {}
    }
    if t.value(&tokens).is_err() {
        let mut out = path(&["__json_code"]);
        out.extend([
            TokenTree::Punct(Punct::new('!', Spacing::Alone)),
            group(Delimiter::Parenthesis, input),
        ]);
        return out;
    }
    // A lone expression: no template.
    if t.keys.is_empty()
        && t.vals.len() == 1
        && matches!(t.pieces.as_slice(), [Piece::Text(s)] if s == "\u{2}")
    {
        return t.vals.pop().unwrap_or_default();
    }
    t.emit()
}

enum Piece {
    Text(String),
    Lit(Literal),
}

#[derive(Default)]
struct Template {
    pieces: Vec<Piece>,
    keys: Vec<TokenStream>,
    vals: Vec<TokenStream>,
}

impl Template {
    fn text(&mut self, s: &str) {
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Text(s.to_string()));
        }
    }

    /// A string literal as template text, or `None` when it is not one the
    /// template can hold.
    fn string(&mut self, tokens: &[TokenTree]) -> Option<()> {
        let [TokenTree::Literal(l)] = tokens else {
            return None;
        };
        let s = l.to_string();
        let is_str = s.starts_with('"') || s.starts_with("r\"") || s.starts_with("r#");
        // Escapes that could write a marker fall back to an expression.
        let marker =
            s.contains(['\u{1}', '\u{2}', '\u{3}']) || s.contains("\\u{") || s.contains("\\x0");
        if !is_str || marker {
            return None;
        }
        self.text("\u{1}");
        self.pieces.push(Piece::Lit(l.clone()));
        self.text("\u{1}");
        Some(())
    }

    fn value(&mut self, tokens: &[TokenTree]) -> Result<(), ()> {
        match tokens {
            [] => return Err(()),
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
                return self.object(g.stream());
            }
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
                self.text("[");
                for v in split_commas(g.stream()) {
                    self.value(&v)?;
                }
                self.text("]");
                return Ok(());
            }
            [TokenTree::Ident(i)] => {
                let marker = match i.to_string().as_str() {
                    "null" => "n",
                    "true" => "t",
                    "false" => "f",
                    _ => "",
                };
                if !marker.is_empty() {
                    self.text(marker);
                    return Ok(());
                }
            }
            [TokenTree::Literal(l)] => {
                let s = l.to_string();
                if s.starts_with(|c: char| c.is_ascii_digit())
                    && s.bytes().all(|b| b.is_ascii_digit() || b == b'_')
                {
                    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                    if digits.parse::<u64>().is_ok() {
                        self.text(&format!("i{digits};"));
                        return Ok(());
                    }
                }
                if self.string(tokens).is_some() {
                    return Ok(());
                }
            }
            _ => {}
        }
        // An expression: serde_json's `to_value(&expr)`.
        let mut v = path(&["__value"]);
        let mut arg = TokenStream::new();
        arg.extend([TokenTree::Punct(Punct::new('&', Spacing::Alone))]);
        arg.extend([group(
            Delimiter::Parenthesis,
            tokens.iter().cloned().collect(),
        )]);
        v.extend([group(Delimiter::Parenthesis, arg)]);
        self.vals.push(v);
        self.text("\u{2}");
        Ok(())
    }

    fn object(&mut self, stream: TokenStream) -> Result<(), ()> {
        self.text("{");
        for entry in split_commas(stream) {
            // The first `:` that is not part of a `::`.
            let colon = entry.iter().enumerate().position(|(i, t)| {
                let TokenTree::Punct(p) = t else { return false };
                let after_joint_colon = i > 0
                    && matches!(entry.get(i - 1), Some(TokenTree::Punct(q)) if q.as_char() == ':' && q.spacing() == Spacing::Joint);
                p.as_char() == ':' && p.spacing() == Spacing::Alone && !after_joint_colon
            });
            let Some(colon) = colon else { return Err(()) };
            let (key, value) = entry.split_at(colon);
            let value = value.get(1..).unwrap_or_default();
            if key.is_empty() {
                return Err(());
            }
            if self.string(key).is_none() {
                // serde_json's `($key).into()`.
                let mut k = path(&["__key"]);
                // `(expr)`, as serde_json's macro asks computed keys to be
                // written, passes its inside (no doubled parentheses).
                let inner: TokenStream = match key {
                    [TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis => g.stream(),
                    _ => key.iter().cloned().collect(),
                };
                k.extend([group(Delimiter::Parenthesis, inner)]);
                self.keys.push(k);
                self.text("\u{3}");
            }
            self.value(value)?;
        }
        self.text("}");
        Ok(())
    }

    fn emit(self) -> TokenStream {
        let template: TokenStream = match self.pieces.as_slice() {
            [Piece::Text(s)] => TokenTree::Literal(Literal::string(s)).into(),
            pieces => {
                let mut args = TokenStream::new();
                for (i, p) in pieces.iter().enumerate() {
                    if i > 0 {
                        args.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
                    }
                    args.extend([TokenTree::Literal(match p {
                        Piece::Text(s) => Literal::string(s),
                        Piece::Lit(l) => l.clone(),
                    })]);
                }
                let mut c: TokenStream = [
                    TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                    TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                    TokenTree::Ident(Ident::new("core", Span::call_site())),
                    TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                    TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                    TokenTree::Ident(Ident::new("concat", Span::call_site())),
                    TokenTree::Punct(Punct::new('!', Spacing::Alone)),
                ]
                .into_iter()
                .collect();
                c.extend([group(Delimiter::Parenthesis, args)]);
                c
            }
        };
        let list = |items: Vec<TokenStream>| {
            let mut s = TokenStream::new();
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    s.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
                }
                s.extend(item);
            }
            let mut r: TokenStream = [
                TokenTree::Punct(Punct::new('&', Spacing::Alone)),
                TokenTree::Ident(Ident::new("mut", Span::call_site())),
            ]
            .into_iter()
            .collect();
            r.extend([group(Delimiter::Bracket, s)]);
            r
        };
        // The common shapes take fewer arguments: no interpolation at
        // all, or values only.
        let comma = || TokenTree::Punct(Punct::new(',', Spacing::Alone));
        let mut args = template;
        let name = match (self.keys.is_empty(), self.vals.is_empty()) {
            (true, true) => "__literal",
            (true, false) => {
                args.extend([comma()]);
                args.extend(list(self.vals));
                "__template"
            }
            (false, _) => {
                args.extend([comma()]);
                args.extend(list(self.keys));
                args.extend([comma()]);
                args.extend(list(self.vals));
                "__template_keys"
            }
        };
        let mut out = path(&[name]);
        out.extend([group(Delimiter::Parenthesis, args)]);
        out
    }
}

fn group(d: Delimiter, s: TokenStream) -> TokenTree {
    TokenTree::Group(Group::new(d, s))
}

/// `::serde_json::a::b` (the engine's name for dinghy-json).
fn path(segments: &[&str]) -> TokenStream {
    let mut out = TokenStream::new();
    for s in std::iter::once(&"serde_json").chain(segments) {
        out.extend([
            TokenTree::Punct(Punct::new(':', Spacing::Joint)),
            TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            TokenTree::Ident(Ident::new(s, Span::call_site())),
        ]);
    }
    out
}

/// The items of a list, split at its top-level commas (a trailing comma
/// ends the last item).
fn split_commas(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = vec![Vec::new()];
    for t in stream {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' => items.push(Vec::new()),
            _ => {
                if let Some(last) = items.last_mut() {
                    last.push(t);
                }
            }
        }
    }
    if items.last().is_some_and(Vec::is_empty) {
        items.pop();
    }
    items
}
