// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! `kubectl certificate approve|deny NAME…`: adds the Approved or Denied
//! condition through the CSR's `/approval` subresource, as kubectl's
//! `modifyCertificateCondition` does. A CSR that already has the condition
//! is printed again without an update (unless `--force`).

use super::super::{Command, Context};
use crate::api::{self, object};
use crate::kubectl::flags::{Flag, Parsed};
use crate::output::Output;
use serde_json::{json, Value};

pub const COMMAND: Command = Command {
    name: "certificate",
    short: "Modify certificate resources",
    usage: "kubectl certificate SUBCOMMAND [options]",
    flags: &[],
    run: run_root,
};

pub const SUBCOMMANDS: &[Command] = &[
    Command {
        name: "certificate approve",
        short: "Approve a certificate signing request",
        usage: "kubectl certificate approve (-f FILENAME | NAME) [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to update").short('f'),
            Flag::bool("force", "Update the CSR even if it is already approved."),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_approve,
    },
    Command {
        name: "certificate deny",
        short: "Deny a certificate signing request",
        usage: "kubectl certificate deny (-f FILENAME | NAME) [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to update").short('f'),
            Flag::bool("force", "Update the CSR even if it is already denied."),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_deny,
    },
];

fn run_root(_: &mut Context<'_>, _: &Parsed) -> Output {
    let mut out = Output::default();
    out.out(crate::kubectl::help::command(&COMMAND));
    out
}

fn run_approve(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    modify(ctx, p, "Approved", "approved")
}

fn run_deny(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    modify(ctx, p, "Denied", "denied")
}

fn modify(ctx: &mut Context<'_>, p: &Parsed, condition: &str, done: &str) -> Output {
    let mut out = Output::default();
    if p.args.is_empty() {
        return out.fail("error: one or more CSRs must be specified as <name> or -f <filename>");
    }
    let Some(res) = api::resolve("certificatesigningrequests.certificates.k8s.io") else {
        return out
            .fail("error: the server doesn't have a resource type \"certificatesigningrequests\"");
    };
    let (reason, message) = match condition {
        "Approved" => (
            "KubectlApprove",
            "This CSR was approved by kubectl certificate approve.",
        ),
        _ => (
            "KubectlDeny",
            "This CSR was denied by kubectl certificate deny.",
        ),
    };
    let now = ctx.cluster.now().rfc3339();
    for name in &p.args {
        let csr = match ctx.cluster.apiserver.get(res, None, name) {
            Ok(c) => c,
            Err(e) => {
                out.err(format!("{}\n", e.kubectl_text()));
                out.status = 1;
                continue;
            }
        };
        let conditions: Vec<Value> = object::at(&csr, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let has = |t: &str| conditions.iter().any(|c| c["type"] == t);
        if !has(condition) || p.bool("force") {
            let opposite = if condition == "Approved" {
                "Denied"
            } else {
                "Approved"
            };
            if has(opposite) {
                // The apiserver's validation of the /approval update.
                out.err(format!(
                    "Error from server (Invalid): CertificateSigningRequest.certificates.k8s.io \"{name}\" is invalid: status.conditions[{}].type: Invalid value: \"{condition}\": Approved and Denied conditions are mutually exclusive\n",
                    conditions.len()
                ));
                out.status = 1;
                continue;
            }
            let mut updated = csr.clone();
            let mut list = conditions.clone();
            list.push(json!({
                "lastTransitionTime": now,
                "lastUpdateTime": now,
                "message": message,
                "reason": reason,
                "status": "True",
                "type": condition,
            }));
            updated["status"]["conditions"] = Value::Array(list);
            if let Err(e) = ctx.cluster.apiserver.update_status(res, None, updated) {
                out.err(format!("{}\n", e.kubectl_text()));
                out.status = 1;
                continue;
            }
        }
        out.out(format!(
            "certificatesigningrequest.certificates.k8s.io/{name} {done}\n"
        ));
    }
    out
}
