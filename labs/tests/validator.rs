//! The validator over the bundled labs, its refusals of broken lab files,
//! and golden explanations of typical wrong answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use expect_test::expect;
use labs::{validate, Lab, LabFile, Lang};
use std::collections::BTreeMap;

#[test]
fn every_bundled_lab_validates_at_every_seed() {
    let v = validate(labs::BUNDLED);
    let problems: Vec<String> = v.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every bundled lab, each at every seed: none may sit out as pending.
    let all: Vec<&str> = labs::BUNDLED.iter().map(|f| f.path).collect();
    assert_eq!(v.validated, all, "pending: {:?}", v.pending);
    assert!(v.pending.is_empty(), "pending: {:?}", v.pending);
}

const GOOD: &str = r#"
id: tiny
title: {en: Tiny, ko: 작은 실습}
topic: pods
difficulty: easy
minutes: 1
params:
  pod: {one_of: [a, b]}
description: {en: A pod., ko: 파드.}
tasks:
- id: run
  text: {en: "Run {{pod}}.", ko: "{{pod}}를 실행하세요."}
  hints: [{en: kubectl run, ko: kubectl run}]
  checks:
  - field: pod/{{pod}}
    path: "{.spec.containers[0].image}"
    equals: nginx:alpine
  solution: kubectl run {{pod}} --image=nginx:alpine
"#;

fn problems_of(text: &str) -> Vec<String> {
    let f = LabFile {
        path: "labs/scenarios/tiny.yaml",
        text: Box::leak(text.to_string().into_boxed_str()),
    };
    validate(&[f])
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn a_sound_lab_has_no_problems() {
    assert_eq!(problems_of(GOOD), Vec::<String>::new());
}

#[test]
fn a_malformed_field_is_named_with_file_and_spot() {
    let bad = GOOD.replace("equals: nginx:alpine", "equal: nginx:alpine");
    expect![[r#"
        [
            "labs/scenarios/tiny.yaml: tasks[0].checks[0].equal: unknown field `equal`, expected one of `exists`, `absent`, `field`, `count`, `running`, `event`, `file`, `script`, `namespace`, `node`, `path`, `equals`, `matches`, `contains`, `at_least`, `deleted`, `selector`, `field_selector`, `reason`, `message`, `explain`",
        ]
    "#]]
    .assert_debug_eq(&problems_of(&bad));
    let bad = GOOD.replace("difficulty: easy", "difficulty: trivial");
    expect![[r#"
        [
            "labs/scenarios/tiny.yaml: difficulty: unknown variant `trivial`, expected one of `easy`, `medium`, `hard`",
        ]
    "#]]
    .assert_debug_eq(&problems_of(&bad));
}

#[test]
fn a_missing_korean_text_is_named() {
    let bad = GOOD.replace(r#"ko: "{{pod}}를 실행하세요.""#, "");
    expect![[r#"
        [
            "labs/scenarios/tiny.yaml: tasks[0].text: the ko text is missing",
        ]
    "#]]
    .assert_debug_eq(&problems_of(&bad));
}

#[test]
fn a_check_that_passes_before_the_solution_is_rejected() {
    // The default namespace exists from the start: no work is needed.
    let bad = GOOD.replace(
        "  - field: pod/{{pod}}",
        "  - exists: namespace/default\n  - field: pod/{{pod}}",
    );
    expect![[r#"
        [
            "labs/scenarios/tiny.yaml: seed 1: tasks[0].checks[0] already passes before the solution: the task can be passed without work",
        ]
    "#]]
    .assert_debug_eq(&problems_of(&bad));
}

#[test]
fn a_solution_using_a_missing_command_or_an_unknown_parameter_is_rejected() {
    let bad = GOOD.replace(
        "solution: kubectl run {{pod}} --image=nginx:alpine",
        "solution: kubectl frobnicate {{pod}}",
    );
    let p = problems_of(&bad);
    assert!(
        p.iter().any(|p| p.contains(
            "tasks[0].solution: `kubectl frobnicate a` uses something Dinghy lacks (unknown command)"
        )),
        "{p:?}"
    );
    let bad = GOOD.replace("Run {{pod}}.", "Run {{pods}}.");
    expect![[r#"
        [
            "labs/scenarios/tiny.yaml: tasks[0].text.en: unknown parameter {{pods}}",
        ]
    "#]]
    .assert_debug_eq(&problems_of(&bad));
}

#[test]
fn a_lab_needing_a_missing_feature_is_pending_with_the_feature_named() {
    let pending = GOOD.replace("minutes: 1", "minutes: 1\nrequires: [kubectl frobnicate]");
    let f = LabFile {
        path: "labs/scenarios/tiny.yaml",
        text: Box::leak(pending.into_boxed_str()),
    };
    let v = validate(&[f]);
    assert!(v.problems.is_empty());
    assert_eq!(
        v.pending,
        vec![(
            "labs/scenarios/tiny.yaml".to_string(),
            vec!["kubectl frobnicate".to_string()]
        )]
    );
}

/// Grades a learner's commands on a bundled lab, rendered in a language.
fn grade(id: &str, seed: u64, commands: &str, answers: &[(&str, &str)], lang: Lang) -> String {
    let f = labs::find(id).expect("bundled lab");
    let lab = Lab::load(f.path, f.text, seed).expect("lab loads");
    let mut sim = lab.start().expect("setup");
    sim.run_script(commands, false);
    lab.settle(&mut sim);
    let answers: BTreeMap<String, String> = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    lab.check(&mut sim, &answers, lang).render(lang)
}

#[test]
fn explanations_of_typical_wrong_answers() {
    // Seed 2 asks for pod `cache` with nginx:alpine; the learner uses the
    // wrong image, writes the YAML of the wrong image, miscounts.
    let commands = "kubectl run cache --image=nginx:1.14\n\
                    kubectl run redis --image=redis --dry-run=client -o yaml > /root/redis-pod.yaml\n";
    expect![[r#"
        ✗ count: How many pods are there in namespace `team-a`?
            - "7" is not the right answer.
        ✗ image: Which image does the pod `legacy` in namespace `default` run?
            - The question has not been answered.
        ✗ run: Create a pod named `cache` with the image `nginx:alpine` in namespace `default`.
            - pod cache: {.spec.containers[0].image} is nginx:1.14; the task asks for nginx:alpine.
        ✗ dry-run: Without creating it, write the manifest of a pod `redis` with the image
          `redis123` to `/root/redis-pod.yaml` on controlplane.
            - /root/redis-pod.yaml on controlplane: {.spec.containers[0].image} is redis; the task asks for redis123.
        0/4 tasks done
    "#]]
    .assert_eq(&grade("pods", 2, commands, &[("count", "7")], Lang::En));
    expect![[r#"
        ✗ count: 네임스페이스 `team-a`에는 파드가 몇 개 있습니까?
            - "7"은(는) 정답이 아닙니다.
        ✗ image: `default` 네임스페이스의 `legacy` 파드는 어떤 이미지를 사용합니까?
            - 아직 답하지 않았습니다.
        ✗ run: `default` 네임스페이스에 이미지 `nginx:alpine`를 사용하는 `cache` 파드를 만드세요.
            - pod cache: {.spec.containers[0].image} 값이 nginx:1.14입니다. 과제에서 요구하는 값은 nginx:alpine입니다.
        ✗ dry-run: 파드를 만들지 말고, 이미지 `redis123`을 쓰는 `redis` 파드의 매니페스트를
          controlplane의 `/root/redis-pod.yaml`에 저장하세요.
            - controlplane의 /root/redis-pod.yaml: {.spec.containers[0].image} 값이 redis입니다. 과제에서 요구하는 값은 redis123입니다.
        과제 4개 중 0개 완료
    "#]]
    .assert_eq(&grade("pods", 2, commands, &[("count", "7")], Lang::Ko));
}

#[test]
fn explanations_for_services_and_limitranges() {
    // A wrong port; a ClusterIP where a NodePort was asked.
    expect![[r#"
        ✗ clusterip: Expose the pod `redis` inside the cluster as the ClusterIP service `redis-service` on port 6379.
            - service redis-service: {.spec.ports[0].port} is 6380; the task asks for 6379.
        ✗ nodeport: Create the NodePort service `webapp-service` for the pods of the
          Deployment `webapp` (label `name=webapp`): port 80, target port
          8080, node port 31080.
            - service webapp-service: {.spec.type} is ClusterIP; the task asks for NodePort.
            - service webapp-service: {.spec.ports[0].nodePort} is (empty); the task asks for 31080.
            - service webapp-service: {.spec.ports[0].port} is 8080; the task asks for 80.
        0/2 tasks done
    "#]]
    .assert_eq(&grade(
        "services",
        1,
        "kubectl expose pod redis --port=6380 --name=redis-service\n\
         kubectl expose deployment webapp --name=webapp-service --port=8080\n",
        &[],
        Lang::En,
    ));
}

#[test]
fn a_node_may_run_an_older_kubelet_within_the_skew_policy() {
    let lab = GOOD.replace(
        "description: {en: A pod., ko: 파드.}",
        "description: {en: A pod., ko: 파드.}\nsetup:\n  nodes:\n  - {name: controlplane, control_plane: true}\n  - {name: node01, kubelet_version: v1.32.4}",
    ) + r#"- id: version
  text: {en: "Which kubelet version runs on node01?", ko: "node01의 kubelet 버전은?"}
  hints: [{en: kubectl get nodes, ko: kubectl get nodes}]
  question:
    answer_script: kubectl get node node01 -o jsonpath='{.status.nodeInfo.kubeletVersion}'
  solution: ssh node01 kubelet --version | cut -d' ' -f2
"#;
    assert_eq!(problems_of(&lab), Vec::<String>::new());
    let f = LabFile {
        path: "labs/scenarios/tiny.yaml",
        text: Box::leak(lab.clone().into_boxed_str()),
    };
    let l = Lab::load(f.path, f.text, 1).expect("loads");
    let mut sim = l.start().expect("setup");
    let answers = BTreeMap::from([("version".to_string(), "v1.32.4".to_string())]);
    expect![[r#"
        ✗ run: Run a.
            - pod a does not exist in namespace default.
        ✓ version: Which kubelet version runs on node01?
        1/2 tasks done
    "#]]
    .assert_eq(&l.check(&mut sim, &answers, Lang::En).render(Lang::En));
    let too_new = lab.replace("v1.32.4", "v1.34.0");
    expect![[r#"
        [
            "labs/scenarios/tiny.yaml: setup.nodes[1].kubelet_version: \"v1.34.0\" is not a kubelet the v1.33 control plane supports (v1.30.0 to v1.33.x: at most three minor versions older, never newer)",
        ]
    "#]]
    .assert_debug_eq(&problems_of(&too_new));
}
