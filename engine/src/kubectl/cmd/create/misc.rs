//! `create namespace`, `create quota`, `create priorityclass`,
//! `create ingress`, `create poddisruptionbudget`,
//! `create service clusterip|nodeport|loadbalancer|externalname`.

use super::super::common::{create_and_print, one_name};
use super::{meta, required};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const NAMESPACE: Command = Command {
    name: "create namespace",
    short: "Create a namespace with the specified name",
    usage: "kubectl create namespace NAME [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: namespace,
};

pub const QUOTA: Command = Command {
    name: "create quota",
    short: "Create a quota with the specified name",
    usage: "kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("hard", "", "A comma-delimited set of resource=quantity pairs that define a hard limit."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::string("scopes", "", "A comma-delimited set of quota scopes that must all match each object tracked by the quota."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: quota,
};

pub const PRIORITYCLASS: Command = Command {
    name: "create priorityclass",
    short: "Create a priority class with the specified name",
    usage: "kubectl create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("description", "", "description is an arbitrary string that usually provides guidelines on when this priority class should be used."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::bool("global-default", "global-default specifies whether this PriorityClass should be considered as the default priority."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("preemption-policy", "PreemptLowerPriority", "preemption-policy is the policy for preempting pods with lower priority."),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::int("value", "0", "the value of this priority class."),
    ],
    run: priorityclass,
};

pub const PDB: Command = Command {
    name: "create poddisruptionbudget",
    short: "Create a pod disruption budget with the specified name",
    usage: "kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("max-unavailable", "", "The maximum number or percentage of unavailable pods this budget requires."),
        Flag::string("min-available", "", "The minimum number or percentage of available pods this budget requires."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::string("selector", "", "A label selector to use for this budget. Only equality-based selector requirements are supported."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: pdb,
};

pub const INGRESS: Command = Command {
    name: "create ingress",
    short: "Create an ingress with the specified name",
    usage: "kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::strings("annotation", "Annotation to insert in the ingress object, in the format annotation=value"),
        Flag::string("class", "", "Ingress Class to be used"),
        Flag::string("default-backend", "", "Default service for backend, in format of svcname:port"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::strings("rule", "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional."),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: ingress,
};

pub const SERVICE_CLUSTERIP: Command = Command {
    name: "create service clusterip",
    short: "Create a ClusterIP service",
    usage: "kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("clusterip", "", "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::strings("tcp", "Port pairs can be specified as '<port>:<targetPort>'."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: |ctx, p| service(ctx, p, "ClusterIP"),
};

pub const SERVICE_NODEPORT: Command = Command {
    name: "create service nodeport",
    short: "Create a NodePort service",
    usage: "kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::int("node-port", "0", "Port used to expose the service on each node in a cluster."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::strings("tcp", "Port pairs can be specified as '<port>:<targetPort>'."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: |ctx, p| service(ctx, p, "NodePort"),
};

pub const SERVICE_LOADBALANCER: Command = Command {
    name: "create service loadbalancer",
    short: "Create a LoadBalancer service",
    usage: "kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::strings("tcp", "Port pairs can be specified as '<port>:<targetPort>'."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: |ctx, p| service(ctx, p, "LoadBalancer"),
};

pub const SERVICE_EXTERNALNAME: Command = Command {
    name: "create service externalname",
    short: "Create an ExternalName service",
    usage: "kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("external-name", "", "External name of service"),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::strings("tcp", "Port pairs can be specified as '<port>:<targetPort>'."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: |ctx, p| service(ctx, p, "ExternalName"),
};

fn fail(msg: String) -> Output {
    Output::default().fail(msg)
}

fn namespace(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create namespace") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let obj = json!({
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": { "name": name, "creationTimestamp": null },
        "spec": {},
        "status": {},
    });
    create_and_print(ctx, p, obj, None)
}

/// A resource quantity as `resource.Quantity` prints it back: `1000m` →
/// `1`, `0.5` → `500m`, `1024Mi` → `1Gi`. `None` if it does not parse.
pub fn canonical_quantity(s: &str) -> Option<String> {
    let num_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(num_end);
    if num.is_empty() || num == "." {
        return None;
    }
    // Plain integers are kept as written.
    if suffix.is_empty() && num.chars().all(|c| c.is_ascii_digit()) {
        return Some(s.to_string());
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    let neg = int_part.starts_with('-');
    let int_part = int_part.trim_start_matches(['+', '-']);
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let binary = |p: u32| Some((1024i128).pow(p));
    let (base_mult, is_binary): (Option<i128>, bool) = match suffix {
        "Ki" => (binary(1), true),
        "Mi" => (binary(2), true),
        "Gi" => (binary(3), true),
        "Ti" => (binary(4), true),
        "Pi" => (binary(5), true),
        "Ei" => (binary(6), true),
        _ => (None, false),
    };
    // Work in units of 10^-9 (nano) as i128.
    let digits = format!("{int_part}{frac_part}");
    let mantissa: i128 = digits.parse().ok()?;
    let frac_len = frac_part.len() as u32;
    let nanos: i128 = if is_binary {
        let m = base_mult?;
        mantissa.checked_mul(m)?.checked_mul(10i128.pow(9))? / 10i128.pow(frac_len)
    } else {
        let exp10: i32 = match suffix {
            "" => 0,
            "n" => -9,
            "u" => -6,
            "m" => -3,
            "k" => 3,
            "M" => 6,
            "G" => 9,
            "T" => 12,
            "P" => 15,
            "E" => 18,
            _ => return None,
        };
        let shift = exp10 + 9 - frac_len as i32;
        if shift >= 0 {
            mantissa.checked_mul(10i128.pow(shift as u32))?
        } else {
            mantissa / 10i128.pow((-shift) as u32)
        }
    };
    let sign = if neg && nanos != 0 { "-" } else { "" };
    if is_binary && nanos % 10i128.pow(9) == 0 {
        let mut v = nanos / 10i128.pow(9);
        let mut i = 0;
        let units = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        while v != 0 && v % 1024 == 0 && i < 6 {
            v /= 1024;
            i += 1;
        }
        return Some(format!("{sign}{v}{}", units.get(i).copied().unwrap_or("")));
    }
    let units = [
        (18, "E"),
        (15, "P"),
        (12, "T"),
        (9, "G"),
        (6, "M"),
        (3, "k"),
        (0, ""),
        (-3, "m"),
        (-6, "u"),
        (-9, "n"),
    ];
    if nanos == 0 {
        return Some("0".into());
    }
    for (e, u) in units {
        let div = 10i128.pow((e + 9) as u32);
        if nanos % div == 0 {
            return Some(format!("{sign}{}{u}", nanos / div));
        }
    }
    Some(format!("{sign}{nanos}n"))
}

fn quota(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create quota") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let mut spec = Map::new();
    let hard = p.string("hard").unwrap_or("");
    if !hard.is_empty() {
        let mut m = BTreeMap::new();
        for kv in hard.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                return fail(format!(
                    "error: Invalid argument syntax {kv}, expected <resource>=<value>"
                ));
            };
            let Some(q) = canonical_quantity(v) else {
                return fail("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into());
            };
            m.insert(k.to_string(), Value::String(q));
        }
        spec.insert("hard".into(), Value::Object(m.into_iter().collect()));
    }
    let scopes = p.string("scopes").unwrap_or("");
    if !scopes.is_empty() {
        spec.insert(
            "scopes".into(),
            json!(scopes.split(',').collect::<Vec<_>>()),
        );
    }
    let obj = json!({
        "kind": "ResourceQuota",
        "apiVersion": "v1",
        "metadata": meta(ctx, p, &name, None),
        "spec": Value::Object(spec),
        "status": {},
    });
    create_and_print(ctx, p, obj, Some("quota"))
}

fn priorityclass(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create priorityclass") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let mut obj = Map::new();
    obj.insert("kind".into(), json!("PriorityClass"));
    obj.insert("apiVersion".into(), json!("scheduling.k8s.io/v1"));
    obj.insert(
        "metadata".into(),
        json!({ "name": name, "creationTimestamp": null }),
    );
    let value = p
        .string("value")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    obj.insert("value".into(), json!(value));
    if p.bool("global-default") {
        obj.insert("globalDefault".into(), json!(true));
    }
    if let Some(d) = p.string("description").filter(|d| !d.is_empty()) {
        obj.insert("description".into(), json!(d));
    }
    obj.insert(
        "preemptionPolicy".into(),
        json!(p
            .string("preemption-policy")
            .unwrap_or("PreemptLowerPriority")),
    );
    create_and_print(ctx, p, Value::Object(obj), Some("priorityclass"))
}

/// `create_pdb.go`: its `Validate`, then `metav1.ParseToLabelSelector`.
fn pdb(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create poddisruptionbudget") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let flag = |f| p.string(f).unwrap_or("");
    let (selector, min, max) = (
        flag("selector"),
        flag("min-available"),
        flag("max-unavailable"),
    );
    // kubectl's `^[0-9]+%?$`.
    let valid = |v: &str| {
        let d = v.strip_suffix('%').unwrap_or(v);
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
    };
    let err = if selector.is_empty() {
        "a selector must be specified"
    } else if min.is_empty() && max.is_empty() {
        "one of min-available or max-unavailable must be specified"
    } else if !min.is_empty() && !max.is_empty() {
        "min-available and max-unavailable cannot be both specified"
    } else if !min.is_empty() && !valid(min) {
        "invalid format specified for min-available"
    } else if !max.is_empty() && !valid(max) {
        "invalid format specified for max-unavailable"
    } else {
        ""
    };
    if !err.is_empty() {
        return fail(format!("error: {err}"));
    }
    let sel = match crate::api::selector::LabelSelector::parse(selector) {
        Ok(s) => s,
        Err(e) => {
            return fail(format!(
                "error: couldn't parse the selector string {selector:?}: {e}"
            ))
        }
    };
    use crate::api::selector::Op;
    let (mut labels, mut exprs) = (Map::new(), Vec::new());
    for r in sel.requirements {
        let op = match r.op {
            Op::Equals | Op::DoubleEquals => {
                labels.insert(r.key, json!(r.values.concat()));
                continue;
            }
            Op::In => "In",
            Op::NotIn => "NotIn",
            Op::Exists => "Exists",
            Op::DoesNotExist => "DoesNotExist",
            Op::NotEquals => {
                return fail("error: \"!=\" is not a valid label selector operator".into())
            }
            Op::GreaterThan => {
                return fail("error: \"gt\" is not a valid label selector operator".into())
            }
            Op::LessThan => {
                return fail("error: \"lt\" is not a valid label selector operator".into())
            }
        };
        let mut e = Map::new();
        e.insert("key".into(), json!(r.key));
        e.insert("operator".into(), json!(op));
        if !r.values.is_empty() {
            e.insert("values".into(), json!(r.values));
        }
        exprs.push(Value::Object(e));
    }
    let mut s = Map::new();
    if !labels.is_empty() {
        s.insert("matchLabels".into(), Value::Object(labels));
    }
    if !exprs.is_empty() {
        s.insert("matchExpressions".into(), Value::Array(exprs));
    }
    // intstr.Parse: a number, else the string.
    let intstr = |v: &str| v.parse::<i32>().map_or_else(|_| json!(v), |n| json!(n));
    let mut spec = Map::new();
    if !min.is_empty() {
        spec.insert("minAvailable".into(), intstr(min));
    }
    spec.insert("selector".into(), Value::Object(s));
    if !max.is_empty() {
        spec.insert("maxUnavailable".into(), intstr(max));
    }
    let obj = json!({
        "kind": "PodDisruptionBudget",
        "apiVersion": "policy/v1",
        "metadata": meta(ctx, p, &name, None),
        "spec": spec,
        "status": {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0},
    });
    create_and_print(ctx, p, obj, Some("poddisruptionbudget"))
}

fn backend(svc: &str, port: &str) -> Value {
    let port = match port.parse::<i64>() {
        Ok(n) => json!({ "number": n }),
        Err(_) => json!({ "name": port }),
    };
    json!({ "service": { "name": svc, "port": port } })
}

fn ingress(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create ingress") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let rules_in = p.strings("rule");
    let default_backend = p.string("default-backend").unwrap_or("");
    if rules_in.is_empty() && default_backend.is_empty() {
        return fail("error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)".into());
    }
    let mut annotations = Map::new();
    for a in p.strings("annotation") {
        let Some((k, v)) = a.split_once('=') else {
            return fail(format!(
                "error: annotation {a} is invalid and should be in format key=[value]"
            ));
        };
        annotations.insert(k.to_string(), json!(v));
    }
    // host → paths, in first-seen order; secret → hosts.
    let mut rules: Vec<(String, Vec<Value>)> = Vec::new();
    let mut tls: Vec<(String, Vec<String>)> = Vec::new();
    for r in &rules_in {
        let invalid = || {
            format!("error: rule {r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
        };
        let Some((left, right)) = r.split_once('=') else {
            return fail(invalid());
        };
        let Some(slash) = left.find('/') else {
            return fail(invalid());
        };
        let (host, path) = left.split_at(slash);
        let (target, tls_part) = match right.split_once(',') {
            Some((t, x)) => (t, Some(x)),
            None => (right, None),
        };
        let Some((svc, port)) = target
            .split_once(':')
            .filter(|(s, p)| !s.is_empty() && !p.is_empty() && !p.contains(':'))
        else {
            return fail(invalid());
        };
        let (path, path_type) = match path.strip_suffix('*') {
            Some(prefix) => (prefix, "Prefix"),
            None => (path, "Exact"),
        };
        let entry = json!({ "path": path, "pathType": path_type, "backend": backend(svc, port) });
        match rules.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(entry),
            None => rules.push((host.to_string(), vec![entry])),
        }
        if let Some(t) = tls_part {
            let secret = match t.strip_prefix("tls") {
                Some("") => "",
                Some(s) => s.strip_prefix('=').unwrap_or(s),
                None => return fail(invalid()),
            };
            match tls.iter_mut().find(|(s, _)| s == secret) {
                Some((_, hosts)) => {
                    if !host.is_empty() && !hosts.iter().any(|h| h == host) {
                        hosts.push(host.to_string());
                    }
                }
                None => tls.push((
                    secret.to_string(),
                    if host.is_empty() {
                        vec![]
                    } else {
                        vec![host.to_string()]
                    },
                )),
            }
        }
    }
    let mut spec = Map::new();
    if let Some(c) = p.string("class").filter(|c| !c.is_empty()) {
        spec.insert("ingressClassName".into(), json!(c));
    }
    if !default_backend.is_empty() {
        let Some((svc, port)) = default_backend.split_once(':') else {
            return fail(
                "error: default-backend should be in format servicename:serviceport".to_string(),
            );
        };
        spec.insert("defaultBackend".into(), backend(svc, port));
    }
    if !tls.is_empty() {
        let list: Vec<Value> = tls
            .into_iter()
            .map(|(secret, hosts)| {
                let mut m = Map::new();
                if !hosts.is_empty() {
                    m.insert("hosts".into(), json!(hosts));
                }
                if !secret.is_empty() {
                    m.insert("secretName".into(), json!(secret));
                }
                Value::Object(m)
            })
            .collect();
        spec.insert("tls".into(), Value::Array(list));
    }
    if !rules.is_empty() {
        let list: Vec<Value> = rules
            .into_iter()
            .map(|(host, paths)| {
                let mut m = Map::new();
                if !host.is_empty() {
                    m.insert("host".into(), json!(host));
                }
                m.insert("http".into(), json!({ "paths": paths }));
                Value::Object(m)
            })
            .collect();
        spec.insert("rules".into(), Value::Array(list));
    }
    let mut metadata = meta(ctx, p, &name, None);
    if !annotations.is_empty() {
        if let Some(m) = metadata.as_object_mut() {
            m.insert("annotations".into(), Value::Object(annotations));
        }
    }
    let obj = json!({
        "kind": "Ingress",
        "apiVersion": "networking.k8s.io/v1",
        "metadata": metadata,
        "spec": Value::Object(spec),
        "status": { "loadBalancer": {} },
    });
    create_and_print(ctx, p, obj, Some("ingress"))
}

fn dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn service(ctx: &mut Context<'_>, p: &Parsed, kind: &str) -> Output {
    if kind == "ExternalName" {
        if let Err(e) = required(p, &["external-name"]) {
            return fail(e);
        }
    }
    let cmd = format!("create service {}", kind.to_ascii_lowercase());
    let name = match one_name(p, &cmd) {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let cluster_ip = p.string("clusterip").unwrap_or("");
    let tcp: Vec<String> = p
        .strings("tcp")
        .iter()
        .flat_map(|t| t.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if tcp.is_empty() && kind != "ExternalName" && cluster_ip != "None" {
        return fail("error: at least one tcp port specifier must be provided".into());
    }
    let external = p.string("external-name").unwrap_or("");
    if kind == "ExternalName" && !dns1123_subdomain(external) {
        return fail(format!("error: invalid service external name {external}"));
    }
    let node_port = p
        .string("node-port")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let mut ports = Vec::new();
    for t in &tcp {
        let (port, target) = match t.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (t.as_str(), None),
        };
        let Ok(port_n) = port.parse::<u16>() else {
            return fail(format!(
                "error: strconv.ParseUint: parsing {port:?}: invalid syntax"
            ));
        };
        let (port_name, target_v) = match target {
            Some(tg) => (
                format!("{port}-{tg}"),
                match tg.parse::<i64>() {
                    Ok(n) => json!(n),
                    Err(_) => json!(tg),
                },
            ),
            None => (port.to_string(), json!(port_n)),
        };
        let mut m = Map::new();
        m.insert("name".into(), json!(port_name));
        m.insert("protocol".into(), json!("TCP"));
        m.insert("port".into(), json!(port_n));
        m.insert("targetPort".into(), target_v);
        if node_port > 0 {
            m.insert("nodePort".into(), json!(node_port));
        }
        ports.push(Value::Object(m));
    }
    let labels = json!({ "app": name });
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), labels.clone());
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    spec.insert("type".into(), json!(kind));
    if kind == "ExternalName" {
        spec.insert("externalName".into(), json!(external));
    }
    let obj = json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": meta(ctx, p, &name, Some(labels)),
        "spec": Value::Object(spec),
        "status": { "loadBalancer": {} },
    });
    let what = format!("{} service", kind);
    create_and_print(ctx, p, obj, Some(&what))
}
