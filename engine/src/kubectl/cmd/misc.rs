//! The small verbs: `top` (no Metrics API in a bare kubeadm cluster),
//! `cluster-info`, `api-resources`, `api-versions`, `auth can-i` and
//! `completion bash`.

use crate::api::{self, object, RESOURCES};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::printers::tabwriter;
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::Value;

pub const TOP: Command = Command {
    name: "top",
    short: "Display resource (CPU/memory) usage",
    usage: "kubectl top [flags] [options]",
    flags: &[],
    run: run_top,
};

pub const TOP_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "top node",
        short: "Display resource (CPU/memory) usage of nodes",
        usage: "kubectl top node [NAME | -l label] [options]",
        flags: &[
        Flag::bool("no-headers", "If present, print output without headers"),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-capacity", "Print node resources based on Capacity instead of Allocatable(default) of the nodes."),
        Flag::string("sort-by", "", "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'."),
        Flag::bool("use-protocol-buffers", "Enables using protocol-buffers to access Metrics API.").default("true"),
        ],
        run: |ctx, p| run_top_of(ctx, p, "node"),
    },
    Command {
        name: "top pod",
        short: "Display resource (CPU/memory) usage of pods",
        usage: "kubectl top pod [NAME | -l label] [options]",
        flags: &[
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::bool("containers", "If present, print usage of containers within a pod."),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::bool("no-headers", "If present, print output without headers."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::string("sort-by", "", "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'."),
        Flag::bool("sum", "Print the sum of the resource usage"),
        Flag::bool("use-protocol-buffers", "Enables using protocol-buffers to access Metrics API.").default("true"),
        ],
        run: |ctx, p| run_top_of(ctx, p, "pod"),
    },
];

/// `kubectl top` alone: cobra's help on stderr, exit 1.
fn run_top(_: &mut Context<'_>, p: &Parsed) -> Output {
    match p.args.first() {
        Some(_) => super::unknown_subcommand(p, "top"),
        None => Output::default().fail(crate::kubectl::help::command(&TOP).trim_end()),
    }
}

/// `kubectl top node|pod`: `top.rs` reads the kind as the first argument.
fn run_top_of(ctx: &mut Context<'_>, p: &Parsed, kind: &str) -> Output {
    let mut p = p.clone();
    p.args.insert(0, kind.to_string());
    super::top::run(ctx, &p, kind == "node")
}

pub const CLUSTER_INFO: Command = Command {
    name: "cluster-info",
    short: "Display cluster information",
    usage: "kubectl cluster-info [flags] [options]",
    flags: &[],
    run: run_cluster_info,
};

fn run_cluster_info(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    if p.args.first().map(String::as_str) == Some("dump") {
        return out.fail("error: cluster-info dump is not available in this simulation");
    }
    let server = "https://controlplane:6443";
    out.out(format!("Kubernetes control plane is running at {server}\n"));
    if let Some(svc) = api::resolve("services") {
        for s in ctx.cluster.apiserver.list(svc, Some("kube-system")) {
            let labels = object::string_map(&s, "metadata.labels");
            if labels
                .iter()
                .any(|(k, v)| k == "kubernetes.io/cluster-service" && v == "true")
            {
                let name = labels
                    .iter()
                    .find(|(k, _)| k == "kubernetes.io/name")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| object::name(&s).to_string());
                let port = object::at(&s, "spec.ports")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(|p| object::str_at(p, "name"))
                    .map(|n| format!(":{n}"))
                    .unwrap_or_default();
                out.out(format!(
                    "{name} is running at {server}/api/v1/namespaces/kube-system/services/{}{port}/proxy\n",
                    object::name(&s)
                ));
            }
        }
    }
    out.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    out
}

pub const API_RESOURCES: Command = Command {
    name: "api-resources",
    short: "Print the supported API resources on the server",
    usage: "kubectl api-resources [flags] [options]",
    flags: &[
        Flag::string("api-group", "", "Limit to resources in the specified API group."),
        Flag::bool("cached", "Use the cached list of resources if available.").unsupported(),
        Flag::strings("categories", "Limit to resources that belong to the specified categories.").unsupported(),
        Flag::bool("namespaced", "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.").default("true"),
        Flag::bool("no-headers", "When using the default or custom-column output format, don't print headers (default print headers)."),
        Flag::string("output", "", "Output format. One of: (wide, name).").short('o'),
        Flag::string("sort-by", "", "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'."),
        Flag::strings("verbs", "Limit to resources that support the specified verbs."),
        Flag::bool("show-capacity", "Print node resources based on Capacity instead of Allocatable(default) of the nodes.").hidden(),
    ],
    run: run_api_resources,
};

fn run_api_resources(_: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let mut list: Vec<&api::Resource> = RESOURCES
        .iter()
        .filter(|r| p.string("api-group").is_none_or(|g| r.group == g))
        .filter(|r| {
            !p.is_set("namespaced") || (p.string("namespaced") == Some("true")) == r.namespaced
        })
        .filter(|r| {
            let verbs = p.strings("verbs");
            verbs
                .iter()
                .all(|v| r.verbs.is_empty() || r.verbs.contains(&v.as_str()))
        })
        .collect();
    // kubectl groups by API group (core first) and sorts by name within.
    crate::sort::sort_by_key(&mut list, |r| (!r.group.is_empty(), r.group, r.plural));
    match p.string("sort-by").unwrap_or("") {
        "name" => crate::sort::sort_by_key(&mut list, |r| r.plural),
        "kind" => crate::sort::sort_by_key(&mut list, |r| r.kind),
        _ => {}
    }
    list.dedup_by_key(|r| (r.group, r.plural));
    if p.string("output") == Some("name") {
        for r in list {
            if r.group.is_empty() {
                out.out(format!("{}\n", r.plural));
            } else {
                out.out(format!("{}.{}\n", r.plural, r.group));
            }
        }
        return out;
    }
    let wide = p.string("output") == Some("wide");
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        let mut h = vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
        if wide {
            h.extend(["VERBS", "CATEGORIES"]);
        }
        rows.push(h.into_iter().map(String::from).collect());
    }
    for r in list {
        let mut row = vec![
            r.plural.to_string(),
            r.short_names.join(","),
            r.api_version(),
            r.namespaced.to_string(),
            r.kind.to_string(),
        ];
        if wide {
            row.push(format!("[{}]", r.verbs.join(" ")));
            row.push(r.categories.join(","));
        }
        rows.push(row);
    }
    out.out(tabwriter::layout(&rows));
    out
}

pub const API_VERSIONS: Command = Command {
    name: "api-versions",
    short: "Print the supported API versions on the server, in the form of \"group/version\"",
    usage: "kubectl api-versions [options]",
    flags: &[],
    run: run_api_versions,
};

fn run_api_versions(_: &mut Context<'_>, _: &Parsed) -> Output {
    let mut out = Output::default();
    let mut v: Vec<String> = RESOURCES.iter().map(|r| r.api_version()).collect();
    crate::sort::sort(&mut v);
    v.dedup();
    for x in v {
        out.out(format!("{x}\n"));
    }
    out
}

pub const AUTH: Command = Command {
    name: "auth",
    short: "Inspect authorization",
    usage: "kubectl auth [flags] [options]",
    flags: &[],
    run: run_auth_root,
};

pub const AUTH_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "auth can-i",
        short: "Check whether an action is allowed",
        usage: "kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]",
        flags: &[
            Flag::bool("all-namespaces", "If true, check the specified action in all namespaces.").short('A'),
            Flag::bool("list", "If true, prints all allowed actions."),
            Flag::bool("no-headers", "If true, prints allowed actions without headers"),
            Flag::bool("quiet", "If true, suppress output and just return the exit code.").short('q'),
            Flag::string("subresource", "", "SubResource such as pod/log or deployment/scale"),
        ],
        run: run_can_i,
    },
    Command {
        name: "auth whoami",
        short: "Experimental: Check self subject attributes",
        usage: "kubectl auth whoami [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_whoami,
    },
];

fn run_auth_root(_: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    match p.args.first() {
        Some(_) => super::unknown_subcommand(p, "auth"),
        None => out.fail(crate::kubectl::help::command(&AUTH)),
    }
}

/// `auth can-i VERB TYPE[/NAME] | URL`: the RBAC authorizer's answer
/// ([`super::rbac`]) for the kubeconfig's user or the one `--as` names.
fn run_can_i(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let user = ctx.cluster.apiserver.user().clone();
    let impersonated = p.string("as").filter(|s| !s.is_empty());
    // `system:masters` passes every authorizer; anyone else (kubeadm's
    // admin is in `kubeadm:cluster-admins`, bound to cluster-admin) gets
    // what RBAC grants, so deleting that binding locks the admin out.
    let masters = impersonated.is_none() && user.groups.iter().any(|g| g == "system:masters");
    let who = match impersonated {
        Some(name) => super::rbac::Subject::impersonated(name, &p.strings("as-group")),
        None => super::rbac::Subject::impersonated(&user.name, &user.groups),
    };
    let namespace = (!p.bool("all-namespaces")).then(|| ctx.namespace.clone());
    if p.bool("list") {
        let rows = can_i_list(ctx, &who, namespace.as_deref(), p.bool("no-headers"));
        out.out(tabwriter::layout(&rows));
        return out;
    }
    let [verb, what, ..] = p.args.as_slice() else {
        return out.fail("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples");
    };
    let (kind, name) = what.split_once('/').unwrap_or((what, ""));
    let url = what.starts_with('/').then_some(what.as_str());
    let res = if url.is_some() {
        None
    } else {
        api::resolve(kind)
    };
    if url.is_none() && res.is_none() {
        out.err(format!(
            "Warning: the server doesn't have a resource type '{kind}'\n"
        ));
    }
    let (group, plural) = match res {
        Some(r) => (r.group, r.plural),
        None => ("", kind),
    };
    let subresource = p.string("subresource").unwrap_or("");
    let request = super::rbac::Request {
        verb,
        group,
        resource: plural,
        subresource,
        name: if url.is_some() { "" } else { name },
        namespace: if url.is_some() || res.is_some_and(|r| !r.namespaced) {
            None
        } else {
            namespace.as_deref()
        },
        url,
    };
    let yes = masters || super::rbac::allowed(ctx.cluster, &who, &request);
    if !p.bool("quiet") {
        out.out(if yes { "yes\n" } else { "no\n" });
    }
    if !yes {
        out.status = 1;
    }
    out
}

/// One rule as kubectl handles it after the SelfSubjectRulesReview.
#[derive(Clone, PartialEq)]
struct ListedRule {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
}

impl ListedRule {
    /// The generated `PolicyRule.String()`, which kubectl sorts the rows by.
    fn go_string(&self) -> String {
        let l = |v: &[String]| format!("[{}]", v.join(" "));
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            l(&self.verbs),
            l(&self.groups),
            l(&self.resources),
            l(&self.names),
            l(&self.urls)
        )
    }
}

/// `auth can-i --list`: the rules the subject holds, as kubectl prints a
/// SelfSubjectRulesReview: each rule broken down to one group, resource,
/// verb (and name) or one URL and verb (`BreakdownRule`), the simple ones
/// merged per resource with their verbs appended in order (`CompactRules`),
/// then sorted by the rules' `String()` — so duplicates granted by two
/// roles (`/healthz`, `/version`) are printed twice, as kubectl does.
fn can_i_list(
    ctx: &Context<'_>,
    who: &super::rbac::Subject,
    namespace: Option<&str>,
    no_headers: bool,
) -> Vec<Vec<String>> {
    let strings = |v: &Value, k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let one = |s: &str| vec![s.to_string()];
    let mut broken: Vec<ListedRule> = Vec::new();
    for rule in super::rbac::rules_for(ctx.cluster, who, namespace) {
        let verbs = strings(&rule, "verbs");
        let names = strings(&rule, "resourceNames");
        for g in strings(&rule, "apiGroups") {
            for r in strings(&rule, "resources") {
                for v in &verbs {
                    let base = ListedRule {
                        verbs: one(v),
                        groups: one(&g),
                        resources: one(&r),
                        names: Vec::new(),
                        urls: Vec::new(),
                    };
                    if names.is_empty() {
                        broken.push(base);
                    } else {
                        for n in &names {
                            broken.push(ListedRule {
                                names: one(n),
                                ..base.clone()
                            });
                        }
                    }
                }
            }
        }
        for u in strings(&rule, "nonResourceURLs") {
            for v in &verbs {
                broken.push(ListedRule {
                    verbs: one(v),
                    groups: Vec::new(),
                    resources: Vec::new(),
                    names: Vec::new(),
                    urls: one(&u),
                });
            }
        }
    }
    // Every broken-down resource rule is "simple": merge those with the
    // same group, resource and name.
    let mut compact: Vec<ListedRule> = Vec::new();
    for r in broken {
        let same = |c: &ListedRule| {
            c.urls.is_empty()
                && r.urls.is_empty()
                && c.groups == r.groups
                && c.resources == r.resources
                && c.names == r.names
        };
        match compact.iter_mut().find(|c| same(c)) {
            Some(c) => c.verbs.extend(r.verbs),
            None => compact.push(r),
        }
    }
    crate::sort::sort_by_key(&mut compact, ListedRule::go_string);
    let mut table = Vec::new();
    if !no_headers {
        table.push(
            ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]
                .map(String::from)
                .to_vec(),
        );
    }
    let l = |v: &[String]| format!("[{}]", v.join(" "));
    for r in compact {
        let resource = match (r.resources.first(), r.groups.first()) {
            (Some(res), Some(g)) if !g.is_empty() => format!("{res}.{g}"),
            (Some(res), _) => res.clone(),
            (None, _) => String::new(),
        };
        table.push(vec![resource, l(&r.urls), l(&r.names), l(&r.verbs)]);
    }
    table
}

fn run_whoami(ctx: &mut Context<'_>, _: &Parsed) -> Output {
    let mut out = Output::default();
    let user = ctx.cluster.apiserver.user().clone();
    let rows = vec![
        vec!["ATTRIBUTE".to_string(), "VALUE".to_string()],
        vec!["Username".to_string(), user.name.clone()],
        vec!["Groups".to_string(), format!("[{}]", user.groups.join(" "))],
    ];
    out.out(tabwriter::layout(&rows));
    out
}

pub const COMPLETION: Command = Command {
    name: "completion",
    short: "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)",
    usage: "kubectl completion SHELL [options]",
    flags: &[],
    run: run_completion,
};

/// The bash completion script `source <(kubectl completion bash)` reads
/// (Dinghy's own, shaped like cobra's V2 script kubectl prints).
pub const BASH_COMPLETION: &str = include_str!("completion.bash");

fn run_completion(_: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    match p.args.as_slice() {
        [shell] if shell == "bash" => {
            out.out(BASH_COMPLETION);
            out
        }
        [shell] if matches!(shell.as_str(), "zsh" | "fish" | "powershell") => {
            // The terminal is bash; other shells' scripts would never run.
            out.out(format!(
                "# {shell} completion for kubectl is not simulated: Dinghy's terminal is bash.\n# Use: source <(kubectl completion bash)\n"
            ));
            out
        }
        [other] => out.fail(format!("error: Unsupported shell type \"{other}\".\nSee 'kubectl completion -h' for help and examples")),
        [] => out.fail("error: Shell not specified.\nSee 'kubectl completion -h' for help and examples"),
        _ => out.fail("error: Too many arguments. Expected only the shell type.\nSee 'kubectl completion -h' for help and examples"),
    }
}

pub const PORT_FORWARD: Command = Command {
    name: "port-forward",
    short: "Forward one or more local ports to a pod",
    usage: "kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
    flags: &[
        Flag::strings("address", "Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.").default("[localhost]"),
        Flag::duration("pod-running-timeout", "1m0s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
    ],
    run: run_port_forward,
};

/// The target is checked as kubectl checks it; then the honest part: no
/// port of the learner's machine can reach the simulated pod.
fn run_port_forward(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    let [target, ports @ ..] = p.args.as_slice() else {
        return out.fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    };
    if ports.is_empty() {
        return out.fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    }
    let (kind, name) = target.split_once('/').unwrap_or(("pod", target));
    let Some(res) = api::resolve(kind) else {
        return out.fail(format!(
            "error: the server doesn't have a resource type \"{kind}\""
        ));
    };
    let ns = ctx.namespace.clone();
    if let Err(e) = ctx
        .cluster
        .apiserver
        .get(res, res.namespaced.then_some(ns.as_str()), name)
    {
        return out.fail(e.kubectl_text());
    }
    out.fail(format!(
        "error: port-forward is not simulated: nothing on your computer can reach {target} in Dinghy.\nTry it from inside the cluster instead: kubectl get {target} -o wide, then curl the pod's IP and port from a node (ssh controlplane)."
    ))
}

pub const PROXY: Command = Command {
    name: "proxy",
    short: "Run a proxy to the Kubernetes API server",
    usage: "kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]",
    flags: &[
        Flag::string("accept-hosts", "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$", "Regular expression for hosts that the proxy should accept.").unsupported(),
        Flag::string("accept-paths", "^.*", "Regular expression for paths that the proxy should accept.").unsupported(),
        Flag::string("address", "127.0.0.1", "The IP address on which to serve on."),
        Flag::string("api-prefix", "/", "Prefix to serve the proxied API under."),
        Flag::bool("append-server-path", "If true, enables automatic path appending of the kube context server path to each request.").unsupported(),
        Flag::bool("disable-filter", "If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port.").unsupported(),
        Flag::duration("keepalive", "0s", "keepalive specifies the keep-alive period for an active network connection. Set to 0 to disable keepalive.").unsupported(),
        Flag::int("port", "8001", "The port on which to run the proxy. Set to 0 to pick a random port.").short('p'),
        Flag::string("reject-methods", "^$", "Regular expression for HTTP methods that the proxy should reject (example --reject-methods='POST,PUT,PATCH'). ").unsupported(),
        Flag::string("reject-paths", "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach", "Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths.").unsupported(),
        Flag::string("unix-socket", "", "Unix socket on which to run the proxy.").short('u').unsupported(),
        Flag::string("www", "", "Also serve static files from the given directory under the specified prefix.").short('w').unsupported(),
        Flag::string("www-prefix", "/static/", "Prefix to serve static files under, if static file directory is specified.").short('P').unsupported(),
    ],
    run: run_proxy,
};

fn run_proxy(_: &mut Context<'_>, _: &Parsed) -> Output {
    Output::default().fail("error: kubectl proxy is not simulated: Dinghy's apiserver has no HTTP port on your computer.\nRead the API with kubectl itself (kubectl get … -o yaml, kubectl api-resources).")
}

#[cfg(test)]
mod tests {
    use super::BASH_COMPLETION;
    use std::process::Command;

    /// The script is real bash: sourced by bash it registers kubectl's
    /// completion as kubectl's does, and its function asks
    /// `kubectl __complete` and filters the answer by the word typed.
    #[test]
    fn bash_sources_the_completion_script() {
        let dir = std::env::temp_dir().join(format!("dinghy-completion-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let script = dir.join("completion.bash");
        let fake = dir.join("kubectl");
        std::fs::write(&script, BASH_COMPLETION).unwrap_or_else(|e| panic!("{e}"));
        // A kubectl that answers `__complete` as kubectl does: candidates, then `:directive`.
        std::fs::write(
            &fake,
            "#!/bin/sh\n[ \"$1\" = __complete ] && printf 'get\\ngenerate\\nlogs\\n:4\\n'\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Ok(out) = Command::new("bash")
            .arg("-c")
            .arg("chmod +x \"$1/kubectl\"; PATH=\"$1:$PATH\"; source \"$1/completion.bash\"; complete -p kubectl; COMP_WORDS=(kubectl ge); COMP_CWORD=1; __start_kubectl; echo \"${COMPREPLY[*]}\"")
            .arg("bash")
            .arg(&dir)
            .output()
        else {
            eprintln!("bash not available: skipped");
            return;
        };
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "complete -o default -F __start_kubectl kubectl\nget generate\n",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
