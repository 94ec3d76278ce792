//! Every text the scheduler shows a learner, in one place, as kube-scheduler
//! v1.33 words it: the plugins' Filter reasons, the `FailedScheduling`
//! message (`FitError.Error()` in `pkg/scheduler/framework/types.go`), the
//! preemption part DefaultPreemption appends, and the `Scheduled` event.
//!
//! Assembly of the FitError message:
//! `0/<N> nodes are available:` then either ` <PreFilter message>.` or
//! ` <histogram>.` — one `"<count> <reason>"` per distinct reason over all
//! rejected nodes (each node's reasons come from the first Filter plugin that
//! rejected it), sorted as strings and joined by `, ` — then, if PostFilter
//! (preemption) said something, ` <PostFilter message>` (which ends in its
//! own period).

// Filter reasons, per plugin.
pub const NODE_UNSCHEDULABLE: &str = "node(s) were unschedulable";
pub const NODE_NAME: &str = "node(s) didn't match the requested node name";
pub const NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
pub const NODE_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
pub const TOO_MANY_PODS: &str = "Too many pods";
pub const POD_AFFINITY: &str = "node(s) didn't match pod affinity rules";
pub const POD_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
pub const EXISTING_ANTI_AFFINITY: &str = "node(s) didn't satisfy existing pods anti-affinity rules";
pub const SPREAD_CONSTRAINTS: &str = "node(s) didn't match pod topology spread constraints";
pub const SPREAD_MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
pub const UNBOUND_IMMEDIATE_PVC: &str = "pod has unbound immediate PersistentVolumeClaims";
pub const VOLUME_NODE_AFFINITY_CONFLICT: &str = "node(s) had volume node affinity conflict";
pub const VOLUME_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
pub const NO_NODES: &str = "no nodes available to schedule pods";

// Preemption.
pub const PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const PREEMPTION_NEVER: &str = "not eligible due to preemptionPolicy=Never.";

/// TaintToleration: `node(s) had untolerated taint {<key>: <value>}` (v1.33
/// prints key and value; an empty value leaves `{key: }`).
pub fn untolerated_taint(key: &str, value: &str) -> String {
    format!("node(s) had untolerated taint {{{key}: {value}}}")
}

/// NodeResourcesFit: `Insufficient cpu`, `Insufficient memory`, `Insufficient nvidia.com/gpu`.
pub fn insufficient(resource: &str) -> String {
    format!("Insufficient {resource}")
}

/// VolumeBinding PreFilter: a claim that does not exist.
pub fn pvc_not_found(name: &str) -> String {
    format!("persistentvolumeclaim \"{name}\" not found")
}

/// VolumeBinding PreFilter: a claim being deleted.
pub fn pvc_deleting(name: &str) -> String {
    format!("persistentvolumeclaim \"{name}\" is being deleted")
}

/// SchedulingGates PreEnqueue: `waiting for scheduling gates: [a b]`.
pub fn waiting_for_gates(gates: &[String]) -> String {
    format!("waiting for scheduling gates: [{}]", gates.join(" "))
}

/// The condition message of a gated pod.
pub const SCHEDULING_GATED_MESSAGE: &str =
    "Scheduling is blocked due to non-empty scheduling gates";

/// The `Scheduled` event.
pub fn scheduled(namespace: &str, pod: &str, node: &str) -> String {
    format!("Successfully assigned {namespace}/{pod} to {node}")
}

/// `Preempted` event on a victim.
pub fn preempted(preemptor_uid: &str, node: &str) -> String {
    format!("Preempted by pod {preemptor_uid} on node {node}")
}

/// A failed bind: `running Bind plugin "DefaultBinder": <error>`, prefixed
/// `Binding rejected: ` as the scheduler reports it.
pub fn binding_rejected(plugin: &str, err: &str) -> String {
    format!("Binding rejected: running Bind plugin \"{plugin}\": {err}")
}

/// The reasons of the rejected nodes, as `FitError` needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnosis {
    /// Reasons of each node that has an explicit status.
    pub node_reasons: Vec<Vec<String>>,
    /// Reasons counted once per node for the nodes without an explicit
    /// status (`NodeToStatus.AbsentNodesStatus`).
    pub absent_reasons: Vec<String>,
    pub pre_filter_msg: String,
    pub post_filter_msg: String,
}

/// `FitError.Error()`.
pub fn fit_error(num_all_nodes: usize, d: &Diagnosis) -> String {
    let mut msg = format!("0/{num_all_nodes} nodes are available:");
    if !d.pre_filter_msg.is_empty() {
        msg.push(' ');
        msg.push_str(&d.pre_filter_msg);
        msg.push('.');
    } else {
        // Each reason with its count, in no order (sorted below): a list,
        // not a map, for the wasm bundle's size; there are a few reasons.
        let mut counts: Vec<(&str, usize)> = Vec::new();
        fn count<'a>(counts: &mut Vec<(&'a str, usize)>, r: &'a str, n: usize) {
            match counts.iter_mut().find(|(c, _)| *c == r) {
                Some((_, c)) => *c += n,
                None => counts.push((r, n)),
            }
        }
        for reasons in &d.node_reasons {
            for r in reasons {
                count(&mut counts, r, 1);
            }
        }
        let absent = num_all_nodes.saturating_sub(d.node_reasons.len());
        if absent > 0 {
            for r in &d.absent_reasons {
                count(&mut counts, r, absent);
            }
        }
        let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
        // Go's sort.Strings: byte order of the whole "<count> <reason>" string.
        crate::sort::sort(&mut parts);
        if !parts.is_empty() {
            msg.push(' ');
            msg.push_str(&parts.join(", "));
            msg.push('.');
        }
    }
    if !d.post_filter_msg.is_empty() {
        msg.push(' ');
        msg.push_str(&d.post_filter_msg);
    }
    msg
}

/// DefaultPreemption's message when no candidate was found: a FitError over
/// every node, the nodes not tried counting as "Preemption is not helpful",
/// prefixed `preemption: `.
pub fn preemption_failed(num_all_nodes: usize, tried: Vec<Vec<String>>) -> String {
    let d = Diagnosis {
        node_reasons: tried,
        absent_reasons: vec![PREEMPTION_NOT_HELPFUL.to_string()],
        ..Diagnosis::default()
    };
    format!("preemption: {}", fit_error(num_all_nodes, &d))
}

/// The preemption part for a pod that may not preempt.
pub fn preemption_never() -> String {
    format!("preemption: {PREEMPTION_NEVER}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fit_error_assembly() {
        let cp = untolerated_taint("node-role.kubernetes.io/control-plane", "");
        let cpu = insufficient("cpu");
        let mem = insufficient("memory");
        struct Case {
            nodes: usize,
            d: Diagnosis,
            want: &'static str,
        }
        let cases = [
            Case {
                nodes: 3,
                d: Diagnosis {
                    node_reasons: vec![vec![cp.clone()], vec![cpu.clone()], vec![cpu.clone()]],
                    post_filter_msg: preemption_failed(3, vec![vec![NO_VICTIMS.into()], vec![NO_VICTIMS.into()]]),
                    ..Default::default()
                },
                want: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
            },
            Case {
                nodes: 2,
                d: Diagnosis {
                    node_reasons: vec![vec![cp.clone()], vec![untolerated_taint("node.kubernetes.io/unreachable", "")]],
                    post_filter_msg: preemption_failed(2, vec![]),
                    ..Default::default()
                },
                want: "0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
            },
            // several reasons from one plugin count separately; sorting is by string ("10 …" before "2 …")
            Case {
                nodes: 12,
                d: Diagnosis {
                    node_reasons: {
                        let mut v = vec![vec![cpu.clone(), mem.clone()]; 2];
                        v.extend(vec![vec![reasons(&[NODE_AFFINITY])[0].clone()]; 10]);
                        v
                    },
                    post_filter_msg: preemption_never(),
                    ..Default::default()
                },
                want: "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu, 2 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never.",
            },
            // PreFilter failure: its message, no per-node histogram
            Case {
                nodes: 3,
                d: Diagnosis {
                    node_reasons: vec![reasons(&[UNBOUND_IMMEDIATE_PVC]); 3],
                    pre_filter_msg: UNBOUND_IMMEDIATE_PVC.into(),
                    post_filter_msg: preemption_failed(3, vec![]),
                    ..Default::default()
                },
                want: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            },
            // preemption succeeded: no PostFilter message
            Case {
                nodes: 1,
                d: Diagnosis { node_reasons: vec![vec![cpu.clone()]], ..Default::default() },
                want: "0/1 nodes are available: 1 Insufficient cpu.",
            },
            // preemption tried a node but it still does not fit
            Case {
                nodes: 3,
                d: Diagnosis {
                    node_reasons: vec![vec![cpu.clone()], vec![cpu.clone()], vec![NODE_UNSCHEDULABLE.into()]],
                    post_filter_msg: preemption_failed(3, vec![vec![cpu.clone()], vec![NO_VICTIMS.into()]]),
                    ..Default::default()
                },
                want: "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
            },
            Case {
                nodes: 2,
                d: Diagnosis {
                    node_reasons: vec![vec![TOO_MANY_PODS.into()], vec![NODE_PORTS.into()]],
                    ..Default::default()
                },
                want: "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't have free ports for the requested pod ports.",
            },
        ];
        for (i, c) in cases.iter().enumerate() {
            assert_eq!(fit_error(c.nodes, &c.d), c.want, "case {i}");
        }
    }

    #[test]
    fn small_texts() {
        assert_eq!(
            scheduled("default", "web", "node01"),
            "Successfully assigned default/web to node01"
        );
        assert_eq!(
            untolerated_taint("dedicated", "gpu"),
            "node(s) had untolerated taint {dedicated: gpu}"
        );
        assert_eq!(
            waiting_for_gates(&["a".into(), "b".into()]),
            "waiting for scheduling gates: [a b]"
        );
        assert_eq!(
            pvc_not_found("data"),
            "persistentvolumeclaim \"data\" not found"
        );
        assert_eq!(
            preemption_never(),
            "preemption: not eligible due to preemptionPolicy=Never."
        );
    }
}
