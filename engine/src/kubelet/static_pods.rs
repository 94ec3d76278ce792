//! Static pods: the kubelet runs the pods whose manifests are in its
//! `staticPodPath` and mirrors each into the apiserver as `<pod>-<node>`.

/// What the kubelet knows of its static pods.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticPods {
    uids: Vec<String>,
}

impl StaticPods {
    pub fn owns(&self, uid: &str) -> bool {
        self.uids.iter().any(|u| u == uid)
    }
}

pub(super) fn sync(
    _k: &mut super::Kubelet,
    _api: &mut crate::apiserver::ApiServer,
    _machine: &mut crate::node::Machine,
    _now: crate::clock::Time,
) {
}
