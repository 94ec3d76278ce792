//! `create serviceaccount`, `create role`, `create clusterrole`,
//! `create rolebinding`, `create clusterrolebinding`, `create token`.

use super::super::common::{self, create_and_print, one_name};
use super::{meta, required};
use crate::api::{self, object};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use crate::rng::Rng;
use serde_json::{json, Map, Value};

pub const SERVICEACCOUNT: Command = Command {
    name: "create serviceaccount",
    short: "Create a service account with the specified name",
    usage: "kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: serviceaccount,
};

pub const ROLE: Command = Command {
    name: "create role",
    short: "Create a role with single rule",
    usage: "kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::strings("resource", "Resource that the rule applies to"),
        Flag::strings("resource-name", "Resource in the white list that the rule applies to, repeat this flag for multiple items"),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::strings("verb", "Verb that applies to the resources contained in the rule"),
    ],
    run: |ctx, p| role(ctx, p, false),
};

pub const CLUSTERROLE: Command = Command {
    name: "create clusterrole",
    short: "Create a cluster role",
    usage: "kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::map("aggregation-rule", "An aggregation label selector for combining ClusterRoles."),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("non-resource-url", "A partial url that user should have access to."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::strings("resource", "Resource that the rule applies to"),
        Flag::strings("resource-name", "Resource in the white list that the rule applies to, repeat this flag for multiple items"),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::strings("verb", "Verb that applies to the resources contained in the rule"),
    ],
    run: |ctx, p| role(ctx, p, true),
};

pub const ROLEBINDING: Command = Command {
    name: "create rolebinding",
    short: "Create a role binding for a particular role or cluster role",
    usage: "kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("clusterrole", "", "ClusterRole this RoleBinding should reference"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("group", "Groups to bind to the role. The flag can be repeated to add multiple groups."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("role", "", "Role this RoleBinding should reference"),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::strings("serviceaccount", "Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::strings("user", "Usernames to bind to the role. The flag can be repeated to add multiple users."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: |ctx, p| binding(ctx, p, false),
};

pub const CLUSTERROLEBINDING: Command = Command {
    name: "create clusterrolebinding",
    short: "Create a cluster role binding for a particular cluster role",
    usage: "kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("clusterrole", "", "ClusterRole this ClusterRoleBinding should reference"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("group", "Groups to bind to the clusterrole. The flag can be repeated to add multiple groups."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::strings("serviceaccount", "Service accounts to bind to the clusterrole, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::strings("user", "Usernames to bind to the clusterrole. The flag can be repeated to add multiple users."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: |ctx, p| binding(ctx, p, true),
};

pub const TOKEN: Command = Command {
    name: "create token",
    short: "Request a service account token",
    usage: "kubectl create token SERVICE_ACCOUNT_NAME [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::strings("audience", "Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences."),
        Flag::string("bound-object-kind", "", "Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided."),
        Flag::string("bound-object-name", "", "Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind."),
        Flag::string("bound-object-uid", "", "UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used."),
        Flag::duration("duration", "0s", "Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: token,
};

fn fail(msg: String) -> Output {
    Output::default().fail(msg)
}

fn serviceaccount(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create serviceaccount") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let obj = json!({
        "kind": "ServiceAccount",
        "apiVersion": "v1",
        "metadata": meta(ctx, p, &name, None),
    });
    create_and_print(ctx, p, obj, Some("serviceaccount"))
}

const STANDARD_VERBS: &[&str] = &[
    "*",
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];
const NON_RESOURCE_VERBS: &[&str] = &[
    "*", "get", "post", "put", "delete", "patch", "head", "options",
];

fn split_all(values: Vec<String>) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect()
}

fn role(ctx: &mut Context<'_>, p: &Parsed, cluster: bool) -> Output {
    let cmd = if cluster {
        "create clusterrole"
    } else {
        "create role"
    };
    let name = match one_name(p, cmd) {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let verbs = split_all(p.strings("verb"));
    let resources = split_all(p.strings("resource"));
    let names = p.strings("resource-name");
    let urls = split_all(p.strings("non-resource-url"));
    let aggregation = p.string("aggregation-rule").unwrap_or("");
    let mut warnings = String::new();
    if cluster && !aggregation.is_empty() {
        if !verbs.is_empty() || !resources.is_empty() || !urls.is_empty() {
            return fail("error: aggregation rule must not be specified with verbs, resources or nonResourceURLs".into());
        }
        let Some(pairs) = common::parse_pairs(aggregation) else {
            return fail(format!("error: unexpected aggregation rule {aggregation}"));
        };
        let labels: Map<String, Value> = pairs.into_iter().map(|(k, v)| (k, json!(v))).collect();
        let obj = json!({
            "kind": "ClusterRole",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": { "name": name, "creationTimestamp": null },
            "rules": null,
            "aggregationRule": { "clusterRoleSelectors": [{ "matchLabels": labels }] },
        });
        return create_and_print(ctx, p, obj, None);
    }
    if verbs.is_empty() {
        return fail("error: at least one verb must be specified".into());
    }
    if resources.is_empty() && (!cluster || urls.is_empty()) {
        return fail("error: at least one resource must be specified".into());
    }
    if !urls.is_empty() {
        if !resources.is_empty() {
            // The resource rule and the URL rule share the verbs; a URL verb must be an HTTP one.
        }
        for v in &verbs {
            if !NON_RESOURCE_VERBS.contains(&v.as_str()) {
                return fail(format!("error: invalid verb: '{v}' for nonResourceURL"));
            }
        }
    }
    for v in &verbs {
        if !STANDARD_VERBS.contains(&v.as_str()) && urls.is_empty() {
            warnings.push_str(&format!("Warning: '{v}' is not a standard resource verb\n"));
        }
    }
    // Resources grouped by API group, groups in sorted order.
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in &resources {
        let (base, sub) = match r.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (r.as_str(), None),
        };
        let (plural, group) = if base == "*" {
            ("*".to_string(), String::new())
        } else {
            match api::resolve(base) {
                Some(res) => (res.plural.to_string(), res.group.to_string()),
                None => {
                    let (b, g) = base.split_once('.').unwrap_or((base, ""));
                    if g.is_empty() {
                        return fail(format!(
                            "the server doesn't have a resource type \"{base}\""
                        ));
                    }
                    (b.to_string(), g.to_string())
                }
            }
        };
        let full = match sub {
            Some(s) => format!("{plural}/{s}"),
            None => plural,
        };
        let list = groups.entry(group).or_default();
        if !list.contains(&full) {
            list.push(full);
        }
    }
    let mut rules = Vec::new();
    for (group, res) in groups {
        let mut m = Map::new();
        m.insert("verbs".into(), json!(verbs));
        m.insert("apiGroups".into(), json!([group]));
        m.insert("resources".into(), json!(res));
        if !names.is_empty() {
            m.insert("resourceNames".into(), json!(names));
        }
        rules.push(Value::Object(m));
    }
    if !urls.is_empty() {
        rules.push(json!({ "verbs": verbs, "nonResourceURLs": urls }));
    }
    let obj = json!({
        "kind": if cluster { "ClusterRole" } else { "Role" },
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "metadata": if cluster { json!({ "name": name, "creationTimestamp": null }) } else { meta(ctx, p, &name, None) },
        "rules": rules,
    });
    let mut out = create_and_print(ctx, p, obj, None);
    if !warnings.is_empty() {
        let mut w = Output::default();
        w.err(warnings);
        w.extend(out);
        out = w;
    }
    out
}

fn binding(ctx: &mut Context<'_>, p: &Parsed, cluster: bool) -> Output {
    if cluster {
        if let Err(e) = required(p, &["clusterrole"]) {
            return fail(e);
        }
    }
    let cmd = if cluster {
        "create clusterrolebinding"
    } else {
        "create rolebinding"
    };
    let name = match one_name(p, cmd) {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let role = p.string("role").unwrap_or("");
    let cluster_role = p.string("clusterrole").unwrap_or("");
    if !cluster && (role.is_empty() == cluster_role.is_empty()) {
        return fail("error: exactly one of clusterrole or role must be specified".into());
    }
    let mut subjects = Vec::new();
    for u in p.strings("user") {
        subjects
            .push(json!({ "kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": u }));
    }
    for g in p.strings("group") {
        subjects
            .push(json!({ "kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": g }));
    }
    for sa in p.strings("serviceaccount") {
        let Some((ns, n)) = sa
            .split_once(':')
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        else {
            return fail("error: serviceaccount must be <namespace>:<name>".into());
        };
        subjects.push(json!({ "kind": "ServiceAccount", "name": n, "namespace": ns }));
    }
    let role_ref = if cluster_role.is_empty() {
        json!({ "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role })
    } else {
        json!({ "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": cluster_role })
    };
    let mut obj = Map::new();
    obj.insert(
        "kind".into(),
        json!(if cluster {
            "ClusterRoleBinding"
        } else {
            "RoleBinding"
        }),
    );
    obj.insert("apiVersion".into(), json!("rbac.authorization.k8s.io/v1"));
    obj.insert(
        "metadata".into(),
        if cluster {
            json!({ "name": name, "creationTimestamp": null })
        } else {
            meta(ctx, p, &name, None)
        },
    );
    if !subjects.is_empty() {
        obj.insert("subjects".into(), Value::Array(subjects));
    }
    obj.insert("roleRef".into(), role_ref);
    create_and_print(ctx, p, Value::Object(obj), None)
}

fn base64url(data: &[u8]) -> String {
    common::base64(data)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// Parses kubectl's `--duration` (`1h`, `30m`, `3600s`, `0s`) into seconds.
fn duration_secs(s: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
    }
    if !num.is_empty() {
        return None;
    }
    Some(total)
}

/// `kubectl create token SA`: a TokenRequest. The token looks like the
/// kube-apiserver's (an RS256 JWT with the usual claims); its signature is
/// random bytes drawn from a generator seeded by the cluster seed and the
/// store revision, so a replay prints the same token.
fn token(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create token") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let Some(res) = api::resolve("serviceaccounts") else {
        return fail("error: the server doesn't have a resource type \"serviceaccounts\"".into());
    };
    let sa = match ctx.cluster.apiserver.get(res, Some(&ctx.namespace), &name) {
        Ok(sa) => sa,
        Err(e) => return fail(format!("error: failed to create token: {}", e.message())),
    };
    let secs = match duration_secs(p.string("duration").unwrap_or("0s")) {
        Some(0) => 3600,
        Some(s) => s,
        None => {
            return fail(format!(
                "error: invalid argument \"{}\" for \"--duration\" flag: time: invalid duration",
                p.string("duration").unwrap_or("")
            ))
        }
    };
    let revision = object::str_at(&sa, "metadata.resourceVersion")
        .and_then(|r| r.parse::<u64>().ok())
        .unwrap_or(0);
    let now = ctx.cluster.now();
    let mut rng = Rng::new(ctx.cluster.seed() ^ revision ^ (now.0 as u64).rotate_left(17));
    let iat = now.0 / 1000;
    let audiences = p.strings("audience");
    let aud = if audiences.is_empty() {
        vec!["https://kubernetes.default.svc.cluster.local".to_string()]
    } else {
        audiences
    };
    let header = r#"{"alg":"RS256","kid":"dinghy-sa-signing-key"}"#;
    let claims = json!({
        "aud": aud,
        "exp": iat + secs,
        "iat": iat,
        "iss": "https://kubernetes.default.svc.cluster.local",
        "jti": rng.uuid(),
        "kubernetes.io": {
            "namespace": ctx.namespace,
            "serviceaccount": {
                "name": name,
                "uid": object::str_at(&sa, "metadata.uid").unwrap_or(""),
            },
        },
        "nbf": iat,
        "sub": format!("system:serviceaccount:{}:{name}", ctx.namespace),
    });
    let sig: Vec<u8> = (0..256).map(|_| rng.below(256) as u8).collect();
    let mut out = Output::default();
    out.out(format!(
        "{}.{}.{}\n",
        base64url(header.as_bytes()),
        base64url(common::compact_json(&claims).as_bytes()),
        base64url(&sig)
    ));
    out
}
