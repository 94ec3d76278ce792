//! `kubectl create -f`: create objects from files; and the generators,
//! `create deployment`, `create configmap`, … (in `create/`), each a
//! subcommand with its own flags. A generator builds the object kubectl's
//! would build, in the Go struct's field order (so `-o json` prints like
//! kubectl's), then prints it (`--dry-run=client`) or creates it.

mod config;
pub mod misc;
mod rbac;
mod workload;

use super::super::{builder, flags::Flag, flags::Parsed, Command, Context};
use crate::api::object;
use crate::output::Output;
use serde_json::Value;

pub const COMMAND: Command = Command {
    name: "create",
    short: "Create a resource from a file or from stdin",
    usage: "kubectl create -f FILENAME [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::bool("edit", "Edit the API resource before creating").unsupported(),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files to use to create the resource").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("raw", "", "Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.").unsupported(),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l').unsupported(),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::bool("windows-line-endings", "Only relevant if --edit=true. Defaults to the line ending native to your platform.").unsupported(),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let files = p.strings("filename");
    let mut out = Output::default();
    if files.is_empty() && !p.args.is_empty() {
        return out.fail(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl create -h' for help and examples",
            p.args.join(" ")
        ));
    }
    if files.is_empty() {
        return out.fail("error: must specify one of -f and -k\n\nerror: unknown command \"\"\nSee 'kubectl create -h' for help and examples");
    }
    // A dry run never writes; both flags are checked before anything is read.
    let dry = match super::common::dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    if let Err(e) = super::common::check_output(p) {
        return out.fail(e);
    }
    let (infos, errors) = builder::read(ctx, &files, p.bool("recursive"));
    let explicit_ns = p.is_set("namespace");
    // Printed after the visit (see builder::VisitError).
    let mut errors: Vec<builder::VisitError> = errors
        .into_iter()
        .map(builder::VisitError::Client)
        .collect();
    for mut info in infos {
        super::common::save_config(p, &mut info.object);
        let ns = match builder::namespace_for(&info, &ctx.namespace, explicit_ns) {
            Ok(ns) => ns,
            Err(e) => {
                errors.push(builder::VisitError::Client(e));
                continue;
            }
        };
        let name = info.resource.singular_for_name();
        if dry != super::common::DryRun::None {
            super::common::print(&mut out, p, &info.object, "created", dry);
            continue;
        }
        let now = ctx.cluster.now();
        match ctx
            .cluster
            .apiserver
            .create(info.resource, ns.as_deref(), info.object, now)
        {
            Ok(created) if p.is_set("output") => {
                super::common::print(&mut out, p, &created, "created", dry)
            }
            Ok(created) => out.out(format!("{name}/{} created\n", object::name(&created))),
            Err(e) => errors.push(builder::VisitError::server(e, "creating", &info.source)),
        }
    }
    if !errors.is_empty() {
        builder::print_errors(&mut out, &errors);
        out.status = 1;
    }
    out
}

fn secret_group(_: &mut Context<'_>, p: &Parsed) -> Output {
    subgroup(p, "create secret")
}

fn service_group(_: &mut Context<'_>, p: &Parsed) -> Output {
    subgroup(p, "create service")
}

/// `kubectl create secret` without a known type: cobra's help, or its
/// `unknown command` error.
fn subgroup(p: &Parsed, name: &str) -> Output {
    if !p.args.is_empty() {
        return super::unknown_subcommand(p, name);
    }
    let group = SUBCOMMANDS.iter().find(|c| c.name == name);
    let help = group.map(crate::kubectl::help::command).unwrap_or_default();
    Output::default().fail(help)
}

/// The generators, by their full command names.
pub const SUBCOMMANDS: &[Command] = &[
    workload::DEPLOYMENT,
    workload::JOB,
    workload::CRONJOB,
    Command {
        name: "create secret",
        short: "Create a secret using a specified subcommand",
        usage: "kubectl create secret (docker-registry | generic | tls) [options]",
        flags: &[],
        run: secret_group,
    },
    Command {
        name: "create service",
        short: "Create a service using a specified subcommand",
        usage: "kubectl create service [flags] [options]",
        flags: &[],
        run: service_group,
    },
    config::CONFIGMAP,
    misc::NAMESPACE,
    misc::QUOTA,
    misc::PRIORITYCLASS,
    misc::PDB,
    misc::INGRESS,
    rbac::SERVICEACCOUNT,
    rbac::ROLE,
    rbac::CLUSTERROLE,
    rbac::ROLEBINDING,
    rbac::CLUSTERROLEBINDING,
    rbac::TOKEN,
];

pub const SECRET_SUBCOMMANDS: &[Command] = &[
    config::SECRET_DOCKER_REGISTRY,
    config::SECRET_GENERIC,
    config::SECRET_TLS,
];

pub const SERVICE_SUBCOMMANDS: &[Command] = &[
    misc::SERVICE_CLUSTERIP,
    misc::SERVICE_EXTERNALNAME,
    misc::SERVICE_LOADBALANCER,
    misc::SERVICE_NODEPORT,
];

/// `metadata` of a generated object: `name`, `namespace` when `-n` was
/// given, the `creationTimestamp: null` of a fresh Go object, then labels.
pub(crate) fn meta(ctx: &Context<'_>, p: &Parsed, name: &str, labels: Option<Value>) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("name".into(), Value::String(name.to_string()));
    if p.is_set("namespace") {
        m.insert("namespace".into(), Value::String(ctx.namespace.clone()));
    }
    m.insert("creationTimestamp".into(), Value::Null);
    if let Some(l) = labels {
        m.insert("labels".into(), l);
    }
    Value::Object(m)
}

/// Checks flags cobra marks required, in its words.
pub(crate) fn required(p: &Parsed, names: &[&str]) -> Result<(), String> {
    let missing: Vec<String> = names
        .iter()
        .filter(|n| !p.is_set(n))
        .map(|n| format!("\"{n}\""))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "error: required flag(s) {} not set",
            missing.join(", ")
        ))
    }
}
