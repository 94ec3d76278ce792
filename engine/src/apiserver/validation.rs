//! Validation, as v1.33's `pkg/apis/*/validation` does it after defaulting:
//! each check appends a [`FieldError`] in the order the real validators
//! run, so that the aggregated message reads as the real one.

use super::field::{go_string_map, BadValue, FieldError};
use serde_json::Value;

mod immutable;

type Errs = Vec<FieldError>;

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

// ---- name and label formats (apimachinery util/validation) ----

const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

/// `RegexError`: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let ex: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        ex.join(" or ")
    )
}

fn is_label_chars(v: &str) -> bool {
    let b = v.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.first().is_some_and(ok)
        && b.last().is_some_and(ok)
        && b.iter().all(|c| ok(c) || *c == b'-')
}

fn is_subdomain_chars(v: &str) -> bool {
    !v.is_empty() && v.split('.').all(is_label_chars)
}

pub fn dns1123_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label_chars(v) {
        if is_subdomain_chars(v) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

pub fn dns1123_subdomain(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !is_subdomain_chars(v) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

pub fn dns1035_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let starts_alpha = v.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !(is_label_chars(v) && starts_alpha) {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

fn is_qualified_chars(v: &str) -> bool {
    let b = v.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter()
            .all(|c| alnum(c) || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName`: label and annotation keys.
pub fn qualified_name(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let (prefix, name) = match v.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, v),
    };
    if v.matches('/').count() > 1 {
        errs.push(regex_error(
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            QUALIFIED_NAME_FMT,
            &["MyName", "my.name", "123-abc"],
        ));
        errs.push(
            "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".into(),
        );
        return vec![errs.join(" ")];
    }
    if let Some(p) = prefix {
        if p.is_empty() {
            errs.push("prefix part must be non-empty".into());
        } else {
            for e in dns1123_subdomain(p) {
                errs.push(format!("prefix part {e}"));
            }
        }
    }
    if name.is_empty() {
        errs.push("name part must be non-empty".into());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".into());
    }
    if !name.is_empty() && !is_qualified_chars(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"],
            )
        ));
    }
    errs
}

pub fn label_value(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".into());
    }
    if !v.is_empty() && !is_qualified_chars(v) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

fn labels(map: Option<&Value>, path: &str, errs: &mut Errs) {
    let Some(m) = map.and_then(Value::as_object) else {
        return;
    };
    let mut keys: Vec<&String> = m.keys().collect();
    crate::sort::sort(&mut keys);
    for k in keys {
        for msg in qualified_name(k) {
            errs.push(FieldError::invalid(path, BadValue::Str(k.clone()), &msg));
        }
        let v = m
            .get(k.as_str())
            .and_then(Value::as_str)
            .unwrap_or_default();
        for msg in label_value(v) {
            errs.push(FieldError::invalid(path, BadValue::Str(v.into()), &msg));
        }
    }
}

// ---- object meta ----

fn object_meta(kind: &str, obj: &Value, errs: &mut Errs) {
    let meta = obj.get("metadata").cloned().unwrap_or(Value::Null);
    let name = s(&meta, "name").unwrap_or_default();
    let msgs = match kind {
        "Namespace" => dns1123_label(name),
        "Service" => dns1035_label(name),
        // `ValidateRBACName` is `path.IsValidPathSegmentName`: `system:…` names are fine.
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => path_segment_name(name),
        _ => dns1123_subdomain(name),
    };
    for m in msgs {
        errs.push(FieldError::invalid(
            "metadata.name",
            BadValue::Str(name.into()),
            &m,
        ));
    }
    labels(meta.get("labels"), "metadata.labels", errs);
}

/// `path.IsValidPathSegmentName`.
fn path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

// ---- quantities ----

/// A quantity in thousandths (`500m` = 500, `1` = 1000, `1Ki` = 1024000),
/// `None` if it is not one.
pub fn quantity_milli(q: &str) -> Option<i128> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(q.len());
    let (num, suffix) = (q.get(..split)?, q.get(split..)?);
    if num.is_empty() {
        return None;
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    let neg = int_part.starts_with('-');
    let int_digits = int_part.trim_start_matches(['+', '-']);
    if !int_digits.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
        || (int_digits.is_empty() && frac_part.is_empty())
    {
        return None;
    }
    let scale: (i128, i128) = match suffix {
        "" => (1000, 1),
        "m" => (1, 1),
        "k" => (1_000_000, 1),
        "M" => (1_000_000_000, 1),
        "G" => (1_000_000_000_000, 1),
        "T" => (1_000_000_000_000_000, 1),
        "P" => (1_000_000_000_000_000_000, 1),
        "Ki" => (1024 * 1000, 1),
        "Mi" => (1024 * 1024 * 1000, 1),
        "Gi" => (1024 * 1024 * 1024 * 1000, 1),
        "Ti" => (1024_i128.pow(4) * 1000, 1),
        "Pi" => (1024_i128.pow(5) * 1000, 1),
        "Ei" => (1024_i128.pow(6) * 1000, 1),
        _ => {
            let exp = suffix.strip_prefix(['e', 'E'])?.parse::<i32>().ok()?;
            let e = exp + 3;
            if !(0..=30).contains(&e) {
                return None;
            }
            (10_i128.pow(e.unsigned_abs()), 1)
        }
    };
    let int: i128 = if int_digits.is_empty() {
        0
    } else {
        int_digits.parse().ok()?
    };
    let mut value = int.checked_mul(scale.0)?;
    if !frac_part.is_empty() {
        let frac: i128 = frac_part.get(..frac_part.len().min(18))?.parse().ok()?;
        let denom = 10_i128.pow(frac_part.len().min(18) as u32);
        // Rounded up, as Go's Quantity rounds sub-milli precision up.
        let part = frac.checked_mul(scale.0)?;
        value = value.checked_add((part + denom - 1) / denom)?;
    }
    Some(if neg { -value } else { value } / scale.1)
}

// ---- pods ----

const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

fn port_range(v: &Value, path: &str, required: bool, errs: &mut Errs) {
    match v.as_i64() {
        None | Some(0) if required => errs.push(FieldError::required(path, "")),
        Some(n) if !(1..=65535).contains(&n) => errs.push(FieldError::invalid(
            path,
            BadValue::Plain(n.to_string()),
            "must be between 1 and 65535, inclusive",
        )),
        _ => {}
    }
}

fn containers(
    list: &[Value],
    path: &str,
    volumes: &[String],
    names: &mut Vec<String>,
    errs: &mut Errs,
) {
    for (i, c) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let name = s(c, "name").unwrap_or_default();
        if name.is_empty() {
            errs.push(FieldError::required(&format!("{p}.name"), ""));
        } else {
            for m in dns1123_label(name) {
                errs.push(FieldError::invalid(
                    &format!("{p}.name"),
                    BadValue::Str(name.into()),
                    &m,
                ));
            }
            if names.iter().any(|n| n == name) {
                errs.push(FieldError::duplicate(
                    &format!("{p}.name"),
                    BadValue::Str(name.into()),
                ));
            }
            names.push(name.to_string());
        }
        if s(c, "image").unwrap_or_default().is_empty() {
            errs.push(FieldError::required(&format!("{p}.image"), ""));
        }
        for (j, port) in arr(c, "ports").iter().enumerate() {
            let pp = format!("{p}.ports[{j}]");
            port_range(
                port.get("containerPort").unwrap_or(&Value::Null),
                &format!("{pp}.containerPort"),
                true,
                errs,
            );
            if let Some(hp) = port.get("hostPort") {
                port_range(hp, &format!("{pp}.hostPort"), false, errs);
            }
            if let Some(proto) = s(port, "protocol") {
                if !PROTOCOLS.contains(&proto) {
                    errs.push(FieldError::not_supported(
                        &format!("{pp}.protocol"),
                        BadValue::Str(proto.into()),
                        PROTOCOLS,
                    ));
                }
            }
        }
        env_from(arr(c, "envFrom"), &format!("{p}.envFrom"), errs);
        for (j, m) in arr(c, "volumeMounts").iter().enumerate() {
            let mp = format!("{p}.volumeMounts[{j}]");
            let vname = s(m, "name").unwrap_or_default();
            if vname.is_empty() {
                errs.push(FieldError::required(&format!("{mp}.name"), ""));
            } else if !volumes.iter().any(|v| v == vname) {
                errs.push(FieldError::not_found(
                    &format!("{mp}.name"),
                    BadValue::Str(vname.into()),
                ));
            }
            if s(m, "mountPath").unwrap_or_default().is_empty() {
                errs.push(FieldError::required(&format!("{mp}.mountPath"), ""));
            }
        }
        resources(c.get("resources"), &format!("{p}.resources"), errs);
        if let Some(pol) = s(c, "imagePullPolicy") {
            if !PULL_POLICIES.contains(&pol) {
                errs.push(FieldError::not_supported(
                    &format!("{p}.imagePullPolicy"),
                    BadValue::Str(pol.into()),
                    PULL_POLICIES,
                ));
            }
        }
    }
}

/// `ValidateEnvFrom`: one source per entry, named as its object must be
/// (a learner's `<configmap name>` placeholder is refused here).
fn env_from(list: &[Value], path: &str, errs: &mut Errs) {
    for (i, e) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if let Some(prefix) = s(e, "prefix").filter(|x| !x.is_empty()) {
            if !prefix.chars().all(|c| c.is_ascii_graphic() || c == ' ') || prefix.contains('=') {
                errs.push(FieldError::invalid(
                    &format!("{p}.prefix"),
                    BadValue::Str(prefix.into()),
                    "a valid environment variable name must consist only of printable ASCII characters other than '='",
                ));
            }
        }
        let sources: Vec<&str> = ["configMapRef", "secretRef"]
            .into_iter()
            .filter(|k| e.get(*k).is_some_and(|v| !v.is_null()))
            .collect();
        for key in &sources {
            let sp = format!("{p}.{key}.name");
            match e.get(*key).and_then(|r| s(r, "name")).unwrap_or_default() {
                "" => errs.push(FieldError::required(&sp, "")),
                name => {
                    for m in dns1123_subdomain(name) {
                        errs.push(FieldError::invalid(&sp, BadValue::Str(name.into()), &m));
                    }
                }
            }
        }
        match sources.len() {
            0 => errs.push(FieldError::invalid(
                path,
                BadValue::Str(String::new()),
                "must specify one of: `configMapRef` or `secretRef`",
            )),
            1 => {}
            _ => errs.push(FieldError::invalid(
                path,
                BadValue::Str(String::new()),
                "may not have more than one field specified at a time",
            )),
        }
    }
}

fn resources(r: Option<&Value>, path: &str, errs: &mut Errs) {
    let Some(r) = r else { return };
    let limits = r.get("limits").and_then(Value::as_object);
    let Some(requests) = r.get("requests").and_then(Value::as_object) else {
        return;
    };
    let mut keys: Vec<&String> = requests.keys().collect();
    crate::sort::sort(&mut keys);
    for k in keys {
        let req = requests
            .get(k.as_str())
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(lim) = limits
            .and_then(|l| l.get(k.as_str()))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if let (Some(a), Some(b)) = (quantity_milli(req), quantity_milli(lim)) {
            if a > b {
                errs.push(FieldError::invalid(
                    &format!("{path}.requests[{k}]"),
                    BadValue::Str(req.into()),
                    &format!("must be less than or equal to {k} limit of {lim}"),
                ));
            }
        }
    }
}

/// `ValidatePodSpec` (the parts learners trip over).
pub fn pod_spec(spec: Option<&Value>, path: &str, errs: &mut Errs) {
    let null = Value::Null;
    let spec = spec.unwrap_or(&null);
    let mut volumes = Vec::new();
    for (i, v) in arr(spec, "volumes").iter().enumerate() {
        let name = s(v, "name").unwrap_or_default();
        let p = format!("{path}.volumes[{i}].name");
        if name.is_empty() {
            errs.push(FieldError::required(&p, ""));
        } else {
            for m in dns1123_label(name) {
                errs.push(FieldError::invalid(&p, BadValue::Str(name.into()), &m));
            }
            if volumes.iter().any(|n: &String| n == name) {
                errs.push(FieldError::duplicate(&p, BadValue::Str(name.into())));
            }
            volumes.push(name.to_string());
        }
    }
    let mut names = Vec::new();
    let main = arr(spec, "containers");
    if main.is_empty() {
        errs.push(FieldError::required(&format!("{path}.containers"), ""));
    }
    containers(
        arr(spec, "initContainers"),
        &format!("{path}.initContainers"),
        &volumes,
        &mut names,
        errs,
    );
    containers(
        main,
        &format!("{path}.containers"),
        &volumes,
        &mut names,
        errs,
    );
    if let Some(rp) = s(spec, "restartPolicy") {
        let valid = ["Always", "OnFailure", "Never"];
        if !valid.contains(&rp) {
            errs.push(FieldError::not_supported(
                &format!("{path}.restartPolicy"),
                BadValue::Str(rp.into()),
                &valid,
            ));
        }
    }
    if let Some(dp) = s(spec, "dnsPolicy") {
        let valid = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
        if !valid.contains(&dp) {
            errs.push(FieldError::not_supported(
                &format!("{path}.dnsPolicy"),
                BadValue::Str(dp.into()),
                &valid,
            ));
        }
    }
}

// ---- workloads ----

/// Whether a `LabelSelector` (matchLabels and matchExpressions) matches labels.
fn selector_matches(sel: &Value, labels: Option<&Value>) -> bool {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    let ml_ok = sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .is_none_or(|m| m.iter().all(|(k, v)| get(k) == v.as_str()));
    let me_ok = arr(sel, "matchExpressions").iter().all(|e| {
        let key = s(e, "key").unwrap_or_default();
        let values: Vec<&str> = arr(e, "values").iter().filter_map(Value::as_str).collect();
        match s(e, "operator").unwrap_or_default() {
            "In" => get(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => get(key).is_none_or(|v| !values.contains(&v)),
            "Exists" => get(key).is_some(),
            "DoesNotExist" => get(key).is_none(),
            _ => false,
        }
    });
    ml_ok && me_ok
}

fn selector_is_empty(sel: &Value) -> bool {
    sel.get("matchLabels")
        .and_then(Value::as_object)
        .is_none_or(|m| m.is_empty())
        && arr(sel, "matchExpressions").is_empty()
}

/// `%#v` of a `*metav1.LabelSelector`, as field errors print it.
pub fn go_label_selector(sel: &Value) -> String {
    let ml = match sel.get("matchLabels").filter(|m| !m.is_null()) {
        Some(m) => go_string_map(Some(m)),
        None => "map[string]string(nil)".into(),
    };
    let me = if arr(sel, "matchExpressions").is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = arr(sel, "matchExpressions")
            .iter()
            .map(|e| {
                let values: Vec<String> = arr(e, "values")
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    crate::go::quote(s(e, "key").unwrap_or_default()),
                    crate::go::quote(s(e, "operator").unwrap_or_default()),
                    super::field::go_string_slice(&values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    // A pointer bad value is printed dereferenced (field.Error's ErrorBody).
    format!("v1.LabelSelector{{MatchLabels:{ml}, MatchExpressions:{me}}}")
}

/// The selector checks and template validation shared by Deployment,
/// ReplicaSet, StatefulSet (`required`: the selector must be given) and
/// DaemonSet; `restart_always`: the template must restart Always.
fn selector_and_template(kind: &str, spec: &Value, required: bool, errs: &mut Errs) {
    let sel = spec.get("selector").filter(|v| !v.is_null());
    match sel {
        None if required => errs.push(FieldError::required("spec.selector", "")),
        Some(sel) if selector_is_empty(sel) => errs.push(FieldError::invalid(
            "spec.selector",
            BadValue::GoSyntax(go_label_selector(sel)),
            &format!(
                "empty selector is invalid for {}",
                crate::case::to_lowercase(kind)
            ),
        )),
        _ => {}
    }
    let template = spec.get("template");
    let tlabels = template.and_then(|t| t.pointer("/metadata/labels"));
    let matches = match sel {
        None => false,
        Some(sel) => selector_is_empty(sel) || selector_matches(sel, tlabels),
    };
    if !matches {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            BadValue::GoSyntax(go_string_map(tlabels)),
            "`selector` does not match template `labels`",
        ));
    }
    labels(tlabels, "spec.template.metadata.labels", errs);
    pod_spec(
        template.and_then(|t| t.get("spec")),
        "spec.template.spec",
        errs,
    );
    if let Some(rp) = template
        .and_then(|t| t.pointer("/spec/restartPolicy"))
        .and_then(Value::as_str)
    {
        if rp != "Always" {
            errs.push(FieldError::not_supported(
                "spec.template.spec.restartPolicy",
                BadValue::Str(rp.into()),
                &["Always"],
            ));
        }
    }
}

fn non_negative(spec: &Value, key: &str, path: &str, errs: &mut Errs) {
    if let Some(n) = spec.get(key).and_then(Value::as_i64) {
        if n < 0 {
            errs.push(FieldError::invalid(
                &format!("{path}.{key}"),
                BadValue::Plain(n.to_string()),
                "must be greater than or equal to 0",
            ));
        }
    }
}

fn job_template(spec: &Value, path: &str, errs: &mut Errs) {
    for k in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
    ] {
        non_negative(spec, k, path, errs);
    }
    let t = spec.get("template");
    labels(
        t.and_then(|t| t.pointer("/metadata/labels")),
        &format!("{path}.template.metadata.labels"),
        errs,
    );
    pod_spec(
        t.and_then(|t| t.get("spec")),
        &format!("{path}.template.spec"),
        errs,
    );
    let rp = t
        .and_then(|t| t.pointer("/spec/restartPolicy"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if rp != "OnFailure" && rp != "Never" {
        errs.push(FieldError::not_supported(
            &format!("{path}.template.spec.restartPolicy"),
            BadValue::Str(rp.into()),
            &["OnFailure", "Never"],
        ));
    }
}

// ---- services ----

fn service(spec: &Value, errs: &mut Errs) {
    let ty = s(spec, "type").unwrap_or("ClusterIP");
    let valid = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    if !valid.contains(&ty) {
        errs.push(FieldError::not_supported(
            "spec.type",
            BadValue::Str(ty.into()),
            &valid,
        ));
    }
    let ports = arr(spec, "ports");
    let headless = s(spec, "clusterIP") == Some("None");
    if ports.is_empty() && ty != "ExternalName" && !headless {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let mut names: Vec<String> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        let name = s(p, "name").unwrap_or_default();
        if ports.len() > 1 && name.is_empty() {
            errs.push(FieldError::required(&format!("{pp}.name"), ""));
        } else if !name.is_empty() {
            for m in dns1123_label(name) {
                errs.push(FieldError::invalid(
                    &format!("{pp}.name"),
                    BadValue::Str(name.into()),
                    &m,
                ));
            }
            if names.iter().any(|n| n == name) {
                errs.push(FieldError::duplicate(
                    &format!("{pp}.name"),
                    BadValue::Str(name.into()),
                ));
            }
            names.push(name.into());
        }
        port_range(
            p.get("port").unwrap_or(&Value::Null),
            &format!("{pp}.port"),
            true,
            errs,
        );
        if let Some(proto) = s(p, "protocol") {
            if !PROTOCOLS.contains(&proto) {
                errs.push(FieldError::not_supported(
                    &format!("{pp}.protocol"),
                    BadValue::Str(proto.into()),
                    PROTOCOLS,
                ));
            }
        }
        if let Some(Value::Number(n)) = p.get("targetPort") {
            port_range(
                &Value::Number(n.clone()),
                &format!("{pp}.targetPort"),
                false,
                errs,
            );
        }
        if ty == "ClusterIP"
            && p.get("nodePort")
                .and_then(Value::as_i64)
                .is_some_and(|n| n != 0)
        {
            errs.push(FieldError::forbidden(
                &format!("{pp}.nodePort"),
                "may not be used when `type` is 'ClusterIP'",
            ));
        }
    }
}

fn config_keys(obj: &Value, errs: &mut Errs) {
    for field in ["data", "binaryData", "stringData"] {
        let Some(m) = obj.get(field).and_then(Value::as_object) else {
            continue;
        };
        let mut keys: Vec<&String> = m.keys().collect();
        crate::sort::sort(&mut keys);
        for k in keys {
            let ok = !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !ok {
                errs.push(FieldError::invalid(
                    &format!("{field}[{k}]"),
                    BadValue::Str(k.clone()),
                    &regex_error(
                        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                        "[-._a-zA-Z0-9]+",
                        &["key.name", "KEY_NAME", "key-name"],
                    ),
                ));
            }
        }
    }
}

/// Validation of a new object.
pub fn validate_create(kind: &str, obj: &Value) -> Errs {
    let mut errs = Vec::new();
    object_meta(kind, obj, &mut errs);
    let null = Value::Null;
    let spec = obj.get("spec").unwrap_or(&null);
    match kind {
        "Pod" => pod_spec(obj.get("spec"), "spec", &mut errs),
        "Deployment" | "ReplicaSet" | "StatefulSet" => {
            non_negative(spec, "replicas", "spec", &mut errs);
            selector_and_template(kind, spec, true, &mut errs);
        }
        "DaemonSet" => selector_and_template(kind, spec, false, &mut errs),
        "ReplicationController" => {
            non_negative(spec, "replicas", "spec", &mut errs);
            let t = spec.get("template");
            pod_spec(
                t.and_then(|t| t.get("spec")),
                "spec.template.spec",
                &mut errs,
            );
        }
        "Job" => job_template(spec, "spec", &mut errs),
        "CronJob" => {
            if s(spec, "schedule").unwrap_or_default().is_empty() {
                errs.push(FieldError::required("spec.schedule", ""));
            }
            let js = spec.pointer("/jobTemplate/spec").unwrap_or(&null);
            job_template(js, "spec.jobTemplate.spec", &mut errs);
        }
        "Service" => service(spec, &mut errs),
        "ConfigMap" | "Secret" => config_keys(obj, &mut errs),
        "PersistentVolumeClaim" => {
            if arr(spec, "accessModes").is_empty() {
                errs.push(FieldError::required(
                    "spec.accessModes",
                    "at least 1 access mode is required",
                ));
            }
            if spec.pointer("/resources/requests/storage").is_none() {
                errs.push(FieldError::required("spec.resources[storage]", ""));
            }
        }
        _ => {}
    }
    errs
}

const POD_UPDATE_FORBIDDEN: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// Validation of a replacement: what may not change, then the object's own rules.
pub fn validate_update(kind: &str, old: &Value, new: &Value) -> Errs {
    let mut errs = Vec::new();
    match kind {
        "Pod" => {
            errs.extend(validate_create(kind, new));
            if let Some(diff) = pod_spec_change(old.get("spec"), new.get("spec")) {
                errs.push(FieldError::forbidden(
                    "spec",
                    &format!("{POD_UPDATE_FORBIDDEN}\n{diff}"),
                ));
            }
        }
        "StatefulSet" => {
            errs.extend(validate_create(kind, new));
            errs.extend(immutable::statefulset(old, new));
        }
        "Job" => {
            errs.extend(validate_create(kind, new));
            errs.extend(immutable::job(old, new));
        }
        "PersistentVolumeClaim" => {
            errs.extend(validate_create(kind, new));
            errs.extend(immutable::pvc(old, new));
        }
        "PersistentVolume" => {
            errs.extend(validate_create(kind, new));
            errs.extend(immutable::pv(old, new));
        }
        "Service" => {
            errs.extend(immutable::service(old, new));
            errs.extend(validate_create(kind, new));
        }
        "Secret" | "ConfigMap" => {
            errs.extend(immutable::config(kind, old, new));
            errs.extend(validate_create(kind, new));
        }
        "Deployment" | "ReplicaSet" | "DaemonSet" => {
            errs.extend(validate_create(kind, new));
            let os = old.pointer("/spec/selector");
            let ns = new.pointer("/spec/selector");
            if os != ns {
                if let Some(ns) = ns {
                    errs.push(FieldError::invalid(
                        "spec.selector",
                        BadValue::GoSyntax(go_label_selector(ns)),
                        "field is immutable",
                    ));
                }
            }
        }
        _ => errs.extend(validate_create(kind, new)),
    }
    errs
}

/// `None` if the new pod spec differs from the old only where updates are
/// allowed; otherwise a diff of the fields that changed, in the shape of
/// the `cmp.Diff` the apiserver appends (`core.PodSpec{` … `}`; simplified:
/// whole changed fields, JSON values).
fn pod_spec_change(old: Option<&Value>, new: Option<&Value>) -> Option<String> {
    let (Some(old), Some(new)) = (old, new) else {
        return None;
    };
    let mut candidate = new.clone();
    // Allowed: images (same containers otherwise), deadline, toleration additions, grace 1 after negative.
    for key in ["containers", "initContainers"] {
        let olds = arr(old, key);
        if let Some(list) = candidate.get_mut(key).and_then(Value::as_array_mut) {
            if list.len() == olds.len() {
                for (c, o) in list.iter_mut().zip(olds) {
                    if let (Some(m), Some(img)) = (c.as_object_mut(), o.get("image")) {
                        m.insert("image".into(), img.clone());
                    }
                }
            }
        }
    }
    if let Some(m) = candidate.as_object_mut() {
        match old.get("activeDeadlineSeconds") {
            Some(v) => m.insert("activeDeadlineSeconds".into(), v.clone()),
            None => m.remove("activeDeadlineSeconds"),
        };
        let old_t = arr(old, "tolerations");
        let new_t: Vec<Value> = m
            .get("tolerations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if old_t.iter().all(|t| new_t.contains(t)) {
            match old.get("tolerations") {
                Some(v) => m.insert("tolerations".into(), v.clone()),
                None => m.remove("tolerations"),
            };
        }
        // Scheduling gates may only be removed (KEP-3521): this is how a
        // controller releases a gated pod to the scheduler.
        let old_g = arr(old, "schedulingGates");
        let new_g: Vec<Value> = m
            .get("schedulingGates")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if new_g.iter().all(|g| old_g.contains(g)) {
            match old.get("schedulingGates") {
                Some(v) => m.insert("schedulingGates".into(), v.clone()),
                None => m.remove("schedulingGates"),
            };
        }
        let old_grace = old
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64);
        let new_grace = m
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64);
        if old_grace.is_some_and(|g| g < 0) && new_grace == Some(1) {
            if let Some(g) = old.get("terminationGracePeriodSeconds") {
                m.insert("terminationGracePeriodSeconds".into(), g.clone());
            }
        }
    }
    if &candidate == old {
        return None;
    }
    Some(go_diff("core.PodSpec", old, &candidate))
}

/// The `cmp.Diff(old, new)` of two specs the apiserver appends to a
/// Forbidden update (simplified: whole changed top-level fields, JSON values).
fn go_diff(type_name: &str, old: &Value, new: &Value) -> String {
    let mut keys: Vec<String> = old
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys().cloned())
        .chain(new.as_object().into_iter().flat_map(|m| m.keys().cloned()))
        .collect();
    crate::sort::sort(&mut keys);
    keys.dedup();
    let mut out = format!("  {type_name}{{\n");
    for k in keys {
        let (a, b) = (old.get(&k), new.get(&k));
        if a == b {
            continue;
        }
        let go = go_field_name(&k);
        if let Some(a) = a {
            out.push_str(&format!("- \t{go}: {a},\n"));
        }
        if let Some(b) = b {
            out.push_str(&format!("+ \t{go}: {b},\n"));
        }
    }
    out.push_str("  }\n");
    out
}

fn go_field_name(json: &str) -> String {
    match json {
        "dnsPolicy" => "DNSPolicy".into(),
        "nodeName" => "NodeName".into(),
        "hostIPC" => "HostIPC".into(),
        "hostPID" => "HostPID".into(),
        other => crate::case::upper_first(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_formats() {
        expect_test::expect![[r#"
            ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
            ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
            ["must not contain dots"]
            ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
            ["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]
            ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
        "#]]
        .assert_debug_eq(&format_args!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            dns1123_subdomain("My_Pod"),
            dns1123_label("Web"),
            dns1123_label("a.b"),
            dns1035_label("1web"),
            qualified_name("bad key"),
            label_value("-x"),
        ));
        assert!(dns1123_subdomain("web.example-1").is_empty());
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity_milli("500m"), Some(500));
        assert_eq!(quantity_milli("2"), Some(2000));
        assert_eq!(quantity_milli("0.5"), Some(500));
        assert_eq!(quantity_milli("1Ki"), Some(1_024_000));
        assert_eq!(quantity_milli("1e3"), Some(1_000_000));
        assert_eq!(quantity_milli("abc"), None);
        assert_eq!(quantity_milli(""), None);
    }
}
