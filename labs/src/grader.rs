//! The grader: evaluates checks against the cluster's state — objects read
//! from the apiserver, files on the nodes, verify scripts — never against
//! the commands the learner typed. Every failure says what is wrong, in
//! both languages.

use crate::format::{Check, Question, Text};
use engine::api::{self, object, selector::FieldSelector, selector::LabelSelector, Resource};
use engine::kubectl::jsonpath::{relaxed, Template};
use engine::shell::{self, Session};
use engine::Simulation;
use serde_json::Value;

/// The outcome of one check or question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub passed: bool,
    /// What is wrong (empty when passed).
    pub explanation: Text,
}

impl Outcome {
    fn pass() -> Outcome {
        Outcome {
            passed: true,
            explanation: Text::default(),
        }
    }
    fn fail(en: String, ko: String) -> Outcome {
        Outcome {
            passed: false,
            explanation: Text { en, ko },
        }
    }
}

/// A `kind/name` reference resolved against the resource table.
struct Target {
    res: &'static Resource,
    name: String,
    ns: Option<String>,
}

impl Target {
    fn parse(spec: &str, ns: Option<&str>) -> Result<Target, String> {
        let (kind, name) = spec
            .split_once('/')
            .ok_or_else(|| format!("{spec:?} is not kind/name"))?;
        let res = api::resolve(kind).ok_or_else(|| format!("unknown resource type {kind:?}"))?;
        Ok(Target {
            res,
            name: name.to_string(),
            ns: res.namespaced.then(|| ns.unwrap_or("default").to_string()),
        })
    }

    /// `pod web` or `pod web (namespace dev)`: how explanations name it.
    fn label(&self) -> String {
        let kind = self.res.singular;
        match &self.ns {
            Some(ns) if ns != "default" => format!("{kind} {} (namespace {ns})", self.name),
            _ => format!("{kind} {}", self.name),
        }
    }

    fn get(&self, sim: &Simulation) -> Option<Value> {
        sim.cluster()
            .apiserver
            .get(self.res, self.ns.as_deref(), &self.name)
            .ok()
    }

    fn missing(&self) -> Outcome {
        let ns = self.ns.as_deref().unwrap_or("");
        let (en, ko) = if ns.is_empty() {
            (
                format!("{} {} does not exist.", self.res.singular, self.name),
                format!(
                    "{} {}이(가) 존재하지 않습니다.",
                    self.res.singular, self.name
                ),
            )
        } else {
            (
                format!(
                    "{} {} does not exist in namespace {ns}.",
                    self.res.singular, self.name
                ),
                format!(
                    "네임스페이스 {ns}에 {} {}이(가) 존재하지 않습니다.",
                    self.res.singular, self.name
                ),
            )
        };
        Outcome::fail(en, ko)
    }
}

/// Reads a JSONPath: a template as `-o jsonpath` takes it (`{.spec.nodeName}`,
/// `{.a} {.b}`), or a bare path in kubectl's relaxed form (`.spec.nodeName`).
fn jsonpath(path: &str, obj: &Value) -> Result<String, String> {
    let template = if path.contains('{') {
        path.to_string()
    } else {
        relaxed(path)?
    };
    let t = Template::parse(&template)?;
    t.execute(obj).map_err(|e| e.0)
}

/// Compares what was found with `equals`/`matches`/`contains`; `None` when
/// no comparison is set (presence is enough).
fn compare(check: &Check, actual: &str) -> Result<Option<(bool, String)>, String> {
    if let Some(e) = &check.equals {
        let e = e.text();
        return Ok(Some((actual.trim() == e.trim(), e)));
    }
    if let Some(m) = &check.matches {
        let re = regex_lite::Regex::new(m).map_err(|e| format!("matches: {e}"))?;
        return Ok(Some((re.is_match(actual), format!("/{m}/"))));
    }
    if let Some(c) = &check.contains {
        return Ok(Some((actual.contains(c.as_str()), c.clone())));
    }
    Ok(None)
}

fn shown(v: &str) -> String {
    if v.trim().is_empty() {
        "(empty)".into()
    } else {
        v.trim().to_string()
    }
}

fn shown_ko(v: &str) -> String {
    if v.trim().is_empty() {
        "(비어 있음)".into()
    } else {
        v.trim().to_string()
    }
}

/// Runs a script in a fresh shell on a node (the learner's session is
/// untouched): its output and exit status.
pub fn run_script(sim: &mut Simulation, node: &str, script: &str) -> (String, i32) {
    let mut session = Session::new(node);
    let mut pending = String::new();
    let mut text = String::new();
    let mut status = 0;
    for line in script.split_inclusive('\n') {
        pending.push_str(line);
        if !pending.ends_with('\n') {
            pending.push('\n');
        }
        if !Simulation::is_complete(&pending) {
            continue;
        }
        let input = std::mem::take(&mut pending);
        if input.trim().is_empty() {
            continue;
        }
        let out = shell::run(&mut session, sim.cluster_mut(), &input);
        text.push_str(&out.stdout());
        status = out.status;
    }
    if !pending.trim().is_empty() {
        let out = shell::run(&mut session, sim.cluster_mut(), &pending);
        text.push_str(&out.stdout());
        status = out.status;
    }
    (text, status)
}

/// Evaluates one check. `Err` is a defect of the lab (a bad path, an
/// unknown kind), reported by the validator and shown as a failure.
pub fn evaluate(check: &Check, sim: &mut Simulation) -> Result<Outcome, String> {
    let ns = check.namespace.as_deref();
    let outcome =
        if let Some(spec) = &check.exists {
            let t = Target::parse(spec, ns)?;
            if t.get(sim).is_some() {
                Outcome::pass()
            } else {
                t.missing()
            }
        } else if let Some(spec) = &check.absent {
            let t = Target::parse(spec, ns)?;
            // A terminating object is on its way out: on a node whose kubelet
            // is gone it may stay Terminating for ever, as in Kubernetes.
            let gone = t
                .get(sim)
                .is_none_or(|o| object::at(&o, "metadata.deletionTimestamp").is_some());
            if gone {
                Outcome::pass()
            } else {
                Outcome::fail(
                    format!("{} still exists.", t.label()),
                    format!("{}이(가) 아직 남아 있습니다.", t.label()),
                )
            }
        } else if let Some(spec) = &check.field {
            let t = Target::parse(spec, ns)?;
            let path = check.path.as_deref().ok_or("a field check needs a path")?;
            match t.get(sim) {
                None => t.missing(),
                Some(obj) => {
                    let actual = jsonpath(path, &obj)?;
                    match compare(check, &actual)? {
                        None if !actual.trim().is_empty() => Outcome::pass(),
                        None => Outcome::fail(
                            format!("{}: {path} is not set.", t.label()),
                            format!("{}: {path} 값이 설정되어 있지 않습니다.", t.label()),
                        ),
                        Some((true, _)) => Outcome::pass(),
                        Some((false, expected)) => Outcome::fail(
                            format!(
                                "{}: {path} is {}; the task asks for {expected}.",
                                t.label(),
                                shown(&actual)
                            ),
                            format!(
                            "{}: {path} 값이 {}입니다. 과제에서 요구하는 값은 {expected}입니다.",
                            t.label(),
                            shown_ko(&actual)
                        ),
                        ),
                    }
                }
            }
        } else if let Some(kind) = &check.count {
            let items = select(sim, kind, ns, check)?;
            let n = items.len() as u64;
            let what = describe_selection(kind, ns, check);
            if let Some(e) = &check.equals {
                let e = e.text();
                if n.to_string() == e.trim() {
                    Outcome::pass()
                } else {
                    Outcome::fail(
                        format!("Found {n} {what}; the task asks for {e}."),
                        format!("{what}: {n}개가 있습니다. 과제에서 요구하는 수는 {e}개입니다."),
                    )
                }
            } else {
                let min =
                    match &check.at_least {
                        None => 1,
                        Some(a) => a.text().trim().parse::<u64>().map_err(|_| {
                            format!("at_least: {:?} is not a whole number", a.text())
                        })?,
                    };
                if n >= min {
                    Outcome::pass()
                } else {
                    Outcome::fail(
                        format!("Found {n} {what}; the task asks for at least {min}."),
                        format!("{what}: {n}개가 있습니다. 과제에서는 최소 {min}개가 필요합니다."),
                    )
                }
            }
        } else if let Some(spec) = &check.running {
            running(sim, spec, ns, check)?
        } else if let Some(spec) = &check.event {
            let t = Target::parse(spec, ns)?;
            let reason = check.reason.as_deref().unwrap_or("");
            let events = sim.cluster().apiserver.list(
                api::resolve("events").ok_or("no events resource")?,
                t.ns.as_deref(),
            );
            let found = events.iter().any(|e| {
                object::str_at(e, "involvedObject.kind") == Some(t.res.kind)
                    && object::str_at(e, "involvedObject.name") == Some(t.name.as_str())
                    && (reason.is_empty() || object::str_at(e, "reason") == Some(reason))
                    && check.message.as_deref().is_none_or(|m| {
                        object::str_at(e, "message").is_some_and(|msg| msg.contains(m))
                    })
            });
            if found {
                Outcome::pass()
            } else {
                let extra = check
                    .message
                    .as_deref()
                    .map(|m| format!(" (message containing {m:?})"))
                    .unwrap_or_default();
                Outcome::fail(
                    format!("No {reason} event{extra} was recorded about {}.", t.label()),
                    format!(
                        "{}에 대한 {reason} 이벤트{extra}가 기록되지 않았습니다.",
                        t.label()
                    ),
                )
            }
        } else if let Some(path) = &check.file {
            let node = check.node.as_deref().unwrap_or("controlplane");
            let Some(m) = sim.cluster().machine(node) else {
                return Err(format!("no node named {node:?}"));
            };
            match m.fs.read_to_string(path) {
                Ok(_) if check.deleted => Outcome::fail(
                    format!("{path} still exists on {node}."),
                    format!("{node}에 {path} 파일이 아직 있습니다."),
                ),
                Err(_) if check.deleted => Outcome::pass(),
                Err(_) => Outcome::fail(
                    format!("{path} does not exist on {node}."),
                    format!("{node}에 {path} 파일이 없습니다."),
                ),
                Ok(text) => file_check(check, path, node, &text)?,
            }
        } else if let Some(script) = &check.script {
            let node = check.node.as_deref().unwrap_or("controlplane");
            if sim.cluster().machine(node).is_none() {
                return Err(format!("no node named {node:?}"));
            }
            let (_, status) = run_script(sim, node, script);
            if status == 0 {
                Outcome::pass()
            } else {
                Outcome::fail(
                    "The verify script failed.".into(),
                    "검증 스크립트가 실패했습니다.".into(),
                )
            }
        } else {
            return Err(
            "the check has no kind (exists, absent, field, count, running, event, file, script)"
                .into(),
        );
        };
    Ok(with_explain(outcome, check))
}

/// An instructor's `explain` replaces the built-in text; `{{actual}}` is
/// the built-in explanation's finding.
fn with_explain(mut o: Outcome, check: &Check) -> Outcome {
    if o.passed {
        return o;
    }
    if let Some(x) = &check.explain {
        let expected = check.equals.as_ref().map(|e| e.text()).unwrap_or_default();
        o.explanation = Text {
            en: x
                .en
                .replace("{{actual}}", &o.explanation.en)
                .replace("{{expected}}", &expected),
            ko: x
                .ko
                .replace("{{actual}}", &o.explanation.ko)
                .replace("{{expected}}", &expected),
        };
    }
    o
}

fn file_check(check: &Check, path: &str, node: &str, text: &str) -> Result<Outcome, String> {
    if let Some(jp) = &check.path {
        let docs = match engine::yaml::parse_documents(text) {
            Ok(d) => d,
            Err(e) => {
                return Ok(Outcome::fail(
                    format!("{path} on {node} is not valid YAML: {e}"),
                    format!("{node}의 {path}는 올바른 YAML이 아닙니다: {e}"),
                ))
            }
        };
        let doc = docs.into_iter().next().unwrap_or(Value::Null);
        let actual = jsonpath(jp, &doc)?;
        return Ok(match compare(check, &actual)? {
            None if !actual.trim().is_empty() => Outcome::pass(),
            Some((true, _)) => Outcome::pass(),
            None => Outcome::fail(
                format!("{path} on {node}: {jp} is not set."),
                format!("{node}의 {path}: {jp} 값이 설정되어 있지 않습니다."),
            ),
            Some((false, expected)) => Outcome::fail(
                format!(
                    "{path} on {node}: {jp} is {}; the task asks for {expected}.",
                    shown(&actual)
                ),
                format!(
                    "{node}의 {path}: {jp} 값이 {}입니다. 과제에서 요구하는 값은 {expected}입니다.",
                    shown_ko(&actual)
                ),
            ),
        });
    }
    Ok(match compare(check, text)? {
        None | Some((true, _)) => Outcome::pass(),
        Some((false, expected)) => Outcome::fail(
            format!("{path} on {node} does not contain {expected:?}."),
            format!("{node}의 {path}에 {expected:?} 내용이 없습니다."),
        ),
    })
}

/// Objects of a kind in a namespace (all with `namespace: "*"`), filtered
/// by the check's label and field selectors.
fn select(
    sim: &Simulation,
    kind: &str,
    ns: Option<&str>,
    check: &Check,
) -> Result<Vec<Value>, String> {
    let res = api::resolve(kind).ok_or_else(|| format!("unknown resource type {kind:?}"))?;
    let ns = match ns {
        Some("*") => None,
        Some(n) => res.namespaced.then_some(n),
        None => res.namespaced.then_some("default"),
    };
    let labels = match &check.selector {
        Some(s) => LabelSelector::parse(s)?,
        None => LabelSelector::everything(),
    };
    let fields = match &check.field_selector {
        Some(s) => Some(FieldSelector::parse(s)?),
        None => None,
    };
    Ok(sim
        .cluster()
        .apiserver
        .list(res, ns)
        .into_iter()
        .filter(|o| labels.matches_object(o))
        .filter(|o| fields.as_ref().is_none_or(|f| f.matches(res.kind, o)))
        // Objects being deleted are on their way out.
        .filter(|o| object::at(o, "metadata.deletionTimestamp").is_none())
        .collect())
}

fn describe_selection(kind: &str, ns: Option<&str>, check: &Check) -> String {
    let mut s = kind.to_string();
    if let Some(sel) = &check.selector {
        s.push_str(&format!(" with labels {sel}"));
    }
    if let Some(f) = &check.field_selector {
        s.push_str(&format!(" with {f}"));
    }
    match ns {
        Some("*") => s.push_str(" in all namespaces"),
        Some(n) => s.push_str(&format!(" in namespace {n}")),
        None => {}
    }
    s
}

/// A pod's phase and readiness as `kubectl get pods` would summarise them.
struct PodState {
    phase: String,
    ready: usize,
    total: usize,
    node: String,
}

fn pod_state(pod: &Value) -> PodState {
    let total = object::at(pod, "spec.containers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let ready = object::at(pod, "status.containerStatuses")
        .and_then(Value::as_array)
        .map_or(0, |cs| {
            cs.iter()
                .filter(|c| c.get("ready").and_then(Value::as_bool) == Some(true))
                .count()
        });
    PodState {
        phase: object::str_at(pod, "status.phase")
            .unwrap_or("Pending")
            .to_string(),
        ready,
        total,
        node: object::str_at(pod, "spec.nodeName")
            .unwrap_or("")
            .to_string(),
    }
}

fn running(
    sim: &Simulation,
    spec: &str,
    ns: Option<&str>,
    check: &Check,
) -> Result<Outcome, String> {
    let want_node = check.node.as_deref();
    let (pods, what): (Vec<(String, Value)>, String) = if spec.contains('/') {
        let t = Target::parse(spec, ns)?;
        match t.get(sim) {
            None => return Ok(t.missing()),
            Some(p) => (vec![(t.label(), p)], t.label()),
        }
    } else {
        let items = select(sim, spec, ns, check)?;
        let what = describe_selection(spec, ns, check);
        if items.is_empty() {
            return Ok(Outcome::fail(
                format!("There are no {what}."),
                format!("{what}: 하나도 없습니다."),
            ));
        }
        if let Some(e) = &check.equals {
            let e = e.text();
            if items.len().to_string() != e.trim() {
                return Ok(Outcome::fail(
                    format!("Found {} {what}; the task asks for {e}.", items.len()),
                    format!(
                        "{what}: {}개가 있습니다. 과제에서 요구하는 수는 {e}개입니다.",
                        items.len()
                    ),
                ));
            }
        }
        (
            items
                .into_iter()
                .map(|p| (format!("pod {}", object::name(&p)), p))
                .collect(),
            what,
        )
    };
    let _ = what;
    for (label, pod) in pods {
        let s = pod_state(&pod);
        let on = if s.node.is_empty() {
            "no node".to_string()
        } else {
            s.node.clone()
        };
        if s.phase != "Running" || s.ready < s.total {
            return Ok(Outcome::fail(
                format!(
                    "{label} is {} with {}/{} containers ready (node: {on}); it should be Running and ready.",
                    s.phase, s.ready, s.total
                ),
                format!(
                    "{label}의 상태는 {}이고 준비된 컨테이너는 {}/{}개입니다 (노드: {on}). Running 상태이면서 준비되어 있어야 합니다.",
                    s.phase, s.ready, s.total
                ),
            ));
        }
        if let Some(n) = want_node {
            if s.node != n {
                return Ok(Outcome::fail(
                    format!("{label} runs on {on}; the task asks for node {n}."),
                    format!(
                        "{label}은(는) {on}에서 실행 중입니다. 과제에서 요구하는 노드는 {n}입니다."
                    ),
                ));
            }
        }
    }
    Ok(Outcome::pass())
}

/// Normalises an answer: trimmed, inner whitespace collapsed, lowercase.
fn normalise(s: &str) -> String {
    engine::case::to_lowercase(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Grades a question's answer; the expected answer may be computed now.
pub fn grade_question(
    q: &Question,
    answer: Option<&str>,
    sim: &mut Simulation,
) -> Result<Outcome, String> {
    let expected = match (&q.answer, &q.answer_script) {
        (Some(a), None) => a.clone(),
        (None, Some(script)) => run_script(sim, "controlplane", script).0,
        _ => return Err("a question needs exactly one of answer, answer_script".into()),
    };
    let given = answer.unwrap_or("");
    let o = if given.trim().is_empty() {
        Outcome::fail(
            "The question has not been answered.".into(),
            "아직 답하지 않았습니다.".into(),
        )
    } else if normalise(given) == normalise(&expected) {
        Outcome::pass()
    } else if !q.choices.is_empty() && !q.choices.iter().any(|c| normalise(c) == normalise(given)) {
        Outcome::fail(
            format!(
                "{:?} is not one of the choices: {}.",
                given.trim(),
                q.choices.join(", ")
            ),
            format!(
                "{:?}은(는) 보기에 없습니다: {}.",
                given.trim(),
                q.choices.join(", ")
            ),
        )
    } else {
        Outcome::fail(
            format!("{:?} is not the right answer.", given.trim()),
            format!("{:?}은(는) 정답이 아닙니다.", given.trim()),
        )
    };
    if !o.passed {
        if let Some(x) = &q.explain {
            return Ok(Outcome {
                passed: false,
                explanation: x.clone(),
            });
        }
    }
    Ok(o)
}
