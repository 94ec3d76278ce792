//! Reads a lab file's tree into [`format`]'s types by hand, with the texts
//! and spots serde's derive and `serde_path_to_error` give
//! (`tasks[0].checks[0].equal: unknown field `equal`, expected one of …`).
//!
//! Why not serde: the derived code, wrapped for the path, was ~15 KB of
//! the web bundle after brotli; these few functions over `serde_json::Value`
//! are a fraction of it. The derives stay on the types (unused code is left
//! out of the build) as the oracle: `decode_tests.rs` holds this reader to
//! `serde_path_to_error::deserialize` error for error, over every bundled
//! lab with every field mutated.
//!
//! Leaves (strings, numbers, booleans) still go through serde, so their
//! texts (`invalid type: integer `1`, expected a string`) are serde's.

use crate::format::{
    Check, Difficulty, LabSpec, NodeSetup, Param, Question, Scalar, Setup, Task, Text,
};
use serde::de::{Deserialize, Unexpected};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A step of the path to a value, as `serde_path_to_error` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

type Path = Vec<Seg>;

/// `serde_path_to_error::Path`'s rendering: `.` for the root, keys joined
/// with dots, indexes as `[i]` with no dot before them.
fn path_text(path: &[Seg]) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let mut s = String::new();
    let mut sep = "";
    for seg in path {
        match seg {
            Seg::Key(k) => {
                s.push_str(sep);
                s.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
        sep = ".";
    }
    s
}

/// An error: where (rendered) and what.
pub type Failure = (String, String);

fn fail(path: &[Seg], msg: impl std::fmt::Display) -> Failure {
    (path_text(path), msg.to_string())
}

/// serde's `Unexpected` for a JSON value, as serde_json's `Value` reports it.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Other("null"),
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else {
                Unexpected::Float(n.as_f64().unwrap_or_default())
            }
        }
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn invalid_type(path: &[Seg], v: &Value, expected: &str) -> Failure {
    fail(
        path,
        format_args!("invalid type: {}, expected {expected}", unexpected(v)),
    )
}

fn invalid_length(path: &[Seg], len: usize, expected: &str) -> Failure {
    fail(
        path,
        format_args!("invalid length {len}, expected {expected}"),
    )
}

/// serde's `OneOf`: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    match names {
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// A leaf through serde, with serde's text.
fn leaf<'a, T: Deserialize<'a>>(v: &'a Value, path: &[Seg]) -> Result<T, Failure> {
    T::deserialize(v).map_err(|e| fail(path, e))
}

fn at<T>(
    path: &mut Path,
    seg: Seg,
    f: impl FnOnce(&mut Path) -> Result<T, Failure>,
) -> Result<T, Failure> {
    path.push(seg);
    let r = f(path);
    path.pop();
    r
}

/// `Option<T>`: `null` is `None`.
fn option<T>(
    v: &Value,
    path: &mut Path,
    f: impl FnOnce(&Value, &mut Path) -> Result<T, Failure>,
) -> Result<Option<T>, Failure> {
    match v {
        Value::Null => Ok(None),
        v => f(v, path).map(Some),
    }
}

/// `Vec<T>` from a JSON array.
fn seq<T>(
    v: &Value,
    path: &mut Path,
    mut f: impl FnMut(&Value, &mut Path) -> Result<T, Failure>,
) -> Result<Vec<T>, Failure> {
    let Value::Array(items) = v else {
        return Err(invalid_type(path, v, "a sequence"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(at(path, Seg::Index(i), |p| f(item, p))?);
    }
    Ok(out)
}

/// `BTreeMap<String, T>` from a JSON object.
fn map<T>(
    v: &Value,
    path: &mut Path,
    mut f: impl FnMut(&Value, &mut Path) -> Result<T, Failure>,
) -> Result<BTreeMap<String, T>, Failure> {
    let Value::Object(m) = v else {
        return Err(invalid_type(path, v, "a map"));
    };
    let mut out = BTreeMap::new();
    for (k, item) in m {
        let value = at(path, Seg::Key(k.clone()), |p| f(item, p))?;
        out.insert(k.clone(), value);
    }
    Ok(out)
}

fn strings(v: &Value, path: &mut Path) -> Result<Vec<String>, Failure> {
    seq(v, path, |item, p| leaf(item, p))
}

fn opt_string(v: &Value, path: &mut Path) -> Result<Option<String>, Failure> {
    option(v, path, |item, p| leaf(item, p))
}

/// A struct as serde's derive reads it with `deny_unknown_fields`: from an
/// object, field by field in the object's order (an unknown key is an
/// error where it is met), then the first absent required field in
/// declaration order; or from an array, by position. `fields` lists the
/// fields in declaration order with whether they are required; `set`
/// reads field `i`'s value.
fn fields(
    v: &Value,
    path: &mut Path,
    name: &str,
    fields: &[(&str, bool)],
    mut set: impl FnMut(usize, &Value, &mut Path) -> Result<(), Failure>,
) -> Result<(), Failure> {
    match v {
        Value::Object(m) => {
            let mut seen = vec![false; fields.len()];
            for (k, item) in m {
                let Some(i) = fields.iter().position(|(f, _)| f == k) else {
                    let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
                    path.push(Seg::Key(k.clone()));
                    let e = fail(
                        path,
                        format_args!("unknown field `{k}`, expected {}", one_of(&names)),
                    );
                    path.pop();
                    return Err(e);
                };
                at(path, Seg::Key(k.clone()), |p| set(i, item, p))?;
                if let Some(s) = seen.get_mut(i) {
                    *s = true;
                }
            }
            for ((f, required), seen) in fields.iter().zip(&seen) {
                if *required && !seen {
                    return Err(fail(path, format_args!("missing field `{f}`")));
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            let expecting = format!(
                "struct {name} with {} element{}",
                fields.len(),
                if fields.len() == 1 { "" } else { "s" }
            );
            for (i, (_, required)) in fields.iter().enumerate() {
                match items.get(i) {
                    Some(item) => at(path, Seg::Index(i), |p| set(i, item, p))?,
                    None if *required => return Err(invalid_length(path, i, &expecting)),
                    None => {}
                }
            }
            if items.len() > fields.len() {
                return Err(invalid_length(path, items.len(), "fewer elements in array"));
            }
            Ok(())
        }
        _ => Err(invalid_type(path, v, &format!("struct {name}"))),
    }
}

fn text(v: &Value, path: &mut Path) -> Result<Text, Failure> {
    let mut t = Text::default();
    fields(
        v,
        path,
        "Text",
        &[("en", false), ("ko", false)],
        |i, v, p| {
            match i {
                0 => t.en = leaf(v, p)?,
                _ => t.ko = leaf(v, p)?,
            }
            Ok(())
        },
    )?;
    Ok(t)
}

fn opt_text(v: &Value, path: &mut Path) -> Result<Option<Text>, Failure> {
    option(v, path, text)
}

/// A unit-variant enum as serde_json's `Value` gives it: a string, or an
/// object with one key whose value is `null`.
fn difficulty(v: &Value, path: &mut Path) -> Result<Difficulty, Failure> {
    const VARIANTS: [&str; 3] = ["easy", "medium", "hard"];
    let (variant, value) = match v {
        Value::String(s) => (s, None),
        Value::Object(m) => {
            let mut it = m.iter();
            match (it.next(), it.next()) {
                (Some((k, value)), None) => (k, Some(value)),
                _ => {
                    return Err(fail(
                        path,
                        "invalid value: map, expected map with a single key",
                    ))
                }
            }
        }
        _ => return Err(invalid_type(path, v, "string or map")),
    };
    let d = match variant.as_str() {
        "easy" => Difficulty::Easy,
        "medium" => Difficulty::Medium,
        "hard" => Difficulty::Hard,
        other => {
            return Err(fail(
                path,
                format_args!("unknown variant `{other}`, expected {}", one_of(&VARIANTS)),
            ))
        }
    };
    if let Some(value) = value {
        at(path, Seg::Key(variant.clone()), |p| leaf::<()>(value, p))?;
    }
    Ok(d)
}

/// `#[serde(untagged)]`: the first variant that takes the value.
fn scalar(v: &Value, path: &mut Path) -> Result<Scalar, Failure> {
    match v {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Scalar::Int(i)),
            (None, Some(f)) => Ok(Scalar::Float(f)),
            _ => Err(no_variant(path)),
        },
        Value::Bool(b) => Ok(Scalar::Bool(*b)),
        Value::String(s) => Ok(Scalar::Str(s.clone())),
        _ => Err(no_variant(path)),
    }
}

fn no_variant(path: &[Seg]) -> Failure {
    fail(
        path,
        "data did not match any variant of untagged enum Scalar",
    )
}

fn opt_scalar(v: &Value, path: &mut Path) -> Result<Option<Scalar>, Failure> {
    option(v, path, scalar)
}

/// `(i64, i64)`: an array of exactly two.
fn pair(v: &Value, path: &mut Path) -> Result<(i64, i64), Failure> {
    let Value::Array(items) = v else {
        return Err(invalid_type(path, v, "a tuple of size 2"));
    };
    let mut out = [0i64; 2];
    for (i, slot) in out.iter_mut().enumerate() {
        let Some(item) = items.get(i) else {
            return Err(invalid_length(path, i, "a tuple of size 2"));
        };
        *slot = at(path, Seg::Index(i), |p| leaf(item, p))?;
    }
    if items.len() > 2 {
        return Err(invalid_length(path, items.len(), "fewer elements in array"));
    }
    let [a, b] = out;
    Ok((a, b))
}

fn param(v: &Value, path: &mut Path) -> Result<Param, Failure> {
    let mut p = Param {
        one_of: Vec::new(),
        range: None,
        suffix: None,
    };
    fields(
        v,
        path,
        "Param",
        &[("one_of", false), ("range", false), ("suffix", false)],
        |i, v, at| {
            match i {
                0 => p.one_of = strings(v, at)?,
                1 => p.range = option(v, at, pair)?,
                _ => p.suffix = option(v, at, |v, at| leaf(v, at))?,
            }
            Ok(())
        },
    )?;
    Ok(p)
}

/// The `params` map of a lab file.
pub fn params(v: &Value) -> Result<BTreeMap<String, Param>, Failure> {
    map(v, &mut Vec::new(), param)
}

fn node_setup(v: &Value, path: &mut Path) -> Result<NodeSetup, Failure> {
    let mut n = NodeSetup {
        name: String::new(),
        control_plane: false,
        cpu: None,
        memory: None,
        labels: BTreeMap::new(),
        taints: Vec::new(),
        unschedulable: false,
        kubelet_version: None,
    };
    fields(
        v,
        path,
        "NodeSetup",
        &[
            ("name", true),
            ("control_plane", false),
            ("cpu", false),
            ("memory", false),
            ("labels", false),
            ("taints", false),
            ("unschedulable", false),
            ("kubelet_version", false),
        ],
        |i, v, p| {
            match i {
                0 => n.name = leaf(v, p)?,
                1 => n.control_plane = leaf(v, p)?,
                2 => n.cpu = opt_string(v, p)?,
                3 => n.memory = opt_string(v, p)?,
                4 => n.labels = map(v, p, |v, p| leaf(v, p))?,
                5 => n.taints = strings(v, p)?,
                6 => n.unschedulable = leaf(v, p)?,
                _ => n.kubelet_version = opt_string(v, p)?,
            }
            Ok(())
        },
    )?;
    Ok(n)
}

fn setup(v: &Value, path: &mut Path) -> Result<Setup, Failure> {
    let mut s = Setup::default();
    fields(
        v,
        path,
        "Setup",
        &[
            ("nodes", false),
            ("manifests", false),
            ("commands", false),
            ("wait", false),
        ],
        |i, v, p| {
            match i {
                0 => s.nodes = seq(v, p, node_setup)?,
                1 => s.manifests = leaf(v, p)?,
                2 => s.commands = leaf(v, p)?,
                _ => s.wait = leaf(v, p)?,
            }
            Ok(())
        },
    )?;
    Ok(s)
}

const CHECK_FIELDS: [(&str, bool); 21] = [
    ("exists", false),
    ("absent", false),
    ("field", false),
    ("count", false),
    ("running", false),
    ("event", false),
    ("file", false),
    ("script", false),
    ("namespace", false),
    ("node", false),
    ("path", false),
    ("equals", false),
    ("matches", false),
    ("contains", false),
    ("at_least", false),
    ("deleted", false),
    ("selector", false),
    ("field_selector", false),
    ("reason", false),
    ("message", false),
    ("explain", false),
];

fn check(v: &Value, path: &mut Path) -> Result<Check, Failure> {
    let mut c = Check::default();
    fields(v, path, "Check", &CHECK_FIELDS, |i, v, p| {
        let slot = match i {
            0 => &mut c.exists,
            1 => &mut c.absent,
            2 => &mut c.field,
            3 => &mut c.count,
            4 => &mut c.running,
            5 => &mut c.event,
            6 => &mut c.file,
            7 => &mut c.script,
            8 => &mut c.namespace,
            9 => &mut c.node,
            10 => &mut c.path,
            11 => {
                c.equals = opt_scalar(v, p)?;
                return Ok(());
            }
            12 => &mut c.matches,
            13 => &mut c.contains,
            14 => {
                c.at_least = opt_scalar(v, p)?;
                return Ok(());
            }
            15 => {
                c.deleted = leaf(v, p)?;
                return Ok(());
            }
            16 => &mut c.selector,
            17 => &mut c.field_selector,
            18 => &mut c.reason,
            19 => &mut c.message,
            _ => {
                c.explain = opt_text(v, p)?;
                return Ok(());
            }
        };
        *slot = opt_string(v, p)?;
        Ok(())
    })?;
    Ok(c)
}

fn question(v: &Value, path: &mut Path) -> Result<Question, Failure> {
    let mut q = Question {
        choices: Vec::new(),
        answer: None,
        answer_script: None,
        explain: None,
    };
    fields(
        v,
        path,
        "Question",
        &[
            ("choices", false),
            ("answer", false),
            ("answer_script", false),
            ("explain", false),
        ],
        |i, v, p| {
            match i {
                0 => q.choices = strings(v, p)?,
                1 => q.answer = opt_string(v, p)?,
                2 => q.answer_script = opt_string(v, p)?,
                _ => q.explain = opt_text(v, p)?,
            }
            Ok(())
        },
    )?;
    Ok(q)
}

fn task(v: &Value, path: &mut Path) -> Result<Task, Failure> {
    let mut t = Task {
        id: String::new(),
        text: Text::default(),
        requires: Vec::new(),
        hints: Vec::new(),
        checks: Vec::new(),
        question: None,
        solution: String::new(),
    };
    fields(
        v,
        path,
        "Task",
        &[
            ("id", true),
            ("text", true),
            ("requires", false),
            ("hints", false),
            ("checks", false),
            ("question", false),
            ("solution", true),
        ],
        |i, v, p| {
            match i {
                0 => t.id = leaf(v, p)?,
                1 => t.text = text(v, p)?,
                2 => t.requires = strings(v, p)?,
                3 => t.hints = seq(v, p, text)?,
                4 => t.checks = seq(v, p, check)?,
                5 => t.question = option(v, p, question)?,
                _ => t.solution = leaf(v, p)?,
            }
            Ok(())
        },
    )?;
    Ok(t)
}

/// A whole lab file.
pub fn lab_spec(v: &Value) -> Result<LabSpec, Failure> {
    let mut l = LabSpec {
        id: String::new(),
        title: Text::default(),
        topic: String::new(),
        difficulty: Difficulty::Easy,
        minutes: 0,
        requires: Vec::new(),
        params: BTreeMap::new(),
        description: Text::default(),
        setup: Setup::default(),
        wait: crate::format::default_wait(),
        tasks: Vec::new(),
    };
    fields(
        v,
        &mut Vec::new(),
        "LabSpec",
        &[
            ("id", true),
            ("title", true),
            ("topic", true),
            ("difficulty", true),
            ("minutes", true),
            ("requires", false),
            ("params", false),
            ("description", true),
            ("setup", false),
            ("wait", false),
            ("tasks", true),
        ],
        |i, v, p| {
            match i {
                0 => l.id = leaf(v, p)?,
                1 => l.title = text(v, p)?,
                2 => l.topic = leaf(v, p)?,
                3 => l.difficulty = difficulty(v, p)?,
                4 => l.minutes = leaf(v, p)?,
                5 => l.requires = strings(v, p)?,
                6 => l.params = map(v, p, param)?,
                7 => l.description = text(v, p)?,
                8 => l.setup = setup(v, p)?,
                9 => l.wait = leaf(v, p)?,
                _ => l.tasks = seq(v, p, task)?,
            }
            Ok(())
        },
    )?;
    Ok(l)
}
