//! `decode.rs` against serde's derive wrapped in `serde_path_to_error`, the
//! way lab files were read before: the same result or the same error at
//! the same spot, for every bundled lab with every value replaced by
//! values of the wrong shape, every key removed and unknown keys added.

use crate::decode;
use crate::format::{LabSpec, Param};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn serde_lab(tree: &Value) -> Result<String, (String, String)> {
    serde_path_to_error::deserialize::<_, LabSpec>(tree.clone())
        .map(|l| format!("{l:?}"))
        .map_err(|e| (e.path().to_string(), e.inner().to_string()))
}

fn ours_lab(tree: &Value) -> Result<String, (String, String)> {
    decode::lab_spec(tree).map(|l| format!("{l:?}"))
}

fn serde_params(v: &Value) -> Result<String, (String, String)> {
    serde_path_to_error::deserialize::<_, BTreeMap<String, Param>>(v.clone())
        .map(|p| format!("{p:?}"))
        .map_err(|e| (e.path().to_string(), e.inner().to_string()))
}

fn ours_params(v: &Value) -> Result<String, (String, String)> {
    decode::params(v).map(|p| format!("{p:?}"))
}

/// Where a value sits: object keys and array indexes.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn paths(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                path.push(Step::Key(k.clone()));
                paths(c, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                path.push(Step::Index(i));
                paths(c, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match s {
            Step::Key(k) => cur.as_object_mut()?.get_mut(k)?,
            Step::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// Values of every shape, including the odd forms serde accepts (a struct
/// as an array, an enum as a one-key object).
fn wrong() -> Vec<Value> {
    serde_json::from_str(
        r#"[null, "x", "", "easy", 1, -1, 1.5, 2.0, true, 18446744073709551615, 5000000000,
            [], ["x"], ["a", "b"], [1, 2], [1, 2, 3], ["a", "b", "c"], [null], [1, "x"],
            {}, {"en": "a"}, {"en": "a", "ko": "b"}, {"a": 1}, {"easy": null}, {"hard": 1},
            {"x": null}, {"easy": null, "hard": null}, {"one_of": ["a"]}, {"name": "n"}]"#,
    )
    .unwrap_or_default()
}

fn compare(
    tree: &Value,
    ours: fn(&Value) -> Result<String, (String, String)>,
    theirs: fn(&Value) -> Result<String, (String, String)>,
    failures: &mut Vec<String>,
) {
    let (a, b) = (ours(tree), theirs(tree));
    if a != b {
        failures.push(format!("{tree}\n  ours:  {a:?}\n  serde: {b:?}"));
    }
}

/// Every mutation of `tree`, each compared.
fn mutations(
    tree: &Value,
    ours: fn(&Value) -> Result<String, (String, String)>,
    theirs: fn(&Value) -> Result<String, (String, String)>,
    failures: &mut Vec<String>,
) -> usize {
    let mut checked = 0;
    compare(tree, ours, theirs, failures);
    let mut all = Vec::new();
    paths(tree, &mut Vec::new(), &mut all);
    for path in &all {
        for w in wrong() {
            let mut t = tree.clone();
            if let Some(slot) = at_mut(&mut t, path) {
                *slot = w;
            }
            compare(&t, ours, theirs, failures);
            checked += 1;
        }
        let mut t = tree.clone();
        if let Some(Value::Object(m)) = at_mut(&mut t, path) {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let mut t = t.clone();
                if let Some(Value::Object(m)) = at_mut(&mut t, path) {
                    m.shift_remove(&k);
                }
                compare(&t, ours, theirs, failures);
                checked += 1;
            }
            for extra in ["zzUnknown", "aUnknown"] {
                let mut t = t.clone();
                if let Some(Value::Object(m)) = at_mut(&mut t, path) {
                    m.insert(extra.into(), json!(1));
                }
                compare(&t, ours, theirs, failures);
                checked += 1;
            }
        }
    }
    checked
}

fn report(failures: &[String], checked: usize) {
    assert!(
        failures.is_empty(),
        "{} of {checked} differ; first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn lab_files_read_as_serde_reads_them() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for f in crate::BUNDLED {
        let Ok(mut docs) = engine::yaml::parse_documents(f.text) else {
            continue;
        };
        let Some(tree) = docs.pop() else { continue };
        // Lab::load reads the params first, then the whole file.
        if let Some(p) = tree.get("params") {
            checked += mutations(p, ours_params, serde_params, &mut failures);
        }
        checked += mutations(&tree, ours_lab, serde_lab, &mut failures);
    }
    assert!(checked > 50_000, "{checked} trees checked");
    report(&failures, checked);
}

#[test]
fn odd_shapes_read_as_serde_reads_them() {
    // Fields of every type given every shape, on a small lab with one of each.
    let tree = json!({
        "id": "t", "title": {"en": "T", "ko": "ㅌ"}, "topic": "pods",
        "difficulty": "hard", "minutes": 3, "requires": ["a"],
        "params": {"p": {"one_of": ["a"], "range": [1, 2], "suffix": 3}},
        "description": {"en": "d", "ko": "ㄷ"},
        "setup": {"nodes": [{"name": "n", "control_plane": true, "cpu": "2", "memory": "1Gi",
                             "labels": {"a": "b"}, "taints": ["k:NoSchedule"],
                             "unschedulable": true, "kubelet_version": "v1.32.4"}],
                  "manifests": "", "commands": "", "wait": 1},
        "wait": 5,
        "tasks": [{"id": "a", "text": {"en": "x"}, "requires": [], "hints": [{"ko": "y"}],
                   "checks": [{"field": "pod/x", "path": "{.a}", "equals": 3, "at_least": "x",
                               "deleted": false, "explain": {"en": "e"}}],
                   "question": {"choices": ["a"], "answer": "a", "answer_script": "s",
                                "explain": {"en": "q"}},
                   "solution": "s"}]
    });
    let mut failures = Vec::new();
    let checked = mutations(&tree, ours_lab, serde_lab, &mut failures);
    report(&failures, checked);
}
