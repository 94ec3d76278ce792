use crate::Simulation;

fn script(lines: &str) -> String {
    Simulation::new(1).run_script(lines, true)
}

#[test]
fn status_follows_ready_pods_and_scale() {
    // A Deployment of 3: minAvailable 2 leaves 1; 50% maxUnavailable
    // (rounded up) leaves 2; a DaemonSet's pods have no scale: SyncFailed.
    let t = script(
        "kubectl create deployment web --image=nginx --replicas=3\n\
         kubectl create pdb web --selector=app=web --min-available=2\n\
         kubectl create pdb half --selector=app=web --max-unavailable=50% -n kube-system\n\
         kubectl create pdb pct --selector=app=web --min-available=50%\n\
         sleep 30\n\
         kubectl get pdb\n\
         kubectl get pdb web -o jsonpath='{.status}{\"\\n\"}'\n\
         kubectl get pdb -n kube-system half -o jsonpath='{.status}{\"\\n\"}'\n\
         kubectl create pdb proxy -n kube-system --selector=k8s-app=kube-proxy --min-available=50%\n\
         kubectl get pdb -n kube-system proxy -o jsonpath='{.status.conditions[0].message}{\"\\n\"}'\n\
         kubectl scale deployment web --replicas=1\n\
         sleep 30\n\
         kubectl get pdb\n",
    );
    expect_test::expect![[r#"
        $ kubectl create deployment web --image=nginx --replicas=3
        deployment.apps/web created
        $ kubectl create pdb web --selector=app=web --min-available=2
        poddisruptionbudget.policy/web created
        $ kubectl create pdb half --selector=app=web --max-unavailable=50% -n kube-system
        poddisruptionbudget.policy/half created
        $ kubectl create pdb pct --selector=app=web --min-available=50%
        poddisruptionbudget.policy/pct created
        $ sleep 30
        $ kubectl get pdb
        NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
        pct    50%             N/A               1                     30s
        web    2               N/A               1                     30s
        $ kubectl get pdb web -o jsonpath='{.status}{"\n"}'
        {"conditions":[{"lastTransitionTime":"2025-04-23T08:15:33Z","message":"","observedGeneration":1,"reason":"SufficientPods","status":"True","type":"DisruptionAllowed"}],"currentHealthy":3,"desiredHealthy":2,"disruptionsAllowed":1,"expectedPods":3,"observedGeneration":1}
        $ kubectl get pdb -n kube-system half -o jsonpath='{.status}{"\n"}'
        {"conditions":[{"lastTransitionTime":"2025-04-23T08:15:29Z","message":"","observedGeneration":1,"reason":"InsufficientPods","status":"False","type":"DisruptionAllowed"}],"currentHealthy":0,"desiredHealthy":0,"disruptionsAllowed":0,"expectedPods":0,"observedGeneration":1}
        $ kubectl create pdb proxy -n kube-system --selector=k8s-app=kube-proxy --min-available=50%
        poddisruptionbudget.policy/proxy created
        $ kubectl get pdb -n kube-system proxy -o jsonpath='{.status.conditions[0].message}{"\n"}'
        daemonsets.apps does not implement the scale subresource
        $ kubectl scale deployment web --replicas=1
        deployment.apps/web scaled
        $ sleep 30
        $ kubectl get pdb
        NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
        pct    50%             N/A               0                     60s
        web    2               N/A               0                     60s
    "#]]
    .assert_eq(&t);
}

#[test]
fn disrupted_pods_are_not_counted_for_two_minutes() {
    // An evicted pod whose delete never came: the entry the eviction wrote
    // keeps it out of currentHealthy until DeletionTimeout, then it counts
    // again and the entry goes (a NotDeleted warning on the pod).
    let t = script(
        "kubectl create deployment web --image=nginx --replicas=2\n\
         kubectl create pdb web --selector=app=web --max-unavailable=1\n\
         sleep 30\n\
         P=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')\n\
         T=$(kubectl get pdb web -o jsonpath='{.metadata.creationTimestamp}')\n\
         kubectl patch pdb web --subresource=status --type=merge -p \"{\\\"status\\\":{\\\"disruptedPods\\\":{\\\"$P\\\":\\\"$T\\\"}}}\" >/dev/null\n\
         kubectl get pdb web -o jsonpath='{.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}{\"\\n\"}'\n\
         sleep 89\n\
         kubectl get pdb web -o jsonpath='{.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}{\"\\n\"}'\n\
         sleep 2\n\
         kubectl get pdb web -o jsonpath='{.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}{\"\\n\"}'\n\
         kubectl get events --field-selector reason=NotDeleted -o custom-columns=MSG:.message\n",
    );
    expect_test::expect![[r#"
        $ kubectl create deployment web --image=nginx --replicas=2
        deployment.apps/web created
        $ kubectl create pdb web --selector=app=web --max-unavailable=1
        poddisruptionbudget.policy/web created
        $ sleep 30
        $ P=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
        $ T=$(kubectl get pdb web -o jsonpath='{.metadata.creationTimestamp}')
        $ kubectl patch pdb web --subresource=status --type=merge -p "{\"status\":{\"disruptedPods\":{\"$P\":\"$T\"}}}" >/dev/null
        $ kubectl get pdb web -o jsonpath='{.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}{"\n"}'
        1 0 {"web-6dc5cd68db-4bfkx":"2025-04-23T08:15:29Z"}
        $ sleep 89
        $ kubectl get pdb web -o jsonpath='{.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}{"\n"}'
        1 0 {"web-6dc5cd68db-4bfkx":"2025-04-23T08:15:29Z"}
        $ sleep 2
        $ kubectl get pdb web -o jsonpath='{.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}{"\n"}'
        2 1 
        $ kubectl get events --field-selector reason=NotDeleted -o custom-columns=MSG:.message
        MSG
        Pod was expected by PDB default/default to be deleted but it wasn't
    "#]].assert_eq(&t);
}

#[test]
fn a_settled_budget_is_not_rewritten() {
    // Nothing changed, nothing written: the resourceVersion stays across
    // a minute of kubelet status updates elsewhere.
    let t = script(
        "kubectl create deployment web --image=nginx --replicas=2\n\
         kubectl create pdb web --selector=app=web --min-available=1\n\
         kubectl create pdb none --selector=app=none --min-available=1\n\
         sleep 30\n\
         A=\"$(kubectl get pdb -o jsonpath='{.items[*].metadata.resourceVersion}')\"\n\
         sleep 60\n\
         B=\"$(kubectl get pdb -o jsonpath='{.items[*].metadata.resourceVersion}')\"\n\
         [ -n \"$A\" ] && [ \"$A\" = \"$B\" ] && echo same\n\
         kubectl get events --field-selector reason=NoPods -o custom-columns=COUNT:.count,MSG:.message\n",
    );
    assert!(t.contains("\nsame\n"), "{t}");
    assert!(t.contains("\n2       No matching pods found\n"), "{t}");
}

#[test]
fn unmanaged_pods_under_a_percentage_are_reported() {
    // Bare pods have no scale: they count for nothing under maxUnavailable.
    let t = script(
        "kubectl run a --image=nginx -l app=bare\n\
         kubectl create pdb bare --selector=app=bare --max-unavailable=1\n\
         sleep 20\n\
         kubectl get pdb bare\n\
         kubectl get events --field-selector reason=UnmanagedPods -o custom-columns=COUNT:.count,MSG:.message\n",
    );
    expect_test::expect![[r#"
        $ kubectl run a --image=nginx -l app=bare
        pod/a created
        $ kubectl create pdb bare --selector=app=bare --max-unavailable=1
        poddisruptionbudget.policy/bare created
        $ sleep 20
        $ kubectl get pdb bare
        NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
        bare   N/A             1                 0                     20s
        $ kubectl get events --field-selector reason=UnmanagedPods -o custom-columns=COUNT:.count,MSG:.message
        COUNT   MSG
        3       Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: bare,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.
    "#]].assert_eq(&t);
}
