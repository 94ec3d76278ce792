//! kubectl v1.33, as a learner sees it: the same verbs, flags, tables, YAML
//! and error texts. Each verb is a file under `cmd/`; each declares its
//! flags as data (see [`flags`]), from which parsing, help and completion
//! are generated.

pub mod builder;
pub mod cmd;
pub mod explain;
pub mod flags;
pub mod help;
pub mod jsonpath;
pub mod printers;

use crate::cluster::Cluster;
use crate::output::Output;
use flags::Flag;

/// What a kubectl command runs against: the cluster (through its
/// apiserver, as the real client goes through HTTP) and the kubeconfig's
/// current namespace.
pub struct Context<'a> {
    pub cluster: &'a mut Cluster,
    pub namespace: String,
    /// The machine kubectl runs on and its working directory (for `-f file`).
    pub node: String,
    pub cwd: String,
    /// Standard input (for `-f -`).
    pub stdin: Option<String>,
    /// Whether a kubeconfig is there to reach the apiserver (`~/.kube/config`
    /// or `$KUBECONFIG`). Without one kubectl falls back to localhost:8080,
    /// where nothing listens: the classic "on node01" surprise.
    pub kubeconfig: bool,
    /// Where the kubeconfig is (`$KUBECONFIG` or `~/.kube/config`).
    pub kubeconfig_path: String,
    /// The terminal kubectl runs in, for what needs more than streams:
    /// `kubectl edit`'s editor, `kubectl delete -i`'s question. `None`
    /// when there is none (the browser's details view, a fuzz input).
    pub terminal: Option<&'a mut (dyn Terminal + 'a)>,
    /// Whether a host can hold the terminal for a command that waits (the
    /// browser, with its timer and Ctrl-C key): `kubectl drain` then waits
    /// as a [`Job`] rather than all at once.
    pub interactive: bool,
    /// A command that keeps running: set by the command when it goes on
    /// waiting, and given back to it (with the same arguments) each second
    /// the host lets pass.
    pub job: Option<Job>,
}

/// A kubectl command that goes on after it returned, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    /// `kubectl drain` waiting for its pods to go.
    Drain(cmd::drain::Evicting),
}

/// The terminal kubectl was started from, as the shell gives it.
pub trait Terminal {
    /// Opens the editor (`$KUBE_EDITOR`, `$EDITOR`, vi) on the file at
    /// `path` on kubectl's machine; returns when it has been saved, with
    /// what it printed (status [`crate::shell::editor::SUSPENDED`] while the
    /// host's editor is open).
    fn edit(&mut self, cluster: &mut Cluster, path: &str) -> Output;
    /// Shows `prompt` and reads the line typed (see [`crate::shell::question`]).
    fn ask(&mut self, prompt: &str) -> crate::shell::question::Asked;
}

/// What kubectl prints when it cannot reach an apiserver.
pub const CONNECTION_REFUSED: &str = "The connection to the server localhost:8080 was refused - did you specify the right host or port?";

/// The server in kubectl's kubeconfig (`controlplane:6443`).
fn kubeconfig_server(ctx: &Context<'_>) -> String {
    ctx.cluster
        .machine(&ctx.node)
        .and_then(|m| m.fs.read_to_string(&ctx.kubeconfig_path).ok())
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("server:")
                    .map(|s| s.trim().trim_start_matches("https://").to_string())
            })
        })
        .unwrap_or_else(|| "controlplane:6443".into())
}

/// What kubectl prints while the apiserver's port is closed (its static
/// pod crash-looping, its manifest moved away, etcd down): the discovery
/// client's retries as klog lines (how many depends on the verb), then
/// the refusal. `None` while the apiserver answers.
pub fn apiserver_refused(ctx: &Context<'_>, verb: &str) -> Option<Output> {
    let now = ctx.cluster.now();
    if !crate::cluster::control_plane::apiserver_unreachable(&ctx.cluster.machines, now) {
        return None;
    }
    let server = kubeconfig_server(ctx);
    let mut out = Output::default();
    let retries = match verb {
        "version" => 0,
        "run" => 1,
        "logs" => 4,
        _ => 5,
    };
    let (host, port) = server.rsplit_once(':').unwrap_or((server.as_str(), "443"));
    // kubectl dials the address the name resolves to.
    let addr = match ctx.cluster.machine(host) {
        Some(m) => format!("{}:{port}", m.ip),
        None => server.clone(),
    };
    let stamp = now.rfc3339_micro();
    // 2026-11-24T21:36:31.795723Z -> 1124 21:36:31.795723
    let klog_time = format!(
        "{}{} {}",
        stamp.get(5..7).unwrap_or(""),
        stamp.get(8..10).unwrap_or(""),
        stamp.get(11..26).unwrap_or("")
    );
    // Each kubectl run is a new process: a pid that moves with the clock.
    let pid = 4000
        + stamp
            .get(14..19)
            .map_or(0, |m| m.bytes().map(u32::from).sum::<u32>())
            * 7
            % 5000;
    let mut err = String::new();
    for _ in 0..retries {
        err.push_str(&format!("E{klog_time}   {} memcache.go:265] \"Unhandled Error\" err=\"couldn't get current server API group list: Get \\\"https://{server}/api?timeout=32s\\\": dial tcp {addr}: connect: connection refused\"\n", pid));
    }
    err.push_str(&format!(
        "The connection to the server {server} was refused - did you specify the right host or port?"
    ));
    if verb == "version" {
        return Some(out.fail(err));
    }
    out = out.fail(err);
    Some(out)
}

/// One kubectl verb, declared as data.
pub struct Command {
    pub name: &'static str,
    pub short: &'static str,
    pub usage: &'static str,
    pub flags: &'static [Flag],
    pub run: fn(&mut Context<'_>, &flags::Parsed) -> Output,
}

/// Every verb, in the order `kubectl --help` lists them.
pub const COMMANDS: &[Command] = &[
    cmd::create::COMMAND,
    cmd::expose::COMMAND,
    cmd::run::COMMAND,
    cmd::get::COMMAND,
    cmd::apply::COMMAND,
    cmd::delete::COMMAND,
    cmd::scale::COMMAND,
    cmd::autoscale::COMMAND,
    cmd::label::LABEL,
    cmd::label::ANNOTATE,
    cmd::taint::COMMAND,
    cmd::certificate::COMMAND,
    cmd::drain::CORDON,
    cmd::drain::UNCORDON,
    cmd::drain::DRAIN,
    cmd::logs::COMMAND,
    cmd::exec::COMMAND,
    cmd::misc::PORT_FORWARD,
    cmd::misc::PROXY,
    cmd::cp::COMMAND,
    cmd::describe::COMMAND,
    cmd::events::COMMAND,
    cmd::edit::COMMAND,
    cmd::replace::COMMAND,
    cmd::patch::PATCH,
    cmd::patch::SET,
    cmd::rollout::COMMAND,
    cmd::config::COMMAND,
    cmd::misc::TOP,
    cmd::misc::CLUSTER_INFO,
    cmd::misc::API_RESOURCES,
    cmd::misc::API_VERSIONS,
    explain::COMMAND,
    cmd::misc::AUTH,
    cmd::wait::WAIT,
    cmd::misc::COMPLETION,
    cmd::version::COMMAND,
];

/// kubectl's commands in the order its root command adds them (by help
/// group, then config, plugin, version, api-versions, api-resources,
/// options), which is the order of cobra's "Did you mean this?" list; the
/// ones Dinghy does not run are here too, as kubectl would name them.
/// (`alpha` has no commands in 1.33, and `help` is never suggested.)
pub const ROOT_COMMANDS: &[crate::cobra::Candidate<'static>] = {
    use crate::cobra::Candidate as C;
    &[
        C::new("create"),
        C::new("expose"),
        C::new("run"),
        C::new("set"),
        C::new("explain"),
        C {
            name: "get",
            suggest_for: &["list", "ps"],
        },
        C::new("edit"),
        C {
            name: "delete",
            suggest_for: &["rm"],
        },
        C::new("rollout"),
        C::new("scale"),
        C::new("autoscale"),
        C::new("certificate"),
        C::new("cluster-info"),
        C::new("top"),
        C::new("cordon"),
        C::new("uncordon"),
        C::new("drain"),
        C::new("taint"),
        C::new("describe"),
        C::new("logs"),
        C::new("attach"),
        C::new("exec"),
        C::new("port-forward"),
        C::new("proxy"),
        C::new("cp"),
        C::new("auth"),
        C::new("debug"),
        C::new("events"),
        C::new("diff"),
        C::new("apply"),
        C::new("patch"),
        C::new("replace"),
        // kubectl's wait copied get's SuggestFor.
        C {
            name: "wait",
            suggest_for: &["list", "ps"],
        },
        C::new("kustomize"),
        C::new("label"),
        C::new("annotate"),
        C::new("completion"),
        C::new("config"),
        C::new("plugin"),
        C::new("version"),
        C::new("api-versions"),
        C::new("api-resources"),
        C::new("options"),
    ]
};

/// Runs `kubectl <args>`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) -> Output {
    // Global flags may come before the verb (`kubectl -n dev get pods`):
    // they move after it, where every command accepts them.
    let mut leading = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        let takes_value = match a.strip_prefix("--") {
            Some(body) => {
                !body.contains('=')
                    && flags::GLOBAL
                        .iter()
                        .any(|f| f.long == body && f.kind != flags::FlagKind::Bool)
            }
            None => {
                a.chars().count() == 2
                    && flags::GLOBAL
                        .iter()
                        .any(|f| f.short == a.chars().nth(1) && f.kind != flags::FlagKind::Bool)
            }
        };
        let known = match a.strip_prefix("--") {
            Some(body) => {
                let name = body.split('=').next().unwrap_or("");
                flags::GLOBAL.iter().any(|f| f.long == name)
            }
            None => flags::GLOBAL.iter().any(|f| f.short == a.chars().nth(1)),
        };
        if !known {
            break;
        }
        if takes_value && args.get(i + 1).is_none() {
            let which = match a.strip_prefix("--") {
                Some(_) => a.clone(),
                None => format!("'{}' in {a}", a.chars().nth(1).unwrap_or('-')),
            };
            return Output::default().fail(format!(
                "error: flag needs an argument: {which}\nSee 'kubectl --help' for usage."
            ));
        }
        let n = if takes_value { 2 } else { 1 };
        leading.extend(args.iter().skip(i).take(n).cloned());
        i += n;
    }
    if !leading.is_empty() && i == args.len() {
        // Global flags and no command: the root command's help.
        let mut out = Output::default();
        out.out(help::root());
        return out;
    }
    if let Some(rest) = args
        .get(i..)
        .filter(|rest| !leading.is_empty() && !rest.is_empty())
    {
        // `kubectl -n dev -- get pods`: cobra stops looking for the command
        // at `--`, so kubectl prints its root help (and moving the flags
        // would give back the same arguments: endless recursion, found by
        // the kubectl fuzz target).
        if rest.first().is_some_and(|a| a == "--") {
            let mut out = Output::default();
            out.out(help::root());
            return out;
        }
        let mut moved: Vec<String> = rest.to_vec();
        // After `--` nothing is a flag any more: the globals go before it.
        let at = moved.iter().position(|a| a == "--").unwrap_or(moved.len());
        moved.splice(at..at, leading);
        return run(ctx, &moved);
    }
    let Some((verb, after_verb)) = args.split_first() else {
        let mut out = Output::default();
        out.out(help::root());
        return out;
    };
    if verb == "--help" || verb == "-h" {
        let mut out = Output::default();
        out.out(help::root());
        return out;
    }
    if verb == "help" {
        return help::help_command(after_verb);
    }
    if verb == "options" {
        // kubectl's `options --help` prints nothing at all.
        let mut out = Output::default();
        if !after_verb.iter().any(|a| a == "-h" || a == "--help") {
            out.out(help::options());
        }
        return out;
    }
    // cobra's hidden completion command (the completion script calls it).
    if verb == "__complete" || verb == "__completeNoDesc" {
        return cmd::complete::run(ctx, after_verb, verb == "__complete");
    }
    let Some(command) = COMMANDS.iter().find(|c| c.name == verb) else {
        if verb.starts_with('-') {
            return Output::default().fail(format!(
                "error: unknown flag: {verb}\nSee 'kubectl --help' for usage."
            ));
        }
        return Output::default().fail(format!(
            "error: {}",
            crate::cobra::unknown_command(verb, "kubectl", ROOT_COMMANDS)
        ));
    };
    let (command, rest) = cmd::resolve(command, after_verb);
    // pflag stops reading flags at `--`: a `-h` after it is the container
    // command's (`kubectl exec POD -- kube-apiserver -h`).
    let before_dashes = rest.iter().take_while(|a| *a != "--");
    if before_dashes
        .into_iter()
        .any(|a| a == "--help" || a == "-h")
    {
        let mut out = Output::default();
        out.out(help::command(command));
        return out;
    }
    match flags::parse(&rest, command.flags) {
        Ok(parsed) => {
            if let Some(ns) = parsed.string("namespace") {
                ctx.namespace = ns.to_string();
            } else if ctx.kubeconfig {
                if let Some(ns) = cmd::config::context_namespace(ctx) {
                    ctx.namespace = ns;
                }
            }
            let offline = command.name == "version"
                || command.name == "completion"
                || command.name.starts_with("config")
                || parsed.string("dry-run") == Some("client");
            if !ctx.kubeconfig && !offline {
                return Output::default().fail(CONNECTION_REFUSED);
            }
            if !offline {
                if let Some(refused) = apiserver_refused(ctx, command.name) {
                    return refused;
                }
            }
            (command.run)(ctx, &parsed)
        }
        Err(e) => Output::default().fail(format!(
            "error: {}\nSee 'kubectl {} --help' for usage.",
            e.0, command.name
        )),
    }
}
