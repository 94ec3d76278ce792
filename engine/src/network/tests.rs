use super::dns::{candidates, is_ip};
use super::http::http_date;
use super::Resolver;
use crate::clock::Time;
use crate::Simulation;

#[test]
fn a_pod_tries_its_search_path_before_the_bare_name() {
    let r = Resolver::Pod {
        namespace: "dev".into(),
    };
    assert_eq!(
        candidates(&r, "web"),
        vec![
            "web.dev.svc.cluster.local",
            "web.svc.cluster.local",
            "web.cluster.local",
            "web"
        ]
    );
    // ndots:5 — five dots go first as they are; a trailing dot is absolute.
    assert_eq!(candidates(&r, "a.b.c.d.e.f")[0], "a.b.c.d.e.f");
    assert_eq!(
        candidates(&r, "web.prod.svc.cluster.local."),
        vec!["web.prod.svc.cluster.local"]
    );
    assert_eq!(candidates(&Resolver::Node, "web"), vec!["web"]);
    assert!(is_ip("10.96.0.10") && !is_ip("10.96.0") && !is_ip("web"));
}

#[test]
fn http_dates_are_rfc_7231() {
    assert_eq!(http_date(Time::EPOCH), "Wed, 23 Apr 2025 08:00:00 GMT");
}

fn script(lines: &str) -> String {
    Simulation::new(1).run_script(lines, true)
}

#[test]
fn services_route_to_ready_endpoints_and_refuse_without() {
    let t = script(
        "kubectl create deployment web --image=nginx\nkubectl expose deployment web --port=80\nkubectl create service clusterip none --tcp=80:80\nsleep 30\ncurl -s $(kubectl get svc web -o jsonpath='{.spec.clusterIP}') | grep title\ncurl $(kubectl get svc none -o jsonpath='{.spec.clusterIP}'); echo \"status $?\"\ncurl -s web; echo \"status $?\"\n",
    );
    assert!(t.contains("<title>Welcome to nginx!</title>"), "{t}");
    assert!(
        t.contains("port 80 after 0 ms: Connection refused\nstatus 7"),
        "{t}"
    );
    // A node does not use the cluster DNS; -s hides the error.
    assert!(
        t.contains("$ curl -s web; echo \"status $?\"\nstatus 6"),
        "{t}"
    );
}

#[test]
fn pods_resolve_services_through_their_search_path() {
    let t = script(
        "kubectl create ns prod\nkubectl create deployment db -n prod --image=httpd\nkubectl expose deployment db -n prod --port=80\nkubectl run c --image=nginx\nsleep 30\nkubectl exec c -- curl -s db.prod\nkubectl exec c -- curl -s db; echo \"status $?\"\nkubectl exec c -n default -- curl -s -o /dev/null -w '%{http_code}' db.prod/missing\n",
    );
    assert!(t.contains("<h1>It works!</h1>"), "{t}");
    assert!(
        t.contains("command terminated with exit code 6\nstatus 6"),
        "{t}"
    );
    assert!(t.contains("db.prod/missing\n404"), "{t}");
}

#[test]
fn readiness_keeps_a_pod_out_of_the_rotation() {
    // A Service whose only pod never becomes ready: no endpoint, REJECT.
    let t = script(
        "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Pod\nmetadata:\n  name: slow\n  labels:\n    app: slow\nspec:\n  containers:\n  - name: web\n    image: nginx\n    readinessProbe:\n      httpGet:\n        path: /ready\n        port: 80\nEOF\nkubectl expose pod slow --port=80\nsleep 60\nkubectl get ep slow\ncurl -s -w '%{http_code}\\n' $(kubectl get svc slow -o jsonpath='{.spec.clusterIP}')\n",
    );
    // Only a not-ready address: kubectl prints an empty ENDPOINTS cell.
    assert!(t.contains("\nslow               60s\n"), "{t}");
    assert!(t.contains("\n000\n"), "{t}");
}

#[test]
fn network_policies_drop_what_they_do_not_allow() {
    let t = script(
        "kubectl create deployment web --image=nginx\nkubectl expose deployment web --port=80\nkubectl run client --image=nginx --labels=role=client\nkubectl run other --image=nginx\nkubectl create ns dev\nkubectl label ns dev team=dev\nkubectl run dev --image=nginx -n dev\nsleep 30\nkubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' web\ncat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          role: client\n    - namespaceSelector:\n        matchLabels:\n          team: dev\n    ports:\n    - port: 80\nEOF\nkubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' web\nkubectl exec other -- curl --max-time 2 web\nkubectl exec dev -n dev -- curl -s -o /dev/null -w '%{http_code}\\n' web.default\ncat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-egress\nspec:\n  podSelector: {}\n  policyTypes:\n  - Egress\nEOF\nkubectl exec client -- curl web\n",
    );
    // Before any policy, and for the allowed pod and namespace: 200.
    assert_eq!(t.matches("\n200\n").count(), 3, "{t}");
    assert!(
        t.contains("curl: (28) Connection timed out after 2001 milliseconds\ncommand terminated with exit code 28"),
        "{t}"
    );
    // Default-deny egress also silences DNS.
    assert!(
        t.contains("curl: (6) Could not resolve host: web\ncommand terminated with exit code 6"),
        "{t}"
    );
}
