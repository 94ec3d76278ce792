use super::super::util::testing::*;
use super::*;

fn pv(api: &mut crate::apiserver::ApiServer, name: &str, size: &str, modes: &[&str], policy: &str) {
    util::create(
        api,
        "persistentvolumes",
        None,
        json!({"metadata": {"name": name}, "spec": {"capacity": {"storage": size}, "accessModes": modes, "persistentVolumeReclaimPolicy": policy, "hostPath": {"path": format!("/data/{name}")}}}),
        Time::EPOCH,
    );
}

fn pvc(api: &mut crate::apiserver::ApiServer, name: &str, size: &str, class: Option<&str>) {
    let mut c = json!({"metadata": {"name": name}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}});
    if let Some(class) = class {
        c["spec"]["storageClassName"] = json!(class);
    }
    util::create(
        api,
        "persistentvolumeclaims",
        Some("default"),
        c,
        Time::EPOCH,
    );
}

fn phase(api: &crate::apiserver::ApiServer, plural: &str, ns: Option<&str>, name: &str) -> String {
    util::get(api, plural, ns, name)
        .and_then(|o| object::str_at(&o, "status.phase").map(String::from))
        .unwrap_or_default()
}

#[test]
fn binds_the_smallest_fitting_volume_and_releases_it() {
    let mut api = api();
    pv(&mut api, "big", "10Gi", &["ReadWriteOnce"], "Retain");
    pv(&mut api, "small", "1Gi", &["ReadWriteOnce"], "Retain");
    pv(&mut api, "rox", "2Gi", &["ReadOnlyMany"], "Retain");
    pv(
        &mut api,
        "fit",
        "2Gi",
        &["ReadWriteOnce", "ReadWriteMany"],
        "Delete",
    );
    pvc(&mut api, "data", "1500Mi", Some(""));
    let mut c = PersistentVolumeController::new();
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    let claim =
        util::get(&api, "persistentvolumeclaims", Some("default"), "data").unwrap_or_default();
    assert_eq!(claim["spec"]["volumeName"], "fit");
    assert_eq!(claim["status"]["phase"], "Bound");
    assert_eq!(claim["status"]["capacity"]["storage"], "2Gi");
    assert_eq!(claim["metadata"]["annotations"][BIND_COMPLETED], "yes");
    assert_eq!(phase(&api, "persistentvolumes", None, "fit"), "Bound");
    assert_eq!(phase(&api, "persistentvolumes", None, "big"), "Available");
    let fit = util::get(&api, "persistentvolumes", None, "fit").unwrap_or_default();
    assert_eq!(fit["spec"]["claimRef"]["name"], "data");
    assert_eq!(fit["metadata"]["annotations"][BOUND_BY_CONTROLLER], "yes");
    // No volume fits and no class: the claim waits.
    pvc(&mut api, "huge", "100Gi", Some(""));
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    assert_eq!(
        phase(&api, "persistentvolumeclaims", Some("default"), "huge"),
        "Pending"
    );
    assert!(events(&api, "default").contains(
        &"FailedBinding no persistent volumes available for this claim and no storage class is set"
            .to_string()
    ));
    // Released: Delete policy removes the volume; Retain keeps it Released.
    pvc(&mut api, "one", "1Gi", Some(""));
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    assert_eq!(phase(&api, "persistentvolumes", None, "small"), "Bound");
    util::delete(&mut api, "persistentvolumeclaims", Some("default"), "data");
    util::delete(&mut api, "persistentvolumeclaims", Some("default"), "one");
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    assert!(util::get(&api, "persistentvolumes", None, "fit").is_none());
    assert_eq!(phase(&api, "persistentvolumes", None, "small"), "Released");
}

#[test]
fn default_class_provisions_after_the_first_consumer() {
    let mut api = api();
    util::create(
        &mut api,
        "storageclasses",
        None,
        json!({"metadata": {"name": "local-path"}, "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}),
        Time::EPOCH,
    );
    pvc(&mut api, "data", "1Gi", Some("local-path"));
    let mut c = PersistentVolumeController::new();
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    assert_eq!(
        phase(&api, "persistentvolumeclaims", Some("default"), "data"),
        "Pending"
    );
    assert!(events(&api, "default").contains(
        &"WaitForFirstConsumer waiting for first consumer to be created before binding".to_string()
    ));
    // The scheduler picked node01 for the pod using it.
    let mut claim =
        util::get(&api, "persistentvolumeclaims", Some("default"), "data").unwrap_or_default();
    claim["metadata"]["annotations"] = json!({SELECTED_NODE: "node01"});
    util::update(&mut api, "persistentvolumeclaims", claim);
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    let claim =
        util::get(&api, "persistentvolumeclaims", Some("default"), "data").unwrap_or_default();
    let name = format!("pvc-{}", util::uid(&claim));
    assert_eq!(claim["spec"]["volumeName"], json!(name));
    assert_eq!(claim["status"]["phase"], "Bound");
    let pv = util::get(&api, "persistentvolumes", None, &name).unwrap_or_default();
    assert_eq!(
        pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
            ["values"],
        json!(["node01"])
    );
    assert_eq!(pv["spec"]["storageClassName"], "local-path");
    assert!(events(&api, "default").contains(&format!(
        "ProvisioningSucceeded Successfully provisioned volume {name}"
    )));
}
