//! Saving the session in `localStorage` so a reload (or a restart after a
//! crash) brings the cluster back. The engine is deterministic, so the
//! journal — the seed, every completed input and every move of the clock —
//! is enough to rebuild it. The entry is versioned; an unreadable one is
//! reported and reset, never a crash.

use gloo::storage::{LocalStorage, Storage};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const KEY: &str = "dinghy/v2/session";
const PROGRESS_KEY: &str = "dinghy/v1/progress";

/// One thing that changed the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A complete shell input.
    Input(String),
    /// The clock moved by this many milliseconds (time controls).
    Step(i64),
    /// The open editor closed: the saved text, or nothing (`:q!`).
    Editor(Option<String>),
    /// A line typed at a command's question: its answer (replayed as
    /// typed, but not a command of the history).
    Answer(String),
    /// Ctrl-C at a command's question (`kubeadm upgrade apply`'s
    /// `[y/N]`): the command ended.
    Interrupt,
    /// The lab was graded with these answers (a question's answer script
    /// runs commands in the cluster, so grading is replayed too).
    Check(BTreeMap<String, String>),
}

/// Where the lab the cluster was set up for came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabSource {
    /// Shipped with Dinghy, by id.
    Bundled(String),
    /// An instructor's file (from a URL or dropped): its name and text.
    File { name: String, text: String },
}

impl LabSource {
    /// The file name and text to load.
    pub fn file(&self) -> Option<(String, String)> {
        match self {
            LabSource::Bundled(id) => {
                labs::find(id).map(|f| (f.path.to_string(), f.text.to_string()))
            }
            LabSource::File { name, text } => Some((name.clone(), text.clone())),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journal {
    pub seed: u64,
    /// The lab whose setup made the cluster, if any.
    pub lab: Option<LabSource>,
    pub entries: Vec<Entry>,
}

impl Journal {
    pub fn push(&mut self, e: Entry) {
        // Consecutive clock moves merge, so a running clock does not grow the journal.
        if let (Entry::Step(ms), Some(Entry::Step(last))) = (&e, self.entries.last_mut()) {
            *last += ms;
            return;
        }
        self.entries.push(e);
    }

    pub fn inputs(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Input(s) => Some(s.as_str()),
            Entry::Step(_)
            | Entry::Editor(_)
            | Entry::Check(_)
            | Entry::Interrupt
            | Entry::Answer(_) => None,
        })
    }
}

pub enum Loaded {
    Fresh,
    Restored(Journal),
    /// The saved entry could not be read; it has been removed.
    Corrupt,
}

pub fn load() -> Loaded {
    let raw: Option<String> = LocalStorage::raw().get_item(KEY).ok().flatten();
    let Some(raw) = raw else { return Loaded::Fresh };
    match parse(&raw) {
        Some(j) => Loaded::Restored(j),
        None => {
            clear();
            Loaded::Corrupt
        }
    }
}

fn parse(raw: &str) -> Option<Journal> {
    let v: Value = serde_json::from_str(raw).ok()?;
    let seed = v.get("seed")?.as_u64()?;
    let lab = match v.get("lab") {
        None | Some(Value::Null) => None,
        Some(l) => Some(if let Some(id) = l.get("id").and_then(Value::as_str) {
            LabSource::Bundled(id.to_string())
        } else {
            LabSource::File {
                name: l.get("name")?.as_str()?.to_string(),
                text: l.get("text")?.as_str()?.to_string(),
            }
        }),
    };
    let entries = v
        .get("entries")?
        .as_array()?
        .iter()
        .map(|e| {
            if let Some(s) = e.get("in").and_then(Value::as_str) {
                Some(Entry::Input(s.to_string()))
            } else if let Some(s) = e.get("answer").and_then(Value::as_str) {
                Some(Entry::Answer(s.to_string()))
            } else if e.get("interrupt").is_some() {
                Some(Entry::Interrupt)
            } else if let Some(answers) = e.get("check") {
                strings(answers).map(Entry::Check)
            } else if let Some(ed) = e.get("editor") {
                match ed {
                    Value::Null => Some(Entry::Editor(None)),
                    Value::String(t) => Some(Entry::Editor(Some(t.clone()))),
                    _ => None,
                }
            } else {
                e.get("step").and_then(Value::as_i64).map(Entry::Step)
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Journal { seed, lab, entries })
}

/// A JSON object of strings.
fn strings(v: &Value) -> Option<BTreeMap<String, String>> {
    let pairs: Vec<(String, String)> = v
        .as_object()?
        .iter()
        .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect::<Option<_>>()?;
    Some(engine::sort::map(pairs))
}

pub fn save(journal: &Journal) {
    let _ = LocalStorage::raw().set_item(KEY, &to_json(journal));
}

/// The journal as saved: `parse` reads it back.
fn to_json(journal: &Journal) -> String {
    let entries: Vec<Value> = journal
        .entries
        .iter()
        .map(|e| match e {
            Entry::Input(s) => json!({ "in": s }),
            Entry::Step(ms) => json!({ "step": ms }),
            Entry::Editor(saved) => json!({ "editor": saved }),
            Entry::Check(answers) => json!({ "check": answers }),
            Entry::Answer(s) => json!({ "answer": s }),
            Entry::Interrupt => json!({ "interrupt": true }),
        })
        .collect();
    let lab = match &journal.lab {
        None => Value::Null,
        Some(LabSource::Bundled(id)) => json!({ "id": id }),
        Some(LabSource::File { name, text }) => json!({ "name": name, "text": text }),
    };
    json!({ "seed": journal.seed, "lab": lab, "entries": entries }).to_string()
}

pub fn clear() {
    let _ = LocalStorage::raw().remove_item(KEY);
}

/// What the learner did in one lab: the tasks passed at the last check,
/// the answers typed, how many hints are shown, which solutions are open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabProgress {
    pub passed: Vec<String>,
    pub answers: BTreeMap<String, String>,
    pub hints: BTreeMap<String, usize>,
    pub solutions: Vec<String>,
}

/// Every lab's progress, by lab key (`pods`, or `file:<id>` for an instructor's lab),
/// boxed to share a map's code with the engine's (`engine::maps`).
pub type Progress = engine::maps::BoxedMap<LabProgress>;

/// The saved progress; `Err` when the entry could not be read (it has then been removed).
pub fn load_progress() -> Result<Progress, ()> {
    let raw: Option<String> = LocalStorage::raw().get_item(PROGRESS_KEY).ok().flatten();
    let Some(raw) = raw else {
        return Ok(Progress::new());
    };
    match parse_progress(&raw) {
        Some(p) => Ok(p),
        None => {
            let _ = LocalStorage::raw().remove_item(PROGRESS_KEY);
            Err(())
        }
    }
}

fn parse_progress(raw: &str) -> Option<Progress> {
    let v: Value = serde_json::from_str(raw).ok()?;
    if v.get("version")?.as_u64()? != 1 {
        return None;
    }
    let labs: Vec<(String, Box<LabProgress>)> = v
        .get("labs")?
        .as_object()?
        .iter()
        .map(|(k, l)| {
            let list = |key: &str| -> Option<Vec<String>> {
                l.get(key)?
                    .as_array()?
                    .iter()
                    .map(|s| s.as_str().map(str::to_string))
                    .collect()
            };
            let hints = l
                .get("hints")?
                .as_object()?
                .iter()
                .map(|(k, n)| Some((k.clone(), n.as_u64()? as usize)))
                .collect::<Option<Vec<_>>>()?;
            let hints = engine::sort::map(hints);
            Some((
                k.clone(),
                Box::new(LabProgress {
                    passed: list("passed")?,
                    answers: strings(l.get("answers")?)?,
                    hints,
                    solutions: list("solutions")?,
                }),
            ))
        })
        .collect::<Option<_>>()?;
    Some(engine::sort::map(labs))
}

pub fn save_progress(p: &Progress) {
    let labs: Map<String, Value> = p
        .iter()
        .map(|(k, l)| {
            (
                k.clone(),
                json!({
                    "passed": l.passed,
                    "answers": l.answers,
                    "hints": l.hints,
                    "solutions": l.solutions,
                }),
            )
        })
        .collect();
    let v = json!({ "version": 1, "labs": labs });
    let _ = LocalStorage::raw().set_item(PROGRESS_KEY, &v.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_rejects_garbage() {
        let mut p = Progress::new();
        p.insert(
            "pods".into(),
            Box::new(LabProgress {
                passed: vec!["count".into()],
                answers: [("count".to_string(), "3".to_string())].into(),
                hints: [("run".to_string(), 1)].into(),
                solutions: vec![],
            }),
        );
        let labs: Map<String, Value> = p
            .iter()
            .map(|(k, l)| {
                (
                    k.clone(),
                    json!({"passed": l.passed, "answers": l.answers, "hints": l.hints, "solutions": l.solutions}),
                )
            })
            .collect();
        let raw = json!({ "version": 1, "labs": labs }).to_string();
        assert_eq!(parse_progress(&raw), Some(p));
        assert_eq!(parse_progress("{not json"), None);
        assert_eq!(parse_progress(r#"{"version":2,"labs":{}}"#), None);
        assert_eq!(
            parse_progress(r#"{"version":1,"labs":{"x":{"passed":[1]}}}"#),
            None
        );
    }

    #[test]
    fn a_streaming_command_saves_one_merged_time_step() {
        // `watch -n 1` for ten minutes: one tick a second, each journaled as
        // the step it is; the clock running alongside adds steps too.
        let mut j = Journal::default();
        j.push(Entry::Input("watch -n 1 kubectl get pods\n".into()));
        for _ in 0..600 {
            j.push(Entry::Step(1000));
        }
        j.push(Entry::Step(60_000));
        j.push(Entry::Input("kubectl get pods\n".into()));
        j.push(Entry::Step(2000));
        assert_eq!(
            j.entries,
            [
                Entry::Input("watch -n 1 kubectl get pods\n".into()),
                Entry::Step(660_000),
                Entry::Input("kubectl get pods\n".into()),
                Entry::Step(2000),
            ]
        );
        let saved = to_json(&j);
        assert_eq!(
            saved,
            r#"{"seed":0,"lab":null,"entries":[{"in":"watch -n 1 kubectl get pods\n"},{"step":660000},{"in":"kubectl get pods\n"},{"step":2000}]}"#
        );
        assert_eq!(parse(&saved), Some(j));
    }

    #[test]
    fn a_question_s_answer_and_its_ctrl_c_are_saved_as_such_so_a_reload_replays_them() {
        let mut j = Journal::default();
        j.push(Entry::Input("kubeadm upgrade apply v1.33.6\n".into()));
        j.push(Entry::Interrupt);
        j.push(Entry::Input("kubeadm upgrade apply v1.33.6\n".into()));
        j.push(Entry::Answer("y\n".into()));
        j.push(Entry::Input("ls\n".into()));
        let saved = to_json(&j);
        assert_eq!(
            saved,
            r#"{"seed":0,"lab":null,"entries":[{"in":"kubeadm upgrade apply v1.33.6\n"},{"interrupt":true},{"in":"kubeadm upgrade apply v1.33.6\n"},{"answer":"y\n"},{"in":"ls\n"}]}"#
        );
        // An answer is no command of the history.
        assert_eq!(
            j.inputs().collect::<Vec<_>>(),
            [
                "kubeadm upgrade apply v1.33.6\n",
                "kubeadm upgrade apply v1.33.6\n",
                "ls\n"
            ]
        );
        assert_eq!(parse(&saved), Some(j));
    }

    #[test]
    fn journal_with_a_lab_parses() {
        let raw = r#"{"seed":3,"lab":{"id":"pods"},"entries":[{"in":"ls\n"},{"check":{"count":"4"}},{"step":1000}]}"#;
        let j = parse(raw).unwrap_or_default();
        assert_eq!(j.lab, Some(LabSource::Bundled("pods".into())));
        assert_eq!(j.entries.len(), 3);
        assert_eq!(
            j.entries[1],
            Entry::Check([("count".to_string(), "4".to_string())].into())
        );
        // A session saved before labs existed still reads.
        let old = r#"{"seed":1,"entries":[]}"#;
        assert_eq!(parse(old).map(|j| j.lab), Some(None));
    }
}
