//! The kubelet: one per node. It runs the pods bound to its node and
//! reports their status. This module starts with the status it reports for
//! a running pod; the pod lifecycle arrives with the kubelet issue.

pub mod status;
