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
    if !client_only && !ctx.kubeconfig {
        let mut out = Output::default();
        out.out(format!(
            "Client Version: {KUBERNETES_VERSION}\nKustomize Version: {KUSTOMIZE}\n"
        ));
        return out.fail(super::super::CONNECTION_REFUSED);
    }
    if !client_only {
        if let Some(refused) = super::super::apiserver_refused(ctx, "version") {
            let mut out = Output::default();
            out.out(format!(
                "Client Version: {KUBERNETES_VERSION}\nKustomize Version: {KUSTOMIZE}\n"
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
                "Client Version: {KUBERNETES_VERSION}\nKustomize Version: {KUSTOMIZE}\n"
            ));
            if !client_only {
                out.out(format!("Server Version: {KUBERNETES_VERSION}\n"));
            }
        }
        format @ ("yaml" | "json") => {
            let info = |build_date: &str, commit: &str| {
                serde_json::json!({
                    "buildDate": build_date, "compiler": "gc", "gitCommit": commit, "gitTreeState": "clean",
                    "gitVersion": KUBERNETES_VERSION, "goVersion": "go1.24.2", "major": "1", "minor": "33", "platform": "linux/amd64",
                })
            };
            let mut doc = serde_json::Map::new();
            doc.insert(
                "clientVersion".into(),
                info(
                    "2025-05-15T08:27:33Z",
                    "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
                ),
            );
            doc.insert("kustomizeVersion".into(), KUSTOMIZE.into());
            if !client_only {
                doc.insert(
                    "serverVersion".into(),
                    info(
                        "2025-05-15T08:19:49Z",
                        "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
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
