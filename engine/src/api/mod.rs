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
/// `deployments.apps`, `Pod`, `hpa.v1.autoscaling`) to a resource, as
/// kubectl's RESTMapper does. When a name is served by several groups, the
/// core group wins (as `kubectl get events` means `v1` events). A
/// `TYPE.VERSION.GROUP` form picks that version, an older served one
/// included.
pub fn resolve(name: &str) -> Option<&'static Resource> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (lower, None),
    };
    let name_matches = |r: &Resource| {
        r.plural == base
            || r.singular == base
            || r.short_names.contains(&base.as_str())
            || r.kind.eq_ignore_ascii_case(&base)
    };
    // `hpa.v1.autoscaling`: kubectl's ParseResourceArg tries the
    // resource.version.group reading first.
    if let Some((version, g)) = group.as_deref().and_then(|g| g.split_once('.')) {
        if is_version(version) {
            let found = RESOURCES
                .iter()
                .chain(OLDER_VERSIONS)
                .find(|r| name_matches(r) && r.version == version && r.group == g);
            if found.is_some() {
                return found;
            }
        }
    }
    RESOURCES.iter().find(|r| {
        let group_matches = match &group {
            None => true,
            Some(g) => r.group == g || r.group.starts_with(&format!("{g}.")),
        };
        name_matches(r) && group_matches
    })
}

/// `v1`, `v2`, `v1beta1`: what a version segment looks like.
fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let tail = &rest[digits..];
    tail.is_empty()
        || ["alpha", "beta"].iter().any(|t| {
            tail.strip_prefix(t)
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
}

/// Older versions still served for a kind. Objects are stored in the
/// version of the [`RESOURCES`] entry (which discovery prefers); a request
/// in an older version is converted on the way in and its answer on the
/// way out (`apiserver/conversion.rs`).
pub const OLDER_VERSIONS: &[Resource] = &[Resource {
    plural: "horizontalpodautoscalers",
    singular: "horizontalpodautoscaler",
    short_names: &["hpa"],
    group: "autoscaling",
    version: "v1",
    kind: "HorizontalPodAutoscaler",
    namespaced: true,
    etcd_prefix: "horizontalpodautoscalers",
    verbs: RW,
    categories: ALL,
}];

impl Resource {
    /// For an older served version, the resource its objects are stored
    /// as (the preferred version); `None` for a preferred version.
    pub fn stored_as(&self) -> Option<&'static Resource> {
        if !OLDER_VERSIONS.contains(self) {
            return None;
        }
        RESOURCES
            .iter()
            .find(|r| r.group == self.group && r.kind == self.kind)
    }

    /// The resource objects of this kind are stored as: itself, or for an
    /// older served version the preferred one.
    pub fn storage(&'static self) -> &'static Resource {
        self.stored_as().unwrap_or(self)
    }
}

/// The resource serving a kind in an apiVersion (`apps/v1`, `Deployment`;
/// `autoscaling/v1` finds the older-version HorizontalPodAutoscalers).
pub fn for_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    RESOURCES
        .iter()
        .chain(OLDER_VERSIONS)
        .find(|r| r.kind == kind && r.group == group && r.version == version)
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
        let hpa_v1 = resolve("hpa.v1.autoscaling");
        assert_eq!(
            hpa_v1.map(|r| r.api_version()).as_deref(),
            Some("autoscaling/v1")
        );
        assert_eq!(hpa_v1.map(|r| r.storage().version), Some("v2"));
        assert_eq!(
            resolve("horizontalpodautoscalers.v2.autoscaling")
                .map(|r| r.api_version())
                .as_deref(),
            Some("autoscaling/v2")
        );
        assert_eq!(resolve("hpa.autoscaling").map(|r| r.version), Some("v2"));
        assert_eq!(
            resolve("deployments.v1.apps").map(|r| r.plural),
            Some("deployments")
        );
        assert!(resolve("hpa.v3.autoscaling").is_none());
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
