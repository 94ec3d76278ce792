//! `kubectl version`: client and server versions, as v1.33.1 prints them.

use super::super::{flags::Flag, flags::Parsed, Command, Context};
use crate::cluster::KUBERNETES_VERSION;
use crate::output::Output;

pub const COMMAND: Command = Command {
    name: "version",
    short: "Print the client and server version information for the current context.",
    usage: "kubectl version [flags] [options]",
    flags: &[
        Flag::bool(
            "client",
            "If true, shows client version only (no server required).",
        ),
        Flag::string("output", "", "One of 'yaml' or 'json'.").short('o'),
    ],
    run,
};

const KUSTOMIZE: &str = "v5.6.0";

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let client_only = p.bool("client");
    // The client is this machine's kubectl package; the server is the
    // kube-apiserver image the control plane runs (both move in an upgrade).
    let client = ctx
        .cluster
        .machine(&ctx.node)
        .and_then(|m| m.packages.version_of("kubectl"))
        .unwrap_or_else(|| KUBERNETES_VERSION.to_string());
    let server = crate::cluster::control_plane::apiserver_version(ctx.cluster);
    if !client_only && !ctx.kubeconfig {
        let mut out = Output::default();
        out.out(format!(
            "Client Version: {client}\nKustomize Version: {KUSTOMIZE}\n"
        ));
        return out.fail(super::super::CONNECTION_REFUSED);
    }
    if !client_only {
        if let Some(refused) = super::super::apiserver_refused(ctx, "version") {
            let mut out = Output::default();
            out.out(format!(
                "Client Version: {client}\nKustomize Version: {KUSTOMIZE}\n"
            ));
            out.chunks.extend(refused.chunks);
            out.status = refused.status;
            return out;
        }
    }
    let mut out = Output::default();
    match p.string("output").unwrap_or("") {
        "" => {
            out.out(format!(
                "Client Version: {client}\nKustomize Version: {KUSTOMIZE}\n"
            ));
            if !client_only {
                out.out(format!("Server Version: {server}\n"));
            }
        }
        format @ ("yaml" | "json") => {
            let info = |build_date: &str, commit: &str, version: &str| {
                let minor = crate::node::packages::parts(version).1.to_string();
                serde_json::json!({
                    "buildDate": build_date, "compiler": "gc", "gitCommit": commit, "gitTreeState": "clean",
                    "gitVersion": version, "goVersion": "go1.24.2", "major": "1", "minor": minor, "platform": "linux/amd64",
                })
            };
            let mut doc = serde_json::Map::new();
            doc.insert(
                "clientVersion".into(),
                info(
                    "2025-05-15T08:27:33Z",
                    "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
                    &client,
                ),
            );
            doc.insert("kustomizeVersion".into(), KUSTOMIZE.into());
            if !client_only {
                doc.insert(
                    "serverVersion".into(),
                    info(
                        "2025-05-15T08:19:49Z",
                        "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
                        &server,
                    ),
                );
            }
            let doc = serde_json::Value::Object(doc);
            if format == "yaml" {
                out.out(crate::yaml::to_string(&doc));
                out.out("\n");
            } else {
                out.out(serde_json::to_string_pretty(&doc).unwrap_or_default());
                out.out("\n");
            }
        }
        _ => return out.fail("error: --output must be 'yaml' or 'json'"),
    }
    out
}
