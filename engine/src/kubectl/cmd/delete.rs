//! `kubectl delete`: by name, `-f`, `-l`, `--all`; `--grace-period`,
//! `--now`, `--force` (with kubectl's warning), `--cascade`, and waiting
//! for the objects to be gone (`--wait`, on by default), which moves the
//! virtual clock as a real wait would take time.

use super::common::{dry_run, DryRun};
use super::select::{select, Allow, Item};
use crate::apiserver::{DeleteOptions, Propagation};
use crate::clock::Duration;
use crate::kubectl::builder::{self, VisitError};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use crate::shell::question::Asked;

pub const COMMAND: Command = Command {
    name: "delete",
    short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
    usage: "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    flags: &[
        Flag::bool("all", "Delete all resources, in the namespace of the specified resource types."),
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::string("cascade", "background", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::strings("filename", "containing the resource to delete.").short('f'),
        Flag::bool("force", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        Flag::int("grace-period", "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        Flag::bool("ignore-not-found", "Treat \"resource not found\" as a successful delete. Defaults to \"true\" when --all is specified."),
        Flag::bool("interactive", "If true, delete resource only when user confirms.").short('i'),
        Flag::string("kustomize", "", "Process a kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("now", "If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
        Flag::string("output", "", "Output mode. Use \"-o name\" for shorter output (resource/name).").short('o'),
        Flag::string("raw", "", "Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.").unsupported(),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::duration("timeout", "0s", "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        Flag::bool("wait", "If true, wait for resources to be gone before returning. This waits for finalizers.").default("true"),
    ],
    run,
};

/// How long kubectl's wait may move the clock before giving up here (a
/// real kubectl would wait a week; nothing in a lab takes this long).
const WAIT_LIMIT: Duration = Duration::from_secs(600);

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let mut grace: i64 = p
        .string("grace-period")
        .and_then(|g| g.parse().ok())
        .unwrap_or(-1);
    let force = p.bool("force");
    if p.bool("now") {
        if grace != -1 {
            return out.fail("error: --now and --grace-period cannot be specified together");
        }
        grace = 1;
    }
    if grace == 0 && !force {
        // kubectl keeps --grace-period=0 from meaning "force" by accident.
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    let propagation = match p.string("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "orphan" | "false" => Propagation::Orphan,
        "foreground" => Propagation::Foreground,
        other => {
            return out.fail(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ))
        }
    };
    match p.string("output").unwrap_or("") {
        "" | "name" => {}
        other => {
            return out.fail(format!(
                "error: unexpected -o output mode: {other}. We only support '-o name'"
            ))
        }
    }
    if p.bool("all") && p.is_set("selector") {
        return out.fail("error: cannot set --all and --selector at the same time");
    }
    if p.bool("all") && p.is_set("field-selector") {
        return out.fail("error: cannot set --all and --field-selector at the same time");
    }
    let mut out = out;
    if grace == 0 && force {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    } else if grace > 0 && force {
        return out
            .fail("error: --force and --grace-period greater than 0 cannot be specified together");
    }
    let sel = match select(
        ctx,
        p,
        &p.args,
        Allow {
            selectors: true,
            bare_type: false,
            unfetched: true,
        },
    ) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    // kubectl defaults --ignore-not-found to true for --all, -l and
    // --field-selector, unless the flag was given.
    let ignore_not_found = if p.is_set("ignore-not-found") {
        p.bool("ignore-not-found")
    } else {
        p.bool("all") || p.is_set("selector") || p.is_set("field-selector")
    };
    // Collected and printed after the visit (see builder::VisitError):
    // DeleteResult visits with ContinueOnError and returns the aggregate.
    let mut errors: Vec<VisitError> = sel
        .errors
        .into_iter()
        .filter(|e| !(ignore_not_found && e.starts_with("Error from server (NotFound)")))
        .map(VisitError::Client)
        .collect();
    if p.bool("interactive") {
        // kubectl visits a preview of the same selection first: any error
        // there (ContinueOnError aggregates them) ends the command before
        // it asks, and nothing is deleted.
        if !errors.is_empty() {
            builder::print_errors(&mut out, &errors);
            out.status = 1;
            return out;
        }
        if sel.items.is_empty() {
            out.out("No resources found\n");
            return out;
        }
        match confirmation(ctx, p, &sel.items, &mut out) {
            Confirmed::Yes => {}
            Confirmed::No => {
                out.out("deletion is cancelled\n");
                return out;
            }
            Confirmed::Suspended => return crate::shell::question::suspended(out),
        }
    }
    let warn_cluster_scope = p.is_set("namespace") && !p.bool("all-namespaces");
    let mut warned = false;
    let operation = {
        let base = if grace == 0 {
            "force deleted"
        } else {
            "deleted"
        };
        match dry {
            DryRun::None => base.to_string(),
            DryRun::Client => format!("{base} (dry run)"),
            DryRun::Server => format!("{base} (server dry run)"),
        }
    };
    let mut deleted = Vec::new();
    let found = sel.items.len();
    for item in sel.items {
        if warn_cluster_scope && !item.res.namespaced && !warned {
            out.err("Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
            warned = true;
        }
        let line = if p.string("output") == Some("name") {
            format!("{}/{}\n", item.kind_name(), item.name)
        } else {
            format!("{} \"{}\" {operation}\n", item.kind_name(), item.name)
        };
        if dry != DryRun::None {
            out.out(line);
            continue;
        }
        let opts = DeleteOptions {
            grace_period_seconds: (grace >= 0).then_some(grace),
            propagation_policy: Some(propagation),
            ..Default::default()
        };
        let now = ctx.cluster.now();
        match ctx
            .cluster
            .apiserver
            .delete_with(item.res, item.ns.as_deref(), &item.name, opts, now)
        {
            Ok(response) => {
                out.out(line);
                // kubectl waits on the UID the DELETE answered with (its
                // UIDMap): an object recreated under the same name is not
                // the one it deleted.
                let uid = crate::api::object::str_at(&response, "metadata.uid")
                    .unwrap_or_default()
                    .to_string();
                deleted.push((item, uid));
            }
            // Result.IgnoreErrors(IsNotFound): the object still counts
            // as found, so nothing at all is printed for it.
            Err(e) if ignore_not_found && e.reason() == "NotFound" => {}
            Err(e) => errors.push(match &item.source {
                Some(src) => VisitError::server(e, "deleting", src),
                None => VisitError::Client(e.kubectl_text()),
            }),
        }
    }
    if found == 0 && errors.is_empty() {
        out.out("No resources found\n");
        return out;
    }
    if p.string("wait") != Some("false") && dry == DryRun::None && !deleted.is_empty() {
        // Wait as kubectl does, watching: until every deleted object is
        // gone, the clock moving from wakeup to wakeup (an object that
        // never goes costs one look per change, not a round per second).
        ctx.cluster.step_until(WAIT_LIMIT, |cluster| {
            !deleted.iter().any(|(i, uid)| {
                cluster
                    .apiserver
                    .get(i.res, i.ns.as_deref(), &i.name)
                    .is_ok_and(|o| {
                        crate::api::object::str_at(&o, "metadata.uid").unwrap_or_default() == uid
                    })
            })
        });
    }
    builder::print_errors(&mut out, &errors);
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}

/// What `kubectl delete -i` was told.
enum Confirmed {
    Yes,
    No,
    /// The terminal has not answered yet: the line waits at the question.
    Suspended,
}

/// kubectl's `confirmation`: the list of what will go, the question, and
/// one word read with Go's `fmt.Fscan` from standard input — a pipe when
/// there is one (not echoed), else the terminal. Fscan skips blank lines
/// and stops at the end of the input (no); only "y", in either case, goes on.
fn confirmation(ctx: &mut Context<'_>, p: &Parsed, items: &[Item], out: &mut Output) -> Confirmed {
    out.out(format!(
        "You are about to delete the following {} resource(s):\n",
        items.len()
    ));
    for item in items {
        out.out(format!("{}/{}\n", item.kind_name(), item.name));
    }
    const QUESTION: &str = "Do you want to continue? (y/n): ";
    let yes = |word: &str| {
        if word.eq_ignore_ascii_case("y") {
            Confirmed::Yes
        } else {
            Confirmed::No
        }
    };
    let piped = ctx.stdin.as_deref();
    let terminal = ctx.terminal.as_mut().filter(|_| piped.is_none());
    let Some(terminal) = terminal else {
        out.out(QUESTION);
        // `-f -` has read the pipe to its end already.
        let rest = piped.filter(|_| !p.strings("filename").iter().any(|f| f == "-"));
        return match rest.and_then(|text| text.split_whitespace().next()) {
            Some(word) => yes(word),
            None => Confirmed::No,
        };
    };
    let mut prompt = QUESTION;
    loop {
        match terminal.ask(prompt) {
            Asked::Answer(line) => match line.split_whitespace().next() {
                Some(word) => return yes(word),
                // Enter alone: the cursor moves on and Fscan keeps reading.
                None => prompt = "",
            },
            Asked::EndOfInput => return Confirmed::No,
            Asked::Suspended => return Confirmed::Suspended,
        }
    }
}
