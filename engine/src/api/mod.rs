//! The API's vocabulary: which resources exist, what they are called, where
//! they live in etcd. One table, read by the apiserver (storage paths),
//! kubectl (names, short names, `api-resources`) and completion.

pub mod object;
pub mod selector;

/// One served resource, as discovery describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resource {
    /// Lower-case plural, the URL segment: `pods`.
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    /// `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    /// The etcd prefix the real apiserver writes under `/registry/`.
    pub etcd_prefix: &'static str,
    pub verbs: &'static [&'static str],
    /// Categories (`all` for `kubectl get all`).
    pub categories: &'static [&'static str],
}

impl Resource {
    /// `v1` or `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `pods` or `deployments.apps`: how kubectl names the resource in messages.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The etcd key of an object: `/registry/pods/default/web`.
    pub fn key(&self, namespace: Option<&str>, name: &str) -> String {
        match (self.namespaced, namespace) {
            (true, Some(ns)) => format!("/registry/{}/{}/{}", self.etcd_prefix, ns, name),
            _ => format!("/registry/{}/{}", self.etcd_prefix, name),
        }
    }

    /// The etcd prefix holding every object of this resource (in one namespace, if given).
    pub fn prefix(&self, namespace: Option<&str>) -> String {
        match (self.namespaced, namespace) {
            (true, Some(ns)) => format!("/registry/{}/{}/", self.etcd_prefix, ns),
            _ => format!("/registry/{}/", self.etcd_prefix),
        }
    }
}

const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const ALL: &[&str] = &["all"];

macro_rules! resources {
    ($( $plural:literal $singular:literal [$($short:literal),*] $group:literal $version:literal $kind:literal $ns:literal $etcd:literal $cats:expr; )*) => {
        /// Every resource Dinghy serves, in `kubectl api-resources` order (core group first, then by group).
        pub const RESOURCES: &[Resource] = &[
            $( Resource { plural: $plural, singular: $singular, short_names: &[$($short),*], group: $group, version: $version, kind: $kind, namespaced: $ns, etcd_prefix: $etcd, verbs: RW, categories: $cats }, )*
        ];
    };
}

resources! {
    "bindings" "binding" [] "" "v1" "Binding" true "bindings" &[];
    "componentstatuses" "componentstatus" ["cs"] "" "v1" "ComponentStatus" false "componentstatuses" &[];
    "configmaps" "configmap" ["cm"] "" "v1" "ConfigMap" true "configmaps" &[];
    "endpoints" "endpoints" ["ep"] "" "v1" "Endpoints" true "services/endpoints" &[];
    "events" "event" ["ev"] "" "v1" "Event" true "events" &[];
    "limitranges" "limitrange" ["limits"] "" "v1" "LimitRange" true "limitranges" &[];
    "namespaces" "namespace" ["ns"] "" "v1" "Namespace" false "namespaces" &[];
    "nodes" "node" ["no"] "" "v1" "Node" false "minions" &[];
    "persistentvolumeclaims" "persistentvolumeclaim" ["pvc"] "" "v1" "PersistentVolumeClaim" true "persistentvolumeclaims" &[];
    "persistentvolumes" "persistentvolume" ["pv"] "" "v1" "PersistentVolume" false "persistentvolumes" &[];
    "pods" "pod" ["po"] "" "v1" "Pod" true "pods" ALL;
    "podtemplates" "podtemplate" [] "" "v1" "PodTemplate" true "podtemplates" &[];
    "replicationcontrollers" "replicationcontroller" ["rc"] "" "v1" "ReplicationController" true "controllers" ALL;
    "resourcequotas" "resourcequota" ["quota"] "" "v1" "ResourceQuota" true "resourcequotas" &[];
    "secrets" "secret" [] "" "v1" "Secret" true "secrets" &[];
    "serviceaccounts" "serviceaccount" ["sa"] "" "v1" "ServiceAccount" true "serviceaccounts" &[];
    "services" "service" ["svc"] "" "v1" "Service" true "services/specs" ALL;
    "apiservices" "apiservice" [] "apiregistration.k8s.io" "v1" "APIService" false "apiregistration.k8s.io/apiservices" &[];
    "controllerrevisions" "controllerrevision" [] "apps" "v1" "ControllerRevision" true "controllerrevisions" &[];
    "daemonsets" "daemonset" ["ds"] "apps" "v1" "DaemonSet" true "daemonsets" ALL;
    "deployments" "deployment" ["deploy"] "apps" "v1" "Deployment" true "deployments" ALL;
    "replicasets" "replicaset" ["rs"] "apps" "v1" "ReplicaSet" true "replicasets" ALL;
    "statefulsets" "statefulset" ["sts"] "apps" "v1" "StatefulSet" true "statefulsets" ALL;
    "horizontalpodautoscalers" "horizontalpodautoscaler" ["hpa"] "autoscaling" "v2" "HorizontalPodAutoscaler" true "horizontalpodautoscalers" ALL;
    "cronjobs" "cronjob" ["cj"] "batch" "v1" "CronJob" true "cronjobs" ALL;
    "jobs" "job" [] "batch" "v1" "Job" true "jobs" ALL;
    "certificatesigningrequests" "certificatesigningrequest" ["csr"] "certificates.k8s.io" "v1" "CertificateSigningRequest" false "certificatesigningrequests" &[];
    "leases" "lease" [] "coordination.k8s.io" "v1" "Lease" true "leases" &[];
    "endpointslices" "endpointslice" [] "discovery.k8s.io" "v1" "EndpointSlice" true "endpointslices" &[];
    "events" "event" ["ev"] "events.k8s.io" "v1" "Event" true "events" &[];
    "ingressclasses" "ingressclass" [] "networking.k8s.io" "v1" "IngressClass" false "ingressclasses" &[];
    "ingresses" "ingress" ["ing"] "networking.k8s.io" "v1" "Ingress" true "ingress" &[];
    "networkpolicies" "networkpolicy" ["netpol"] "networking.k8s.io" "v1" "NetworkPolicy" true "networkpolicies" &[];
    "poddisruptionbudgets" "poddisruptionbudget" ["pdb"] "policy" "v1" "PodDisruptionBudget" true "poddisruptionbudgets" &[];
    "clusterrolebindings" "clusterrolebinding" [] "rbac.authorization.k8s.io" "v1" "ClusterRoleBinding" false "clusterrolebindings" &[];
    "clusterroles" "clusterrole" [] "rbac.authorization.k8s.io" "v1" "ClusterRole" false "clusterroles" &[];
    "rolebindings" "rolebinding" [] "rbac.authorization.k8s.io" "v1" "RoleBinding" true "rolebindings" &[];
    "roles" "role" [] "rbac.authorization.k8s.io" "v1" "Role" true "roles" &[];
    "priorityclasses" "priorityclass" ["pc"] "scheduling.k8s.io" "v1" "PriorityClass" false "priorityclasses" &[];
    "storageclasses" "storageclass" ["sc"] "storage.k8s.io" "v1" "StorageClass" false "storageclasses" &[];
}

/// Resolves what a learner typed (`po`, `pod`, `pods`, `deploy`,
/// `deployments.apps`, `Pod`) to a resource, as kubectl's RESTMapper does.
/// When a name is served by several groups, the core group wins (as
/// `kubectl get events` means `v1` events).
pub fn resolve(name: &str) -> Option<&'static Resource> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (lower, None),
    };
    RESOURCES.iter().find(|r| {
        let name_matches = r.plural == base
            || r.singular == base
            || r.short_names.contains(&base.as_str())
            || r.kind.eq_ignore_ascii_case(&base);
        let group_matches = match &group {
            None => true,
            Some(g) => r.group == g || r.group.starts_with(&format!("{g}.")),
        };
        name_matches && group_matches
    })
}

/// Older versions still served for a kind, converted on the way in to the
/// version in the table (which discovery prefers and etcd stores).
pub const ALSO_SERVED: &[(&str, &str, &str)] = &[("autoscaling", "v1", "HorizontalPodAutoscaler")];

/// The resource serving a kind in an apiVersion (`apps/v1`, `Deployment`;
/// `autoscaling/v1` finds the `autoscaling/v2` HorizontalPodAutoscalers).
pub fn for_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    RESOURCES
        .iter()
        .find(|r| r.kind == kind && r.group == group && r.version == version)
        .or_else(|| {
            ALSO_SERVED
                .iter()
                .any(|(g, v, k)| (*g, *v, *k) == (group, version, kind))
                .then(|| {
                    RESOURCES
                        .iter()
                        .find(|r| r.kind == kind && r.group == group)
                })
                .flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_names_resolve() {
        for (typed, plural) in [
            ("po", "pods"),
            ("pod", "pods"),
            ("Pods", "pods"),
            ("deploy", "deployments"),
            ("deployments.apps", "deployments"),
            ("no", "nodes"),
            ("svc", "services"),
            ("ev", "events"),
            ("netpol", "networkpolicies"),
        ] {
            assert_eq!(resolve(typed).map(|r| r.plural), Some(plural), "{typed}");
        }
        assert_eq!(resolve("events").map(|r| r.group), Some(""));
        assert!(resolve("foo").is_none());
    }

    #[test]
    fn etcd_keys_as_the_real_apiserver_writes_them() {
        let key = |r: &str, ns, n| resolve(r).map(|r| r.key(ns, n)).unwrap_or_default();
        assert_eq!(
            key("pods", Some("default"), "web"),
            "/registry/pods/default/web"
        );
        assert_eq!(key("nodes", None, "node01"), "/registry/minions/node01");
        assert_eq!(
            key("services", Some("default"), "kubernetes"),
            "/registry/services/specs/default/kubernetes"
        );
        assert_eq!(key("ingresses", Some("a"), "b"), "/registry/ingress/a/b");
        assert_eq!(key("rc", Some("a"), "b"), "/registry/controllers/a/b");
        assert_eq!(
            for_kind("apps/v1", "Deployment").map(|r| r.plural),
            Some("deployments")
        );
    }
}
