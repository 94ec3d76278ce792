//! `create configmap`, `create secret generic|tls|docker-registry`.

use super::super::common::{self, create_and_print, one_name};
use super::{meta, required};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const CONFIGMAP: Command = Command {
    name: "create configmap",
    short: "Create a config map from a local file, directory or literal value",
    usage: "kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::bool("append-hash", "Append a hash of the configmap to its name."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("from-env-file", "Specify the path to a file to read lines of key=val pairs to create a configmap."),
        Flag::strings("from-file", "Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key."),
        Flag::strings("from-literal", "Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)"),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: configmap,
};

pub const SECRET_GENERIC: Command = Command {
    name: "create secret generic",
    short: "Create a secret from a local file, directory, or literal value",
    usage: "kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::bool("append-hash", "Append a hash of the secret to its name."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("from-env-file", "Specify the path to a file to read lines of key=val pairs to create a secret."),
        Flag::strings("from-file", "Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key."),
        Flag::strings("from-literal", "Specify a key and literal value to insert in secret (i.e. mykey=somevalue)"),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("type", "", "The type of secret to create"),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: secret_generic,
};

pub const SECRET_TLS: Command = Command {
    name: "create secret tls",
    short: "Create a TLS secret",
    usage: "kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::bool("append-hash", "Append a hash of the secret to its name."),
        Flag::string("cert", "", "Path to PEM encoded public key certificate."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::string("key", "", "Path to private key associated with given certificate."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: secret_tls,
};

pub const SECRET_DOCKER_REGISTRY: Command = Command {
    name: "create secret docker-registry",
    short: "Create a secret for use with a Docker registry",
    usage: "kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true"),
        Flag::bool("append-hash", "Append a hash of the secret to its name."),
        Flag::string("docker-email", "", "Email for Docker registry"),
        Flag::string("docker-password", "", "Password for Docker registry authentication"),
        Flag::string("docker-server", "https://index.docker.io/v1/", "Server location for Docker registry"),
        Flag::string("docker-username", "", "Username for Docker registry authentication"),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-create", "Name of the manager used to track field ownership."),
        Flag::strings("from-file", "Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run: secret_docker,
};

fn fail(msg: String) -> Output {
    Output::default().fail(msg)
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn key_error(key: &str, kind: &str) -> String {
    format!("error: {key:?} is not a valid key name for a {kind}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
}

/// Collects the key/value data of a ConfigMap or Secret from the
/// `--from-*` flags, with kubectl's checks and messages.
fn collect(
    ctx: &Context<'_>,
    p: &Parsed,
    kind: &str,
    name: &str,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let files = p.strings("from-file");
    let literals = p.strings("from-literal");
    let env_files = p.strings("from-env-file");
    if !env_files.is_empty() && (!files.is_empty() || !literals.is_empty()) {
        return Err(
            "error: from-env-file cannot be combined with from-file or from-literal".into(),
        );
    }
    let mut data: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut add = |k: String, v: Vec<u8>| -> Result<(), String> {
        if !valid_key(&k) {
            return Err(key_error(&k, kind));
        }
        if data.contains_key(&k) {
            return Err(format!("error: cannot add key {k:?}, another key by that name already exists in Data for {kind} {name:?}"));
        }
        data.insert(k, v);
        Ok(())
    };
    for src in &files {
        let (key, path) = match src.split_once('=') {
            Some((k, p)) => (Some(k.to_string()), p.to_string()),
            None => (None, src.clone()),
        };
        if key.as_deref() == Some("") || path.is_empty() {
            return Err("error: key names or file paths cannot be empty".to_string());
        }
        if common::is_dir(ctx, &path) {
            if key.is_some() {
                return Err("error: cannot give a key name for a directory path".to_string());
            }
            for f in common::list_dir(ctx, &path) {
                let full = format!("{}/{f}", path.trim_end_matches('/'));
                if common::is_dir(ctx, &full) || !valid_key(&f) {
                    continue;
                }
                let bytes = common::read_file(ctx, &full).unwrap_or_default();
                add(f, bytes)?;
            }
            continue;
        }
        let Some(bytes) = common::read_file(ctx, &path) else {
            return Err(format!(
                "error: error reading {path}: no such file or directory"
            ));
        };
        let key = key.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_string());
        add(key, bytes)?;
    }
    for lit in &literals {
        let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(format!(
                "error: invalid literal source {lit}, expected key=value"
            ));
        };
        add(k.to_string(), v.as_bytes().to_vec())?;
    }
    for path in &env_files {
        let Some(bytes) = common::read_file(ctx, path) else {
            return Err(format!(
                "error: error reading {path}: no such file or directory"
            ));
        };
        let text = String::from_utf8_lossy(&bytes).to_string();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = match line.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                // A bare name takes its value from kubectl's environment,
                // which has no such variables here.
                None => (line.to_string(), String::new()),
            };
            if k.is_empty()
                || k.starts_with(|c: char| c.is_ascii_digit())
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            {
                return Err(format!(
                    "error: {k:?} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*') (line {})",
                    i + 1
                ));
            }
            add(k, v.into_bytes())?;
        }
    }
    Ok(data)
}

fn configmap(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create configmap") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let data = match collect(ctx, p, "ConfigMap", &name) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let mut obj = json!({
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": meta(ctx, p, &name, None),
    });
    let mut text = Map::new();
    let mut binary = Map::new();
    for (k, v) in data {
        match String::from_utf8(v) {
            Ok(s) => {
                text.insert(k, Value::String(s));
            }
            Err(e) => {
                binary.insert(k, Value::String(common::base64(e.as_bytes())));
            }
        }
    }
    if let Some(m) = obj.as_object_mut() {
        if !text.is_empty() {
            m.insert("data".into(), Value::Object(text));
        }
        if !binary.is_empty() {
            m.insert("binaryData".into(), Value::Object(binary));
        }
    }
    create_and_print(ctx, p, obj, Some("configmap"))
}

fn secret(
    ctx: &Context<'_>,
    p: &Parsed,
    name: &str,
    data: BTreeMap<String, Vec<u8>>,
    kind: &str,
) -> Value {
    let mut obj = json!({
        "kind": "Secret",
        "apiVersion": "v1",
        "metadata": meta(ctx, p, name, None),
    });
    if let Some(m) = obj.as_object_mut() {
        if !data.is_empty() {
            let d: Map<String, Value> = data
                .into_iter()
                .map(|(k, v)| (k, Value::String(common::base64(&v))))
                .collect();
            m.insert("data".into(), Value::Object(d));
        }
        if !kind.is_empty() {
            m.insert("type".into(), Value::String(kind.to_string()));
        }
    }
    obj
}

fn secret_generic(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create secret generic") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let data = match collect(ctx, p, "Secret", &name) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let obj = secret(ctx, p, &name, data, p.string("type").unwrap_or(""));
    create_and_print(ctx, p, obj, Some("secret"))
}

fn secret_tls(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create secret tls") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let cert = p.string("cert").unwrap_or("");
    let key = p.string("key").unwrap_or("");
    if cert.is_empty() || key.is_empty() {
        return fail("error: key and cert must be specified".into());
    }
    let mut data = BTreeMap::new();
    for (path, what, field) in [
        (cert, "CERTIFICATE", "tls.crt"),
        (key, "PRIVATE KEY", "tls.key"),
    ] {
        let Some(bytes) = common::read_file(ctx, path) else {
            return fail(format!(
                "error: Cannot read file {path}, open {path}: no such file or directory"
            ));
        };
        let text = String::from_utf8_lossy(&bytes);
        // kubectl parses the pair with crypto/tls; the model checks the PEM
        // blocks are there.
        if !text.contains(&"-----BEGIN ".to_string())
            || (what == "CERTIFICATE" && !text.contains("-----BEGIN CERTIFICATE-----"))
        {
            let input = if what == "CERTIFICATE" {
                "certificate"
            } else {
                "key"
            };
            return fail(format!(
                "error: tls: failed to find any PEM data in {input} input"
            ));
        }
        data.insert(field.to_string(), bytes);
    }
    let obj = secret(ctx, p, &name, data, "kubernetes.io/tls");
    create_and_print(ctx, p, obj, Some("secret"))
}

fn secret_docker(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let name = match one_name(p, "create secret docker-registry") {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let data = if !p.strings("from-file").is_empty() {
        match collect(ctx, p, "Secret", &name) {
            Ok(d) => d,
            Err(e) => return fail(e),
        }
    } else {
        if required(p, &["docker-username", "docker-password"]).is_err()
            || p.string("docker-server").is_some_and(str::is_empty)
        {
            return fail("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required".into());
        }
        let user = p.string("docker-username").unwrap_or("");
        let pass = p.string("docker-password").unwrap_or("");
        let server = p
            .string("docker-server")
            .unwrap_or("https://index.docker.io/v1/");
        let mut entry = Map::new();
        entry.insert("username".into(), json!(user));
        entry.insert("password".into(), json!(pass));
        if let Some(email) = p.string("docker-email").filter(|e| !e.is_empty()) {
            entry.insert("email".into(), json!(email));
        }
        entry.insert(
            "auth".into(),
            json!(common::base64(format!("{user}:{pass}").as_bytes())),
        );
        let mut auths = Map::new();
        auths.insert(server.to_string(), Value::Object(entry));
        let cfg = json!({ "auths": Value::Object(auths) });
        let mut d = BTreeMap::new();
        d.insert(
            ".dockerconfigjson".to_string(),
            common::compact_json(&cfg).into_bytes(),
        );
        d
    };
    let obj = secret(ctx, p, &name, data, "kubernetes.io/dockerconfigjson");
    create_and_print(ctx, p, obj, Some("secret"))
}
