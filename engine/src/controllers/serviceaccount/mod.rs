// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The ServiceAccount controller (`pkg/controller/serviceaccount`) and the
//! root CA publisher (`pkg/controller/certificates/rootcacertpublisher`):
//! every active namespace gets a `default` ServiceAccount and the
//! `kube-root-ca.crt` ConfigMap, and gets them back when they are deleted.
//! Without them, pods in a new namespace could not mount their token.

use super::util;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};

/// The ConfigMap the publisher keeps in every namespace.
pub const ROOT_CA: &str = "kube-root-ca.crt";

#[derive(Debug, Default)]
pub struct ServiceAccountController;

impl ServiceAccountController {
    pub fn new() -> Self {
        Self
    }
}

fn active(ns: &Value) -> bool {
    !util::is_deleting(ns) && object::str_at(ns, "status.phase") != Some("Terminating")
}

impl Component for ServiceAccountController {
    fn name(&self) -> String {
        "serviceaccount-controller".into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        // The CA bundle the publisher copies: kube-system's, which kubeadm's
        // bootstrap made from the cluster CA.
        let ca = util::get_shared(ctx.api, "configmaps", Some("kube-system"), ROOT_CA);
        for ns in util::list(ctx.api, "namespaces", None) {
            if !active(&ns) {
                continue;
            }
            let name = object::name(&ns).to_string();
            if util::get_shared(ctx.api, "serviceaccounts", Some(&name), "default").is_none() {
                util::create(
                    ctx.api,
                    "serviceaccounts",
                    Some(&name),
                    json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}),
                    ctx.now,
                );
            }
            let Some(ca) = &ca else { continue };
            let want_data = ca.get("data").cloned().unwrap_or(json!({}));
            let want_ann = object::at(ca, "metadata.annotations").cloned();
            match util::get_shared(ctx.api, "configmaps", Some(&name), ROOT_CA) {
                None => {
                    let mut cm = json!({
                        "apiVersion": "v1",
                        "kind": "ConfigMap",
                        "metadata": {"name": ROOT_CA},
                        "data": want_data,
                    });
                    if let Some(a) = want_ann {
                        cm["metadata"]["annotations"] = a;
                    }
                    util::create(ctx.api, "configmaps", Some(&name), cm, ctx.now);
                }
                Some(cm) if cm.get("data") != Some(&want_data) => {
                    // Edited by hand: the publisher puts the bundle back.
                    let mut fixed = Value::clone(&cm);
                    fixed["data"] = want_data;
                    util::update(ctx.api, "configmaps", fixed);
                }
                Some(_) => {}
            }
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::*;
    use super::*;

    #[test]
    fn new_namespaces_get_default_and_the_ca_bundle() {
        let mut api = api();
        let t = Time::EPOCH;
        util::create(
            &mut api,
            "configmaps",
            Some("kube-system"),
            json!({"metadata": {"name": ROOT_CA, "annotations": {"kubernetes.io/description": "x"}}, "data": {"ca.crt": "PEM"}}),
            t,
        );
        util::create(
            &mut api,
            "namespaces",
            None,
            json!({"metadata": {"name": "dev"}}),
            t,
        );
        let mut c = ServiceAccountController::new();
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(names(&api, "serviceaccounts", "dev"), ["default"]);
        let cm = util::get(&api, "configmaps", Some("dev"), ROOT_CA).unwrap_or_default();
        assert_eq!(cm["data"], json!({"ca.crt": "PEM"}));
        assert_eq!(
            cm["metadata"]["annotations"]["kubernetes.io/description"],
            "x"
        );
        // Deleted: back at once.
        util::delete(&mut api, "serviceaccounts", Some("dev"), "default");
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(names(&api, "serviceaccounts", "dev"), ["default"]);
        // Idempotent: nothing to write.
        let rev = api.store().revision();
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(api.store().revision(), rev);
    }
}
