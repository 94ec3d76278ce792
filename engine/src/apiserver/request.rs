//! Who is asking, whether they may, and what happened to the request on its
//! way through the apiserver: authentication → authorization → mutating
//! admission → validation → validating admission → etcd. Each request
//! leaves a [`RequestTrace`], kept in a ring so the UI can draw the path.

use std::collections::VecDeque;

/// An authenticated user (`user.Info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub groups: Vec<String>,
}

impl User {
    /// The kubeconfig `kubeadm init` writes for the admin.
    pub fn admin() -> Self {
        User {
            name: "kubernetes-admin".into(),
            groups: vec![
                "kubeadm:cluster-admins".into(),
                "system:authenticated".into(),
            ],
        }
    }

    pub fn new(name: &str, groups: &[&str]) -> Self {
        User {
            name: name.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }
}

/// What a request asks to do (`authorizer.Attributes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attributes {
    pub user: User,
    pub verb: String,
    pub group: String,
    /// The plural resource (`pods`).
    pub resource: String,
    /// `binding`, `status`, `scale`, `eviction`, or empty.
    pub subresource: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Denied, with the authorizer's reason (may be empty).
    Deny(String),
}

/// An authorization mode (`--authorization-mode=Node,RBAC`). RBAC arrives
/// later; until then [`AllowAll`].
pub trait Authorizer: std::fmt::Debug {
    fn authorize(&self, attrs: &Attributes) -> Decision;
    /// The name shown in traces.
    fn name(&self) -> &'static str;
}

/// Allows everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct AllowAll;

impl Authorizer for AllowAll {
    fn authorize(&self, _: &Attributes) -> Decision {
        Decision::Allow
    }
    fn name(&self) -> &'static str {
        "AlwaysAllow"
    }
}

/// Denies everything except `system:masters` (which the real apiserver
/// always allows, before any authorizer runs).
#[derive(Clone, Copy, Debug, Default)]
pub struct DenyAll;

impl Authorizer for DenyAll {
    fn authorize(&self, _: &Attributes) -> Decision {
        Decision::Deny(String::new())
    }
    fn name(&self) -> &'static str {
        "AlwaysDeny"
    }
}

/// The apiserver's 403 text for a denied request (`forbiddenMessage`).
pub fn forbidden_message(a: &Attributes) -> String {
    let resource = if a.subresource.is_empty() {
        a.resource.clone()
    } else {
        format!("{}/{}", a.resource, a.subresource)
    };
    let who = format!(
        "User {:?} cannot {} resource {:?} in API group {:?}",
        a.user.name, a.verb, resource, a.group
    );
    if a.namespace.is_empty() {
        format!("{who} at the cluster scope")
    } else {
        format!("{who} in the namespace {:?}", a.namespace)
    }
}

/// Where a step happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Authentication,
    Authorization,
    Decoding,
    MutatingAdmission,
    Validation,
    ValidatingAdmission,
    Etcd,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Authentication => "authentication",
            Stage::Authorization => "authorization",
            Stage::Decoding => "decoding",
            Stage::MutatingAdmission => "mutating admission",
            Stage::Validation => "validation",
            Stage::ValidatingAdmission => "validating admission",
            Stage::Etcd => "etcd",
        }
    }
}

/// One step of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    /// The admission plugin, for admission steps.
    pub plugin: Option<&'static str>,
    /// What happened (`added toleration node.kubernetes.io/not-ready`, `revision 42`).
    pub detail: String,
    /// The request stopped here with this error.
    pub failed: bool,
}

/// How a request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Written at this etcd revision.
    Written { revision: i64 },
    /// Served without writing (reads, no-op writes).
    Served,
    /// Refused, with the HTTP code and the message.
    Failed { code: u16, message: String },
}

/// The path one request took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestTrace {
    pub verb: String,
    /// `pods`, `pods/binding`, `deployments.apps/scale`.
    pub resource: String,
    pub namespace: Option<String>,
    pub name: String,
    pub user: String,
    pub steps: Vec<Step>,
    /// The admission plugins that ran, in order (mutating, then validating).
    pub admission: Vec<&'static str>,
    pub outcome: Outcome,
}

impl RequestTrace {
    pub fn new(
        verb: &str,
        resource: &str,
        namespace: Option<&str>,
        name: &str,
        user: &User,
    ) -> Self {
        RequestTrace {
            verb: verb.into(),
            resource: resource.into(),
            namespace: namespace.map(str::to_string),
            name: name.into(),
            user: user.name.clone(),
            steps: Vec::new(),
            admission: Vec::new(),
            outcome: Outcome::Served,
        }
    }

    pub fn step(&mut self, stage: Stage, detail: impl Into<String>) {
        self.steps.push(Step {
            stage,
            plugin: None,
            detail: detail.into(),
            failed: false,
        });
    }

    /// An admission plugin ran; `changes` is what it did (empty: nothing).
    pub fn plugin(&mut self, stage: Stage, plugin: &'static str, changes: &[String]) {
        if !self.admission.contains(&plugin) || stage == Stage::ValidatingAdmission {
            self.admission.push(plugin);
        }
        let detail = if changes.is_empty() {
            "no change".to_string()
        } else {
            changes.join("; ")
        };
        self.steps.push(Step {
            stage,
            plugin: Some(plugin),
            detail,
            failed: false,
        });
    }

    /// The request stopped at `stage` with `message`.
    pub fn fail(&mut self, stage: Stage, plugin: Option<&'static str>, code: u16, message: &str) {
        if let Some(p) = plugin {
            self.admission.push(p);
        }
        self.steps.push(Step {
            stage,
            plugin,
            detail: message.into(),
            failed: true,
        });
        self.outcome = Outcome::Failed {
            code,
            message: message.into(),
        };
    }

    /// One line per step, for tests and a text view.
    pub fn render(&self) -> String {
        let ns = self
            .namespace
            .as_deref()
            .map(|n| format!(" -n {n}"))
            .unwrap_or_default();
        let mut out = format!(
            "{} {} {}{} as {}\n",
            self.verb, self.resource, self.name, ns, self.user
        );
        for s in &self.steps {
            let plugin = s.plugin.map(|p| format!(" {p}")).unwrap_or_default();
            let mark = if s.failed { " ✗" } else { "" };
            out.push_str(&format!(
                "  {}{plugin}{mark}: {}\n",
                s.stage.as_str(),
                s.detail
            ));
        }
        match &self.outcome {
            Outcome::Written { revision } => {
                out.push_str(&format!("  => written at revision {revision}\n"))
            }
            Outcome::Served => out.push_str("  => served\n"),
            Outcome::Failed { code, .. } => out.push_str(&format!("  => {code}\n")),
        }
        out
    }
}

/// How many traces the apiserver keeps.
pub const TRACE_RING: usize = 200;

/// The last [`TRACE_RING`] traces, oldest first.
#[derive(Clone, Debug, Default)]
pub struct TraceRing {
    ring: VecDeque<RequestTrace>,
    /// How many traces were ever pushed.
    pushed: u64,
}

impl TraceRing {
    pub fn push(&mut self, t: RequestTrace) {
        if self.ring.len() >= TRACE_RING {
            self.ring.pop_front();
        }
        self.ring.push_back(t);
        self.pushed += 1;
    }
    pub fn pushed(&self) -> u64 {
        self.pushed
    }
    pub fn iter(&self) -> impl Iterator<Item = &RequestTrace> {
        self.ring.iter()
    }
}
