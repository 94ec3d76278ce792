//! Saving the session in `localStorage` so a reload (or a restart after a
//! crash) brings the cluster back. The engine is deterministic, so the
//! journal — the seed, every completed input and every move of the clock —
//! is enough to rebuild it. The entry is versioned; an unreadable one is
//! reported and reset, never a crash.

use gloo::storage::{LocalStorage, Storage};
use serde_json::{json, Value};

const KEY: &str = "dinghy/v2/session";

/// One thing that changed the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A complete shell input.
    Input(String),
    /// The clock moved by this many milliseconds (time controls).
    Step(i64),
    /// The open editor closed: the saved text, or nothing (`:q!`).
    Editor(Option<String>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journal {
    pub seed: u64,
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
            Entry::Step(_) | Entry::Editor(_) => None,
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
    let entries = v
        .get("entries")?
        .as_array()?
        .iter()
        .map(|e| {
            if let Some(s) = e.get("in").and_then(Value::as_str) {
                Some(Entry::Input(s.to_string()))
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
    Some(Journal { seed, entries })
}

pub fn save(journal: &Journal) {
    let entries: Vec<Value> = journal
        .entries
        .iter()
        .map(|e| match e {
            Entry::Input(s) => json!({ "in": s }),
            Entry::Step(ms) => json!({ "step": ms }),
            Entry::Editor(saved) => json!({ "editor": saved }),
        })
        .collect();
    let v = json!({ "seed": journal.seed, "entries": entries });
    let _ = LocalStorage::raw().set_item(KEY, &v.to_string());
}

pub fn clear() {
    let _ = LocalStorage::raw().remove_item(KEY);
}
