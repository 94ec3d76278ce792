//! The manifests of a learner's study notes (`seeds/004_*.txt`, Korean CKA
//! notes; copied here with their line numbers), each with what a real
//! v1.33 `kubectl create -f FILE` prints for it. Server-side outcomes are
//! checked against this apiserver; client-side ones (YAML syntax, kinds the
//! RESTMapper does not know) are recorded for kubectl to implement and
//! checked only as far as the engine goes today (the YAML fails to parse /
//! no resource serves the kind).

use super::ApiServer;
use crate::api::{for_kind, resolve};
use crate::clock::Time;
use crate::yaml::parse_documents;
use serde_json::{json, Value};

/// Where the text comes from: the apiserver, or kubectl before any request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Server,
    /// kubectl's decoder or RESTMapper; not this module's, kept for the kubectl work.
    Client,
}

struct Case {
    /// `seeds/004:LINE` and what the mistake is.
    note: &'static str,
    yaml: &'static str,
    side: Side,
    /// What kubectl prints (file name `f.yaml`), or `created` for success.
    expected: &'static str,
}

const FILE: &str = "f.yaml";

fn cases() -> Vec<Case> {
    vec![
        Case {
            note: "002:81 a first Pod",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx-pod\nspec:\n  containers:\n   - name: nginx-container\n     image: nginx:1.14\n",
            side: Side::Server,
            expected: "pod/nginx-pod created",
        },
        Case {
            note: "004:367 ReplicationController: the pod spec indented under template.metadata",
            yaml: "apiVersion: v1\nkind: ReplicationController \nmetadata:\n  name: myaap-rc\n  labels:\n    app: myapp\n    type: front-end\nspec:\n  template: \n    metadata:\n      name: myapp-pod\n      labels:\n        app: myapp\n        type: front-end\n      spec:\n        containers:\n        - name: nginx-container\n          image: nginx\n  replicas:  3\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": ReplicationController in version "v1" cannot be handled as a ReplicationController: strict decoding error: unknown field "spec.template.metadata.spec""#,
        },
        Case {
            note: "004:446 ReplicaSet without selector, pod spec under template.metadata (decoding fails first)",
            yaml: "apiVersion: apps/v1\nkind: ReplicaSet \nmetadata:\n  name: myaap-replicaset\n  labels:\n    app: myapp\n    type: front-end\nspec:\n  template: \n    metadata:\n      name: myapp-pod\n      labels:\n        app: myapp\n        type: front-end\n      spec:\n        containers:\n        - name: nginx-container\n          image: nginx\n  replicas:  3\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": ReplicaSet in version "v1" cannot be handled as a ReplicaSet: strict decoding error: unknown field "spec.template.metadata.spec""#,
        },
        Case {
            note: "004:446 fixed indentation, still no selector",
            yaml: "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: myaap-replicaset\nspec:\n  template:\n    metadata:\n      labels:\n        app: myapp\n    spec:\n      containers:\n      - name: nginx-container\n        image: nginx\n  replicas: 3\n",
            side: Side::Server,
            expected: "The ReplicaSet \"myaap-replicaset\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"myapp\"}: `selector` does not match template `labels`",
        },
        Case {
            note: "004:477 fixed indentation, selector type: back-end against template type: front-end",
            yaml: "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: myaap-replicaset\nspec:\n  template:\n    metadata:\n      labels:\n        app: myapp\n        type: front-end\n    spec:\n      containers:\n      - name: nginx-container\n        image: nginx\n  replicas: 3\n  selector:\n    matchLabels:\n      type: back-end\n",
            side: Side::Server,
            expected: "The ReplicaSet \"myaap-replicaset\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"myapp\", \"type\":\"front-end\"}: `selector` does not match template `labels`",
        },
        Case {
            note: "004:652 Deployment: pod spec under template.metadata",
            yaml: "apiVersion: apps/v1\nkind: Deployment \nmetadata:\n  name: myaap-deployment\nspec:\n  replicas:  3\n  selector: \n    matchLabels:\n      type: front-end\n  template: \n    metadata:\n      name: myapp-pod\n      labels:\n        app: myapp\n        type: front-end\n      spec:\n        containers:\n        - name: nginx-container\n          image: nginx\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.metadata.spec""#,
        },
        Case {
            note: "004:652 fixed indentation: the template has no containers",
            yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myaap-deployment\nspec:\n  selector:\n    matchLabels:\n      type: front-end\n  template:\n    metadata:\n      labels:\n        type: front-end\n    spec: {}\n",
            side: Side::Server,
            expected: r#"The Deployment "myaap-deployment" is invalid: spec.template.spec.containers: Required value"#,
        },
        Case {
            note: "004:720 NodePort Service with nodePort 30008",
            yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: myapp-service\nspec:\n  type: NodePort\n  ports:\n  - targetPort: 80\n    port: 80\n    nodePort: 30008\n  selector:\n    app: myapp\n    type: front-end\n",
            side: Side::Server,
            expected: "service/myapp-service created",
        },
        Case {
            note: "004:775 `nodePort:30008` without a space: not a key, a YAML syntax error (kubectl's text; line number not verified)",
            yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: back-end\nspec:\n  type: LoadBalancer\n  ports:\n  - targetPort: 80\n    port: 80\n    nodePort:30008\n",
            side: Side::Client,
            expected: "error: error parsing f.yaml: error converting YAML to JSON: yaml: line 11: could not find expected ':'",
        },
        Case {
            note: "004:813 label `type` indented one space more: a YAML syntax error (kubectl's text; line number not verified)",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata: \n  name: myapp-pod\n  namespace: dev\n  labels:\n    app: myapp\n     type: front-end\nspec:\n  containers:\n  - name: nginx-container\n    image: nginx\n",
            side: Side::Client,
            expected: "error: error parsing f.yaml: error converting YAML to JSON: yaml: line 8: mapping values are not allowed in this context",
        },
        Case {
            note: "004:813 fixed indentation, namespace dev not created yet (NamespaceLifecycle)",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp-pod\n  namespace: dev\n  labels:\n    app: myapp\n    type: front-end\nspec:\n  containers:\n  - name: nginx-container\n    image: nginx\n",
            side: Side::Server,
            expected: r#"Error from server (NotFound): error when creating "f.yaml": namespaces "dev" not found"#,
        },
        Case {
            note: "004:962 Pod with a toleration",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp-pod\nspec:\n  containers: \n  - name: nginx-container\n    image: nginx\n  tolerations:\n  - key: \"app\"\n    operator: \"Equal\"\n    value: \"blue\"\n    effect: \"NoSchedule\"\n",
            side: Side::Server,
            expected: "pod/myapp-pod created",
        },
        Case {
            note: "004:1050 Deployment with node affinity",
            yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: blue\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      run: nginx\n  template:\n    metadata:\n      labels:\n        run: nginx\n    spec:\n      containers:\n      - image: nginx\n        imagePullPolicy: Always\n        name: nginx\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: color\n                operator: In\n                values:\n                - blue\n",
            side: Side::Server,
            expected: "deployment.apps/blue created",
        },
        Case {
            note: "004:1118 `cotainerPort` misspelled",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: simple-webapp-color\nspec:\n  containers: \n  - name: simple-webapp-color\n    image: simple-webapp-color\n    ports:\n      - cotainerPort: 8080\n    resources:\n      requests:\n        memory: \"4Gi\"\n        cpu: 2\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].ports[0].cotainerPort""#,
        },
        Case {
            note: "004:1143 misspelled port, with limits",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: simple-webapp-color\nspec:\n  containers: \n  - name: simple-webapp-color\n    image: simple-webapp-color\n    ports:\n      - cotainerPort: 8080\n    resources:\n      requests:\n        memory: \"1Gi\"\n        cpu: 1\n      limits:\n        memory: \"4Gi\"\n        cpu: 2\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].ports[0].cotainerPort""#,
        },
        Case {
            note: "004:1173 LimitRange",
            yaml: "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: cpu-resource-constraint\nspec:\n  limits:\n  - default:\n      cpu: 500m\n    defaultRequest:\n      cpu: 500m\n    max:\n      cpu: \"1\"\n    min:\n      cpu: 100m\n    type: Container\n",
            side: Side::Server,
            expected: "limitrange/cpu-resource-constraint created",
        },
        Case {
            note: "004:1222 DaemonSet: template indented under selector",
            yaml: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: monitoring-deamon\nspec:\n  selector:\n    matchLabels:\n      app: monitoring-agent\n    template:\n      metadata:\n        labels:\n          app: monitoring-agent\n      spec:\n        containers:\n        - name: monitoring-agent\n          image: monitoring-agent\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.selector.template""#,
        },
        Case {
            note: "004:1603 Secret with plain text under data (not base64)",
            yaml: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\ndata:\n  DB_Host: mysql\n  DB_User: root\n  DB_Password: passwd\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4"#,
        },
        Case {
            note: "004:1681 Pod with an init container",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-green\n  labels:\n    name: webapp-green\nspec:\n  containers:\n  - name: simple-webapp\n    image: kodekloud/webapp-color\n    ports:\n    - containerPort: 8080\n  initContainers:\n  - command:\n    - sh\n    - -c\n    - sleep 600\n    image: busybox:1.28\n    name: warm-up-1\n",
            side: Side::Server,
            expected: "pod/webapp-green created",
        },
        Case {
            note: "004:247 notes `ReplicaSet : apps/v1`; with `apiVersion: v1` kubectl's RESTMapper finds no kind",
            yaml: "apiVersion: v1\nkind: ReplicaSet\nmetadata:\n  name: myapp-replicaset\nspec:\n  selector:\n    matchLabels:\n      app: myapp\n  template:\n    metadata:\n      labels:\n        app: myapp\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n",
            side: Side::Client,
            expected: "error: resource mapping not found for name: \"myapp-replicaset\" namespace: \"\" from \"f.yaml\": no matches for kind \"ReplicaSet\" in version \"v1\"\nensure CRDs are installed first",
        },
        Case {
            note: "lower-case kind",
            yaml: "apiVersion: apps/v1\nkind: replicaset\nmetadata:\n  name: myapp-replicaset\n",
            side: Side::Client,
            expected: "error: resource mapping not found for name: \"myapp-replicaset\" namespace: \"\" from \"f.yaml\": no matches for kind \"replicaset\" in version \"apps/v1\"\nensure CRDs are installed first",
        },
        Case {
            note: "a Job without restartPolicy (defaulted to Always, which Jobs refuse)",
            yaml: "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: perl\n",
            side: Side::Server,
            expected: "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
        },
        Case {
            note: "an upper-case Pod name and a missing image",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: My_Pod\nspec:\n  containers:\n  - name: web\n",
            side: Side::Server,
            expected: "The Pod \"My_Pod\" is invalid: \n* metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n* spec.containers[0].image: Required value",
        },
        Case {
            note: "containerPort as a string",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: \"80\"\n",
            side: Side::Server,
            expected: r#"Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"#,
        },
        Case {
            note: "004:749 ClusterIP Service back-end",
            yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: back-end\nspec:\n  type: ClusterIP\n  ports:\n  - targetPort: 80\n    port: 80\n  selector:\n    app: myapp\n    type: back-end\n",
            side: Side::Server,
            expected: "service/back-end created",
        },
        Case {
            note: "004:831 Namespace dev",
            yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n",
            side: Side::Server,
            expected: "namespace/dev created",
        },
        Case {
            note: "004:853 ResourceQuota in dev before dev exists (NamespaceLifecycle)",
            yaml: "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute-quota\n  namespace: dev\nspec:\n  hard:\n    pods: \"10\"\n    requests.cpu: \"4\"\n    requests.memory: 5Gi\n    limits.cpu: \"10\"\n    limits.memory: 10Gi\n",
            side: Side::Server,
            expected: "Error from server (NotFound): error when creating \"f.yaml\": namespaces \"dev\" not found",
        },
        Case {
            note: "004:997 Pod with a nodeSelector",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp-pod\nspec:\n  containers: \n  - name: data-processor\n    image: data-processor\n  nodeSelector:\n    size: Large #이거 Large는 노드에 레이블로 size=Large이렇게 붙여진거임\n",
            side: Side::Server,
            expected: "pod/myapp-pod created",
        },
        Case {
            note: "004:1031 Pod with node affinity operator Exists",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp-pod\nspec:\n  containers: \n  - name: data-processor\n    image: data-processor\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - key: size\n            operator: Exists\n",
            side: Side::Server,
            expected: "pod/myapp-pod created",
        },
        Case {
            note: "004:1190 LimitRange for memory",
            yaml: "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: memory-resource-constraint\nspec:\n  limits:\n  - default:\n      memory: 1Gi\n    defaultRequest:\n      memory: 1Gi\n    max:\n      memory: 1Gi\n    min:\n      memory: 500Mi\n    type: Container\n",
            side: Side::Server,
            expected: "limitrange/memory-resource-constraint created",
        },
        Case {
            note: "004:1442 Pod with a command",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ubuntu-sleeper-2\nspec:\n  containers:\n  - name: ubuntu\n    image: ubuntu\n    command:\n    - sleep\n    - \"5000\"\n",
            side: Side::Server,
            expected: "pod/ubuntu-sleeper-2 created",
        },
        Case {
            note: "004:1458 command with a typo (`pyhton`): accepted, fails only at run time",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-green\n  labels:\n    name: webapp-green\nspec:\n  containers:\n  - name: simple-webapp\n    image: kodekloud/webapp-color\n    command: [\"pyhton\",\"app.py\"]\n    args: [\"--color\", \"pink\"]\n",
            side: Side::Server,
            expected: "pod/webapp-green created",
        },
        Case {
            note: "004:1483 Pod with env",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-green\n  labels:\n    name: webapp-green\nspec:\n  containers:\n  - name: simple-webapp\n    image: kodekloud/webapp-color\n    ports:\n    - containerPort: 8080\n    env:   ###----------------------------이게 환경변수 부분임\n    - name: APP_COLOR\n      value: pink\n",
            side: Side::Server,
            expected: "pod/webapp-green created",
        },
        Case {
            note: "004:1503 envFrom configMapRef with the notes' placeholder name",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-green\n  labels:\n    name: webapp-green\nspec:\n  containers:\n  - name: simple-webapp\n    image: kodekloud/webapp-color\n    ports:\n      - containerPort: 8080\n    envFrom:   ###----------------------------이게 환경변수 부분임\n      - configMapRef:\n          name: <configmap 이름>\n",
            side: Side::Server,
            expected: "The Pod \"webapp-green\" is invalid: spec.containers[0].envFrom[0].configMapRef.name: Invalid value: \"<configmap 이름>\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        },
        Case {
            note: "004:1524 envFrom secretRef with the notes' placeholder name",
            yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-green\n  labels:\n    name: webapp-green\nspec:\n  containers:\n  - name: simple-webapp\n    image: kodekloud/webapp-color\n    ports:\n    - containerPort: 8080\n    envFrom:   ###----------------------------이게 환경변수 부분임\n    - secretRef:\n        name: <시크릿이름>\n",
            side: Side::Server,
            expected: "The Pod \"webapp-green\" is invalid: spec.containers[0].envFrom[0].secretRef.name: Invalid value: \"<시크릿이름>\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        },
        Case {
            note: "004:1576 ConfigMap app-config",
            yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n",
            side: Side::Server,
            expected: "configmap/app-config created",
        },
    ]
}

/// What `kubectl create -f f.yaml` would print against a fresh cluster.
fn kubectl_create(yaml: &str) -> String {
    let docs = match parse_documents(yaml) {
        Ok(d) => d,
        // kubectl's text, checked against kubectl 1.33 (`create -f --dry-run=client`).
        Err(e) => {
            return format!("error: error parsing {FILE}: error converting YAML to JSON: yaml: {e}")
        }
    };
    let Some(obj) = docs.into_iter().next() else {
        return "<no objects>".into();
    };
    let text = |p: &str| {
        obj.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (av, kind, name) = (text("/apiVersion"), text("/kind"), text("/metadata/name"));
    let ns = obj
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    let Some(res) = for_kind(&av, &kind) else {
        return format!(
            "error: resource mapping not found for name: \"{name}\" namespace: \"\" from \"{FILE}\": no matches for kind \"{kind}\" in version \"{av}\"\nensure CRDs are installed first"
        );
    };
    let mut api = ApiServer::new(7);
    if let Some(ns) = resolve("namespaces") {
        let _ = api.create(
            ns,
            None,
            json!({"metadata": {"name": "default"}}),
            Time::EPOCH,
        );
    }
    match api.create(res, Some(&ns), obj, Time::EPOCH) {
        Ok(_) => format!(
            "{}/{name} created",
            if res.group.is_empty() {
                res.singular.to_string()
            } else {
                format!("{}.{}", res.singular, res.group)
            }
        ),
        // kubectl's AddSourceToErr; Invalid errors print from their details.
        Err(e @ super::ApiError::Invalid { .. }) => e.kubectl_text(),
        Err(e) => format!(
            "Error from server ({}): error when creating \"{FILE}\": {}",
            e.reason(),
            e.message()
        ),
    }
}

#[test]
fn seed_manifests_give_the_real_messages() {
    let mut failures = Vec::new();
    for case in cases() {
        let got = kubectl_create(case.yaml);
        let ok = match case.side {
            Side::Server => got == case.expected,
            Side::Client => got == case.expected,
        };
        if !ok {
            failures.push(format!(
                "{}\n  expected: {}\n  got:      {}",
                case.note, case.expected, got
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
