// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The RBAC objects a fresh kubeadm v1.33 cluster holds: the apiserver's
//! bootstrap policy (the `rbac/bootstrap-roles` post-start hook writes it
//! when the apiserver starts) and what kubeadm's phases add. The objects
//! live as compact data in `rbac_policy.txt` (its header documents the
//! format); this module turns that table into API objects.

use serde_json::{json, Map, Value};

const TABLE: &str = include_str!("rbac_policy.txt");
const GROUP: &str = "rbac.authorization.k8s.io";
const API_VERSION: &str = "rbac.authorization.k8s.io/v1";

/// Who creates an object: the apiserver's bootstrap policy, or kubeadm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Bootstrap,
    Kubeadm,
}

/// One object to create: its plural resource name, namespace and body.
#[derive(Debug)]
pub struct Item {
    pub plural: &'static str,
    pub namespace: Option<String>,
    pub object: Value,
}

fn list(field: &str) -> Value {
    Value::Array(field.split(',').map(|s| json!(s)).collect())
}

fn rule(line: &str) -> Option<Value> {
    let mut rule = Map::new();
    if let Some(rest) = line.strip_prefix("= ") {
        let (urls, verbs) = rest.split_once(';')?;
        rule.insert("nonResourceURLs".into(), list(urls));
        rule.insert("verbs".into(), list(verbs));
    } else {
        let mut fields = line.strip_prefix("- ")?.split(';');
        rule.insert("apiGroups".into(), list(fields.next()?));
        rule.insert("resources".into(), list(fields.next()?));
        rule.insert("verbs".into(), list(fields.next()?));
        if let Some(names) = fields.next() {
            rule.insert("resourceNames".into(), list(names));
        }
    }
    Some(Value::Object(rule))
}

fn subject(line: &str) -> Option<Value> {
    let (kind, name) = line.strip_prefix("> ")?.split_once(' ')?;
    Some(match kind {
        "ServiceAccount" => {
            let (ns, name) = name.split_once('/')?;
            json!({"kind": kind, "name": name, "namespace": ns})
        }
        _ => json!({"apiGroup": GROUP, "kind": kind, "name": name}),
    })
}

fn metadata(name: &str, namespace: Option<&str>, source: Source) -> Value {
    let mut m = json!({"name": name});
    if let Some(ns) = namespace {
        m["namespace"] = json!(ns);
    }
    if source == Source::Bootstrap {
        m["annotations"] = json!({"rbac.authorization.kubernetes.io/autoupdate": "true"});
        m["labels"] = json!({"kubernetes.io/bootstrapping": "rbac-defaults"});
    }
    m
}

fn binding(kind: &str, meta: Value, role_kind: &str, role: &str) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": meta,
        "roleRef": {"apiGroup": GROUP, "kind": role_kind, "name": role},
    })
}

/// Parses a header line into an object without rules or subjects.
fn header(line: &str, source: Source) -> Option<Item> {
    let words: Vec<&str> = line.split(' ').collect();
    let item = match words.as_slice() {
        ["CR", name, marks @ ..] => {
            let mut meta = metadata(name, None, source);
            let mut obj = json!({"apiVersion": API_VERSION, "kind": "ClusterRole"});
            let mut selectors = Vec::new();
            for mark in marks {
                if let Some(to) = mark.strip_prefix('+') {
                    meta["labels"][format!("{GROUP}/aggregate-to-{to}")] = json!("true");
                } else if let Some(to) = mark.strip_prefix('@') {
                    selectors.push(
                        json!({"matchLabels": {format!("{GROUP}/aggregate-to-{to}"): "true"}}),
                    );
                }
            }
            obj["metadata"] = meta;
            if !selectors.is_empty() {
                obj["aggregationRule"] = json!({ "clusterRoleSelectors": selectors });
            }
            Item {
                plural: "clusterroles",
                namespace: None,
                object: obj,
            }
        }
        ["R", ns, name] => Item {
            plural: "roles",
            namespace: Some(ns.to_string()),
            object: json!({"apiVersion": API_VERSION, "kind": "Role", "metadata": metadata(name, Some(ns), source)}),
        },
        ["CRB", name, role] => Item {
            plural: "clusterrolebindings",
            namespace: None,
            object: binding(
                "ClusterRoleBinding",
                metadata(name, None, source),
                "ClusterRole",
                role,
            ),
        },
        ["RB", ns, name, role_kind, role] => Item {
            plural: "rolebindings",
            namespace: Some(ns.to_string()),
            object: binding(
                "RoleBinding",
                metadata(name, Some(ns), source),
                role_kind,
                role,
            ),
        },
        _ => return None,
    };
    Some(item)
}

fn push(target: &mut Value, key: &str, v: Value) {
    match target.get_mut(key).and_then(Value::as_array_mut) {
        Some(a) => a.push(v),
        None => target[key] = json!([v]),
    }
}

/// The objects of one source, in the table's order. A ClusterRole
/// `system:controller:X` of the bootstrap policy brings its binding to the
/// ServiceAccount `kube-system/X`, as controller_policy.go does.
pub fn objects(source: Source) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut current = None;
    for line in TABLE.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line {
            "%bootstrap" => current = Some(Source::Bootstrap),
            "%kubeadm" => current = Some(Source::Kubeadm),
            _ if current != Some(source) => {}
            _ if line.starts_with("- ") || line.starts_with("= ") => {
                if let (Some(last), Some(r)) = (items.last_mut(), rule(line)) {
                    push(&mut last.object, "rules", r);
                }
            }
            _ if line.starts_with("> ") => {
                if let (Some(last), Some(s)) = (items.last_mut(), subject(line)) {
                    push(&mut last.object, "subjects", s);
                }
            }
            _ => items.extend(header(line, source)),
        }
    }
    if source == Source::Bootstrap {
        let controllers: Vec<String> = items
            .iter()
            .filter(|i| i.plural == "clusterroles")
            .filter_map(|i| i.object["metadata"]["name"].as_str())
            .filter(|n| n.starts_with("system:controller:"))
            .map(String::from)
            .collect();
        for name in controllers {
            let sa = name.trim_start_matches("system:controller:");
            let mut b = binding(
                "ClusterRoleBinding",
                metadata(&name, None, source),
                "ClusterRole",
                &name,
            );
            b["subjects"] =
                json!([{"kind": "ServiceAccount", "name": sa, "namespace": "kube-system"}]);
            items.push(Item {
                plural: "clusterrolebindings",
                namespace: None,
                object: b,
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(items: &'a [Item], plural: &str, name: &str) -> &'a Value {
        items
            .iter()
            .find(|i| i.plural == plural && i.object["metadata"]["name"] == name)
            .map(|i| &i.object)
            .unwrap_or_else(|| panic!("{plural}/{name} missing"))
    }

    #[test]
    fn every_line_of_the_table_is_understood() {
        let mut section = None;
        for line in TABLE.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('%') {
                section = Some(line);
                continue;
            }
            assert!(section.is_some(), "line outside a section: {line}");
            let ok = if line.starts_with("- ") || line.starts_with("= ") {
                rule(line).is_some()
            } else if line.starts_with("> ") {
                subject(line).is_some()
            } else {
                header(line, Source::Bootstrap).is_some()
            };
            assert!(ok, "cannot parse: {line}");
        }
    }

    #[test]
    fn bootstrap_policy_has_the_well_known_objects() {
        let items = objects(Source::Bootstrap);
        let admin = find(&items, "clusterroles", "cluster-admin");
        assert_eq!(
            admin["rules"],
            json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}, {"nonResourceURLs": ["*"], "verbs": ["*"]}])
        );
        assert_eq!(
            admin["metadata"]["labels"]["kubernetes.io/bootstrapping"],
            "rbac-defaults"
        );
        let view = find(&items, "clusterroles", "view");
        assert_eq!(
            view["aggregationRule"]["clusterRoleSelectors"][0]["matchLabels"]
                ["rbac.authorization.k8s.io/aggregate-to-view"],
            "true"
        );
        assert_eq!(
            view["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-edit"],
            "true"
        );
        assert!(view.get("rules").is_none());
        let masters = find(&items, "clusterrolebindings", "cluster-admin");
        assert_eq!(masters["subjects"][0]["name"], "system:masters");
        let ctrl = find(
            &items,
            "clusterrolebindings",
            "system:controller:deployment-controller",
        );
        assert_eq!(
            ctrl["subjects"],
            json!([{"kind": "ServiceAccount", "name": "deployment-controller", "namespace": "kube-system"}])
        );
        let rb = find(
            &items,
            "rolebindings",
            "system::leader-locking-kube-scheduler",
        );
        assert_eq!(rb["metadata"]["namespace"], "kube-system");
        assert_eq!(rb["roleRef"]["kind"], "Role");
    }

    #[test]
    fn kubeadm_objects_carry_no_bootstrap_markers() {
        let items = objects(Source::Kubeadm);
        let b = find(&items, "clusterrolebindings", "kubeadm:cluster-admins");
        assert!(b["metadata"].get("labels").is_none());
        assert_eq!(b["roleRef"]["name"], "cluster-admin");
        let r = find(&items, "roles", "kubeadm:bootstrap-signer-clusterinfo");
        assert_eq!(r["metadata"]["namespace"], "kube-public");
        assert_eq!(r["rules"][0]["resourceNames"], json!(["cluster-info"]));
    }
}
