//! `create deployment`, `create job`, `create cronjob`.

use super::super::common::{create_and_print, one_name};
use super::{meta, required};
use crate::api::{self, object};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};

pub const DEPLOYMENT: Command = Command {
    name: "create deployment",
    short: "Create a deployment with the specified name",
    usage: "kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("image", "Image names to run. A deployment can have multiple images set for multi-container pod."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::int("port", "-1", "The containerPort that this deployment exposes."),
        Flag::int("replicas", "1", "Number of replicas to create. Default is 1.").short('r'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: deployment,
};

pub const JOB: Command = Command {
    name: "create job",
    short: "Create a job with the specified name",
    usage: "kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("from", "", "The name of the resource to create a Job from (only cronjob is supported)."),
        Flag::string("image", "", "Image name to run."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: job,
};

pub const CRONJOB: Command = Command {
    name: "create cronjob",
    short: "Create a cron job with the specified name",
    usage: "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("image", "", "Image name to run."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("restart", "", "job's restart policy. supported values: OnFailure, Never"),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::string("schedule", "", "A schedule in the Cron format the job should be run with."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: cronjob,
};

/// The container name kubectl derives from an image reference:
/// `registry.k8s.io/fluentd-elasticsearch:1.20` → `fluentd-elasticsearch`.
pub fn container_name(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last).to_string()
}

fn fail(msg: String) -> Output {
    Output::default().fail(msg)
}

/// A container in Go field order: name, image, command, ports, resources.
fn container(name: &str, image: &str, command: &[String], port: Option<i64>) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(image));
    if !command.is_empty() {
        c.insert("command".into(), json!(command));
    }
    if let Some(port) = port {
        c.insert("ports".into(), json!([{ "containerPort": port }]));
    }
    c.insert("resources".into(), json!({}));
    Value::Object(c)
}

fn deployment(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    if let Err(e) = required(p, &["image"]) {
        return fail(e);
    }
    let name = match one_name(p, "create deployment") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let images = p.strings("image");
    let command = p.after_dashes.clone().unwrap_or_default();
    if images.len() > 1 && !command.is_empty() {
        return fail("error: cannot specify multiple --image options and command".into());
    }
    let port = p
        .string("port")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| *v >= 0);
    let replicas = p
        .string("replicas")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(1);
    let containers: Vec<Value> = images
        .iter()
        .enumerate()
        .map(|(i, img)| {
            container(
                &container_name(img),
                img,
                &command,
                if i == 0 { port } else { None },
            )
        })
        .collect();
    let labels = json!({ "app": name });
    let obj = json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": meta(ctx, p, &name, Some(labels.clone())),
        "spec": {
            "replicas": replicas,
            "selector": { "matchLabels": labels },
            "template": {
                "metadata": { "creationTimestamp": null, "labels": labels },
                "spec": { "containers": containers },
            },
            "strategy": {},
        },
        "status": {},
    });
    create_and_print(ctx, p, obj, Some("deployment"))
}

fn job_spec(template_meta: Value, containers: Value, restart: &str) -> Value {
    json!({
        "template": {
            "metadata": template_meta,
            "spec": { "containers": containers, "restartPolicy": restart },
        }
    })
}

fn job(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create job") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let image = p.string("image").unwrap_or("");
    let from = p.string("from").unwrap_or("");
    if image.is_empty() == from.is_empty() {
        return fail("error: either --image or --from must be specified".into());
    }
    if !from.is_empty() {
        return job_from(ctx, p, &name, from);
    }
    let command = p.after_dashes.clone().unwrap_or_default();
    let obj = json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": meta(ctx, p, &name, None),
        "spec": job_spec(
            json!({ "creationTimestamp": null }),
            json!([container(&name, image, &command, None)]),
            "Never",
        ),
        "status": {},
    });
    create_and_print(ctx, p, obj, Some("job"))
}

/// `create job NAME --from=cronjob/X`: the CronJob's job template, owned
/// by the CronJob and marked `cronjob.kubernetes.io/instantiate: manual`.
fn job_from(ctx: &mut Context<'_>, p: &Parsed, name: &str, from: &str) -> Output {
    let (kind, source) = from.split_once('/').unwrap_or((from, ""));
    let Some(res) = api::resolve(kind) else {
        return fail(format!(
            "error: the server doesn't have a resource type \"{kind}\""
        ));
    };
    if res.kind != "CronJob" {
        return fail(format!(
            "error: unknown object type {}",
            match res.kind {
                "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" =>
                    format!("*v1.{}", res.kind),
                k => format!("*v1.{k}"),
            }
        ));
    }
    let cj = match ctx.cluster.apiserver.get(res, Some(&ctx.namespace), source) {
        Ok(o) => o,
        Err(e) => return fail(e.kubectl_text()),
    };
    let tmpl = object::at(&cj, "spec.jobTemplate")
        .cloned()
        .unwrap_or(json!({}));
    let mut annotations = Map::new();
    annotations.insert("cronjob.kubernetes.io/instantiate".into(), json!("manual"));
    if let Some(a) = object::at(&tmpl, "metadata.annotations").and_then(Value::as_object) {
        for (k, v) in a {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if p.is_set("namespace") {
        m.insert("namespace".into(), json!(ctx.namespace));
    }
    m.insert("creationTimestamp".into(), Value::Null);
    if let Some(l) = object::at(&tmpl, "metadata.labels") {
        m.insert("labels".into(), l.clone());
    }
    m.insert("annotations".into(), Value::Object(annotations));
    m.insert(
        "ownerReferences".into(),
        json!([{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": object::name(&cj),
            "uid": object::str_at(&cj, "metadata.uid").unwrap_or(""),
            "controller": true,
        }]),
    );
    let obj = json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": Value::Object(m),
        "spec": tmpl.get("spec").cloned().unwrap_or(json!({})),
        "status": {},
    });
    create_and_print(ctx, p, obj, Some("job"))
}

fn cronjob(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    if let Err(e) = required(p, &["image", "schedule"]) {
        return fail(e);
    }
    let name = match one_name(p, "create cronjob") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    // kubectl 1.33 does not check the value; the apiserver does.
    let restart = match p.string("restart").unwrap_or("") {
        "" => "OnFailure",
        r => r,
    };
    let command = p.after_dashes.clone().unwrap_or_default();
    let image = p.string("image").unwrap_or("");
    let obj = json!({
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": meta(ctx, p, &name, None),
        "spec": {
            "schedule": p.string("schedule").unwrap_or(""),
            "jobTemplate": {
                "metadata": { "name": name, "creationTimestamp": null },
                "spec": job_spec(
                    json!({ "creationTimestamp": null }),
                    json!([container(&name, image, &command, None)]),
                    restart,
                ),
            },
        },
        "status": {},
    });
    create_and_print(ctx, p, obj, Some("cronjob"))
}
