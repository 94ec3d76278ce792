//! The real typed round trip through k8s-openapi's compiled types, as the
//! decoder did before `schema.rs`: the differential tests below hold the
//! table-driven round trip to it, error for error.

use super::{decode_with, Path, Seg};
use serde_json::Value;

/// Renders `work` with one key per line, decodes it with serde_json as the
/// typed struct, encodes it back; an error is mapped to the field on the
/// line serde_json names.
///
/// Timestamps are Go's, not jiff's (which k8s-openapi's types parse with):
/// before the typed decoding each timestamp string is replaced by one jiff
/// takes (Go takes it) or one it refuses (Go refuses it), and an error at
/// a refused one is given Go's text. `go_time_tests.rs` holds Go's
/// acceptance and texts to kubectl's; this test holds the rest.
fn typed(api_version: &str, kind: &str, work: &Value) -> Option<Result<Value, (Path, String)>> {
    let mut work = work.clone();
    let mut refused = Vec::new();
    static FIELDS: std::sync::OnceLock<Vec<(&str, &str)>> = std::sync::OnceLock::new();
    let fields = FIELDS.get_or_init(timestamp_fields);
    go_timestamps(&mut work, &mut Vec::new(), fields, &mut refused);
    let (text, lines) = render(&work);
    let result = roundtrip(api_version, kind, &text)?;
    Some(result.map_err(|e| {
        let line = e.line().saturating_sub(1);
        let path = lines.get(line).cloned().unwrap_or_default();
        match refused.iter().find(|(p, _)| *p == path) {
            Some((_, go)) => (path, go.clone()),
            None => (path, strip_position(&e.to_string())),
        }
    }))
}

/// Field names whose values are timestamps (and their Go layouts), from
/// the schema table; `disruptedPods` is a map of them.
fn timestamp_fields() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    let mut other = Vec::new();
    for line in include_str!("schema.txt").lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if let ["F", name, shape] = cols.as_slice() {
            let layout = match shape.trim_start_matches(['?', '!']) {
                "Time" | "{}Time" => super::go_time::RFC3339,
                "MicroTime" => super::go_time::RFC3339_MICRO,
                _ => {
                    other.push(*name);
                    continue;
                }
            };
            if !out.contains(&(*name, layout)) {
                out.push((*name, layout));
            }
        }
    }
    // A name is a timestamp everywhere or nowhere, so the name decides.
    for (name, _) in &out {
        assert!(!other.contains(name), "{name} is not always a timestamp");
    }
    out
}

fn go_timestamps(
    v: &mut Value,
    path: &mut Path,
    fields: &[(&str, &str)],
    refused: &mut Vec<(Path, String)>,
) {
    fn check(s: &mut String, path: &Path, layout: &str, refused: &mut Vec<(Path, String)>) {
        match super::go_time::parse(layout, s) {
            Ok(()) => *s = "2025-04-23T08:00:00Z".into(),
            Err(e) => {
                refused.push((path.clone(), e));
                *s = "refused by Go".into();
            }
        }
    }
    match v {
        Value::Object(m) => {
            for (k, c) in m.iter_mut() {
                path.push(Seg::Key(k.clone()));
                match (fields.iter().find(|(n, _)| n == k), c) {
                    (Some(("disruptedPods", layout)), Value::Object(members)) => {
                        for (pod, t) in members.iter_mut() {
                            if let Value::String(s) = t {
                                path.push(Seg::Key(pod.clone()));
                                check(s, path, layout, refused);
                                path.pop();
                            }
                        }
                    }
                    (Some((_, layout)), Value::String(s)) => check(s, path, layout, refused),
                    (_, c) => go_timestamps(c, path, fields, refused),
                }
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter_mut().enumerate() {
                path.push(Seg::Index(i));
                go_timestamps(c, path, fields, refused);
                path.pop();
            }
        }
        _ => {}
    }
}

/// serde_json appends ` at line L column C`; the text before it.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(msg).to_string(),
        None => msg.to_string(),
    }
}

/// JSON with one key or element per line, keys sorted; `lines[n]` is the
/// path of what line `n + 1` holds (a closing brace: its object's path).
fn render(v: &Value) -> (String, Vec<Path>) {
    let mut out = String::new();
    let mut lines = vec![Vec::new()];
    let mut path = Vec::new();
    render_into(v, &mut path, &mut out, &mut lines);
    (out, lines)
}

fn newline(out: &mut String, lines: &mut Vec<Path>, path: &Path) {
    out.push('\n');
    lines.push(path.clone());
}

fn render_into(v: &Value, path: &mut Path, out: &mut String, lines: &mut Vec<Path>) {
    match v {
        Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            for (n, k) in keys.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                path.push(Seg::Key((*k).clone()));
                newline(out, lines, path);
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(child) = m.get(*k) {
                    render_into(child, path, out, lines);
                }
                path.pop();
            }
            newline(out, lines, path);
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, child) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.push(Seg::Index(i));
                newline(out, lines, path);
                render_into(child, path, out, lines);
                path.pop();
            }
            newline(out, lines, path);
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Decodes `text` as the typed k8s-openapi struct of the kind and encodes
/// it back; `None` for kinds without a schema here.
fn roundtrip(
    api_version: &str,
    kind: &str,
    text: &str,
) -> Option<Result<Value, serde_json::Error>> {
    use k8s_openapi::api::{
        apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch,
        certificates::v1 as certificates, coordination::v1 as coordination, core::v1 as core,
        discovery::v1 as discovery, networking::v1 as networking, policy::v1 as policy,
        rbac::v1 as rbac, scheduling::v1 as scheduling, storage::v1 as storage,
    };
    fn rt<T: serde::de::DeserializeOwned + serde::Serialize>(
        text: &str,
    ) -> Result<Value, serde_json::Error> {
        let typed: T = serde_json::from_str(text)?;
        serde_json::to_value(typed)
    }
    macro_rules! kinds {
        ($( $av:literal $k:literal => $t:ty ),* $(,)?) => {
            match (api_version, kind) {
                $( ($av, $k) => Some(rt::<$t>(text)), )*
                _ => None,
            }
        };
    }
    kinds! {
        "v1" "Pod" => core::Pod,
        "autoscaling/v1" "HorizontalPodAutoscaler" => k8s_openapi::api::autoscaling::v1::HorizontalPodAutoscaler,
        "v1" "ConfigMap" => core::ConfigMap,
        "v1" "Secret" => core::Secret,
        "v1" "Service" => core::Service,
        "v1" "Namespace" => core::Namespace,
        "v1" "Node" => core::Node,
        "v1" "ServiceAccount" => core::ServiceAccount,
        "v1" "PersistentVolume" => core::PersistentVolume,
        "v1" "PersistentVolumeClaim" => core::PersistentVolumeClaim,
        "v1" "ReplicationController" => core::ReplicationController,
        "v1" "LimitRange" => core::LimitRange,
        "v1" "ResourceQuota" => core::ResourceQuota,
        "v1" "Endpoints" => core::Endpoints,
        "v1" "Event" => core::Event,
        "v1" "PodTemplate" => core::PodTemplate,
        "apps/v1" "Deployment" => apps::Deployment,
        "apps/v1" "ReplicaSet" => apps::ReplicaSet,
        "apps/v1" "DaemonSet" => apps::DaemonSet,
        "apps/v1" "StatefulSet" => apps::StatefulSet,
        "apps/v1" "ControllerRevision" => apps::ControllerRevision,
        "batch/v1" "Job" => batch::Job,
        "batch/v1" "CronJob" => batch::CronJob,
        "autoscaling/v2" "HorizontalPodAutoscaler" => autoscaling::HorizontalPodAutoscaler,
        "certificates.k8s.io/v1" "CertificateSigningRequest" => certificates::CertificateSigningRequest,
        "coordination.k8s.io/v1" "Lease" => coordination::Lease,
        "discovery.k8s.io/v1" "EndpointSlice" => discovery::EndpointSlice,
        "networking.k8s.io/v1" "Ingress" => networking::Ingress,
        "networking.k8s.io/v1" "IngressClass" => networking::IngressClass,
        "networking.k8s.io/v1" "NetworkPolicy" => networking::NetworkPolicy,
        "policy/v1" "PodDisruptionBudget" => policy::PodDisruptionBudget,
        "rbac.authorization.k8s.io/v1" "Role" => rbac::Role,
        "rbac.authorization.k8s.io/v1" "ClusterRole" => rbac::ClusterRole,
        "rbac.authorization.k8s.io/v1" "RoleBinding" => rbac::RoleBinding,
        "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" => rbac::ClusterRoleBinding,
        "scheduling.k8s.io/v1" "PriorityClass" => scheduling::PriorityClass,
        "storage.k8s.io/v1" "StorageClass" => storage::StorageClass,
    }
}

/// Objects to mutate: what a cluster stores (with status, times,
/// quantities), the labs' manifests and the apply fuzzer's corpus.
fn corpus() -> Vec<Value> {
    let mut out = Vec::new();
    let mut sim = crate::Simulation::new(7);
    sim.run_script(
        "kubectl create deployment web --image=nginx --replicas=2\n\
         kubectl expose deployment web --port=80\n\
         kubectl create job j --image=busybox -- sleep 1\n\
         kubectl create cronjob c --image=busybox --schedule='* * * * *' -- date\n\
         kubectl create secret generic s --from-literal=a=b\n\
         kubectl create configmap m --from-literal=a=b\n\
         kubectl autoscale deployment web --max=3\n\
         kubectl create role r --verb=get --resource=pods\n\
         kubectl create rolebinding rb --role=r --user=u\n\
         kubectl create ingress i --rule=a.com/=web:80\n\
         kubectl create pdb p --selector=app=web --min-available=1\n\
         kubectl create priorityclass pc --value=10\n\
         sleep 30\n",
        false,
    );
    let list = sim
        .run("kubectl get all,nodes,secrets,configmaps,roles,rolebindings,clusterroles,ingress,pdb,priorityclass,storageclass,sa,ev,lease,csr,networkpolicy,endpoints,endpointslices,controllerrevisions,limitrange,resourcequota,pv,pvc -A -o json\n")
        .stdout();
    if let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(&list) {
        if let Some(Value::Array(items)) = m.remove("items") {
            out.extend(items);
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["labs/scenarios", "fuzz/corpus/apply"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(entries.flatten().map(|e| e.path()));
        }
    }
    crate::sort::sort(&mut files);
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // Lab files hold manifests in `setup:`/`solution:` scripts; take
        // every YAML document that parses as an object with a kind.
        for chunk in [text.clone(), text.chars().skip(1).collect()] {
            if let Ok(docs) = crate::yaml::parse_documents(&chunk) {
                out.extend(docs.into_iter().filter(|d| d.get("kind").is_some()));
            }
        }
    }
    out
}

fn same(body: &Value) -> Result<(), String> {
    let got = decode_with(body, super::schema::roundtrip);
    let want = decode_with(body, typed);
    if got == want {
        Ok(())
    } else {
        Err(format!("{body}\n  schema: {got:?}\n  typed:  {want:?}"))
    }
}

/// Every place in `v`: the paths of all values under it.
fn paths(v: &Value, path: &mut Path, out: &mut Vec<Path>) {
    out.push(path.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                path.push(Seg::Key(k.clone()));
                paths(c, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                paths(c, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[test]
fn schema_round_trip_matches_the_typed_one() {
    let corpus = corpus();
    assert!(corpus.len() > 100, "corpus of {} objects", corpus.len());
    let wrong: Vec<Value> = serde_json::from_str(
        r#"[null, "x", "", "12Mi", "2025-04-23T08:00:00Z", "ab==", 1, -1, 3000000000, 1.5, 2.0, true,
            [], ["x"], [1], [null], {}, {"a": 1}, {"a": "b"}, {"name": "n", "x": null}]"#,
    )
    .unwrap_or_default();
    let mut failures = Vec::new();
    let mut checked = 0;
    for body in &corpus {
        if let Err(e) = same(body) {
            failures.push(e);
        }
        let mut all = Vec::new();
        paths(body, &mut Vec::new(), &mut all);
        for path in all.iter().skip(1) {
            // apiVersion and kind choose the type; the decoder never sees them wrong.
            if matches!(path.as_slice(), [Seg::Key(k)] if k == "apiVersion" || k == "kind") {
                continue;
            }
            for w in &wrong {
                let mut b = body.clone();
                if let Some(slot) = super::at_mut(&mut b, path) {
                    *slot = w.clone();
                }
                checked += 1;
                if let Err(e) = same(&b) {
                    failures.push(e);
                }
            }
            // An unknown field beside every field.
            let mut b = body.clone();
            if let Some(Value::Object(m)) = super::at_mut(&mut b, &path[..path.len() - 1]) {
                m.insert("zzUnknown".into(), Value::from(1));
                m.insert("AUnknown".into(), serde_json::json!({"x": [1]}));
            }
            checked += 1;
            if let Err(e) = same(&b) {
                failures.push(e);
            }
        }
    }
    assert!(checked > 10_000, "{checked} bodies checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ; first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn nesting_limit_as_serde_json() {
    // Around serde_json's limit of 128 nested arrays and objects, in a
    // field taken as it is, in an unknown field and in a typed one.
    for n in [124, 125, 126, 127, 128, 130] {
        let mut deep = Value::from(1);
        for _ in 0..n {
            deep = Value::Array(vec![deep]);
        }
        for field in ["data", "unknown", "metadata"] {
            let mut body = serde_json::json!({"apiVersion": "apps/v1", "kind": "ControllerRevision",
                "metadata": {"name": "x"}, "revision": 1});
            if let Some(m) = body.as_object_mut() {
                m.insert(field.into(), deep.clone());
            }
            assert_eq!(same(&body), Ok(()), "{n} {field}");
        }
    }
}
