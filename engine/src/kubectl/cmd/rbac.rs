//! The answer of the apiserver's RBAC authorizer to the access review
//! `kubectl auth can-i` sends: the Roles and ClusterRoles bound to the user
//! (by name), to its groups, or to it as a ServiceAccount, by RoleBindings
//! of the namespace and by ClusterRoleBindings. (The apiserver model does
//! not authorize requests yet; this reads the same objects it would.)

use crate::api::{self, object};
use crate::cluster::Cluster;
use serde_json::Value;

/// Who asks: a user name and its groups.
pub struct Subject {
    pub user: String,
    pub groups: Vec<String>,
}

impl Subject {
    /// An impersonated user (`--as NAME`, `--as-group G…`): the apiserver
    /// adds `system:authenticated` (`system:unauthenticated` for
    /// `system:anonymous`), and a ServiceAccount's groups.
    pub fn impersonated(user: &str, groups: &[String]) -> Subject {
        let mut g: Vec<String> = groups.to_vec();
        if let Some(rest) = user.strip_prefix("system:serviceaccount:") {
            if let Some((ns, _)) = rest.split_once(':') {
                g.push("system:serviceaccounts".into());
                g.push(format!("system:serviceaccounts:{ns}"));
            }
        }
        // Impersonating the anonymous user makes it unauthenticated.
        let all = if user == "system:anonymous" {
            "system:unauthenticated"
        } else {
            "system:authenticated"
        };
        if !g.iter().any(|x| x == all) {
            g.push(all.into());
        }
        Subject {
            user: user.to_string(),
            groups: g,
        }
    }
}

/// What is asked: a verb on a resource (group, plural, subresource, name)
/// in a namespace (`None`: cluster-wide), or on a non-resource URL.
pub struct Request<'a> {
    pub verb: &'a str,
    pub group: &'a str,
    pub resource: &'a str,
    pub subresource: &'a str,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub url: Option<&'a str>,
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn binds(binding: &Value, who: &Subject) -> bool {
    let Some(subjects) = binding.get("subjects").and_then(Value::as_array) else {
        return false;
    };
    subjects.iter().any(|s| {
        let name = object::str_at(s, "name").unwrap_or("");
        match object::str_at(s, "kind").unwrap_or("") {
            "User" => name == who.user,
            "Group" => who.groups.iter().any(|g| g == name),
            "ServiceAccount" => {
                let ns = object::str_at(s, "namespace").unwrap_or("");
                who.user == format!("system:serviceaccount:{ns}:{name}")
            }
            _ => false,
        }
    })
}

fn has(list: &[String], want: &str) -> bool {
    list.iter().any(|x| x == "*" || x == want)
}

fn rule_allows(rule: &Value, req: &Request<'_>) -> bool {
    if !has(&strings(rule, "verbs"), req.verb) {
        return false;
    }
    if let Some(url) = req.url {
        return strings(rule, "nonResourceURLs").iter().any(|u| {
            u == "*" || u == url || u.strip_suffix('*').is_some_and(|p| url.starts_with(p))
        });
    }
    if !has(&strings(rule, "apiGroups"), req.group) {
        return false;
    }
    let resources = strings(rule, "resources");
    let combined = if req.subresource.is_empty() {
        req.resource.to_string()
    } else {
        format!("{}/{}", req.resource, req.subresource)
    };
    let resource_ok = resources.iter().any(|r| {
        r == "*"
            || *r == combined
            || (!req.subresource.is_empty() && *r == format!("*/{}", req.subresource))
    });
    if !resource_ok {
        return false;
    }
    let names = strings(rule, "resourceNames");
    names.is_empty() || names.iter().any(|n| n == req.name)
}

/// The rules granted to a subject in a namespace (`None`: only what
/// ClusterRoleBindings grant).
pub fn rules_for(cluster: &Cluster, who: &Subject, namespace: Option<&str>) -> Vec<Value> {
    rules_in(&cluster.apiserver, who, namespace)
}

/// [`rules_for`] against an apiserver (what a component's client meets).
pub fn rules_in(
    api: &crate::apiserver::ApiServer,
    who: &Subject,
    namespace: Option<&str>,
) -> Vec<Value> {
    let list = |plural: &str, ns: Option<&str>| {
        api::resolve(&format!("{plural}.rbac.authorization.k8s.io"))
            .map(|r| api.list(r, ns))
            .unwrap_or_default()
    };
    let cluster_role = |name: &str| {
        list("clusterroles", None)
            .into_iter()
            .find(|r| object::name(r) == name)
    };
    let mut roles: Vec<Value> = Vec::new();
    for b in list("clusterrolebindings", None) {
        if binds(&b, who) {
            if let Some(r) = cluster_role(object::str_at(&b, "roleRef.name").unwrap_or("")) {
                roles.push(r);
            }
        }
    }
    if let Some(ns) = namespace {
        for b in list("rolebindings", Some(ns)) {
            if !binds(&b, who) {
                continue;
            }
            let name = object::str_at(&b, "roleRef.name").unwrap_or("");
            let role = match object::str_at(&b, "roleRef.kind") {
                Some("ClusterRole") => cluster_role(name),
                _ => list("roles", Some(ns))
                    .into_iter()
                    .find(|r| object::name(r) == name),
            };
            roles.extend(role);
        }
    }
    roles
        .iter()
        .flat_map(|r| {
            r.get("rules")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

/// Whether RBAC allows the request.
pub fn allowed(cluster: &Cluster, who: &Subject, req: &Request<'_>) -> bool {
    allowed_in(&cluster.apiserver, who, req)
}

/// [`allowed`] against an apiserver.
pub fn allowed_in(api: &crate::apiserver::ApiServer, who: &Subject, req: &Request<'_>) -> bool {
    rules_in(api, who, req.namespace)
        .iter()
        .any(|rule| rule_allows(rule, req))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req<'a>(verb: &'a str, resource: &'a str, sub: &'a str, name: &'a str) -> Request<'a> {
        Request {
            verb,
            group: "",
            resource,
            subresource: sub,
            name,
            namespace: Some("default"),
            url: None,
        }
    }

    #[test]
    fn rules_match_as_rbac_does() {
        let rule = json!({"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"], "resourceNames": []});
        assert!(rule_allows(&rule, &req("get", "pods", "", "x")));
        assert!(rule_allows(&rule, &req("get", "pods", "log", "x")));
        assert!(!rule_allows(&rule, &req("delete", "pods", "", "x")));
        assert!(!rule_allows(&rule, &req("get", "pods", "exec", "x")));
        let named = json!({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["*"], "resourceNames": ["app"]});
        assert!(rule_allows(&named, &req("update", "configmaps", "", "app")));
        assert!(!rule_allows(
            &named,
            &req("update", "configmaps", "", "other")
        ));
        let url = json!({"nonResourceURLs": ["/healthz", "/api/*"], "verbs": ["get"]});
        let mut r = req("get", "", "", "");
        r.url = Some("/api/v1");
        assert!(rule_allows(&url, &r));
    }

    #[test]
    fn service_accounts_and_groups() {
        let who = Subject::impersonated("system:serviceaccount:dev:builder", &[]);
        let b = json!({"subjects": [{"kind": "ServiceAccount", "name": "builder", "namespace": "dev"}]});
        assert!(binds(&b, &who));
        let g = json!({"subjects": [{"kind": "Group", "name": "system:serviceaccounts:dev", "apiGroup": "rbac.authorization.k8s.io"}]});
        assert!(binds(&g, &who));
        let other = json!({"subjects": [{"kind": "ServiceAccount", "name": "builder", "namespace": "prod"}]});
        assert!(!binds(&other, &who));
    }
}
