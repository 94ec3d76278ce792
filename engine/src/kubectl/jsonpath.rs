//! kubectl's JSONPath (client-go `util/jsonpath`), as `-o jsonpath=…`,
//! `-o custom-columns=…` and `--sort-by=…` use it: text outside `{…}` is
//! printed as is; inside an action, `.field`, `..field` (recursive),
//! `[n]`, `[a:b:step]`, `[*]`, `.*`, `['a','b']` (union), filters
//! `[?(@.type=="Ready")]`, `"quoted text"`, `range … end`, `$` and `@`.
//!
//! Results of one action are separated by a space; maps and lists print
//! as compact JSON with sorted keys (Go's `encoding/json`), scalars as text.
//! Missing keys print nothing (kubectl allows missing keys).
//!
//! Go's map iteration order is random (`.*` and `..` over a map); Dinghy
//! visits keys in sorted order so that output stays deterministic.

use crate::scan;
use serde_json::Value;

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    raw: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    /// One `{…}` action: a path, or a quoted string.
    Action(Vec<Step>),
    Range(Vec<Step>),
    End,
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Recursive,
    Wildcard,
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
        /// `[n]`: one element.
        single: bool,
    },
    Union(Vec<Vec<Step>>),
    Filter(Box<Filter>),
    Text(String),
    Literal(Value),
}

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    left: Vec<Step>,
    op: String,
    right: Vec<Step>,
}

/// An error while executing a template (the text after `Error executing template: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecError(pub String);

impl Template {
    /// Parses a template; the error is client-go's parse error text.
    pub fn parse(raw: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let chars: Vec<char> = raw.chars().collect();
        let mut i = 0;
        let mut text = String::new();
        while i < chars.len() {
            let c = scan::char_at(&chars, i);
            if c != '{' {
                text.push(c);
                i += 1;
                continue;
            }
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            // Find the matching `}` outside quotes.
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            let mut close = None;
            while j < chars.len() {
                let d = scan::char_at(&chars, j);
                match quote {
                    Some(q) => {
                        if d == '\\' {
                            j += 1;
                        } else if d == q {
                            quote = None;
                        }
                    }
                    None => {
                        if d == '"' || d == '\'' {
                            quote = Some(d);
                        } else if d == '}' {
                            close = Some(j);
                            break;
                        }
                    }
                }
                j += 1;
            }
            let Some(close) = close else {
                if quote.is_some() {
                    return Err("unterminated quoted string".into());
                }
                return Err("unclosed action".into());
            };
            let inner: String = scan::span(&chars, i + 1, close).iter().collect();
            parts.push(parse_action(inner.trim())?);
            i = close + 1;
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template {
            raw: raw.to_string(),
            parts,
        })
    }

    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Every action's results, in order (`FindResults`).
    pub fn find(&self, data: &Value) -> Result<Vec<Vec<Value>>, ExecError> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        self.find_from(&self.parts, data, &mut out, &mut depth)?;
        Ok(out)
    }

    fn find_from(
        &self,
        parts: &[Part],
        data: &Value,
        out: &mut Vec<Vec<Value>>,
        depth: &mut usize,
    ) -> Result<usize, ExecError> {
        let mut i = 0;
        while let Some(part) = parts.get(i) {
            match part {
                Part::Text(t) => out.push(vec![Value::String(t.clone())]),
                Part::Action(steps) => out.push(eval(steps, vec![data.clone()])?),
                Part::End => {
                    if *depth == 0 {
                        return Err(ExecError("not in range, nothing to end".into()));
                    }
                    return Ok(i + 1);
                }
                Part::Range(steps) => {
                    let items = eval(steps, vec![data.clone()])?;
                    let rest = scan::tail(parts, i + 1);
                    *depth += 1;
                    let mut consumed = rest.len();
                    if items.is_empty() {
                        let mut scratch = Vec::new();
                        consumed = self.find_from(rest, &Value::Null, &mut scratch, depth)?;
                    }
                    for item in &items {
                        consumed = self.find_from(rest, item, out, depth)?;
                    }
                    *depth -= 1;
                    i += 1 + consumed;
                    continue;
                }
            }
            i += 1;
        }
        Ok(parts.len())
    }

    /// Executes the template as `-o jsonpath` prints it.
    pub fn execute(&self, data: &Value) -> Result<String, ExecError> {
        let mut s = String::new();
        for results in self.find(data)? {
            let n = results.len();
            for (i, v) in results.iter().enumerate() {
                s.push_str(&to_text(v));
                if i + 1 != n {
                    s.push(' ');
                }
            }
        }
        Ok(s)
    }
}

/// kubectl's `RelaxedJSONPathExpression`: `.a.b`, `a.b`, `{.a.b}` all mean
/// `{.a.b}`. Its pattern, `^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`, refuses any
/// other brace (`'{.a}'` with its quotes, `{.a`, `{}`).
pub fn relaxed(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(expr.to_string());
    }
    let body = expr
        .strip_prefix('{')
        .and_then(|e| e.strip_suffix('}'))
        .unwrap_or(expr);
    // `\.?` is optional: a lone `.` is the field spec itself.
    let inner = match body.strip_prefix('.') {
        Some(rest) if !rest.is_empty() => rest,
        _ => body,
    };
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into());
    }
    Ok(format!("{{.{inner}}}"))
}

fn parse_action(s: &str) -> Result<Part, String> {
    if s == "end" {
        return Ok(Part::End);
    }
    if let Some(rest) = s.strip_prefix("range") {
        if rest.is_empty() || rest.starts_with(' ') {
            return Ok(Part::Range(parse_path(rest.trim())?));
        }
    }
    Ok(Part::Action(parse_path(s)?))
}

fn parse_path(s: &str) -> Result<Vec<Step>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = scan::char_at(&chars, i);
        match c {
            ' ' | '\t' | '$' | '@' => i += 1,
            '"' | '\'' => {
                let (text, next) = quoted(&chars, i)?;
                steps.push(Step::Text(text));
                i = next;
            }
            '.' => {
                if chars.get(i + 1) == Some(&'.') {
                    steps.push(Step::Recursive);
                    i += 2;
                    continue;
                }
                i += 1;
                if chars.get(i) == Some(&'*') {
                    steps.push(Step::Wildcard);
                    i += 1;
                    continue;
                }
                let (name, next) = field(&chars, i);
                i = next;
                if !name.is_empty() {
                    steps.push(Step::Field(name));
                }
            }
            '*' => {
                steps.push(Step::Wildcard);
                i += 1;
            }
            '[' => {
                let (step, next) = bracket(&chars, i)?;
                steps.push(step);
                i = next;
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|&c| c.is_ascii_digit() || c == '.')
                {
                    i += 1;
                }
                let lit: String = scan::span(&chars, start, i).iter().collect();
                let v = if let Ok(n) = lit.parse::<i64>() {
                    Value::from(n)
                } else if let Ok(f) = lit.parse::<f64>() {
                    serde_json::Number::from_f64(f)
                        .map(Value::Number)
                        .unwrap_or(Value::Null)
                } else {
                    return Err(format!("cannot parse number {lit}"));
                };
                steps.push(Step::Literal(v));
            }
            c if c.is_alphabetic() || c == '_' => {
                let (name, next) = field(&chars, i);
                i = next;
                match name.as_str() {
                    "true" => steps.push(Step::Literal(Value::Bool(true))),
                    "false" => steps.push(Step::Literal(Value::Bool(false))),
                    _ => steps.push(Step::Field(name)),
                }
            }
            other => {
                return Err(format!(
                    "unrecognized character in action: U+{:04X} '{other}'",
                    other as u32
                ))
            }
        }
    }
    Ok(steps)
}

fn field(chars: &[char], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    while i < chars.len() {
        let c = scan::char_at(chars, i);
        if c == '\\' && chars.get(i + 1) == Some(&'.') {
            name.push('.');
            i += 2;
            continue;
        }
        if matches!(
            c,
            '.' | '[' | ']' | ' ' | '\t' | '(' | ')' | '=' | '!' | '<' | '>' | ',' | '"' | '\''
        ) {
            break;
        }
        name.push(c);
        i += 1;
    }
    (name, i)
}

/// A quoted string starting at `chars[i]`; returns the unquoted text and the index after it.
fn quoted(chars: &[char], i: usize) -> Result<(String, usize), String> {
    let q = chars.get(i).copied().unwrap_or('"');
    let mut out = String::new();
    let mut j = i + 1;
    while j < chars.len() {
        let c = scan::char_at(chars, j);
        if c == q {
            return Ok((out, j + 1));
        }
        if c == '\\' {
            j += 1;
            let Some(&e) = chars.get(j) else { break };
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                'u' | 'x' | 'U' => {
                    let len = match e {
                        'u' => 4,
                        'x' => 2,
                        _ => 8,
                    };
                    let hex: String = chars.iter().skip(j + 1).take(len).collect();
                    let ch = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| "invalid syntax".to_string())?;
                    out.push(ch);
                    j += len;
                }
                _ => return Err("invalid syntax".into()),
            }
            j += 1;
            continue;
        }
        out.push(c);
        j += 1;
    }
    Err("unterminated quoted string".into())
}

fn bracket(chars: &[char], i: usize) -> Result<(Step, usize), String> {
    // Find the closing `]`, honouring quotes and nested parentheses.
    let mut j = i + 1;
    let mut quote: Option<char> = None;
    let mut paren = 0i32;
    while j < chars.len() {
        let c = scan::char_at(chars, j);
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' => paren += 1,
                ')' => paren -= 1,
                ']' if paren <= 0 => break,
                _ => {}
            },
        }
        j += 1;
    }
    if j >= chars.len() {
        return Err("unterminated array".into());
    }
    let inner: String = scan::span(chars, i + 1, j).iter().collect();
    let next = j + 1;
    let inner_t = inner.trim();
    if let Some(f) = inner_t.strip_prefix('?') {
        let body = f
            .trim()
            .strip_prefix('(')
            .and_then(|b| b.strip_suffix(')'))
            .ok_or_else(|| "unterminated filter".to_string())?;
        return Ok((Step::Filter(Box::new(parse_filter(body)?)), next));
    }
    if inner_t == "*" {
        return Ok((Step::Wildcard, next));
    }
    if inner_t.starts_with('"') {
        return Err(format!("invalid array index {inner_t}"));
    }
    if inner_t.starts_with('\'') {
        let ichars: Vec<char> = inner_t.chars().collect();
        let mut names = Vec::new();
        let mut k = 0;
        while k < ichars.len() {
            match scan::char_at(&ichars, k) {
                ',' | ' ' => k += 1,
                '\'' | '"' => {
                    let (name, n) = quoted(&ichars, k)?;
                    names.push(vec![Step::Field(name)]);
                    k = n;
                }
                _ => return Err(format!("invalid array index {inner_t}")),
            }
        }
        if names.len() == 1 {
            if let Some(mut one) = names.pop() {
                if let Some(step) = one.pop() {
                    return Ok((step, next));
                }
            }
        }
        return Ok((Step::Union(names), next));
    }
    if inner_t.contains(',') {
        let mut alts = Vec::new();
        for piece in inner_t.split(',') {
            let n = piece
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("invalid array index {}", piece.trim()))?;
            alts.push(vec![Step::Slice {
                start: Some(n),
                end: None,
                step: None,
                single: true,
            }]);
        }
        return Ok((Step::Union(alts), next));
    }
    let pieces: Vec<&str> = inner_t.split(':').collect();
    if pieces.len() > 3 {
        return Err(format!("invalid array index {inner_t}"));
    }
    let mut nums = [None, None, None];
    for (k, p) in pieces.iter().enumerate() {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let n = p
            .parse::<i64>()
            .map_err(|_| format!("invalid array index {p}"))?;
        if let Some(slot) = nums.get_mut(k) {
            *slot = Some(n);
        }
    }
    let [start, end, step] = nums;
    Ok((
        Step::Slice {
            start,
            end,
            step,
            single: pieces.len() == 1,
        },
        next,
    ))
}

fn parse_filter(body: &str) -> Result<Filter, String> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some((l, r)) = split_outside_quotes(body, op) {
            return Ok(Filter {
                left: parse_path(l.trim())?,
                op: op.to_string(),
                right: parse_path(r.trim())?,
            });
        }
    }
    Ok(Filter {
        left: parse_path(body.trim())?,
        op: "exists".into(),
        right: vec![],
    })
}

fn split_outside_quotes<'a>(s: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let mut quote: Option<char> = None;
    for (idx, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if s[idx..].starts_with(op) => {
                return Some((&s[..idx], &s[idx + op.len()..]));
            }
            None => {}
        }
    }
    None
}

fn eval(steps: &[Step], mut cur: Vec<Value>) -> Result<Vec<Value>, ExecError> {
    for step in steps {
        cur = eval_step(step, cur)?;
    }
    Ok(cur)
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Null => "interface {}",
    }
}

fn eval_step(step: &Step, input: Vec<Value>) -> Result<Vec<Value>, ExecError> {
    let mut out = Vec::new();
    match step {
        Step::Text(t) => out.push(Value::String(t.clone())),
        Step::Literal(v) => out.push(v.clone()),
        Step::Field(name) => {
            for v in &input {
                if let Some(x) = v.as_object().and_then(|m| m.get(name)) {
                    out.push(x.clone());
                }
            }
        }
        Step::Wildcard => {
            for v in &input {
                match v {
                    Value::Object(m) => {
                        let mut keys: Vec<&String> = m.keys().collect();
                        crate::sort::sort(&mut keys);
                        out.extend(keys.into_iter().filter_map(|k| m.get(k).cloned()));
                    }
                    Value::Array(a) => out.extend(a.iter().cloned()),
                    _ => {}
                }
            }
        }
        Step::Recursive => {
            for v in &input {
                recursive(v, &mut out);
            }
        }
        Step::Union(alts) => {
            for alt in alts {
                out.extend(eval(alt, input.clone())?);
            }
        }
        Step::Slice {
            start,
            end,
            step,
            single,
        } => {
            for v in &input {
                if v.is_null() {
                    continue;
                }
                let Value::Array(a) = v else {
                    return Err(ExecError(format!("{} is not array or slice", go_type(v))));
                };
                let len = a.len() as i64;
                let mut s = start.unwrap_or(0);
                if s < 0 {
                    s += len;
                }
                let mut e = match (end, single) {
                    (_, true) => {
                        let raw = start.unwrap_or(0) + 1;
                        if raw <= 0 {
                            raw + len
                        } else {
                            raw
                        }
                    }
                    (Some(e), false) => {
                        if *e < 0 {
                            e + len
                        } else {
                            *e
                        }
                    }
                    (None, false) => len,
                };
                if *single && start.unwrap_or(0) < 0 {
                    e = s + 1;
                }
                if e == s {
                    continue;
                }
                if s >= len || s < 0 {
                    return Err(ExecError(format!(
                        "array index out of bounds: index {s}, length {len}"
                    )));
                }
                if e > len || e < 0 {
                    return Err(ExecError(format!(
                        "array index out of bounds: index {}, length {len}",
                        e - 1
                    )));
                }
                if s > e {
                    return Err(ExecError(format!(
                        "starting index {s} is greater than ending index {e}"
                    )));
                }
                let stride = match step {
                    Some(st) if *st <= 0 => return Err(ExecError("step must be > 0".into())),
                    Some(st) => *st as usize,
                    None => 1,
                };
                out.extend(
                    a.iter()
                        .skip(s as usize)
                        .take((e - s) as usize)
                        .step_by(stride)
                        .cloned(),
                );
            }
        }
        Step::Filter(f) => {
            for v in &input {
                if v.is_null() {
                    continue;
                }
                let Value::Array(a) = v else {
                    return Err(ExecError(format!("{} is not array or slice", go_type(v))));
                };
                for item in a {
                    let lefts = eval(&f.left, vec![item.clone()])?;
                    if f.op == "exists" {
                        if !lefts.is_empty() {
                            out.push(item.clone());
                        }
                        continue;
                    }
                    let rights = eval(&f.right, vec![item.clone()])?;
                    let (Some(l), Some(r)) = (lefts.first(), rights.first()) else {
                        continue;
                    };
                    if lefts.len() > 1 || rights.len() > 1 {
                        return Err(ExecError("can only compare one element at a time".into()));
                    }
                    if compare(l, r, &f.op)? {
                        out.push(item.clone());
                    }
                }
            }
        }
    }
    Ok(out)
}

fn recursive(v: &Value, out: &mut Vec<Value>) {
    let children: Vec<&Value> = match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            keys.into_iter().filter_map(|k| m.get(k)).collect()
        }
        Value::Array(a) => a.iter().collect(),
        _ => vec![],
    };
    if children.is_empty() {
        return;
    }
    out.push(v.clone());
    for c in children {
        recursive(c, out);
    }
}

fn compare(l: &Value, r: &Value, op: &str) -> Result<bool, ExecError> {
    let incompatible = || ExecError("incompatible types for comparison".into());
    let ord = match (l, r) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) => {
            if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
                x.cmp(&y)
            } else {
                let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
                if a.is_f64() != b.is_f64() {
                    return Err(incompatible());
                }
                x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
            }
        }
        (Value::Bool(a), Value::Bool(b)) => {
            if op == "==" || op == "!=" {
                a.cmp(b)
            } else {
                return Err(ExecError("invalid type for comparison".into()));
            }
        }
        _ => return Err(incompatible()),
    };
    use std::cmp::Ordering::*;
    Ok(match op {
        "==" => ord == Equal,
        "!=" => ord != Equal,
        "<" => ord == Less,
        ">" => ord == Greater,
        "<=" => ord != Greater,
        ">=" => ord != Less,
        other => return Err(ExecError(format!("unrecognized filter operator {other}"))),
    })
}

/// A result as jsonpath prints it: maps and lists as compact JSON, the rest as text.
pub fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        _ => go_json(v),
    }
}

fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// Go's `json.Marshal` of a decoded object: keys sorted, `<`, `>`, `&` escaped.
pub fn go_json(v: &Value) -> String {
    let mut s = String::new();
    write_go_json(v, &mut s);
    s
}

fn write_go_json(v: &Value, s: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            s.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                crate::go::json_string(k, s);
                s.push(':');
                if let Some(x) = m.get(k) {
                    write_go_json(x, s);
                }
            }
            s.push('}');
        }
        Value::Array(a) => {
            s.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_go_json(x, s);
            }
            s.push(']');
        }
        Value::String(t) => crate::go::json_string(t, s),
        Value::Number(n) => s.push_str(&number(n)),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Null => s.push_str("null"),
    }
}

/// Go's `json.MarshalIndent(v, "", "    ")`, as `kubectl -o json` prints an object.
pub fn go_json_indent(v: &Value) -> String {
    let mut s = String::new();
    write_indent(v, 0, &mut s);
    s
}

fn write_indent(v: &Value, level: usize, s: &mut String) {
    let pad = |n: usize, s: &mut String| s.extend(std::iter::repeat_n(' ', 4 * n));
    match v {
        Value::Object(m) if !m.is_empty() => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            s.push_str("{\n");
            let n = keys.len();
            for (i, k) in keys.into_iter().enumerate() {
                pad(level + 1, s);
                crate::go::json_string(k, s);
                s.push_str(": ");
                if let Some(x) = m.get(k) {
                    write_indent(x, level + 1, s);
                }
                if i + 1 != n {
                    s.push(',');
                }
                s.push('\n');
            }
            pad(level, s);
            s.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            s.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                pad(level + 1, s);
                write_indent(x, level + 1, s);
                if i + 1 != a.len() {
                    s.push(',');
                }
                s.push('\n');
            }
            pad(level, s);
            s.push(']');
        }
        other => write_go_json(other, s),
    }
}

/// Go's `fmt.Sprintf("%v", v)` of a decoded value, as custom-columns prints
/// cells: `map[a:1 b:x]`, `[a b]`, `<nil>`.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            let inner: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k}:{}", m.get(k).map(go_value).unwrap_or_default()))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
    }
}

/// Go's `%#v` of a decoded value (kubectl prints the object this way when a
/// template fails).
pub fn go_dump(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            let inner: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        crate::go::quote(k),
                        m.get(k).map(go_dump_elem).unwrap_or_default()
                    )
                })
                .collect();
            format!("map[string]interface {{}}{{{}}}", inner.join(", "))
        }
        Value::Array(a) => format!(
            "[]interface {{}}{{{}}}",
            a.iter().map(go_dump_elem).collect::<Vec<_>>().join(", ")
        ),
        other => go_dump_elem(other),
    }
}

fn go_dump_elem(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".into(),
        Value::String(s) => crate::go::quote(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        other => go_dump(other),
    }
}

/// kubectl's whole error text for a failed `-o jsonpath` (without the final newline handling).
pub fn exec_error_text(t: &Template, err: &ExecError, obj: &Value) -> String {
    format!(
        "error: error executing jsonpath {}: Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
        crate::go::quote(t.raw()),
        err.0,
        t.raw(),
        go_dump(obj)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, v: &Value) -> String {
        match Template::parse(t) {
            Ok(t) => match t.execute(v) {
                Ok(s) => s,
                Err(e) => format!("exec error: {}", e.0),
            },
            Err(e) => format!("parse error: {e}"),
        }
    }

    fn list() -> Value {
        json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
            {"metadata": {"name": "web-2", "labels": {"app": "web", "tier": "fe"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}, {"name": "d", "image": "busybox"}]}, "status": {"containerStatuses": [{"name": "c", "restartCount": 10}], "conditions": [{"type": "Ready", "status": "True"}]}},
            {"metadata": {"name": "web-10", "labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}, {"name": "d", "image": "busybox"}]}, "status": {"containerStatuses": [{"name": "c", "restartCount": 2}]}},
            {"metadata": {"name": "db", "labels": {}}, "spec": {"containers": [{"name": "c", "image": "redis"}, {"name": "d", "image": "busybox"}]}, "status": {"containerStatuses": [{"name": "c", "restartCount": 9}]}}
        ]})
    }

    // Each expectation was produced by kubectl v1.33.1 against the same list.
    #[test]
    fn matches_kubectl() {
        let l = list();
        let cases = [
            ("{.items[*].metadata.name}", "web-2 web-10 db"),
            (
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.containerStatuses[0].restartCount}{\"\\n\"}{end}",
                "web-2\t10\nweb-10\t2\ndb\t9\n",
            ),
            ("{.items[0].metadata.labels}", "{\"app\":\"web\",\"tier\":\"fe\"}"),
            (
                "{.items[*].metadata.labels}",
                "{\"app\":\"web\",\"tier\":\"fe\"} {\"app\":\"web\"} {}",
            ),
            (
                "{.items[?(@.metadata.name==\"db\")].spec.containers[*].image}",
                "redis busybox",
            ),
            ("{..restartCount}", "10 2 9"),
            ("{.items[-1:].metadata.name}", "db"),
            ("{.items[-1].metadata.name}", "db"),
            ("{.items[0:2].metadata.name}", "web-2 web-10"),
            ("{.kind}", "List"),
            ("{$.kind}{@.kind}", "ListList"),
            (
                "{.items[*].status.containerStatuses[?(@.restartCount>5)].restartCount}",
                "10 9",
            ),
            ("{.items[*].metadata.nope}", ""),
            ("{.items[?(@.metadata.labels.app)].metadata.name}", "web-2 web-10"),
            ("{.items[0].metadata['name']}", "web-2"),
            (
                "{.items[*].spec.containers[0]}",
                "{\"image\":\"nginx\",\"name\":\"c\"} {\"image\":\"nginx\",\"name\":\"c\"} {\"image\":\"redis\",\"name\":\"c\"}",
            ),
            ("{range .items[*]}{.metadata.name}", "web-2web-10db"),
            ("x{.kind}\\n", "xList\\n"),
            ("{ .kind }", "List"),
            ("{.items[0].metadata.name}}", "web-2}"),
            (
                "{.items[?(@.status.conditions[0].type==\"Ready\")].metadata.name}",
                "web-2",
            ),
            ("{.items[0].metadata.name}{\"\\u00e9<&>\"}", "web-2é<&>"),
            ("{.items[7].metadata.name}", "exec error: array index out of bounds: index 7, length 3"),
            ("{.items[0].metadata.name} {end}", "exec error: not in range, nothing to end"),
            ("{.items[0].metadata[0]}", "exec error: map[string]interface {} is not array or slice"),
            ("{.items[0:5].metadata.name}", "exec error: array index out of bounds: index 4, length 3"),
            ("{.items[?(@.metadata.name==1)].x}", "exec error: incompatible types for comparison"),
            ("{.items[0].metadata.name", "parse error: unclosed action"),
            ("{\"a}", "parse error: unterminated quoted string"),
            ("{.items[\"x\"]}", "parse error: invalid array index \"x\""),
        ];
        for (t, want) in cases {
            assert_eq!(run(t, &l), want, "{t}");
        }
    }

    #[test]
    fn go_formats() {
        let v = json!({"b": [1, "x", null], "a": {"k": true}, "<": "&"});
        assert_eq!(
            go_json(&v),
            r#"{"\u003c":"\u0026","a":{"k":true},"b":[1,"x",null]}"#
        );
        assert_eq!(go_value(&v), "map[<:& a:map[k:true] b:[1 x <nil>]]");
        assert_eq!(
            go_dump(&v),
            r#"map[string]interface {}{"<":"&", "a":map[string]interface {}{"k":true}, "b":[]interface {}{1, "x", interface {}(nil)}}"#
        );
    }

    #[test]
    fn relaxed_paths() {
        assert_eq!(relaxed(".metadata.name"), Ok("{.metadata.name}".into()));
        assert_eq!(relaxed("metadata.name"), Ok("{.metadata.name}".into()));
        assert_eq!(relaxed("{.metadata.name}"), Ok("{.metadata.name}".into()));
        assert_eq!(relaxed("{metadata.name}"), Ok("{.metadata.name}".into()));
        assert!(relaxed("{.a").is_err());
        assert!(relaxed("'{.a}'").is_err());
        assert!(relaxed("{}").is_err());
        assert!(relaxed("a}").is_err());
        assert_eq!(relaxed("{..a}"), Ok("{..a}".into()));
    }
}
