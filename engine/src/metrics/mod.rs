//! Resource metrics: metrics-server as an add-on a learner installs
//! (`kubectl apply -f` its release manifest, [`manifest`]), the Metrics API
//! it serves through the aggregation layer ([`api`], [`aggregator`]), and
//! the scrapes it keeps in memory ([`server`], [`store`]). The numbers come
//! from the kubelets' usage model (`kubelet::usage`).

pub mod aggregator;
pub mod api;
pub mod manifest;
pub mod server;
pub mod store;
