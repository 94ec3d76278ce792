//! Golden tests: what the apiserver stores for typical learner objects
//! after decoding, defaulting, admission and allocation (v1.33 defaults).

use super::ApiServer;
use crate::api::resolve;
use crate::clock::Time;
use serde_json::{json, Value};

fn create(api: &mut ApiServer, resource: &str, obj: Value) -> String {
    let Some(res) = resolve(resource).copied() else {
        return format!("no resource {resource}");
    };
    let ns = res.namespaced.then_some("default");
    match api.create(&res, ns, obj, Time::EPOCH) {
        Ok(v) => serde_json::to_string_pretty(&sorted(&v)).unwrap_or_default(),
        Err(e) => e.kubectl_text(),
    }
}

/// Keys sorted, as `kubectl get -o yaml` prints them.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            Value::Object(
                keys.into_iter()
                    .filter_map(|k| m.get(k).map(|v| (k.clone(), sorted(v))))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        v => v.clone(),
    }
}

fn api() -> ApiServer {
    let mut api = ApiServer::new(3);
    let _ = create(
        &mut api,
        "namespaces",
        json!({"metadata": {"name": "default"}}),
    );
    api
}

#[test]
fn pod_defaults() {
    let mut api = api();
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}],
            "livenessProbe": {"httpGet": {"port": 80}},
            "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}],
            "volumes": [{"name": "cfg", "configMap": {"name": "app"}}]}});
    expect_test::expect![[r#"
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "generation": 1,
            "name": "web",
            "namespace": "default",
            "resourceVersion": "3",
            "uid": "c5babc8a-9a5e-4277-ab7f-f817caf01bfc"
          },
          "spec": {
            "containers": [
              {
                "image": "nginx",
                "imagePullPolicy": "Always",
                "livenessProbe": {
                  "failureThreshold": 3,
                  "httpGet": {
                    "path": "/",
                    "port": 80,
                    "scheme": "HTTP"
                  },
                  "periodSeconds": 10,
                  "successThreshold": 1,
                  "timeoutSeconds": 1
                },
                "name": "web",
                "ports": [
                  {
                    "containerPort": 80,
                    "protocol": "TCP"
                  }
                ],
                "resources": {
                  "limits": {
                    "cpu": "500m",
                    "memory": "128Mi"
                  },
                  "requests": {
                    "cpu": "500m",
                    "memory": "128Mi"
                  }
                },
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "volumeMounts": [
                  {
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": "kube-api-access-hg5c2",
                    "readOnly": true
                  }
                ]
              }
            ],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
              {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "tolerationSeconds": 300
              },
              {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "tolerationSeconds": 300
              }
            ],
            "volumes": [
              {
                "configMap": {
                  "defaultMode": 420,
                  "name": "app"
                },
                "name": "cfg"
              },
              {
                "name": "kube-api-access-hg5c2",
                "projected": {
                  "defaultMode": 420,
                  "sources": [
                    {
                      "serviceAccountToken": {
                        "expirationSeconds": 3607,
                        "path": "token"
                      }
                    },
                    {
                      "configMap": {
                        "items": [
                          {
                            "key": "ca.crt",
                            "path": "ca.crt"
                          }
                        ],
                        "name": "kube-root-ca.crt"
                      }
                    },
                    {
                      "downwardAPI": {
                        "items": [
                          {
                            "fieldRef": {
                              "apiVersion": "v1",
                              "fieldPath": "metadata.namespace"
                            },
                            "path": "namespace"
                          }
                        ]
                      }
                    }
                  ]
                }
              }
            ]
          },
          "status": {
            "phase": "Pending",
            "qosClass": "Guaranteed"
          }
        }"#]]
    .assert_eq(&create(&mut api, "pods", pod));
}

#[test]
fn workload_defaults() {
    let mut api = api();
    let tmpl = json!({"metadata": {"labels": {"app": "x"}},
        "spec": {"containers": [{"name": "x", "image": "nginx:1.27"}]}});
    let sel = json!({"matchLabels": {"app": "x"}});
    let out = [
        create(
            &mut api,
            "deployments",
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "x"}, "spec": {"selector": sel, "template": tmpl}}),
        ),
        create(
            &mut api,
            "daemonsets",
            json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "x"}, "spec": {"selector": sel, "template": tmpl}}),
        ),
        create(
            &mut api,
            "statefulsets",
            json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "x"}, "spec": {"selector": sel, "template": tmpl, "serviceName": "x"}}),
        ),
    ];
    expect_test::expect![[r#"
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "generation": 1,
            "name": "x",
            "namespace": "default",
            "resourceVersion": "3",
            "uid": "c5babc8a-9a5e-4277-ab7f-f817caf01bfc"
          },
          "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 1,
            "revisionHistoryLimit": 10,
            "selector": {
              "matchLabels": {
                "app": "x"
              }
            },
            "strategy": {
              "rollingUpdate": {
                "maxSurge": "25%",
                "maxUnavailable": "25%"
              },
              "type": "RollingUpdate"
            },
            "template": {
              "metadata": {
                "creationTimestamp": null,
                "labels": {
                  "app": "x"
                }
              },
              "spec": {
                "containers": [
                  {
                    "image": "nginx:1.27",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "x",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "terminationGracePeriodSeconds": 30
              }
            }
          },
          "status": {}
        }
        ---
        {
          "apiVersion": "apps/v1",
          "kind": "DaemonSet",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "generation": 1,
            "name": "x",
            "namespace": "default",
            "resourceVersion": "4",
            "uid": "e2ae653d-07b4-4ee2-8eda-c7a04c2952dc"
          },
          "spec": {
            "revisionHistoryLimit": 10,
            "selector": {
              "matchLabels": {
                "app": "x"
              }
            },
            "template": {
              "metadata": {
                "creationTimestamp": null,
                "labels": {
                  "app": "x"
                }
              },
              "spec": {
                "containers": [
                  {
                    "image": "nginx:1.27",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "x",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "terminationGracePeriodSeconds": 30
              }
            },
            "updateStrategy": {
              "rollingUpdate": {
                "maxSurge": 0,
                "maxUnavailable": 1
              },
              "type": "RollingUpdate"
            }
          },
          "status": {
            "currentNumberScheduled": 0,
            "desiredNumberScheduled": 0,
            "numberMisscheduled": 0,
            "numberReady": 0
          }
        }
        ---
        {
          "apiVersion": "apps/v1",
          "kind": "StatefulSet",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "generation": 1,
            "name": "x",
            "namespace": "default",
            "resourceVersion": "5",
            "uid": "140bd1c3-ea20-43bb-86eb-bfe11e4b6337"
          },
          "spec": {
            "persistentVolumeClaimRetentionPolicy": {
              "whenDeleted": "Retain",
              "whenScaled": "Retain"
            },
            "podManagementPolicy": "OrderedReady",
            "replicas": 1,
            "revisionHistoryLimit": 10,
            "selector": {
              "matchLabels": {
                "app": "x"
              }
            },
            "serviceName": "x",
            "template": {
              "metadata": {
                "creationTimestamp": null,
                "labels": {
                  "app": "x"
                }
              },
              "spec": {
                "containers": [
                  {
                    "image": "nginx:1.27",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "x",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "terminationGracePeriodSeconds": 30
              }
            },
            "updateStrategy": {
              "rollingUpdate": {
                "partition": 0
              },
              "type": "RollingUpdate"
            }
          },
          "status": {
            "availableReplicas": 0,
            "replicas": 0
          }
        }"#]]
    .assert_eq(&out.join("\n---\n"));
}

#[test]
fn job_cronjob_service_namespace_defaults() {
    let mut api = api();
    let tmpl = json!({"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34"}]}});
    let out = [
        create(
            &mut api,
            "jobs",
            json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "pi"}, "spec": {"template": tmpl}}),
        ),
        create(
            &mut api,
            "cronjobs",
            json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "pi"}, "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": tmpl}}}}),
        ),
        create(
            &mut api,
            "services",
            json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web"}, "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]}}),
        ),
        create(
            &mut api,
            "namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}),
        ),
        create(
            &mut api,
            "secrets",
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "dg=="}}),
        ),
        create(
            &mut api,
            "persistentvolumeclaims",
            json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}),
        ),
        create(
            &mut api,
            "priorityclasses",
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000}),
        ),
    ];
    expect_test::expect![[r#"
        {
          "apiVersion": "batch/v1",
          "kind": "Job",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "generation": 1,
            "name": "pi",
            "namespace": "default",
            "resourceVersion": "3",
            "uid": "c5babc8a-9a5e-4277-ab7f-f817caf01bfc"
          },
          "spec": {
            "backoffLimit": 6,
            "completionMode": "NonIndexed",
            "completions": 1,
            "parallelism": 1,
            "podReplacementPolicy": "TerminatingOrFailed",
            "selector": {
              "matchLabels": {
                "batch.kubernetes.io/controller-uid": "c5babc8a-9a5e-4277-ab7f-f817caf01bfc"
              }
            },
            "suspend": false,
            "template": {
              "metadata": {
                "creationTimestamp": null,
                "labels": {
                  "batch.kubernetes.io/controller-uid": "c5babc8a-9a5e-4277-ab7f-f817caf01bfc",
                  "batch.kubernetes.io/job-name": "pi",
                  "controller-uid": "c5babc8a-9a5e-4277-ab7f-f817caf01bfc",
                  "job-name": "pi"
                }
              },
              "spec": {
                "containers": [
                  {
                    "image": "perl:5.34",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "pi",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": "Never",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "terminationGracePeriodSeconds": 30
              }
            }
          },
          "status": {}
        }
        ---
        {
          "apiVersion": "batch/v1",
          "kind": "CronJob",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "generation": 1,
            "name": "pi",
            "namespace": "default",
            "resourceVersion": "4",
            "uid": "e2ae653d-07b4-4ee2-8eda-c7a04c2952dc"
          },
          "spec": {
            "concurrencyPolicy": "Allow",
            "failedJobsHistoryLimit": 1,
            "jobTemplate": {
              "metadata": {
                "creationTimestamp": null
              },
              "spec": {
                "template": {
                  "metadata": {
                    "creationTimestamp": null
                  },
                  "spec": {
                    "containers": [
                      {
                        "image": "perl:5.34",
                        "imagePullPolicy": "IfNotPresent",
                        "name": "pi",
                        "resources": {},
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File"
                      }
                    ],
                    "dnsPolicy": "ClusterFirst",
                    "restartPolicy": "Never",
                    "schedulerName": "default-scheduler",
                    "securityContext": {},
                    "terminationGracePeriodSeconds": 30
                  }
                }
              }
            },
            "schedule": "*/1 * * * *",
            "successfulJobsHistoryLimit": 3,
            "suspend": false
          },
          "status": {}
        }
        ---
        {
          "apiVersion": "v1",
          "kind": "Service",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "name": "web",
            "namespace": "default",
            "resourceVersion": "5",
            "uid": "140bd1c3-ea20-43bb-86eb-bfe11e4b6337"
          },
          "spec": {
            "clusterIP": "10.98.252.29",
            "clusterIPs": [
              "10.98.252.29"
            ],
            "externalTrafficPolicy": "Cluster",
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": [
              "IPv4"
            ],
            "ipFamilyPolicy": "SingleStack",
            "ports": [
              {
                "nodePort": 30855,
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
              }
            ],
            "selector": {
              "app": "web"
            },
            "sessionAffinity": "None",
            "type": "NodePort"
          },
          "status": {
            "loadBalancer": {}
          }
        }
        ---
        {
          "apiVersion": "v1",
          "kind": "Namespace",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "labels": {
              "kubernetes.io/metadata.name": "dev"
            },
            "name": "dev",
            "resourceVersion": "6",
            "uid": "8301b8be-1499-4b3c-839a-10434b82fc48"
          },
          "spec": {
            "finalizers": [
              "kubernetes"
            ]
          },
          "status": {
            "phase": "Active"
          }
        }
        ---
        {
          "apiVersion": "v1",
          "data": {
            "k": "dg=="
          },
          "kind": "Secret",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "name": "s",
            "namespace": "default",
            "resourceVersion": "7",
            "uid": "39d34747-c01e-4bbf-a05e-091157e4a777"
          },
          "type": "Opaque"
        }
        ---
        {
          "apiVersion": "v1",
          "kind": "PersistentVolumeClaim",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "name": "data",
            "namespace": "default",
            "resourceVersion": "8",
            "uid": "e9223588-b458-4dd1-8a9b-b12f371ecafa"
          },
          "spec": {
            "accessModes": [
              "ReadWriteOnce"
            ],
            "resources": {
              "requests": {
                "storage": "1Gi"
              }
            },
            "volumeMode": "Filesystem"
          },
          "status": {
            "phase": "Pending"
          }
        }
        ---
        {
          "apiVersion": "scheduling.k8s.io/v1",
          "kind": "PriorityClass",
          "metadata": {
            "creationTimestamp": "2025-04-23T08:00:00Z",
            "name": "high",
            "resourceVersion": "9",
            "uid": "b3232434-e9fa-43a0-a69a-cbbf305a4b5b"
          },
          "preemptionPolicy": "PreemptLowerPriority",
          "value": 1000
        }"#]]
    .assert_eq(&out.join("\n---\n"));
}

#[test]
fn rejected_requests_change_nothing() {
    let mut api = api();
    let before = api.store().clone();
    let bad = [
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"containers": [{"name": "x", "image": "nginx", "foo": 1}]}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"priorityClassName": "nope", "containers": [{"name": "x", "image": "nginx"}]}}),
    ];
    let out: Vec<String> = bad
        .into_iter()
        .map(|b| create(&mut api, "pods", b))
        .collect();
    assert_eq!(api.store(), &before);
    expect_test::expect![[r#"
        Error from server (BadRequest): Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo"
        The Pod "x" is invalid: spec.containers: Required value
        Error from server (Forbidden): pods "x" is forbidden: no PriorityClass with name nope was found"#]].assert_eq(&out.join("\n"));
}

#[test]
fn pod_update_may_only_change_images() {
    let mut api = api();
    let Some(pods) = resolve("pods").copied() else {
        return;
    };
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
        "spec": {"containers": [{"name": "x", "image": "nginx"}]}});
    let created = api
        .create(&pods, Some("default"), pod, Time::EPOCH)
        .unwrap_or_default();
    let mut image = created.clone();
    crate::api::object::set(&mut image, "spec.containers", json!([]));
    if let Some(c) = created.pointer("/spec/containers/0").cloned() {
        let mut c = c;
        crate::api::object::set(&mut c, "image", json!("nginx:1.27"));
        crate::api::object::set(&mut image, "spec.containers", json!([c]));
    }
    assert!(api.update(&pods, Some("default"), image).is_ok());
    let current = api.get(&pods, Some("default"), "x").unwrap_or_default();
    let mut port = current.clone();
    if let Some(c) = port.pointer_mut("/spec/containers/0") {
        crate::api::object::set(c, "ports", json!([{"containerPort": 80}]));
    }
    let err = api
        .update(&pods, Some("default"), port)
        .err()
        .map(|e| e.kubectl_text());
    expect_test::expect![[r#"
        The Pod "x" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
          core.PodSpec{
        - 	Containers: [{"name":"x","image":"nginx:1.27","imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{},"volumeMounts":[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-hg5c2","readOnly":true}]}],
        + 	Containers: [{"name":"x","image":"nginx:1.27","imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{},"volumeMounts":[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-hg5c2","readOnly":true}],"ports":[{"containerPort":80,"protocol":"TCP"}]}],
          }
    "#]].assert_eq(&err.unwrap_or_default());
}

#[test]
fn bootstrap_objects_are_accepted() {
    let cluster = crate::cluster::Cluster::new(1);
    let Some(nodes) = resolve("nodes").copied() else {
        return;
    };
    let Some(ns) = resolve("namespaces").copied() else {
        return;
    };
    assert_eq!(cluster.apiserver.list(&ns, None).len(), 4);
    let listed = cluster.apiserver.list(&nodes, None);
    assert_eq!(listed.len(), 2);
    assert!(listed
        .iter()
        .all(|n| n.pointer("/status/conditions").is_some()));
}

/// Every other kind the engine serves, as `kubectl get -o yaml` would show
/// it right after `kubectl create -f` (what the v1.33 defaulters of
/// core/v1, apps/v1, discovery/v1, storage/v1, rbac/v1, autoscaling/v2,
/// networking/v1 and policy/v1 fill in, and the strategies' create-time
/// status and generation). Kinds without defaulters come back as sent.
#[test]
fn remaining_kinds_defaults() {
    let mut api = api();
    let tmpl = json!({"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}});
    let cases = [
        (
            "replicasets",
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": tmpl}}),
        ),
        (
            "replicationcontrollers",
            json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "web"},
            "spec": {"template": tmpl}}),
        ),
        (
            "endpoints",
            json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ext"},
            "subsets": [{"addresses": [{"ip": "192.168.1.10"}], "ports": [{"port": 5432}]}]}),
        ),
        (
            "endpointslices",
            json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "ext-1"},
            "addressType": "IPv4", "endpoints": [{"addresses": ["192.168.1.10"]}], "ports": [{"port": 5432}]}),
        ),
        (
            "configmaps",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"k": "v"}}),
        ),
        (
            "serviceaccounts",
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder"}}),
        ),
        (
            "resourcequotas",
            json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
            "spec": {"hard": {"pods": "2"}}}),
        ),
        (
            "limitranges",
            json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
            "spec": {"limits": [{"type": "Container", "max": {"cpu": "1"}, "min": {"memory": "64Mi"}}]}}),
        ),
        (
            "events",
            json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.1"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"}, "reason": "Test", "message": "m", "type": "Normal"}),
        ),
        (
            "leases",
            json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "l"},
            "spec": {"holderIdentity": "a", "leaseDurationSeconds": 15}}),
        ),
        (
            "persistentvolumes",
            json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/data"}}}),
        ),
        (
            "storageclasses",
            json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
            "provisioner": "kubernetes.io/no-provisioner"}),
        ),
        (
            "roles",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}),
        ),
        (
            "rolebindings",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "reader"},
            "roleRef": {"kind": "Role", "name": "reader"},
            "subjects": [{"kind": "User", "name": "jane"}, {"kind": "ServiceAccount", "name": "builder", "namespace": "default"}]}),
        ),
        (
            "clusterroles",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "node-reader"},
            "rules": [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["list"]}]}),
        ),
        (
            "clusterrolebindings",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "node-reader"},
            "roleRef": {"kind": "ClusterRole", "name": "node-reader"}, "subjects": [{"kind": "Group", "name": "ops"}]}),
        ),
        (
            "horizontalpodautoscalers",
            json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 5}}),
        ),
        (
            "horizontalpodautoscalers",
            json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "api"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "maxReplicas": 5,
                "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}}),
        ),
        (
            "networkpolicies",
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "db"},
            "spec": {"podSelector": {"matchLabels": {"app": "db"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 5432}]}],
                "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]}}),
        ),
        (
            "ingresses",
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
            "spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}),
        ),
        (
            "poddisruptionbudgets",
            json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}}),
        ),
    ];
    let out: Vec<String> = cases
        .into_iter()
        .map(|(resource, obj)| {
            let Some(res) = resolve(resource).copied() else {
                return format!("no resource {resource}");
            };
            let ns = res.namespaced.then_some("default");
            match api.create(&res, ns, obj, Time::EPOCH) {
                Ok(mut v) => {
                    // The uid is the seeded rng's; its shape is tested elsewhere.
                    v["metadata"]["uid"] = json!("…");
                    crate::yaml::to_string(&v)
                }
                Err(e) => e.kubectl_text(),
            }
        })
        .collect();
    expect_test::expect![[r#"
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          generation: 1
          name: web
          namespace: default
          resourceVersion: "3"
          uid: …
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              creationTimestamp: null
              labels:
                app: web
            spec:
              containers:
              - image: nginx:1.27
                imagePullPolicy: IfNotPresent
                name: web
                resources: {}
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
              dnsPolicy: ClusterFirst
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              terminationGracePeriodSeconds: 30
        status:
          replicas: 0
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          generation: 1
          labels:
            app: web
          name: web
          namespace: default
          resourceVersion: "4"
          uid: …
        spec:
          replicas: 1
          selector:
            app: web
          template:
            metadata:
              creationTimestamp: null
              labels:
                app: web
            spec:
              containers:
              - image: nginx:1.27
                imagePullPolicy: IfNotPresent
                name: web
                resources: {}
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
              dnsPolicy: ClusterFirst
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              terminationGracePeriodSeconds: 30
        status:
          replicas: 0
        ---
        apiVersion: v1
        kind: Endpoints
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: ext
          namespace: default
          resourceVersion: "5"
          uid: …
        subsets:
        - addresses:
          - ip: 192.168.1.10
          ports:
          - port: 5432
            protocol: TCP
        ---
        addressType: IPv4
        apiVersion: discovery.k8s.io/v1
        endpoints:
        - addresses:
          - 192.168.1.10
        kind: EndpointSlice
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          generation: 1
          name: ext-1
          namespace: default
          resourceVersion: "6"
          uid: …
        ports:
        - name: ""
          port: 5432
          protocol: TCP
        ---
        apiVersion: v1
        data:
          k: v
        kind: ConfigMap
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: cfg
          namespace: default
          resourceVersion: "7"
          uid: …
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: builder
          namespace: default
          resourceVersion: "8"
          uid: …
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: q
          namespace: default
          resourceVersion: "9"
          uid: …
        spec:
          hard:
            pods: "2"
        status:
          hard:
            pods: "2"
          used:
            pods: "0"
        ---
        apiVersion: v1
        kind: LimitRange
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: lr
          namespace: default
          resourceVersion: "10"
          uid: …
        spec:
          limits:
          - default:
              cpu: "1"
            defaultRequest:
              cpu: "1"
              memory: 64Mi
            max:
              cpu: "1"
            min:
              memory: 64Mi
            type: Container
        ---
        apiVersion: v1
        eventTime: null
        firstTimestamp: null
        involvedObject:
          kind: Pod
          name: web
          namespace: default
        kind: Event
        lastTimestamp: null
        message: m
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: web.1
          namespace: default
          resourceVersion: "11"
          uid: …
        reason: Test
        reportingComponent: ""
        reportingInstance: ""
        source: {}
        type: Normal
        ---
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: l
          namespace: default
          resourceVersion: "12"
          uid: …
        spec:
          holderIdentity: a
          leaseDurationSeconds: 15
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: pv1
          resourceVersion: "13"
          uid: …
        spec:
          accessModes:
          - ReadWriteOnce
          capacity:
            storage: 1Gi
          hostPath:
            path: /data
            type: ""
          persistentVolumeReclaimPolicy: Retain
          volumeMode: Filesystem
        status:
          lastPhaseTransitionTime: "2025-04-23T08:00:00Z"
          phase: Pending
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: fast
          resourceVersion: "14"
          uid: …
        provisioner: kubernetes.io/no-provisioner
        reclaimPolicy: Delete
        volumeBindingMode: Immediate
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: reader
          namespace: default
          resourceVersion: "15"
          uid: …
        rules:
        - apiGroups:
          - ""
          resources:
          - pods
          verbs:
          - get
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: reader
          namespace: default
          resourceVersion: "16"
          uid: …
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: reader
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: jane
        - apiGroup: ""
          kind: ServiceAccount
          name: builder
          namespace: default
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: node-reader
          resourceVersion: "17"
          uid: …
        rules:
        - apiGroups:
          - ""
          resources:
          - nodes
          verbs:
          - list
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: node-reader
          resourceVersion: "18"
          uid: …
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: node-reader
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: Group
          name: ops
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: web
          namespace: default
          resourceVersion: "19"
          uid: …
        spec:
          maxReplicas: 5
          metrics:
          - resource:
              name: cpu
              target:
                averageUtilization: 80
                type: Utilization
            type: Resource
          minReplicas: 1
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: web
        status:
          currentMetrics: null
          desiredReplicas: 0
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          name: api
          namespace: default
          resourceVersion: "20"
          uid: …
        spec:
          behavior:
            scaleDown:
              policies:
              - periodSeconds: 15
                type: Percent
                value: 100
              selectPolicy: Max
              stabilizationWindowSeconds: 60
            scaleUp:
              policies:
              - periodSeconds: 15
                type: Pods
                value: 4
              - periodSeconds: 15
                type: Percent
                value: 100
              selectPolicy: Max
              stabilizationWindowSeconds: 0
          maxReplicas: 5
          metrics:
          - resource:
              name: cpu
              target:
                averageUtilization: 80
                type: Utilization
            type: Resource
          minReplicas: 1
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: api
        status:
          currentMetrics: null
          desiredReplicas: 0
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          generation: 1
          name: db
          namespace: default
          resourceVersion: "21"
          uid: …
        spec:
          egress:
          - to:
            - ipBlock:
                cidr: 10.0.0.0/8
          ingress:
          - from:
            - podSelector:
                matchLabels:
                  app: web
            ports:
            - port: 5432
              protocol: TCP
          podSelector:
            matchLabels:
              app: db
          policyTypes:
          - Ingress
          - Egress
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          generation: 1
          name: web
          namespace: default
          resourceVersion: "22"
          uid: …
        spec:
          rules:
          - http:
              paths:
              - backend:
                  service:
                    name: web
                    port:
                      number: 80
                path: /
                pathType: Prefix
        status:
          loadBalancer: {}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          creationTimestamp: "2025-04-23T08:00:00Z"
          generation: 1
          name: web
          namespace: default
          resourceVersion: "23"
          uid: …
        spec:
          minAvailable: 1
          selector:
            matchLabels:
              app: web
        status:
          currentHealthy: 0
          desiredHealthy: 0
          disruptionsAllowed: 0
          expectedPods: 0
    "#]]
    .assert_eq(&out.join("---\n"));
}

/// `SetDefaults_NodeStatus` and the zero-valued structs of a Node as the
/// v1.33 apiserver serializes them: a bare `kubectl create -f` Node shows
/// `spec: {}`, `daemonEndpoints.kubeletEndpoint.Port: 0` and the empty
/// `nodeInfo` strings; a node registered with only `capacity` may allocate
/// all of it; a given `allocatable` stays.
#[test]
fn node_defaults() {
    let mut api = api();
    let Some(nodes) = resolve("nodes").copied() else {
        panic!("nodes are served");
    };
    let mut created = |body: Value| -> String {
        match api.create(&nodes, None, body, Time::EPOCH) {
            Ok(mut v) => {
                if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.remove("uid");
                    meta.remove("creationTimestamp");
                    meta.remove("resourceVersion");
                }
                crate::yaml::to_string(&v)
            }
            Err(e) => e.kubectl_text(),
        }
    };
    expect_test::expect![[r#"
        apiVersion: v1
        kind: Node
        metadata:
          name: node02
        spec: {}
        status:
          daemonEndpoints:
            kubeletEndpoint:
              Port: 0
          nodeInfo:
            architecture: ""
            bootID: ""
            containerRuntimeVersion: ""
            kernelVersion: ""
            kubeProxyVersion: ""
            kubeletVersion: ""
            machineID: ""
            operatingSystem: ""
            osImage: ""
            systemUUID: ""
    "#]]
    .assert_eq(&created(
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node02"}}),
    ));
    expect_test::expect![[r#"
        apiVersion: v1
        kind: Node
        metadata:
          labels:
            disk: ssd
          name: node03
        spec:
          podCIDR: 10.244.3.0/24
          podCIDRs:
          - 10.244.3.0/24
        status:
          allocatable:
            cpu: "2"
            memory: 4Gi
            pods: "110"
          capacity:
            cpu: "2"
            memory: 4Gi
            pods: "110"
          daemonEndpoints:
            kubeletEndpoint:
              Port: 0
          nodeInfo:
            architecture: ""
            bootID: ""
            containerRuntimeVersion: ""
            kernelVersion: ""
            kubeProxyVersion: ""
            kubeletVersion: ""
            machineID: ""
            operatingSystem: ""
            osImage: ""
            systemUUID: ""
    "#]]
    .assert_eq(&created(json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "node03", "labels": {"disk": "ssd"}},
        "spec": {"podCIDR": "10.244.3.0/24"},
        "status": {"capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"}}})));
    expect_test::expect![[r#"
        apiVersion: v1
        kind: Node
        metadata:
          name: node04
        spec: {}
        status:
          allocatable:
            cpu: 3800m
            memory: 7Gi
          capacity:
            cpu: "4"
            memory: 8Gi
          daemonEndpoints:
            kubeletEndpoint:
              Port: 10250
          nodeInfo:
            architecture: ""
            bootID: ""
            containerRuntimeVersion: ""
            kernelVersion: ""
            kubeProxyVersion: ""
            kubeletVersion: ""
            machineID: ""
            operatingSystem: ""
            osImage: ""
            systemUUID: ""
    "#]]
    .assert_eq(&created(json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "node04"},
        "status": {"capacity": {"cpu": "4", "memory": "8Gi"}, "allocatable": {"cpu": "3800m", "memory": "7Gi"},
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}}}})));
}
