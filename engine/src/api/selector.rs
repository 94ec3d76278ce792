//! Label and field selectors, as apimachinery's `pkg/labels` and
//! `pkg/fields` parse and match them: `-l 'app=web,tier in (a,b),!canary'`
//! and `--field-selector status.phase=Running`. The parse errors are the
//! real ones (`unable to parse requirement: …`, `invalid selector: …`,
//! `field label not supported: …`), so the apiserver's 400 reads as v1.33's.

use super::object;
use crate::apiserver::validation::{label_value, qualified_name};
use serde_json::Value;

/// A requirement's operator (`selection.Operator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One requirement: `key op values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Op,
    /// Sorted and without duplicates (a Go `sets.String`).
    pub values: Vec<String>,
}

impl Requirement {
    pub fn matches(&self, labels: &dyn Fn(&str) -> Option<String>) -> bool {
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match self.op {
            Op::In | Op::Equals | Op::DoubleEquals => labels(&self.key).is_some_and(|v| has(&v)),
            Op::NotIn | Op::NotEquals => labels(&self.key).is_none_or(|v| !has(&v)),
            Op::Exists => labels(&self.key).is_some(),
            Op::DoesNotExist => labels(&self.key).is_none(),
            Op::GreaterThan | Op::LessThan => {
                let Some(v) = labels(&self.key).and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                let Some(r) = self.values.first().and_then(|r| r.parse::<i64>().ok()) else {
                    return false;
                };
                if self.op == Op::GreaterThan {
                    v > r
                } else {
                    v < r
                }
            }
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.op == Op::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.op {
            Op::Equals => "=",
            Op::DoubleEquals => "==",
            Op::NotEquals => "!=",
            Op::In => " in ",
            Op::NotIn => " notin ",
            Op::GreaterThan => ">",
            Op::LessThan => "<",
            Op::Exists | Op::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.op, Op::In | Op::NotIn);
        if set {
            f.write_str("(")?;
        }
        f.write_str(&self.values.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A label selector: every requirement must hold. Empty matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// Sorted by key, as the parser leaves them.
    pub requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    End,
    ClosedPar,
    Comma,
    Not,
    DoubleEquals,
    Equals,
    Greater,
    Ident(String),
    In,
    Less,
    NotEquals,
    NotIn,
    OpenPar,
    Error(String),
}

impl Tok {
    /// The literal, as the Go parser prints it in errors.
    fn lit(&self) -> String {
        match self {
            Tok::End => String::new(),
            Tok::ClosedPar => ")".into(),
            Tok::Comma => ",".into(),
            Tok::Not => "!".into(),
            Tok::DoubleEquals => "==".into(),
            Tok::Equals => "=".into(),
            Tok::Greater => ">".into(),
            Tok::Ident(s) | Tok::Error(s) => s.clone(),
            Tok::In => "in".into(),
            Tok::Less => "<".into(),
            Tok::NotEquals => "!=".into(),
            Tok::NotIn => "notin".into(),
            Tok::OpenPar => "(".into(),
        }
    }
    /// In the values context `in` and `notin` are identifiers.
    fn in_values(self) -> Tok {
        match self {
            Tok::In => Tok::Ident("in".into()),
            Tok::NotIn => Tok::Ident("notin".into()),
            t => t,
        }
    }
}

fn special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn symbol(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosedPar,
        "," => Tok::Comma,
        "!" => Tok::Not,
        "==" => Tok::DoubleEquals,
        "=" => Tok::Equals,
        ">" => Tok::Greater,
        "<" => Tok::Less,
        "!=" => Tok::NotEquals,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn lex(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < b.len() && b.get(i).copied().is_some_and(space) {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            out.push(Tok::End);
            return out;
        };
        if special(c) {
            // The longest run of symbols that is still an operator.
            let mut buf = String::new();
            let mut last: Option<(Tok, usize)> = None;
            let mut j = i;
            while let Some(&d) = b.get(j).filter(|d| special(**d)) {
                buf.push(d as char);
                if let Some(t) = symbol(&buf) {
                    last = Some((t, j + 1));
                } else if last.is_some() {
                    break;
                }
                j += 1;
            }
            match last {
                Some((t, end)) => {
                    out.push(t);
                    i = end;
                }
                None => {
                    out.push(Tok::Error(format!("error expected: keyword found '{buf}'")));
                    i = j;
                }
            }
        } else {
            let start = i;
            while b.get(i).is_some_and(|d| !special(*d) && !space(*d)) {
                i += 1;
            }
            let word = s.get(start..i).unwrap_or_default().to_string();
            out.push(match word.as_str() {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Ident(word),
            });
        }
        if out.last() == Some(&Tok::End) {
            return out;
        }
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self, values: bool) -> Tok {
        let t = self.toks.get(self.pos).cloned().unwrap_or(Tok::End);
        if values {
            t.in_values()
        } else {
            t
        }
    }
    fn next(&mut self, values: bool) -> Tok {
        let t = self.peek(values);
        self.pos += 1;
        t
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            match self.peek(true) {
                Tok::Ident(_) | Tok::Not => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    match self.next(true) {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let t = self.peek(true);
                            if !matches!(t, Tok::Ident(_) | Tok::Not) {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    t.lit()
                                ));
                            }
                        }
                        t => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                t.lit()
                            ))
                        }
                    }
                }
                Tok::End => return Ok(reqs),
                t => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        t.lit()
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut op = None;
        let mut t = self.next(true);
        if t == Tok::Not {
            op = Some(Op::DoesNotExist);
            t = self.next(true);
        }
        let Tok::Ident(key) = t else {
            return Err(format!("found '{}', expected: identifier", t.lit()));
        };
        let errs = qualified_name(&key);
        if !errs.is_empty() {
            return Err(format!(
                "<nil>: Invalid value: {}: {}",
                crate::go::quote(&key),
                errs.join("; ")
            ));
        }
        if matches!(self.peek(true), Tok::End | Tok::Comma) {
            return Ok(Requirement {
                key,
                op: op.unwrap_or(Op::Exists),
                values: vec![],
            });
        }
        if op == Some(Op::DoesNotExist) {
            return Ok(Requirement {
                key,
                op: Op::DoesNotExist,
                values: vec![],
            });
        }
        let t = self.next(false);
        let op = match t {
            Tok::In => Op::In,
            Tok::Equals => Op::Equals,
            Tok::DoubleEquals => Op::DoubleEquals,
            Tok::Greater => Op::GreaterThan,
            Tok::Less => Op::LessThan,
            Tok::NotIn => Op::NotIn,
            Tok::NotEquals => Op::NotEquals,
            t => {
                return Err(format!(
                    "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                    t.lit()
                ))
            }
        };
        let mut values = match op {
            Op::In | Op::NotIn => self.set_values()?,
            _ => self.exact_value()?,
        };
        crate::sort::sort(&mut values);
        values.dedup();
        new_requirement(key, op, values)
    }

    fn set_values(&mut self) -> Result<Vec<String>, String> {
        let t = self.next(true);
        if t != Tok::OpenPar {
            return Err(format!("found '{}' expected: '('", t.lit()));
        }
        let first = self.peek(true);
        match first {
            Tok::Ident(_) | Tok::Comma => {
                let mut set: Vec<String> = Vec::new();
                loop {
                    match self.next(true) {
                        Tok::Ident(v) => {
                            set.push(v);
                            match self.peek(true) {
                                Tok::Comma => continue,
                                Tok::ClosedPar => break,
                                t => {
                                    return Err(format!(
                                        "found '{}', expected: ',' or ')'",
                                        t.lit()
                                    ))
                                }
                            }
                        }
                        Tok::Comma => {
                            if set.is_empty() {
                                set.push(String::new());
                            }
                            match self.peek(true) {
                                Tok::ClosedPar => {
                                    set.push(String::new());
                                    break;
                                }
                                Tok::Comma => set.push(String::new()),
                                _ => {}
                            }
                        }
                        t => {
                            return Err(format!(
                                "found '{}', expected: ',', or identifier",
                                t.lit()
                            ))
                        }
                    }
                }
                if self.next(true) != Tok::ClosedPar {
                    return Err(format!("found '{}', expected: ')'", first.lit()));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.next(true);
                Ok(vec![String::new()])
            }
            t => Err(format!(
                "found '{}', expected: ',', ')' or identifier",
                t.lit()
            )),
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        if matches!(self.peek(true), Tok::End | Tok::Comma) {
            return Ok(vec![String::new()]);
        }
        match self.next(true) {
            Tok::Ident(v) => Ok(vec![v]),
            t => Err(format!("found '{}', expected: identifier", t.lit())),
        }
    }
}

/// `NewRequirement`'s checks (the key was checked by the parser already).
fn new_requirement(key: String, op: Op, values: Vec<String>) -> Result<Requirement, String> {
    let mut errs = Vec::new();
    if matches!(op, Op::GreaterThan | Op::LessThan) {
        for (i, v) in values.iter().enumerate() {
            if v.parse::<i64>().is_err() {
                errs.push(format!(
                    "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                    crate::go::quote(v)
                ));
            }
        }
    }
    for (i, v) in values.iter().enumerate() {
        let e = label_value(v);
        if !e.is_empty() {
            errs.push(format!(
                "values[{i}][{key}]: Invalid value: {}: {}",
                crate::go::quote(v),
                e.join("; ")
            ));
        }
    }
    match errs.len() {
        0 => Ok(Requirement { key, op, values }),
        1 => Err(errs.concat()),
        _ => Err(format!("[{}]", errs.join(", "))),
    }
}

impl LabelSelector {
    /// The selector that matches everything.
    pub fn everything() -> Self {
        LabelSelector::default()
    }

    /// `labels.Parse`: the `-l` syntax.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut p = Parser {
            toks: lex(s),
            pos: 0,
        };
        let mut requirements = p.parse()?;
        crate::sort::sort_by(&mut requirements, |a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements })
    }

    /// `metav1.LabelSelectorAsSelector`: `matchLabels` and `matchExpressions`.
    /// A missing or null selector matches nothing in the API (callers decide);
    /// here `{}` matches everything.
    pub fn from_api(sel: &Value) -> Result<Self, String> {
        let mut requirements = Vec::new();
        if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in ml {
                let v = v.as_str().unwrap_or_default().to_string();
                requirements.push(new_requirement(k.clone(), Op::Equals, vec![v])?);
            }
        }
        let exprs = sel
            .get("matchExpressions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for e in exprs {
            let key = object::str_at(&e, "key").unwrap_or_default().to_string();
            let mut values: Vec<String> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            crate::sort::sort(&mut values);
            values.dedup();
            let op = match object::str_at(&e, "operator").unwrap_or_default() {
                "In" => Op::In,
                "NotIn" => Op::NotIn,
                "Exists" => Op::Exists,
                "DoesNotExist" => Op::DoesNotExist,
                other => return Err(format!("{other:?} is not a valid label selector operator")),
            };
            requirements.push(new_requirement(key, op, values)?);
        }
        crate::sort::sort_by(&mut requirements, |a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements })
    }

    /// `labels.SelectorFromSet`: equality on every pair (ReplicationController selectors).
    pub fn from_map(map: &Value) -> Self {
        let mut requirements: Vec<Requirement> = map
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| Requirement {
                        key: k.clone(),
                        op: Op::Equals,
                        values: vec![v.as_str().unwrap_or_default().to_string()],
                    })
                    .collect()
            })
            .unwrap_or_default();
        crate::sort::sort_by(&mut requirements, |a, b| a.key.cmp(&b.key));
        LabelSelector { requirements }
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether labels (a JSON string map, or null) satisfy every requirement.
    pub fn matches(&self, labels: Option<&Value>) -> bool {
        let get = |k: &str| {
            labels
                .and_then(|l| l.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        self.requirements.iter().all(|r| r.matches(&get))
    }

    /// Whether an object's `metadata.labels` match.
    pub fn matches_object(&self, obj: &Value) -> bool {
        self.matches(object::at(obj, "metadata.labels"))
    }
}

impl std::fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.requirements.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

// ---- field selectors ----

/// One term of a field selector: `field=value` or `field!=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    pub negated: bool,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector {
    pub terms: Vec<FieldTerm>,
}

/// Splits on unescaped commas (`\,` stays in a value).
fn split_terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push('\\');
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if escaped {
        cur.push('\\');
    }
    out.push(cur);
    out
}

fn unescape(v: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n @ ('\\' | ',' | '=')) => out.push(n),
                Some(n) => return Err(format!("invalid escape sequence: \\{n}")),
                None => return Err("invalid escape sequence: trailing \\".into()),
            }
        } else if c == ',' || c == '=' {
            return Err(format!("invalid field selector value: unescaped {c}"));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// The first position where `!=`, `==` or `=` starts splits the term.
fn split_term(term: &str) -> Option<(String, bool, String)> {
    for (i, _) in term.char_indices() {
        let rest = term.get(i..)?;
        for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
            if rest.starts_with(op) {
                let lhs = term.get(..i)?.to_string();
                let rhs = rest.get(op.len()..)?.to_string();
                return Some((lhs, negated, rhs));
            }
        }
    }
    None
}

impl FieldSelector {
    /// `fields.ParseSelector`: `a=b`, `a==b`, `a!=b`, comma-separated.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut parts = split_terms(s);
        crate::sort::sort(&mut parts);
        let mut terms = Vec::new();
        for part in parts {
            if part.is_empty() {
                continue;
            }
            let Some((field, negated, value)) = split_term(&part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            let value = unescape(&value)?;
            terms.push(FieldTerm {
                field,
                negated,
                value,
            });
        }
        Ok(FieldSelector { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The field-label conversion each kind registers: which fields can be
    /// selected on, with the apiserver's error for the others.
    pub fn check(&self, kind: &str, group: &str) -> Result<(), String> {
        for t in &self.terms {
            supported(kind, group, &t.field)?;
        }
        Ok(())
    }

    /// Whether an object's fields satisfy every term (a missing field is `""`).
    pub fn matches(&self, kind: &str, obj: &Value) -> bool {
        self.terms.iter().all(|t| {
            let v = field_value(kind, obj, &t.field);
            (v == t.value) != t.negated
        })
    }
}

const META: &[&str] = &["metadata.name", "metadata.namespace"];

fn supported(kind: &str, group: &str, field: &str) -> Result<(), String> {
    let list: &[&str] = match (group, kind) {
        ("", "Pod") => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
            "spec.host",
        ],
        ("", "Node") => &["metadata.name", "spec.unschedulable"],
        ("", "ReplicationController") | ("apps", "ReplicaSet") => {
            &["metadata.name", "metadata.namespace", "status.replicas"]
        }
        ("", "Event") => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
            "metadata.namespace",
            "metadata.name",
        ],
        ("", "Namespace") => &["status.phase", "metadata.name"],
        ("", "Secret") => &["type", "metadata.namespace", "metadata.name"],
        ("", "Service") => &[
            "metadata.namespace",
            "metadata.name",
            "spec.clusterIP",
            "spec.type",
        ],
        ("batch", "Job") => &["metadata.name", "metadata.namespace", "status.successful"],
        _ => {
            if META.contains(&field) {
                return Ok(());
            }
            return Err(format!(
                "{field:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            ));
        }
    };
    if list.contains(&field) {
        Ok(())
    } else {
        Err(format!("field label not supported: {field}"))
    }
}

/// The value of a selectable field, as each registry's `ToSelectableFields`
/// renders it (`""` when unset, booleans as `true`/`false`).
pub fn field_value(kind: &str, obj: &Value, field: &str) -> String {
    let s = |path: &str| object::str_at(obj, path).unwrap_or_default().to_string();
    let b = |path: &str| {
        object::at(obj, path)
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .to_string()
    };
    let n = |path: &str| {
        object::at(obj, path)
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .to_string()
    };
    match (kind, field) {
        ("Pod", "spec.host") => s("spec.nodeName"),
        ("Pod", "spec.hostNetwork") | ("Node", "spec.unschedulable") => b(field),
        ("Pod", "status.podIPs") => object::at(obj, "status.podIPs")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(|p| p.get("ip"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        ("Pod", "spec.restartPolicy") => object::str_at(obj, field).unwrap_or("Always").into(),
        ("Event", "source") => s("source.component"),
        (_, "status.replicas") | (_, "status.successful") => n(field),
        _ => s(field),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(s: &str) -> String {
        match LabelSelector::parse(s) {
            Ok(sel) => format!("ok: {sel}"),
            Err(e) => format!("err: {e}"),
        }
    }

    #[test]
    fn label_selector_syntax_and_errors() {
        let cases = [
            "app=web",
            "app==web,tier!=db",
            "env in (prod, staging),!canary,tier",
            "x notin (),y in (a,,b)",
            "version>3",
            "in in (in)",
            "",
            "app=",
            "a b",
            "app=web,",
            "=web",
            "app in web",
            "app in (a b)",
            "app in (a,b",
            "-bad=x",
            "app=-bad",
            "app=x=y",
            "!app=web",
            "version<abc",
            "app=web)",
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|c| format!("{c:?} -> {}", parse(c)))
            .collect();
        expect_test::expect![[r#"
            "app=web" -> ok: app=web
            "app==web,tier!=db" -> ok: app==web,tier!=db
            "env in (prod, staging),!canary,tier" -> ok: !canary,env in (prod,staging),tier
            "x notin (),y in (a,,b)" -> ok: x notin (),y in (,a,b)
            "version>3" -> ok: version>3
            "in in (in)" -> ok: in in (in)
            "" -> ok: 
            "app=" -> ok: app=
            "a b" -> err: unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt
            "app=web," -> err: found '', expected: identifier after ','
            "=web" -> err: found '=', expected: !, identifier, or 'end of string'
            "app in web" -> err: unable to parse requirement: found 'web' expected: '('
            "app in (a b)" -> err: unable to parse requirement: found 'b', expected: ',' or ')'
            "app in (a,b" -> err: unable to parse requirement: found '', expected: ',' or ')'
            "-bad=x" -> err: unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            "app=-bad" -> err: unable to parse requirement: values[0][app]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            "app=x=y" -> err: found '=', expected: ',' or 'end of string'
            "!app=web" -> err: found '=', expected: ',' or 'end of string'
            "version<abc" -> err: unable to parse requirement: values[0]: Invalid value: "abc": for 'Gt', 'Lt' operators, the value must be an integer
            "app=web)" -> err: found ')', expected: ',' or 'end of string'
        "#]]
        .assert_eq(&(out.join("\n") + "\n"));
    }

    #[test]
    fn label_selectors_match() {
        let labels = json!({"app": "web", "tier": "front", "version": "5"});
        let m = |s: &str| {
            LabelSelector::parse(s)
                .map(|sel| sel.matches(Some(&labels)))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert!(m("app=web"));
        assert!(m("app==web,tier in (front,back)"));
        assert!(!m("app!=web"));
        assert!(m("env notin (prod)"));
        assert!(m("!env"));
        assert!(!m("!app"));
        assert!(m("tier"));
        assert!(m("version>3"));
        assert!(!m("version<3"));
        assert!(m(""));
        let api = json!({"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["front"]},
                                 {"key": "canary", "operator": "DoesNotExist"}]});
        let sel = LabelSelector::from_api(&api).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sel.to_string(), "app=web,!canary,tier in (front)");
        assert!(sel.matches(Some(&labels)));
        let bad = json!({"matchExpressions": [{"key": "a", "operator": "Maybe"}]});
        assert!(LabelSelector::from_api(&bad).is_err());
    }

    #[test]
    fn field_selectors() {
        let pod = json!({"kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"nodeName": "node01", "schedulerName": "default-scheduler"},
            "status": {"phase": "Running", "podIP": "10.244.1.5"}});
        let sel = |s: &str| FieldSelector::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(sel("status.phase=Running,spec.nodeName=node01").matches("Pod", &pod));
        assert!(sel("status.phase!=Pending").matches("Pod", &pod));
        assert!(!sel("spec.nodeName==node02").matches("Pod", &pod));
        assert!(sel("status.podIP=10.244.1.5,metadata.name=web").matches("Pod", &pod));
        assert!(sel("spec.hostNetwork=false").matches("Pod", &pod));
        let node = json!({"spec": {"unschedulable": true}});
        assert!(sel("spec.unschedulable=true").matches("Node", &node));
        let ev = json!({"involvedObject": {"kind": "Pod", "name": "web"}, "type": "Warning", "source": {"component": "kubelet"}});
        assert!(sel("involvedObject.kind=Pod,type=Warning,source=kubelet").matches("Event", &ev));
        let check = |s: &str, kind: &str, group: &str| {
            sel(s)
                .check(kind, group)
                .err()
                .unwrap_or_else(|| "ok".into())
        };
        expect_test::expect![[r#"
            ok
            field label not supported: spec.containers
            field label not supported: metadata.namespace
            "spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"
            ok
            invalid selector: 'status.phase'; can't understand 'status.phase'"#]]
        .assert_eq(
            &[
                check("spec.schedulerName=x", "Pod", ""),
                check("spec.containers=x", "Pod", ""),
                check("metadata.namespace=x", "Node", ""),
                check("spec.replicas=1", "Deployment", "apps"),
                check("type=Opaque", "Secret", ""),
                FieldSelector::parse("status.phase").err().unwrap_or_default(),
            ]
            .join("\n"),
        );
    }
}
