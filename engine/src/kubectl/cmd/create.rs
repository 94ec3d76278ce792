//! `kubectl create -f`: create objects from files. (The generators —
//! `create deployment`, `create configmap`, … — arrive with the kubectl issue.)

use super::super::{builder, flags::Flag, flags::Parsed, Command, Context};
use crate::api::object;
use crate::output::Output;

pub const COMMAND: Command = Command {
    name: "create",
    short: "Create a resource from a file or from stdin",
    usage: "kubectl create -f FILENAME [options]",
    flags: &[
        Flag::strings(
            "filename",
            "Filename, directory, or URL to files to use to create the resource",
        )
        .short('f'),
        Flag::string("output", "", "Output format. One of: (json, yaml, name).").short('o'),
        Flag::string(
            "dry-run",
            "none",
            "Must be \"none\", \"server\", or \"client\".",
        ),
        Flag::bool(
            "recursive",
            "Process the directory used in -f, --filename recursively.",
        )
        .short('R'),
        Flag::bool(
            "save-config",
            "If true, the configuration of current object will be saved in its annotation.",
        ),
        Flag::string(
            "validate",
            "strict",
            "Must be one of: strict (or true), warn, ignore (or false).",
        ),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let files = p.strings("filename");
    let mut out = Output::default();
    if files.is_empty() {
        return out.fail("error: must specify one of -f and -k\n\nerror: unknown command \"\"\nSee 'kubectl create -h' for help and examples");
    }
    let (infos, errors) = builder::read(ctx, &files);
    let explicit_ns = p.is_set("namespace");
    let dry_run = p.string("dry-run").unwrap_or("none");
    let mut failed = !errors.is_empty();
    for info in infos {
        let ns = match builder::namespace_for(&info, &ctx.namespace, explicit_ns) {
            Ok(ns) => ns,
            Err(e) => {
                out.err(format!("{e}\n"));
                failed = true;
                continue;
            }
        };
        let name = info.resource.singular_for_name();
        if dry_run == "client" {
            out.out(format!(
                "{name}/{} created (dry run)\n",
                object::name(&info.object)
            ));
            continue;
        }
        let now = ctx.cluster.now();
        match ctx
            .cluster
            .apiserver
            .create(info.resource, ns.as_deref(), info.object, now)
        {
            Ok(created) => out.out(format!("{name}/{} created\n", object::name(&created))),
            Err(e) => {
                out.err(format!(
                    "{}\n",
                    builder::server_error(&e, "creating", &info.source)
                ));
                failed = true;
            }
        }
    }
    for e in errors {
        out.err(format!("{e}\n"));
    }
    if failed {
        out.status = 1;
    }
    out
}
