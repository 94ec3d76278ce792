//! What `kube-apiserver -h` prints inside its container (the CKA way to list
//! admission plugins: `kubectl exec kube-apiserver-… -- kube-apiserver -h |
//! grep enable-admission-plugins`). Only the description, usage and the
//! "Admission flags" section of the v1.33.0 binary are modelled; their lines
//! are the binary's own, the other flag sections are left out.

/// The plugins enabled by default in v1.33 (`DefaultOffAdmissionPlugins`'
/// complement, in `AllOrderedPlugins` order).
const DEFAULT_ON: &str = "NamespaceLifecycle, LimitRanger, ServiceAccount, TaintNodesByCondition, PodSecurity, Priority, DefaultTolerationSeconds, DefaultStorageClass, StorageObjectInUseProtection, PersistentVolumeClaimResize, RuntimeClass, CertificateApproval, CertificateSigning, ClusterTrustBundleAttest, CertificateSubjectRestriction, DefaultIngressClass, PodTopologyLabels, MutatingAdmissionPolicy, MutatingAdmissionWebhook, ValidatingAdmissionPolicy, ValidatingAdmissionWebhook, ResourceQuota";

/// Every registered plugin, sorted (`admission.Plugins.Registered()`).
const REGISTERED: &str = "AlwaysAdmit, AlwaysDeny, AlwaysPullImages, CertificateApproval, CertificateSigning, CertificateSubjectRestriction, ClusterTrustBundleAttest, DefaultIngressClass, DefaultStorageClass, DefaultTolerationSeconds, DenyServiceExternalIPs, EventRateLimit, ExtendedResourceToleration, ImagePolicyWebhook, LimitPodHardAntiAffinityTopology, LimitRanger, MutatingAdmissionPolicy, MutatingAdmissionWebhook, NamespaceAutoProvision, NamespaceExists, NamespaceLifecycle, NodeRestriction, OwnerReferencesPermissionEnforcement, PersistentVolumeClaimResize, PodNodeSelector, PodSecurity, PodTolerationRestriction, PodTopologyLabels, Priority, ResourceQuota, RuntimeClass, ServiceAccount, StorageObjectInUseProtection, TaintNodesByCondition, ValidatingAdmissionPolicy, ValidatingAdmissionWebhook";

/// `-h`/`--help` for a control-plane binary, when we model it.
pub fn help(binary: &str) -> Option<String> {
    if binary != "kube-apiserver" {
        return None;
    }
    // pflag pads every flag of a section to the longest one plus three.
    let row = |flag: &str, text: String| format!("      {flag:<41}{text}\n");
    let mut s = String::from(
        "The Kubernetes API server validates and configures data\n\
         for the api objects which include pods, services, replicationcontrollers, and\n\
         others. The API Server services REST operations and provides the frontend to the\n\
         cluster's shared state through which all other components interact.\n\n\
         Usage:\n  kube-apiserver [flags]\n\nAdmission flags:\n\n",
    );
    s.push_str(&row("--admission-control strings", format!("Admission is divided into two phases. In the first phase, only mutating admission plugins run. In the second phase, only validating admission plugins run. The names in the below list may represent a validating plugin, a mutating plugin, or both. The order of plugins in which they are passed to this flag does not matter. Comma-delimited list of: {REGISTERED}. (DEPRECATED: Use --enable-admission-plugins or --disable-admission-plugins instead. Will be removed in a future version.)")));
    s.push_str(&row(
        "--admission-control-config-file string",
        "File with admission control configuration.".to_string(),
    ));
    s.push_str(&row("--disable-admission-plugins strings", format!("admission plugins that should be disabled although they are in the default enabled plugins list ({DEFAULT_ON}). Comma-delimited list of admission plugins: {REGISTERED}. The order of plugins in this flag does not matter.")));
    s.push_str(&row("--enable-admission-plugins strings", format!("admission plugins that should be enabled in addition to default enabled ones ({DEFAULT_ON}). Comma-delimited list of admission plugins: {REGISTERED}. The order of plugins in this flag does not matter.")));
    Some(s)
}
