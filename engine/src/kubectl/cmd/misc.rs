//! The small verbs: `top` (no Metrics API in a bare kubeadm cluster),
//! `cluster-info`, `api-resources`, `api-versions`, `auth can-i`, `wait`
//! and `completion bash`.

use super::select::{select, Allow};
use crate::api::{self, object, RESOURCES};
use crate::clock::Duration;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::printers::tabwriter;
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::Value;

pub const TOP: Command = Command {
    name: "top",
    short: "Display resource (CPU/memory) usage",
    usage: "kubectl top [flags] [options]",
    flags: &[
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces.").short('A'),
        Flag::bool("containers", "If present, print usage of containers within a pod."),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::bool("no-headers", "If present, print output without headers."),
        Flag::string("selector", "", "Selector (label query) to filter on").short('l'),
        Flag::bool("show-capacity", "Print node resources based on Capacity instead of Allocatable(default) of the nodes."),
        Flag::string("sort-by", "", "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'."),
        Flag::bool("sum", "Print the sum of the resource usage"),
    ],
    run: run_top,
};

fn run_top(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    match p.args.first().map(String::as_str) {
        Some("node" | "nodes" | "no" | "pod" | "pods" | "po") => {}
        Some(other) => {
            return out.fail(format!(
                "error: unknown command \"{other}\" for \"kubectl top\"\nRun 'kubectl top --help' for usage."
            ))
        }
        None => {
            let mut out = out;
            out.out("Display resource (CPU/memory) usage.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n");
            return out;
        }
    }
    let nodes = matches!(
        p.args.first().map(String::as_str),
        Some("node" | "nodes" | "no")
    );
    super::top::run(ctx, p, nodes)
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
        Flag::string("namespaced", "true", "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default."),
        Flag::bool("no-headers", "When using the default or custom-column output format, don't print headers (default print headers)."),
        Flag::string("output", "", "Output format. One of: (wide, name).").short('o'),
        Flag::bool("show-capacity", "Print node resources based on Capacity instead of Allocatable(default) of the nodes."),
        Flag::string("sort-by", "", "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'."),
        Flag::strings("verbs", "Limit to resources that support the specified verbs."),
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
    list.sort_by_key(|r| (!r.group.is_empty(), r.group, r.plural));
    match p.string("sort-by").unwrap_or("") {
        "name" => list.sort_by_key(|r| r.plural),
        "kind" => list.sort_by_key(|r| r.kind),
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
    v.sort();
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
            Flag::bool(
                "all-namespaces",
                "If true, check the specified action in all namespaces.",
            )
            .short('A'),
            Flag::bool("list", "If true, prints all allowed actions."),
            Flag::bool(
                "no-headers",
                "If true, prints allowed actions without headers",
            ),
            Flag::bool(
                "quiet",
                "If true, suppress output and just return the exit code.",
            )
            .short('q'),
            Flag::string(
                "subresource",
                "",
                "SubResource such as pod/log or deployment/scale",
            ),
        ],
        run: run_can_i,
    },
    Command {
        name: "auth whoami",
        short: "Experimental: Check self subject attributes",
        usage: "kubectl auth whoami [options]",
        flags: &[Flag::string("output", "", "Output format.").short('o')],
        run: run_whoami,
    },
];

fn run_auth_root(_: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    match p.args.first() {
        Some(sub) => out.fail(format!(
            "error: unknown command \"{sub}\" for \"kubectl auth\"\nRun 'kubectl auth --help' for usage."
        )),
        None => {
            let mut out = out;
            out.out("Inspect authorization.\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n");
            out
        }
    }
}

/// The answer for the admin's kubeconfig: `system:masters` may do anything.
fn run_can_i(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let user = ctx.cluster.apiserver.user().clone();
    let impersonated = p.string("as").filter(|s| !s.is_empty());
    // The kubeconfig's admin (kubeadm's `kubeadm:cluster-admins`, bound to
    // cluster-admin, or `system:masters`) may do anything; impersonated
    // users have no RBAC rules to grant them anything here yet.
    let masters = impersonated.is_none()
        && user
            .groups
            .iter()
            .any(|g| g == "system:masters" || g == "kubeadm:cluster-admins");
    if p.bool("list") {
        let rows = vec![
            ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]
                .map(String::from)
                .to_vec(),
            ["*.*", "[]", "[]", "[*]"].map(String::from).to_vec(),
            ["", "[*]", "[]", "[*]"].map(String::from).to_vec(),
        ];
        if masters {
            out.out(tabwriter::layout(&rows));
        }
        return out;
    }
    let [verb, what, ..] = p.args.as_slice() else {
        return out.fail("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples");
    };
    let _ = verb;
    let kind = what.split('/').next().unwrap_or("");
    if !what.starts_with('/') && api::resolve(kind).is_none() {
        out.err(format!(
            "Warning: the server doesn't have a resource type '{kind}'\n"
        ));
    }
    if masters {
        if !p.bool("quiet") {
            out.out("yes\n");
        }
        return out;
    }
    if !p.bool("quiet") {
        out.out("no\n");
    }
    out.status = 1;
    out
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

pub const WAIT: Command = Command {
    name: "wait",
    short: "Experimental: Wait for a specific condition on one or many resources",
    usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    flags: &[
        Flag::bool("all", "Select all resources in the namespace of the specified resource types"),
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces.").short('A'),
        Flag::string("field-selector", "", "Selector (field query) to filter on"),
        Flag::strings("filename", "identifying the resource.").short('f'),
        Flag::string("for", "", "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]."),
        Flag::string("selector", "", "Selector (label query) to filter on").short('l'),
        Flag::string("timeout", "30s", "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week."),
    ],
    run: run_wait,
};

fn parse_timeout(s: &str) -> Option<i64> {
    let (num, unit) = s.split_at(
        s.find(|c: char| !c.is_ascii_digit() && c != '-')
            .unwrap_or(s.len()),
    );
    let n: i64 = num.parse().ok()?;
    Some(match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return None,
    })
}

fn run_wait(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let cond = p.string("for").unwrap_or("").to_string();
    if cond.is_empty() {
        return out.fail("error: --for must be specified");
    }
    let timeout = match parse_timeout(p.string("timeout").unwrap_or("30s")) {
        Some(t) if t < 0 => 7 * 24 * 3600,
        Some(t) => t,
        None => {
            return out.fail(format!(
                "error: invalid argument \"{}\" for \"--timeout\" flag",
                p.string("timeout").unwrap_or("")
            ))
        }
    };
    let sel = match select(
        ctx,
        p,
        &p.args,
        Allow {
            selectors: true,
            bare_type: false,
        },
    ) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    if let Some(e) = sel.errors.first() {
        if cond != "delete" {
            return out.fail(e);
        }
    }
    if sel.items.is_empty() {
        return out.fail("error: no matching resources found");
    }
    let (ctype, cvalue) = match cond.strip_prefix("condition=") {
        Some(c) => match c.split_once('=') {
            Some((t, v)) => (t.to_string(), v.to_string()),
            None => (c.to_string(), "True".to_string()),
        },
        None if cond == "delete" => (String::new(), String::new()),
        None => return out.fail(format!("error: unrecognized condition: \"{cond}\"")),
    };
    let deadline = ctx.cluster.now() + Duration::from_secs(timeout);
    ctx.cluster.settle();
    for item in sel.items {
        loop {
            let live = ctx
                .cluster
                .apiserver
                .get(item.res, item.ns.as_deref(), &item.name);
            let met = if cond == "delete" {
                live.as_ref().map_or(true, |o| {
                    object::str_at(o, "metadata.uid") != object::str_at(&item.obj, "metadata.uid")
                })
            } else {
                live.as_ref().is_ok_and(|o| {
                    object::at(o, "status.conditions")
                        .and_then(Value::as_array)
                        .is_some_and(|cs| {
                            cs.iter().any(|c| {
                                object::str_at(c, "type")
                                    .is_some_and(|t| t.eq_ignore_ascii_case(&ctype))
                                    && object::str_at(c, "status")
                                        .is_some_and(|s| s.eq_ignore_ascii_case(&cvalue))
                            })
                        })
                })
            };
            if met {
                out.out(format!(
                    "{}/{} condition met\n",
                    item.kind_name(),
                    item.name
                ));
                break;
            }
            if ctx.cluster.now() >= deadline {
                let res = if item.res.group.is_empty() {
                    item.res.plural.to_string()
                } else {
                    format!("{}.{}", item.res.plural, item.res.group)
                };
                return out.fail(format!(
                    "error: timed out waiting for the condition on {res}/{}",
                    item.name
                ));
            }
            ctx.cluster.step(Duration::from_secs(1));
        }
    }
    out
}

pub const COMPLETION: Command = Command {
    name: "completion",
    short: "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)",
    usage: "kubectl completion SHELL [options]",
    flags: &[],
    run: run_completion,
};

fn run_completion(_: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    match p.args.first().map(String::as_str) {
        Some("bash" | "zsh" | "fish" | "powershell") => {
            // The terminal completes kubectl from the same flag data; the
            // script only has to be accepted by `source`.
            out.out("# bash completion for kubectl                              -*- shell-script -*-\n# Completion is built into this terminal: press Tab.\n");
            out
        }
        Some(other) => out.fail(format!("error: Unsupported shell type \"{other}\".\nSee 'kubectl completion -h' for help and examples")),
        None => out.fail("error: Shell not specified.\nSee 'kubectl completion -h' for help and examples"),
    }
}
