// Indexing is safe in this module: args[0]/args[1] after a length check; fixed-size tables indexed by rem_euclid(7) or by enumerate() over the same columns.
#![allow(clippy::indexing_slicing)]
//! `kubectl describe`: kubectl v1.33's describers for the kinds a learner
//! meets most (Pod, Deployment, ReplicaSet, Service, Node, Namespace,
//! ConfigMap, Secret, ResourceQuota), written as the describers write them —
//! tab-separated lines at indent levels, laid out by Go's tabwriter (see
//! `go/tabwriter.rs`) — each ending with the object's Events. `describe/kinds.rs`
//! has the describers of the other kinds kubectl describes, and its generic
//! describer for the rest.

mod kinds;

use super::select::{select, Allow, Item};
use crate::api::{self, object};
use crate::clock::Time;
use crate::go::tabwriter::{self, FLUSH};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::printers::{self, duration};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::Value;

pub const COMMAND: Command = Command {
    name: "describe",
    short: "Show details of a specific resource or group of resources",
    usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    flags: &[
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::int("chunk-size", "500", "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
        Flag::strings("filename", "Filename, directory, or URL to files containing the resource to describe").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-events", "If true, display events related to the described object.").default("true"),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    if p.args.is_empty() && p.strings("filename").is_empty() {
        return out.fail(super::select::NO_RESOURCES);
    }
    // `describe TYPE NAME` matches NAME as a prefix when no object has that exact name.
    let mut args = p.args.clone();
    let mut prefix: Option<String> = None;
    if args.len() == 2 && !args[0].contains('/') && !args[0].contains(',') {
        if let Ok(res) = super::common::resolve_type(&args[0]) {
            let ns = res.namespaced.then(|| ctx.namespace.clone());
            if ctx
                .cluster
                .apiserver
                .get(res, ns.as_deref(), &args[1])
                .is_err()
            {
                prefix = Some(args.remove(1));
            }
        }
    }
    let sel = match select(
        ctx,
        p,
        &args,
        Allow {
            selectors: true,
            bare_type: true,
            ..Allow::default()
        },
    ) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let mut items = sel.items;
    let mut errors = sel.errors;
    if let Some(pre) = &prefix {
        items.retain(|i| i.name.starts_with(pre.as_str()));
        if items.is_empty() {
            if let Ok(res) = super::common::resolve_type(&p.args[0]) {
                errors.push(crate::apiserver::ApiError::not_found(res, pre).kubectl_text());
            }
        }
    }
    if items.is_empty() && errors.is_empty() {
        let ns_scoped = args
            .first()
            .and_then(|t| api::resolve(t.split(',').next().unwrap_or("")))
            .is_some_and(|r| r.namespaced);
        if ns_scoped && !p.bool("all-namespaces") {
            out.err(format!(
                "No resources found in {} namespace.\n",
                ctx.namespace
            ));
        } else {
            out.err("No resources found\n");
        }
        return out;
    }
    let events = p.string("show-events") != Some("false");
    let now = ctx.cluster.now();
    let mut first = true;
    for item in &items {
        if !first {
            out.out("\n\n");
        }
        first = false;
        let text = describe(ctx, item, events, now);
        out.out(tabwriter::format(&text, 0, 2));
    }
    for e in &errors {
        out.err(format!("{e}\n"));
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}

/// The describers' indent levels (`LEVEL_0` … `LEVEL_4`).
struct W {
    s: String,
}

impl W {
    fn w(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.s.push_str("  ");
        }
        self.s.push_str(text);
    }
    /// `w` of formatted text, written in place (a `&format!` per line
    /// was a String to allocate and drop at each of ~340 call sites: issue
    /// 11, the bundle's size).
    fn f(&mut self, level: usize, text: std::fmt::Arguments<'_>) {
        for _ in 0..level {
            self.s.push_str("  ");
        }
        let _ = std::fmt::Write::write_fmt(&mut self.s, text);
    }
    fn flush(&mut self) {
        self.s.push(FLUSH);
    }
}

fn s<'a>(o: &'a Value, path: &str) -> &'a str {
    object::str_at(o, path).unwrap_or("")
}

fn arr<'a>(o: &'a Value, path: &str) -> &'a [Value] {
    object::at(o, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn num(o: &Value, path: &str) -> Option<i64> {
    object::at(o, path).and_then(Value::as_i64)
}

fn or_none(v: &str) -> &str {
    if v.is_empty() {
        "<none>"
    } else {
        v
    }
}

/// The Conditions table of a Node (`LastHeartbeatTime`) or a PVC
/// (`LastProbeTime`): nothing when there are none, times in RFC 1123Z.
fn conditions_table(w: &mut W, o: &Value, time_header: &str, time_field: &str) {
    let conds = arr(o, "status.conditions");
    if conds.is_empty() {
        return;
    }
    w.w(0, "Conditions:\n");
    w.f(
        1,
        format_args!("Type\tStatus\t{time_header}\tLastTransitionTime\tReason\tMessage\n"),
    );
    w.w(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------\n",
    );
    for c in conds {
        w.f(
            1,
            format_args!(
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                s(c, "type"),
                s(c, "status"),
                rfc1123z(s(c, time_field)),
                rfc1123z(s(c, "lastTransitionTime")),
                s(c, "reason"),
                s(c, "message")
            ),
        );
    }
}

/// Go's `time.RFC1123Z`: `Wed, 23 Apr 2025 08:00:00 +0000`.
pub fn rfc1123z(ts: &str) -> String {
    let Some(t) = Time::parse_rfc3339(ts) else {
        return "Mon, 01 Jan 0001 00:00:00 +0000".into();
    };
    let r = t.rfc3339();
    let (y, m, d) = (
        r[0..4].parse::<i64>().unwrap_or(1970),
        r[5..7].parse::<usize>().unwrap_or(1),
        r[8..10].parse::<i64>().unwrap_or(1),
    );
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    // Days since 1970-01-01 (a Thursday), by the civil-from-days inverse.
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm as i64 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    let wd = DAYS[days.rem_euclid(7) as usize];
    format!(
        "{wd}, {:02} {} {y:04} {} +0000",
        d,
        MONTHS.get(m.wrapping_sub(1)).unwrap_or(&"Jan"),
        &r[11..19]
    )
}

fn sorted_map(o: &Value, path: &str) -> Vec<(String, String)> {
    let mut v = object::string_map(o, path);
    crate::sort::sort(&mut v);
    v
}

/// `printLabelsMultilineWithIndent`.
fn labels_multiline(w: &mut W, title: &str, pairs: &[(String, String)]) {
    w.f(0, format_args!("{title}:\t"));
    if pairs.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        w.f(0, format_args!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline`: the last-applied configuration is skipped,
/// long values are folded under the key.
fn annotations_multiline(w: &mut W, title: &str, pairs: &[(String, String)]) {
    w.f(0, format_args!("{title}:\t"));
    let keys: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != super::apply::LAST_APPLIED)
        .collect();
    if keys.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in keys.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let value = v.trim_end_matches('\n');
        if value.len() + k.len() + 2 > 140 || value.contains('\n') {
            w.f(0, format_args!("{k}:\n"));
            for line in value.split('\n') {
                let short = if line.len() > 138 {
                    // kubectl's shorten cuts at byte 138, even inside a
                    // character; a Rust string can only end on a boundary.
                    format!("{}...", &line[..line.floor_char_boundary(138)])
                } else {
                    line.to_string()
                };
                w.f(0, format_args!("\t  {short}\n"));
            }
        } else {
            w.f(0, format_args!("{k}: {value}\n"));
        }
    }
}

fn tolerations_multiline(w: &mut W, title: &str, tols: &[Value]) {
    w.f(0, format_args!("{title}:\t"));
    if tols.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    let mut tols: Vec<&Value> = tols.iter().collect();
    crate::sort::sort_by_key(&mut tols, |t| s(t, "key").to_string());
    for (i, t) in tols.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let mut line = s(t, "key").to_string();
        if !s(t, "value").is_empty() {
            line.push_str(&format!("={}", s(t, "value")));
        }
        if !s(t, "effect").is_empty() {
            line.push_str(&format!(":{}", s(t, "effect")));
        }
        if s(t, "operator") == "Exists" && s(t, "value").is_empty() {
            if !s(t, "key").is_empty() || !s(t, "effect").is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if let Some(secs) = num(t, "tolerationSeconds") {
            line.push_str(&format!(" for {secs}s"));
        }
        w.f(0, format_args!("{line}\n"));
    }
}

fn taints_multiline(w: &mut W, title: &str, taints: &[Value]) {
    w.f(0, format_args!("{title}:\t"));
    if taints.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, t) in taints.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let v = if s(t, "value").is_empty() {
            format!("{}:{}", s(t, "key"), s(t, "effect"))
        } else {
            format!("{}={}:{}", s(t, "key"), s(t, "value"), s(t, "effect"))
        };
        w.f(0, format_args!("{v}\n"));
    }
}

fn controller_of(o: &Value) -> Option<String> {
    arr(o, "metadata.ownerReferences")
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|r| format!("{}/{}", s(r, "kind"), s(r, "name")))
}

/// `describeContainers`: `space` is `"  "` inside a pod template.
fn containers(
    w: &mut W,
    label: &str,
    cs: &[Value],
    statuses: Option<&[Value]>,
    space: &str,
    now: Time,
) {
    let none = if cs.is_empty() { " <none>" } else { "" };
    w.f(0, format_args!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in cs {
        let name = s(c, "name");
        let status = statuses.and_then(|st| st.iter().find(|x| s(x, "name") == name));
        w.f(1, format_args!("{name_indent}{name}:\n"));
        if let Some(st) = status {
            w.f(2, format_args!("Container ID:\t{}\n", s(st, "containerID")));
        }
        w.f(2, format_args!("Image:\t{}\n", s(c, "image")));
        if let Some(st) = status {
            w.f(2, format_args!("Image ID:\t{}\n", s(st, "imageID")));
        }
        let ports: Vec<String> = arr(c, "ports")
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    num(p, "containerPort").unwrap_or(0),
                    s(p, "protocol")
                )
            })
            .collect();
        let host: Vec<String> = arr(c, "ports")
            .iter()
            .map(|p| format!("{}/{}", num(p, "hostPort").unwrap_or(0), s(p, "protocol")))
            .collect();
        if ports.len() > 1 {
            w.f(2, format_args!("Ports:\t{}\n", ports.join(", ")));
            w.f(2, format_args!("Host Ports:\t{}\n", host.join(", ")));
        } else {
            w.f(2, format_args!("Port:\t{}\n", or_none(&ports.join(", "))));
            w.f(
                2,
                format_args!("Host Port:\t{}\n", or_none(&host.join(", "))),
            );
        }
        for (key, title) in [("command", "Command"), ("args", "Args")] {
            let items = arr(c, key);
            if !items.is_empty() {
                w.f(2, format_args!("{title}:\n"));
                for x in items {
                    for line in x.as_str().unwrap_or("").split('\n') {
                        w.f(3, format_args!("{line}\n"));
                    }
                }
            }
        }
        if let Some(st) = status {
            container_state(w, "State", st.get("state"), now);
            if st.pointer("/lastState/terminated").is_some() {
                container_state(w, "Last State", st.get("lastState"), now);
            }
            let ready = if st.get("ready").and_then(Value::as_bool) == Some(true) {
                "True"
            } else {
                "False"
            };
            w.f(2, format_args!("Ready:\t{ready}\n"));
            w.f(
                2,
                format_args!("Restart Count:\t{}\n", num(st, "restartCount").unwrap_or(0)),
            );
        }
        resources(w, c.get("resources"), 2);
        for (key, title) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if let Some(p) = c.get(key) {
                w.f(2, format_args!("{title}:\t{}\n", probe(p)));
            }
        }
        let env_from = arr(c, "envFrom");
        if !env_from.is_empty() {
            w.w(2, "Environment Variables from:\n");
            for e in env_from {
                let (kind, name, opt) = if let Some(cm) = e.get("configMapRef") {
                    ("ConfigMap", s(cm, "name"), cm.get("optional"))
                } else if let Some(sec) = e.get("secretRef") {
                    ("Secret", s(sec, "name"), sec.get("optional"))
                } else {
                    continue;
                };
                let optional = opt.and_then(Value::as_bool).unwrap_or(false);
                let prefix = s(e, "prefix");
                if prefix.is_empty() {
                    w.f(3, format_args!("{name}\t{kind}\tOptional: {optional}\n"));
                } else {
                    w.f(
                        3,
                        format_args!(
                            "{name}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n"
                        ),
                    );
                }
            }
        }
        let env = arr(c, "env");
        w.f(
            2,
            format_args!(
                "Environment:{}\n",
                if env.is_empty() { "\t<none>" } else { "" }
            ),
        );
        for e in env {
            let name = s(e, "name");
            if let Some(vf) = e.get("valueFrom") {
                if let Some(r) = vf.get("configMapKeyRef") {
                    let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
                    w.f(3, format_args!("{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {optional}\n", s(r, "key"), s(r, "name")));
                } else if let Some(r) = vf.get("secretKeyRef") {
                    let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
                    w.f(
                        3,
                        format_args!(
                            "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {optional}\n",
                            s(r, "key"),
                            s(r, "name")
                        ),
                    );
                } else if let Some(r) = vf.get("fieldRef") {
                    w.f(
                        3,
                        format_args!("{name}:\t ({}:{})\n", s(r, "apiVersion"), s(r, "fieldPath")),
                    );
                } else if let Some(r) = vf.get("resourceFieldRef") {
                    w.f(
                        3,
                        format_args!(
                            "{name}:\t{} ({})\n",
                            s(r, "resource"),
                            s(r, "containerName")
                        ),
                    );
                }
                continue;
            }
            for (i, line) in s(e, "value").split('\n').enumerate() {
                if i == 0 {
                    w.f(3, format_args!("{name}:\t{line}\n"));
                } else {
                    w.f(3, format_args!("\t{line}\n"));
                }
            }
        }
        let mut mounts: Vec<&Value> = arr(c, "volumeMounts").iter().collect();
        w.f(
            2,
            format_args!(
                "Mounts:{}\n",
                if mounts.is_empty() { "\t<none>" } else { "" }
            ),
        );
        crate::sort::sort_by_key(&mut mounts, |m| s(m, "mountPath").to_string());
        for m in mounts {
            let mut flags = vec![
                if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                    "ro".to_string()
                } else {
                    "rw".to_string()
                },
            ];
            if !s(m, "subPath").is_empty() {
                flags.push(format!("path={:?}", s(m, "subPath")));
            }
            w.f(
                3,
                format_args!(
                    "{} from {} ({})\n",
                    s(m, "mountPath"),
                    s(m, "name"),
                    flags.join(",")
                ),
            );
        }
    }
}

fn container_state(w: &mut W, title: &str, state: Option<&Value>, _now: Time) {
    let Some(state) = state else {
        w.f(2, format_args!("{title}:\tWaiting\n"));
        return;
    };
    if let Some(r) = state.get("running") {
        w.f(2, format_args!("{title}:\tRunning\n"));
        w.f(
            3,
            format_args!("Started:\t{}\n", rfc1123z(s(r, "startedAt"))),
        );
    } else if let Some(wt) = state.get("waiting") {
        w.f(2, format_args!("{title}:\tWaiting\n"));
        w.f(3, format_args!("Reason:\t{}\n", s(wt, "reason")));
    } else if let Some(t) = state.get("terminated") {
        w.f(2, format_args!("{title}:\tTerminated\n"));
        w.f(3, format_args!("Reason:\t{}\n", s(t, "reason")));
        if !s(t, "message").is_empty() {
            w.f(3, format_args!("Message:\t{}\n", s(t, "message")));
        }
        w.f(
            3,
            format_args!("Exit Code:\t{}\n", num(t, "exitCode").unwrap_or(0)),
        );
        if let Some(sig) = num(t, "signal").filter(|x| *x > 0) {
            w.f(3, format_args!("Signal:\t{sig}\n"));
        }
        w.f(
            3,
            format_args!("Started:\t{}\n", rfc1123z(s(t, "startedAt"))),
        );
        w.f(
            3,
            format_args!("Finished:\t{}\n", rfc1123z(s(t, "finishedAt"))),
        );
    } else {
        w.f(2, format_args!("{title}:\tWaiting\n"));
    }
}

/// `DescribeProbe`.
fn probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        num(p, "initialDelaySeconds").unwrap_or(0),
        num(p, "timeoutSeconds").unwrap_or(1),
        num(p, "periodSeconds").unwrap_or(10),
        num(p, "successThreshold").unwrap_or(1),
        num(p, "failureThreshold").unwrap_or(3)
    );
    if let Some(e) = p.get("exec") {
        let cmd: Vec<&str> = arr(e, "command").iter().filter_map(Value::as_str).collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = p.get("httpGet") {
        let scheme = s(h, "scheme").to_ascii_lowercase();
        let scheme = if scheme.is_empty() {
            "http".to_string()
        } else {
            scheme
        };
        let port = printers::int_or_string(h.get("port")).unwrap_or_default();
        let host = s(h, "host");
        return format!("http-get {scheme}://{host}:{port}{} {attrs}", s(h, "path"));
    }
    if let Some(t) = p.get("tcpSocket") {
        let port = printers::int_or_string(t.get("port")).unwrap_or_default();
        return format!("tcp-socket {}:{port} {attrs}", s(t, "host"));
    }
    if let Some(g) = p.get("grpc") {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            num(g, "port").unwrap_or(0),
            s(g, "service")
        );
    }
    format!("unknown {attrs}")
}

fn resource_names(m: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = m
        .iter()
        .map(|(k, x)| {
            (
                k.clone(),
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string()),
            )
        })
        .collect();
    crate::sort::sort(&mut v);
    v
}

fn resources(w: &mut W, r: Option<&Value>, level: usize) {
    let Some(r) = r else { return };
    for (key, title) in [("limits", "Limits"), ("requests", "Requests")] {
        if let Some(m) = r
            .get(key)
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
        {
            w.f(level, format_args!("{title}:\n"));
            for (k, v) in resource_names(m) {
                w.f(level + 1, format_args!("{k}:\t{v}\n"));
            }
        }
    }
}

fn volumes(w: &mut W, vols: &[Value], space: &str) {
    if vols.is_empty() {
        w.f(0, format_args!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.f(0, format_args!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.f(1, format_args!("{name_indent}{}:\n", s(v, "name")));
        let opt = |x: &Value| x.get("optional").and_then(Value::as_bool).unwrap_or(false);
        if let Some(h) = v.get("hostPath") {
            w.f(2, format_args!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n", s(h, "path"), s(h, "type")));
        } else if let Some(e) = v.get("emptyDir") {
            let size = match s(e, "sizeLimit") {
                "" => "<unset>",
                x => x,
            };
            w.f(2, format_args!("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n", s(e, "medium")));
        } else if let Some(sec) = v.get("secret") {
            w.f(2, format_args!("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n", s(sec, "secretName"), opt(sec)));
        } else if let Some(cm) = v.get("configMap") {
            w.f(2, format_args!("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n", s(cm, "name"), opt(cm)));
        } else if let Some(pvc) = v.get("persistentVolumeClaim") {
            let ro = pvc
                .get("readOnly")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            w.f(2, format_args!("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{ro}\n", s(pvc, "claimName")));
        } else if let Some(pr) = v.get("projected") {
            w.w(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for src in arr(pr, "sources") {
                if let Some(x) = src.get("secret") {
                    w.f(
                        2,
                        format_args!("SecretName:\t{}\n    Optional:\t{}\n", s(x, "name"), opt(x)),
                    );
                } else if src.get("downwardAPI").is_some() {
                    w.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(x) = src.get("configMap") {
                    w.f(
                        2,
                        format_args!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            s(x, "name"),
                            opt(x)
                        ),
                    );
                } else if let Some(x) = src.get("serviceAccountToken") {
                    w.f(
                        2,
                        format_args!(
                            "TokenExpirationSeconds:\t{}\n",
                            num(x, "expirationSeconds").unwrap_or(3600)
                        ),
                    );
                }
            }
        } else {
            w.w(2, "<unknown>\n");
        }
    }
}

/// The events about an object, oldest first (by last timestamp).
fn events_for(ctx: &Context<'_>, item: &Item) -> Vec<Value> {
    let Some(res) = api::resolve("events") else {
        return vec![];
    };
    let uid = s(&item.obj, "metadata.uid");
    let ns = item.ns.clone().unwrap_or_else(|| "default".into());
    let scope = if item.res.namespaced {
        Some(ns.as_str())
    } else {
        None
    };
    let mut evs: Vec<Value> = ctx
        .cluster
        .apiserver
        .list_shared_where(res, scope, |e| {
            s(e, "involvedObject.name") == item.name
                && s(e, "involvedObject.kind") == item.res.kind
                && (s(e, "involvedObject.uid").is_empty()
                    || s(e, "involvedObject.uid") == uid
                    // The kubelet refers to its node with the node name as
                    // UID; `kubectl describe node` merges those events in.
                    || (item.res.kind == "Node" && s(e, "involvedObject.uid") == item.name))
        })
        .into_iter()
        .map(|e| Value::clone(&e))
        .collect();
    crate::sort::sort_by_key(&mut evs, |e| {
        let t = s(e, "lastTimestamp");
        if t.is_empty() {
            s(e, "eventTime").to_string()
        } else {
            t.to_string()
        }
    });
    evs
}

/// `DescribeEvents`.
fn describe_events(w: &mut W, evs: &[Value], now: Time) {
    if evs.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    let since = |t: &str| match Time::parse_rfc3339(t) {
        Some(t) => duration::human(now - t),
        None => "<unknown>".into(),
    };
    for e in evs {
        let first = if s(e, "eventTime").is_empty() {
            since(s(e, "firstTimestamp"))
        } else {
            since(s(e, "eventTime"))
        };
        let count = num(e, "count").unwrap_or(1);
        let interval = if let Some(series) = e.get("series").filter(|x| x.is_object()) {
            format!(
                "{} (x{} over {first})",
                since(s(series, "lastObservedTime")),
                num(series, "count").unwrap_or(0)
            )
        } else if count > 1 {
            format!("{} (x{count} over {first})", since(s(e, "lastTimestamp")))
        } else {
            first
        };
        let source = match s(e, "source.component") {
            "" => s(e, "reportingComponent"),
            c => c,
        };
        w.f(
            1,
            format_args!(
                "{}\t{}\t{interval}\t{source}\t{}\n",
                s(e, "type"),
                s(e, "reason"),
                s(e, "message").trim()
            ),
        );
    }
}

fn describe(ctx: &mut Context<'_>, item: &Item, show_events: bool, now: Time) -> String {
    let mut w = W { s: String::new() };
    // kubectl 1.33 describes an older version's object in the preferred
    // version (the HPA describer reads autoscaling/v2).
    let stored = item.res.stored_as().and_then(|r| {
        ctx.cluster
            .apiserver
            .get(r, item.ns.as_deref(), &item.name)
            .ok()
    });
    let o = stored.as_ref().unwrap_or(&item.obj);
    if let Some(with_events) = kinds::describe(ctx, &mut w, item.res.kind, o, now) {
        if with_events && show_events {
            let evs = events_for(ctx, item);
            describe_events(&mut w, &evs, now);
        }
        return w.s;
    }
    match item.res.kind {
        "Pod" => pod(&mut w, o, now),
        "Deployment" => deployment(ctx, &mut w, o, now),
        "ReplicaSet" | "ReplicationController" => replicaset(ctx, &mut w, item, now),
        "Service" => service(ctx, &mut w, o),
        "Node" => node(ctx, &mut w, o, now),
        // The Namespace and Secret describers show no events.
        "Namespace" => {
            namespace(ctx, &mut w, o);
            return w.s;
        }
        "ConfigMap" => {
            head(&mut w, o, true);
            w.s.push_str("\nData\n====\n");
            let data = object::at(o, "data")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in &data {
                w.s.push_str(&format!("{k}:\n----\n{}\n\n", v.as_str().unwrap_or("")));
            }
            w.s.push_str("\nBinaryData\n====\n");
            let bin = object::at(o, "binaryData")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in &bin {
                w.s.push_str(&format!(
                    "{k}: {} bytes\n",
                    v.as_str().map(|x| x.len() * 3 / 4).unwrap_or(0)
                ));
            }
            w.s.push('\n');
        }
        "Secret" => {
            head(&mut w, o, true);
            w.f(0, format_args!("\nType:\t{}\n\nData\n====\n", s(o, "type")));
            let data = object::at(o, "data")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in &data {
                let len = decoded_len(v.as_str().unwrap_or(""));
                w.f(0, format_args!("{k}:\t{len} bytes\n"));
            }
            return w.s;
        }
        "ResourceQuota" => {
            quota(&mut w, o);
            return w.s;
        }
        "LimitRange" => {
            limit_range(&mut w, o);
            return w.s;
        }
        _ => kinds::generic(&mut w, o),
    }
    if show_events {
        let evs = events_for(ctx, item);
        describe_events(&mut w, &evs, now);
    }
    w.s
}

/// `helpTextForResourceQuotaScope`.
fn quota_scope_help(scope: &str) -> &'static str {
    match scope {
        "Terminating" => "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
        "NotTerminating" => "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
        "BestEffort" => "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
        "NotBestEffort" => "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
        _ => "",
    }
}

/// `describeQuota` (its describer shows no events).
fn quota(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
    let mut scopes: Vec<&str> = arr(o, "spec.scopes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !scopes.is_empty() {
        crate::sort::sort(&mut scopes);
        w.f(0, format_args!("Scopes:\t{}\n", scopes.join(", ")));
        for s in scopes {
            let help = quota_scope_help(s);
            if !help.is_empty() {
                w.f(0, format_args!(" * {help}\n"));
            }
        }
    }
    w.w(0, "Resource\tUsed\tHard\n");
    w.w(0, "--------\t----\t----\n");
    let hard = object::at(o, "status.hard")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let used = object::at(o, "status.used")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (k, h) in resource_names(&hard) {
        let u = used
            .get(&k)
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_else(|| "0".into());
        w.f(0, format_args!("{k}\t{u}\t{h}\n"));
    }
}

/// `describeLimitRange`: one line per type and resource (kubectl's order is
/// a Go map's; here it is sorted).
fn limit_range(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
    w.w(
        0,
        "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    w.w(
        0,
        "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    limit_range_rows(w, o, "");
}

/// `describeLimitRangeSpec`: one row per limit type and resource, each
/// after `prefix` (kubectl's order is a Go map's; here resources are sorted).
fn limit_range_rows(w: &mut W, o: &Value, prefix: &str) {
    for item in arr(o, "spec.limits") {
        let get = |field: &str, k: &str| {
            item.get(field)
                .and_then(|m| m.get(k))
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .unwrap_or_else(|| "-".into())
        };
        let mut keys: Vec<String> = [
            "max",
            "min",
            "default",
            "defaultRequest",
            "maxLimitRequestRatio",
        ]
        .iter()
        .filter_map(|f| item.get(*f).and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect();
        crate::sort::sort(&mut keys);
        keys.dedup();
        for k in keys {
            let ty = s(item, "type");
            let def_req = get("defaultRequest", &k);
            let def_lim = get("default", &k);
            w.f(
                0,
                format_args!(
                    "{prefix}{ty}\t{k}\t{}\t{}\t{def_req}\t{def_lim}\t{}\n",
                    get("min", &k),
                    get("max", &k),
                    get("maxLimitRequestRatio", &k)
                ),
            );
        }
    }
}

fn decoded_len(b64: &str) -> usize {
    let t = b64.trim_end_matches('=');
    t.len() * 3 / 4
}

fn head(w: &mut W, o: &Value, namespaced: bool) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    if namespaced {
        w.f(
            0,
            format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
        );
    }
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
}

fn pod(w: &mut W, o: &Value, now: Time) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
    if let Some(pr) = num(o, "spec.priority") {
        w.f(0, format_args!("Priority:\t{pr}\n"));
    }
    if !s(o, "spec.priorityClassName").is_empty() {
        w.f(
            0,
            format_args!("Priority Class Name:\t{}\n", s(o, "spec.priorityClassName")),
        );
    }
    if !s(o, "spec.runtimeClassName").is_empty() {
        w.f(
            0,
            format_args!("Runtime Class Name:\t{}\n", s(o, "spec.runtimeClassName")),
        );
    }
    if !s(o, "spec.serviceAccountName").is_empty() {
        w.f(
            0,
            format_args!("Service Account:\t{}\n", s(o, "spec.serviceAccountName")),
        );
    }
    if s(o, "spec.nodeName").is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.f(
            0,
            format_args!(
                "Node:\t{}/{}\n",
                s(o, "spec.nodeName"),
                s(o, "status.hostIP")
            ),
        );
    }
    if !s(o, "status.startTime").is_empty() {
        w.f(
            0,
            format_args!("Start Time:\t{}\n", rfc1123z(s(o, "status.startTime"))),
        );
    }
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
    let phase = s(o, "status.phase");
    if !s(o, "metadata.deletionTimestamp").is_empty() && !matches!(phase, "Failed" | "Succeeded") {
        let lasts = Time::parse_rfc3339(s(o, "metadata.deletionTimestamp"))
            .map(|t| duration::human(now - t))
            .unwrap_or_else(|| "<unknown>".into());
        w.f(0, format_args!("Status:\tTerminating (lasts {lasts})\n"));
        w.f(
            0,
            format_args!(
                "Termination Grace Period:\t{}s\n",
                num(o, "metadata.deletionGracePeriodSeconds").unwrap_or(0)
            ),
        );
    } else {
        w.f(0, format_args!("Status:\t{phase}\n"));
    }
    if !s(o, "status.reason").is_empty() {
        w.f(0, format_args!("Reason:\t{}\n", s(o, "status.reason")));
    }
    if !s(o, "status.message").is_empty() {
        w.f(0, format_args!("Message:\t{}\n", s(o, "status.message")));
    }
    w.f(0, format_args!("IP:\t{}\n", s(o, "status.podIP")));
    let ips = arr(o, "status.podIPs");
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.f(1, format_args!("IP:\t{}\n", s(ip, "ip")));
        }
    }
    if let Some(c) = controller_of(o) {
        w.f(0, format_args!("Controlled By:\t{c}\n"));
    }
    if !s(o, "status.nominatedNodeName").is_empty() {
        w.f(
            0,
            format_args!("NominatedNodeName:\t{}\n", s(o, "status.nominatedNodeName")),
        );
    }
    let inits = arr(o, "spec.initContainers");
    if !inits.is_empty() {
        containers(
            w,
            "Init Containers",
            inits,
            Some(arr(o, "status.initContainerStatuses")),
            "",
            now,
        );
    }
    containers(
        w,
        "Containers",
        arr(o, "spec.containers"),
        Some(arr(o, "status.containerStatuses")),
        "",
        now,
    );
    let conds = arr(o, "status.conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.f(1, format_args!("{} \t{} \n", s(c, "type"), s(c, "status")));
        }
    }
    volumes(w, arr(o, "spec.volumes"), "");
    let qos = match s(o, "status.qosClass") {
        "" => "BestEffort".to_string(),
        q => q.to_string(),
    };
    w.f(0, format_args!("QoS Class:\t{qos}\n"));
    labels_multiline(w, "Node-Selectors", &sorted_map(o, "spec.nodeSelector"));
    tolerations_multiline(w, "Tolerations", arr(o, "spec.tolerations"));
}

fn pod_template(w: &mut W, t: &Value, now: Time) {
    w.w(0, "Pod Template:\n");
    labels_multiline(w, "  Labels", &sorted_map(t, "metadata.labels"));
    let ann = sorted_map(t, "metadata.annotations");
    if !ann.is_empty() {
        annotations_multiline(w, "  Annotations", &ann);
    }
    if !s(t, "spec.serviceAccountName").is_empty() {
        w.f(
            1,
            format_args!("Service Account:\t{}\n", s(t, "spec.serviceAccountName")),
        );
    }
    let inits = arr(t, "spec.initContainers");
    if !inits.is_empty() {
        containers(w, "Init Containers", inits, None, "  ", now);
    }
    containers(w, "Containers", arr(t, "spec.containers"), None, "  ", now);
    volumes(w, arr(t, "spec.volumes"), "  ");
    if !s(t, "spec.priorityClassName").is_empty() {
        w.f(
            1,
            format_args!("Priority Class Name:\t{}\n", s(t, "spec.priorityClassName")),
        );
    }
    labels_multiline(w, "  Node-Selectors", &sorted_map(t, "spec.nodeSelector"));
    tolerations_multiline(w, "  Tolerations", arr(t, "spec.tolerations"));
}

/// A pod template as `rollout history --revision` and `rollout undo
/// --dry-run` print it.
pub fn pod_template_text(t: &Value) -> String {
    let mut w = W { s: String::new() };
    pod_template(&mut w, t, Time::EPOCH);
    tabwriter::format(&w.s, 0, 2)
}

fn owned_replicasets(ctx: &Context<'_>, d: &Value) -> Vec<Value> {
    let Some(rs) = api::resolve("replicasets.apps") else {
        return vec![];
    };
    let uid = s(d, "metadata.uid");
    ctx.cluster
        .apiserver
        .list(rs, object::namespace(d))
        .into_iter()
        .filter(|r| {
            arr(r, "metadata.ownerReferences")
                .iter()
                .any(|o| s(o, "uid") == uid)
        })
        .collect()
}

fn deployment(ctx: &Context<'_>, w: &mut W, o: &Value, now: Time) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
    w.f(
        0,
        format_args!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(s(o, "metadata.creationTimestamp"))
        ),
    );
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
    w.f(
        0,
        format_args!(
            "Selector:\t{}\n",
            printers::selector_string(object::at(o, "spec.selector"))
        ),
    );
    let st = |k: &str| num(o, &format!("status.{k}")).unwrap_or(0);
    w.f(
        0,
        format_args!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            num(o, "spec.replicas").unwrap_or(1),
            st("updatedReplicas"),
            st("replicas"),
            st("availableReplicas"),
            st("unavailableReplicas")
        ),
    );
    w.f(
        0,
        format_args!("StrategyType:\t{}\n", s(o, "spec.strategy.type")),
    );
    w.f(
        0,
        format_args!(
            "MinReadySeconds:\t{}\n",
            num(o, "spec.minReadySeconds").unwrap_or(0)
        ),
    );
    if let Some(ru) = object::at(o, "spec.strategy.rollingUpdate") {
        let mu = printers::int_or_string(ru.get("maxUnavailable")).unwrap_or_default();
        let ms = printers::int_or_string(ru.get("maxSurge")).unwrap_or_default();
        w.f(
            0,
            format_args!("RollingUpdateStrategy:\t{mu} max unavailable, {ms} max surge\n"),
        );
    }
    if let Some(t) = object::at(o, "spec.template") {
        pod_template(w, t, now);
    }
    let conds = arr(o, "status.conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.w(1, "----\t------\t------\n");
        for c in conds {
            w.f(
                1,
                format_args!(
                    "{} \t{}\t{}\n",
                    s(c, "type"),
                    s(c, "status"),
                    s(c, "reason")
                ),
            );
        }
    }
    let rss = owned_replicasets(ctx, o);
    if !rss.is_empty() {
        let template_hash = |r: &Value| s(r, "metadata.labels.pod-template-hash").to_string();
        let revision = |r: &Value| {
            s(
                r,
                "metadata.annotations.deployment\\.kubernetes\\.io/revision",
            )
            .to_string()
        };
        let _ = (template_hash, revision);
        // The new ReplicaSet is the one whose template equals the
        // deployment's (ignoring the pod-template-hash label).
        let want = object::at(o, "spec.template")
            .cloned()
            .unwrap_or(Value::Null);
        let strip = |t: &Value| {
            let mut t = t.clone();
            if let Some(l) = t
                .pointer_mut("/metadata/labels")
                .and_then(Value::as_object_mut)
            {
                l.remove("pod-template-hash");
            }
            t
        };
        let fmt = |r: &Value| {
            format!(
                "{} ({}/{} replicas created)",
                object::name(r),
                num(r, "status.replicas").unwrap_or(0),
                num(r, "spec.replicas").unwrap_or(1)
            )
        };
        let (new, old): (Vec<&Value>, Vec<&Value>) = rss
            .iter()
            .partition(|r| object::at(r, "spec.template").map(strip) == Some(strip(&want)));
        let old: Vec<&Value> = old
            .into_iter()
            .filter(|r| {
                num(r, "spec.replicas").unwrap_or(0) > 0
                    || num(r, "status.replicas").unwrap_or(0) > 0
            })
            .collect();
        let join = |v: &[&Value]| {
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.iter().map(|r| fmt(r)).collect::<Vec<_>>().join(", ")
            }
        };
        w.f(0, format_args!("OldReplicaSets:\t{}\n", join(&old)));
        w.f(0, format_args!("NewReplicaSet:\t{}\n", join(&new)));
    }
}

fn replicaset(ctx: &Context<'_>, w: &mut W, item: &Item, now: Time) {
    let o = &item.obj;
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
    let sel = if item.res.kind == "ReplicationController" {
        printers::map_labels(o, "spec.selector")
    } else {
        printers::selector_string(object::at(o, "spec.selector"))
    };
    w.f(0, format_args!("Selector:\t{sel}\n"));
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
    if let Some(c) = controller_of(o) {
        w.f(0, format_args!("Controlled By:\t{c}\n"));
    }
    w.f(
        0,
        format_args!(
            "Replicas:\t{} current / {} desired\n",
            num(o, "status.replicas").unwrap_or(0),
            num(o, "spec.replicas").unwrap_or(1)
        ),
    );
    // Pod phases of the pods this object owns.
    let uid = s(o, "metadata.uid");
    let pods = api::resolve("pods")
        .map(|r| ctx.cluster.apiserver.list_shared(r, item.ns.as_deref()))
        .unwrap_or_default();
    let mut counts = [0usize; 4];
    for p in pods.iter().filter(|p| {
        arr(p, "metadata.ownerReferences")
            .iter()
            .any(|r| s(r, "uid") == uid)
    }) {
        let i = match s(p, "status.phase") {
            "Running" => 0,
            "Succeeded" => 2,
            "Failed" => 3,
            _ => 1,
        };
        counts[i] += 1;
    }
    w.f(
        0,
        format_args!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
            counts[0], counts[1], counts[2], counts[3]
        ),
    );
    if let Some(t) = object::at(o, "spec.template") {
        pod_template(w, t, now);
    }
    let conds = arr(o, "status.conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.w(1, "----\t------\t------\n");
        for c in conds {
            w.f(
                1,
                format_args!(
                    "{} \t{}\t{}\n",
                    s(c, "type"),
                    s(c, "status"),
                    s(c, "reason")
                ),
            );
        }
    }
}

fn service(ctx: &Context<'_>, w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
    w.f(
        0,
        format_args!("Selector:\t{}\n", printers::map_labels(o, "spec.selector")),
    );
    w.f(0, format_args!("Type:\t{}\n", s(o, "spec.type")));
    if !s(o, "spec.ipFamilyPolicy").is_empty() {
        w.f(
            0,
            format_args!("IP Family Policy:\t{}\n", s(o, "spec.ipFamilyPolicy")),
        );
    }
    let fams: Vec<&str> = arr(o, "spec.ipFamilies")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    w.f(
        0,
        format_args!("IP Families:\t{}\n", or_none(&fams.join(","))),
    );
    w.f(0, format_args!("IP:\t{}\n", s(o, "spec.clusterIP")));
    let ips: Vec<&str> = arr(o, "spec.clusterIPs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    w.f(0, format_args!("IPs:\t{}\n", or_none(&ips.join(","))));
    let ext: Vec<&str> = arr(o, "spec.externalIPs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !ext.is_empty() {
        w.f(0, format_args!("External IPs:\t{}\n", ext.join(",")));
    }
    if !s(o, "spec.externalName").is_empty() {
        w.f(
            0,
            format_args!("External Name:\t{}\n", s(o, "spec.externalName")),
        );
    }
    let ingress: Vec<&str> = arr(o, "status.loadBalancer.ingress")
        .iter()
        .filter_map(|i| object::str_at(i, "ip").or_else(|| object::str_at(i, "hostname")))
        .collect();
    if !ingress.is_empty() {
        w.f(
            0,
            format_args!("LoadBalancer Ingress:\t{}\n", ingress.join(", ")),
        );
    }
    let endpoints = endpoints_of(ctx, o);
    for sp in arr(o, "spec.ports") {
        let name = match s(sp, "name") {
            "" => "<unset>",
            n => n,
        };
        let proto = s(sp, "protocol");
        w.f(
            0,
            format_args!("Port:\t{name}\t{}/{proto}\n", num(sp, "port").unwrap_or(0)),
        );
        let tp = printers::int_or_string(sp.get("targetPort")).unwrap_or_default();
        w.f(0, format_args!("TargetPort:\t{tp}/{proto}\n"));
        if let Some(np) = num(sp, "nodePort").filter(|n| *n != 0) {
            w.f(0, format_args!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        w.f(
            0,
            format_args!(
                "Endpoints:\t{}\n",
                endpoints_for_port(&endpoints, s(sp, "name"))
            ),
        );
    }
    w.f(
        0,
        format_args!("Session Affinity:\t{}\n", s(o, "spec.sessionAffinity")),
    );
    if !s(o, "spec.externalTrafficPolicy").is_empty() {
        w.f(
            0,
            format_args!(
                "External Traffic Policy:\t{}\n",
                s(o, "spec.externalTrafficPolicy")
            ),
        );
    }
    if !s(o, "spec.internalTrafficPolicy").is_empty() {
        w.f(
            0,
            format_args!(
                "Internal Traffic Policy:\t{}\n",
                s(o, "spec.internalTrafficPolicy")
            ),
        );
    }
}

fn endpoints_of(ctx: &Context<'_>, svc: &Value) -> Vec<Value> {
    let Some(res) = api::resolve("endpointslices.discovery.k8s.io") else {
        return vec![];
    };
    ctx.cluster
        .apiserver
        .list(res, object::namespace(svc))
        .into_iter()
        .filter(|e| {
            s(e, "metadata.labels.kubernetes\\.io/service-name") == object::name(svc)
                || object::string_map(e, "metadata.labels")
                    .iter()
                    .any(|(k, v)| k == "kubernetes.io/service-name" && v == object::name(svc))
        })
        .collect()
}

/// `formatEndpointSlices`: ready addresses with the port, at most three then `+ N more...`.
fn endpoints_for_port(slices: &[Value], port_name: &str) -> String {
    let mut list = Vec::new();
    for sl in slices {
        for p in arr(sl, "ports")
            .iter()
            .filter(|p| s(p, "name") == port_name)
        {
            for ep in arr(sl, "endpoints") {
                let ready = object::at(ep, "conditions.ready")
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                if !ready {
                    continue;
                }
                for a in arr(ep, "addresses").iter().filter_map(Value::as_str) {
                    list.push(printers::host_port(a, num(p, "port").unwrap_or(0)));
                }
            }
        }
    }
    if list.is_empty() {
        return String::new();
    }
    let n = list.len();
    let mut shown = list.into_iter().take(3).collect::<Vec<_>>().join(",");
    if n > 3 {
        shown.push_str(&format!(" + {} more...", n - 3));
    }
    shown
}

fn namespace(ctx: &Context<'_>, w: &mut W, o: &Value) {
    head(w, o, false);
    w.f(0, format_args!("Status:\t{}\n", s(o, "status.phase")));
    w.s.push('\n');
    let mut quotas = api::resolve("resourcequotas")
        .map(|r| ctx.cluster.apiserver.list(r, Some(object::name(o))))
        .unwrap_or_default();
    // `DescribeResourceQuotas`: every quota of the namespace, by name.
    if quotas.is_empty() {
        w.w(0, "No resource quota.\n");
    } else {
        crate::sort::sort_by_key(&mut quotas, |q| object::name(q).to_string());
        w.w(0, "Resource Quotas\n");
        for q in &quotas {
            w.f(1, format_args!("Name:\t{}\n", object::name(q)));
            let mut scopes: Vec<&str> = arr(q, "spec.scopes")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if !scopes.is_empty() {
                crate::sort::sort(&mut scopes);
                w.f(1, format_args!("Scopes:\t{}\n", scopes.join(", ")));
                for sc in scopes {
                    let help = quota_scope_help(sc);
                    if !help.is_empty() {
                        w.f(1, format_args!("* {help}\n"));
                    }
                }
            }
            w.w(1, "Resource\tUsed\tHard\n");
            w.w(1, "--------\t---\t---\n");
            let hard = object::at(q, "status.hard")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, h) in resource_names(&hard) {
                let used = object::at(q, "status.used")
                    .and_then(|u| u.get(&k))
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .unwrap_or_else(|| "0".into());
                w.f(1, format_args!("{k}\t{used}\t{h}\n"));
            }
        }
    }
    w.s.push('\n');
    let mut limits = api::resolve("limitranges")
        .map(|r| ctx.cluster.apiserver.list(r, Some(object::name(o))))
        .unwrap_or_default();
    // `DescribeLimitRanges`.
    if limits.is_empty() {
        w.w(0, "No LimitRange resource.\n");
    } else {
        crate::sort::sort_by_key(&mut limits, |l| object::name(l).to_string());
        w.w(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
        w.w(
            0,
            " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
        );
        for l in &limits {
            limit_range_rows(w, l, " ");
        }
    }
}

fn node(ctx: &Context<'_>, w: &mut W, o: &Value, now: Time) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    let mut roles: Vec<String> = object::string_map(o, "metadata.labels")
        .into_iter()
        .filter_map(|(k, v)| {
            if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
                Some(r.to_string())
            } else if k == "kubernetes.io/role" {
                Some(v)
            } else {
                None
            }
        })
        .filter(|r| !r.is_empty())
        .collect();
    crate::sort::sort(&mut roles);
    w.f(0, format_args!("Roles:\t{}\n", or_none(&roles.join(","))));
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
    w.f(
        0,
        format_args!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(s(o, "metadata.creationTimestamp"))
        ),
    );
    taints_multiline(w, "Taints", arr(o, "spec.taints"));
    let unsched = object::at(o, "spec.unschedulable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    w.f(0, format_args!("Unschedulable:\t{unsched}\n"));
    // The node's Lease, renewed by its kubelet.
    if let Some(lease_res) = api::resolve("leases.coordination.k8s.io") {
        match ctx
            .cluster
            .apiserver
            .get(lease_res, Some("kube-node-lease"), object::name(o))
        {
            Ok(l) => {
                w.w(0, "Lease:\n");
                w.f(
                    1,
                    format_args!(
                        "HolderIdentity:\t{}\n",
                        or_unset(s(&l, "spec.holderIdentity"))
                    ),
                );
                w.f(
                    1,
                    format_args!(
                        "AcquireTime:\t{}\n",
                        or_unset_time(s(&l, "spec.acquireTime"))
                    ),
                );
                w.f(
                    1,
                    format_args!("RenewTime:\t{}\n", or_unset_time(s(&l, "spec.renewTime"))),
                );
            }
            Err(e) => w.f(
                0,
                format_args!("Lease:\tFailed to get lease: {}\n", e.message()),
            ),
        }
    }
    conditions_table(w, o, "LastHeartbeatTime", "lastHeartbeatTime");
    w.w(0, "Addresses:\n");
    for a in arr(o, "status.addresses") {
        w.f(1, format_args!("{}:\t{}\n", s(a, "type"), s(a, "address")));
    }
    for (key, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        if let Some(m) = object::at(o, &format!("status.{key}"))
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
        {
            w.f(0, format_args!("{title}:\n"));
            for (k, v) in resource_names(m) {
                w.f(0, format_args!("  {k}:\t{v}\n"));
            }
        }
    }
    w.w(0, "System Info:\n");
    for (title, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        w.f(
            0,
            format_args!("  {title}:\t{}\n", s(o, &format!("status.nodeInfo.{key}"))),
        );
    }
    if !s(o, "spec.podCIDR").is_empty() {
        w.f(0, format_args!("PodCIDR:\t{}\n", s(o, "spec.podCIDR")));
    }
    let cidrs: Vec<&str> = arr(o, "spec.podCIDRs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !cidrs.is_empty() {
        w.f(0, format_args!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if !s(o, "spec.providerID").is_empty() {
        w.f(
            0,
            format_args!("ProviderID:\t{}\n", s(o, "spec.providerID")),
        );
    }
    node_resources(ctx, w, o, now);
}

fn or_unset(v: &str) -> &str {
    if v.is_empty() {
        "<unset>"
    } else {
        v
    }
}

fn or_unset_time(v: &str) -> String {
    if v.is_empty() {
        "<unset>".into()
    } else {
        rfc1123z(v)
    }
}

/// `describeNodeResource`: the non-terminated pods with their requests and
/// limits, and the node's allocated totals.
fn node_resources(ctx: &Context<'_>, w: &mut W, node: &Value, now: Time) {
    // The pods are borrowed from the watch cache: only the node's are kept.
    let pods = api::resolve("pods")
        .map(|r| {
            ctx.cluster.apiserver.list_shared_where(r, None, |p| {
                s(p, "spec.nodeName") == object::name(node)
                    && !matches!(s(p, "status.phase"), "Succeeded" | "Failed")
            })
        })
        .unwrap_or_default();
    let milli = |q: &str| crate::apiserver::validation::quantity_milli(q).unwrap_or(0);
    let alloc_cpu = milli(s(node, "status.allocatable.cpu"));
    let alloc_mem = milli(s(node, "status.allocatable.memory"));
    w.f(
        0,
        format_args!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.w(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.w(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut totals = [0i128; 4];
    for p in &pods {
        let sum = |kind: &str, res: &str| -> i128 {
            arr(p, "spec.containers")
                .iter()
                .map(|c| milli(s(c, &format!("resources.{kind}.{res}"))))
                .sum()
        };
        let v = [
            sum("requests", "cpu"),
            sum("limits", "cpu"),
            sum("requests", "memory"),
            sum("limits", "memory"),
        ];
        for i in 0..4 {
            totals[i] += v[i];
        }
        let pct = |x: i128, of: i128| if of == 0 { 0 } else { x * 100 / of };
        w.f(
            1,
            format_args!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                object::namespace(p).unwrap_or(""),
                object::name(p),
                cpu_string(v[0]),
                pct(v[0], alloc_cpu),
                cpu_string(v[1]),
                pct(v[1], alloc_cpu),
                mem_string(v[2]),
                pct(v[2], alloc_mem),
                mem_string(v[3]),
                pct(v[3], alloc_mem),
                printers::age(p, now)
            ),
        );
    }
    let pct = |x: i128, of: i128| if of == 0 { 0 } else { x * 100 / of };
    w.w(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    w.f(
        1,
        format_args!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            cpu_string(totals[0]),
            pct(totals[0], alloc_cpu),
            cpu_string(totals[1]),
            pct(totals[1], alloc_cpu)
        ),
    );
    w.f(
        1,
        format_args!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            mem_string(totals[2]),
            pct(totals[2], alloc_mem),
            mem_string(totals[3]),
            pct(totals[3], alloc_mem)
        ),
    );
    w.w(1, "ephemeral-storage\t0 (0%)\t0 (0%)\n");
    w.w(1, "hugepages-1Gi\t0 (0%)\t0 (0%)\n");
    w.w(1, "hugepages-2Mi\t0 (0%)\t0 (0%)\n");
}

/// A CPU quantity in milli-units as `resource.Quantity` prints it (`100m`, `1`).
fn cpu_string(m: i128) -> String {
    if m % 1000 == 0 {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

/// A memory quantity (given in milli-bytes) in its canonical binary-SI form.
fn mem_string(m: i128) -> String {
    let b = m / 1000;
    if b == 0 {
        return "0".into();
    }
    for (suffix, unit) in [("Gi", 1i128 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if b % unit == 0 {
            return format!("{}{suffix}", b / unit);
        }
    }
    b.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1123z_weekdays() {
        assert_eq!(
            rfc1123z("2025-04-23T08:00:00Z"),
            "Wed, 23 Apr 2025 08:00:00 +0000"
        );
        assert_eq!(
            rfc1123z("2024-02-29T23:59:59Z"),
            "Thu, 29 Feb 2024 23:59:59 +0000"
        );
        assert_eq!(
            rfc1123z("2026-01-01T00:00:00Z"),
            "Thu, 01 Jan 2026 00:00:00 +0000"
        );
    }
}
