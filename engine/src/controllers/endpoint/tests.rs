use super::super::util::testing::*;
use super::*;

const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: web-port\n";

fn pod(api: &mut crate::apiserver::ApiServer, name: &str, ip: &str, ready: bool) {
    util::create(
        api,
        "pods",
        Some("default"),
        json!({"metadata": {"name": name, "labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"name": "web-port", "containerPort": 8080}]}]}}),
        Time::EPOCH,
    );
    run_pod(api, "default", name, "node01", ip, Time::EPOCH);
    if !ready {
        let mut p = util::get(api, "pods", Some("default"), name).unwrap_or_default();
        p["status"]["conditions"][1]["status"] = json!("False");
        util::update(api, "pods", p);
    }
}

#[test]
fn endpoints_and_slice_follow_the_selected_pods() {
    let mut api = api();
    pod(&mut api, "a", "10.244.1.10", true);
    pod(&mut api, "b", "10.244.1.9", false);
    apply(&mut api, "services", SVC, Time::EPOCH);
    let mut c = EndpointsController::new();
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    let ep = util::get(&api, "endpoints", Some("default"), "web").unwrap_or_default();
    let uid = |n: &str| {
        util::uid(&util::get(&api, "pods", Some("default"), n).unwrap_or_default()).to_string()
    };
    assert_eq!(
        ep["subsets"],
        json!([{
            "addresses": [{"ip": "10.244.1.10", "nodeName": "node01", "targetRef": {"kind": "Pod", "name": "a", "namespace": "default", "uid": uid("a")}}],
            "notReadyAddresses": [{"ip": "10.244.1.9", "nodeName": "node01", "targetRef": {"kind": "Pod", "name": "b", "namespace": "default", "uid": uid("b")}}],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        }])
    );
    assert_eq!(ep["metadata"]["labels"], json!({"app": "web"}));
    let slices = util::list(&api, "endpointslices", Some("default"));
    assert_eq!(slices.len(), 1);
    let s = &slices[0];
    assert!(object::name(s).starts_with("web-") && object::name(s).len() == 9);
    assert_eq!(s["metadata"]["labels"][SERVICE_NAME], "web");
    assert_eq!(s["metadata"]["labels"][MANAGED_BY], SLICE_MANAGER);
    assert_eq!(s["metadata"]["ownerReferences"][0]["kind"], "Service");
    assert_eq!(
        s["ports"],
        json!([{"name": "http", "port": 8080, "protocol": "TCP"}])
    );
    assert_eq!(s["endpoints"][0]["addresses"], json!(["10.244.1.9"]));
    assert_eq!(
        s["endpoints"][0]["conditions"],
        json!({"ready": false, "serving": false, "terminating": false})
    );
    assert_eq!(
        s["endpoints"][1]["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    // Idempotent.
    let rev = api.store().revision();
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    assert_eq!(api.store().revision(), rev);
    // A pod going away leaves the endpoints.
    util::delete(&mut api, "pods", Some("default"), "a");
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    let ep = util::get(&api, "endpoints", Some("default"), "web").unwrap_or_default();
    assert!(ep["subsets"][0].get("addresses").is_none());
    // The Service goes: so do its Endpoints.
    util::delete(&mut api, "services", Some("default"), "web");
    settle(&mut api, &mut [&mut c], Time::EPOCH);
    assert!(util::get(&api, "endpoints", Some("default"), "web").is_none());
}
