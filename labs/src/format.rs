//! The lab file format. `decode.rs` reads it (serde's derives here are its
//! oracle in the tests, and say what serde would accept). A lab is one YAML file; every
//! learner-facing string is a [`Text`] with `en` and `ko`. Unknown fields
//! are errors, so a misspelt key is reported instead of silently ignored.
//! `labs/README.md` documents the format for instructors.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A learner-facing string in both languages (Markdown).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub ko: String,
}

/// The learner's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }
}

impl Text {
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            ko: ko.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// A lab file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabSpec {
    pub id: String,
    pub title: Text,
    pub topic: String,
    pub difficulty: Difficulty,
    pub minutes: u32,
    /// Engine features the lab needs (see `features.rs`); while one is
    /// missing the validator reports the lab as pending, naming it.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Random parameters, drawn from the seed; `{{name}}` anywhere else.
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
    pub description: Text,
    #[serde(default)]
    pub setup: Setup,
    /// Simulated seconds the cluster runs after the solution (or the
    /// learner's commands, in `dinghy lab check`) before grading.
    #[serde(default = "default_wait")]
    pub wait: u64,
    pub tasks: Vec<Task>,
}

pub(crate) fn default_wait() -> u64 {
    30
}

/// How a parameter is drawn.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// One of these values.
    #[serde(default)]
    pub one_of: Vec<String>,
    /// A whole number in `[low, high]`.
    #[serde(default)]
    pub range: Option<(i64, i64)>,
    /// Random lowercase alphanumerics of this length (apimachinery's alphabet).
    #[serde(default)]
    pub suffix: Option<usize>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The machines; absent means `controlplane` + `node01`.
    #[serde(default)]
    pub nodes: Vec<NodeSetup>,
    /// Manifests created as the cluster admin, through the apiserver.
    #[serde(default)]
    pub manifests: String,
    /// A shell script run on `controlplane` after the manifests (files,
    /// faults such as `ssh node01 systemctl stop kubelet`).
    #[serde(default)]
    pub commands: String,
    /// Simulated seconds to run the cluster after setup.
    #[serde(default)]
    pub wait: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSetup {
    pub name: String,
    #[serde(default)]
    pub control_plane: bool,
    #[serde(default)]
    pub cpu: Option<String>,
    #[serde(default)]
    pub memory: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `key=value:Effect` or `key:Effect`, as `kubectl taint` writes them.
    #[serde(default)]
    pub taints: Vec<String>,
    /// Cordoned (`spec.unschedulable`), as `kubectl cordon` leaves it.
    #[serde(default)]
    pub unschedulable: bool,
    /// The kubelet's version, e.g. `v1.32.4` (default: the cluster's,
    /// v1.33.1): a node an upgrade has not reached yet. The skew policy
    /// allows v1.30 to v1.33.
    #[serde(default)]
    pub kubelet_version: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: String,
    pub text: Text,
    /// Features this task needs beyond the lab's; while one is missing the
    /// validator skips the task (reporting it pending). Put such tasks last.
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub hints: Vec<Text>,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub question: Option<Question>,
    /// Shell commands that solve the task. For a question, the solution's
    /// output (trimmed) is the answer the validator gives.
    pub solution: String,
}

/// A question whose answer may be computed from the live cluster.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Multiple choice, when given; the answer must be one of them.
    #[serde(default)]
    pub choices: Vec<String>,
    /// The answer as a literal.
    #[serde(default)]
    pub answer: Option<String>,
    /// The answer as what this script prints on `controlplane` at grading time.
    #[serde(default)]
    pub answer_script: Option<String>,
    /// What to say when the answer is wrong; a default is used otherwise.
    #[serde(default)]
    pub explain: Option<Text>,
}

/// A check: exactly one of the kind keys (`exists`, `absent`, `field`,
/// `count`, `running`, `event`, `file`, `script`) with its options.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// `kind/name`: the object exists.
    #[serde(default)]
    pub exists: Option<String>,
    /// `kind/name`: the object does not exist.
    #[serde(default)]
    pub absent: Option<String>,
    /// `kind/name`: the JSONPath `path` of the object (see `equals`, `matches`, `contains`).
    #[serde(default)]
    pub field: Option<String>,
    /// `kind` (plural or short): how many objects (`selector`, `field_selector`, `equals`, `at_least`).
    #[serde(default)]
    pub count: Option<String>,
    /// `pod/name`, or `pods` with a `selector`: Running with every container ready (on `node`).
    #[serde(default)]
    pub running: Option<String>,
    /// `kind/name`: an event about that object with `reason` (and `message` contained).
    #[serde(default)]
    pub event: Option<String>,
    /// A file path on `node` (default controlplane): it exists; with `path`,
    /// it is YAML and the JSONPath compares; with `contains`, the text has it.
    #[serde(default)]
    pub file: Option<String>,
    /// A verify script run in a fresh shell on `node`: exit status 0 passes.
    #[serde(default)]
    pub script: Option<String>,

    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub node: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub equals: Option<Scalar>,
    #[serde(default)]
    pub matches: Option<String>,
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default)]
    pub at_least: Option<Scalar>,
    /// With `file`: passes when the file does NOT exist.
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub selector: Option<String>,
    #[serde(default)]
    pub field_selector: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// The learner-facing explanation when the check fails; `{{actual}}`
    /// and `{{expected}}` are filled in. Kinds other than `script` have a
    /// built-in explanation in both languages.
    #[serde(default)]
    pub explain: Option<Text>,
}

/// A value to compare with: YAML may write `3`, `"3"` or `true`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Scalar {
    Int(i64),
    Bool(bool),
    Float(f64),
    Str(String),
}

impl Scalar {
    pub fn text(&self) -> String {
        match self {
            Scalar::Int(i) => i.to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

impl Check {
    /// The kind keys that are set, by name.
    pub fn kinds(&self) -> Vec<&'static str> {
        let mut k = Vec::new();
        for (name, set) in [
            ("exists", self.exists.is_some()),
            ("absent", self.absent.is_some()),
            ("field", self.field.is_some()),
            ("count", self.count.is_some()),
            ("running", self.running.is_some()),
            ("event", self.event.is_some()),
            ("file", self.file.is_some()),
            ("script", self.script.is_some()),
        ] {
            if set {
                k.push(name);
            }
        }
        k
    }
}
