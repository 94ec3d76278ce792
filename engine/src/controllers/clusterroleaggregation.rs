// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The ClusterRole aggregation controller
//! (`pkg/controller/clusterroleaggregation`): a ClusterRole with an
//! `aggregationRule` gets the rules of every ClusterRole its selectors match,
//! taken in name order, each rule once. This is how `admin`, `edit` and
//! `view` are filled from the `aggregate-to-*` labelled roles, a learner's
//! own included; the rules it writes replace whatever was edited in.

use super::util;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{Map, Value};

#[derive(Debug, Default)]
pub struct ClusterRoleAggregationController {
    /// Name and resourceVersion of every ClusterRole when a sync last found
    /// nothing to do: until one of them changes there is nothing to do
    /// (the informer's "only on change"; recomputing every aggregation on
    /// every sync was the largest cost of an idle cluster).
    settled: Vec<(String, String)>,
}

impl ClusterRoleAggregationController {
    pub fn new() -> Self {
        Self::default()
    }
}

/// A rule with its empty lists dropped: the apiserver compares rules
/// semantically, where an empty list and a missing one are the same.
fn normalized(rule: &Value) -> Value {
    let mut m = Map::new();
    if let Some(o) = rule.as_object() {
        for (k, v) in o {
            let empty = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
            if !empty {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(m)
}

fn rules(role: &Value) -> Vec<Value> {
    role.get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The rules an aggregated role should hold, given all ClusterRoles.
fn aggregate(role: &Value, all: &[std::sync::Arc<Value>]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let selectors = object::at(role, "aggregationRule.clusterRoleSelectors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut sorted: Vec<&Value> = all.iter().map(|r| &**r).collect();
    crate::sort::sort_by(&mut sorted, |a, b| object::name(a).cmp(object::name(b)));
    for selector in &selectors {
        for other in &sorted {
            if object::name(other) == object::name(role)
                || !util::selector_matches(Some(selector), &util::labels(other))
            {
                continue;
            }
            for rule in rules(other) {
                let n = normalized(&rule);
                if !out.iter().any(|r| normalized(r) == n) {
                    out.push(rule);
                }
            }
        }
    }
    out
}

impl Component for ClusterRoleAggregationController {
    fn name(&self) -> String {
        "clusterrole-aggregation-controller".into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let all = util::list(ctx.api, "clusterroles", None);
        let seen: Vec<(String, String)> = all
            .iter()
            .map(|r| {
                let rv = object::str_at(r, "metadata.resourceVersion").unwrap_or("");
                (object::name(r).to_string(), rv.to_string())
            })
            .collect();
        if seen == self.settled {
            return;
        }
        let mut changed = false;
        for role in &all {
            if object::at(role, "aggregationRule").is_none_or(Value::is_null) {
                continue;
            }
            let want = aggregate(role, &all);
            let have: Vec<Value> = rules(role).iter().map(normalized).collect();
            if have == want.iter().map(normalized).collect::<Vec<_>>() {
                continue;
            }
            let mut updated = (**role).clone();
            updated["rules"] = Value::Array(want);
            util::update(ctx.api, "clusterroles", updated);
            changed = true;
        }
        self.settled = if changed { Vec::new() } else { seen };
    }

    /// It reads the ClusterRoles alone.
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        util::is_change_of(change, "clusterroles")
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Cluster;
    use serde_json::json;

    fn role(c: &Cluster, name: &str) -> Value {
        util::get(&c.apiserver, "clusterroles", None, name)
            .unwrap_or_else(|| panic!("no clusterrole {name}"))
    }

    fn grants(role: &Value, group: &str, resource: &str, verb: &str) -> bool {
        rules(role).iter().any(|r| {
            let has = |k: &str, want: &str| {
                r[k].as_array()
                    .is_some_and(|a| a.iter().any(|x| x == want || x == "*"))
            };
            has("apiGroups", group) && has("resources", resource) && has("verbs", verb)
        })
    }

    #[test]
    fn admin_edit_view_are_filled_from_the_aggregate_to_roles() {
        let c = Cluster::new(1);
        let view = role(&c, "view");
        assert!(grants(&view, "", "pods", "list"));
        assert!(
            !grants(&view, "", "secrets", "get"),
            "view never reads secrets"
        );
        assert!(!grants(&view, "", "pods", "delete"));
        let edit = role(&c, "edit");
        assert!(grants(&edit, "", "pods", "list"), "edit includes view");
        assert!(grants(&edit, "apps", "deployments", "create"));
        assert!(!grants(
            &edit,
            "rbac.authorization.k8s.io",
            "roles",
            "create"
        ));
        let admin = role(&c, "admin");
        assert!(grants(&admin, "apps", "deployments", "delete"));
        assert!(grants(
            &admin,
            "rbac.authorization.k8s.io",
            "rolebindings",
            "create"
        ));
        // Name order: edit's rules (aggregate-to-edit, then view's) first.
        assert_eq!(rules(&admin)[0], rules(&edit)[0]);
    }

    #[test]
    fn a_learners_labelled_role_joins_view_and_leaves_it() {
        let mut c = Cluster::new(1);
        let now = c.now();
        let extra = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "widgets-reader", "labels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}},
            "rules": [{"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get"]}],
        });
        util::create(&mut c.apiserver, "clusterroles", None, extra, now);
        c.settle();
        assert!(grants(&role(&c, "view"), "example.com", "widgets", "get"));
        assert!(grants(&role(&c, "edit"), "example.com", "widgets", "get"));
        assert!(grants(&role(&c, "admin"), "example.com", "widgets", "get"));
        util::delete(&mut c.apiserver, "clusterroles", None, "widgets-reader");
        c.settle();
        assert!(!grants(&role(&c, "admin"), "example.com", "widgets", "get"));
    }
}
