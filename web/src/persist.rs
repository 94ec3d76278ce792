//! Saving the session in `localStorage` so a reload (or a restart after a
//! crash) brings the cluster back. The engine is deterministic, so the
//! journal — the seed and every completed input — is enough to rebuild it.
//! The entry is versioned; an unreadable one is reported and reset, never a crash.

use gloo::storage::{LocalStorage, Storage};
use serde_json::{json, Value};

const KEY: &str = "dinghy/v1/session";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Journal {
    pub seed: u64,
    pub inputs: Vec<String>,
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
    let parsed: Option<Journal> = serde_json::from_str::<Value>(&raw).ok().and_then(|v| {
        let seed = v.get("seed")?.as_u64()?;
        let inputs = v
            .get("inputs")?
            .as_array()?
            .iter()
            .map(|i| i.as_str().map(String::from))
            .collect::<Option<Vec<_>>>()?;
        Some(Journal { seed, inputs })
    });
    match parsed {
        Some(j) => Loaded::Restored(j),
        None => {
            clear();
            Loaded::Corrupt
        }
    }
}

pub fn save(journal: &Journal) {
    let v = json!({ "seed": journal.seed, "inputs": journal.inputs });
    let _ = LocalStorage::raw().set_item(KEY, &v.to_string());
}

pub fn clear() {
    let _ = LocalStorage::raw().remove_item(KEY);
}
