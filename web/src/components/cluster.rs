//! The live cluster picture: nodes as cards (status, roles, taints,
//! requested CPU and memory against allocatable), their pods as chips
//! coloured by status, and the pods still waiting for the scheduler.

use crate::components::details::{Details, Target};
use crate::hooks::engine::use_engine;
use crate::i18n::use_t;
use engine::view::{NodeView, PodView};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The colour family of a pod status.
fn tone(status: &str) -> &'static str {
    match status {
        "Running" => "ok",
        "Completed" | "Succeeded" => "done",
        "Pending" | "ContainerCreating" | "PodInitializing" => "wait",
        "Terminating" => "leaving",
        s if s.starts_with("Init:") => "wait",
        _ => "bad",
    }
}

fn percent(used: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        (used * 100 / total).clamp(0, 100)
    }
}

/// Opens the details of what was clicked (or chosen with Enter/Space).
fn opener(
    select: &Callback<Target>,
    target: Target,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let click = {
        let select = select.clone();
        let target = target.clone();
        Callback::from(move |e: MouseEvent| {
            // A pod chip sits on its node's card: the pod wins.
            e.stop_propagation();
            select.emit(target.clone());
        })
    };
    let key = {
        let select = select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                select.emit(target.clone());
            }
        })
    };
    (click, key)
}

#[derive(Properties, PartialEq)]
struct ChipProps {
    pod: PodView,
    select: Callback<Target>,
}

/// One pod. A component of its own, so a pod that did not change is not
/// drawn again (the props compare equal).
#[function_component(Chip)]
fn chip(props: &ChipProps) -> Html {
    let p = &props.pod;
    let title = format!(
        "{}/{} — {} {} restarts:{}",
        p.namespace, p.name, p.status, p.ready, p.restarts
    );
    let (onclick, onkeydown) = opener(
        &props.select,
        Target {
            kind: "pod",
            namespace: p.namespace.clone(),
            name: p.name.clone(),
        },
    );
    html! {
        <li class={classes!("pod", tone(&p.status))} title={title} aria-label={format!("{} {}", p.name, p.status)} role="button" tabindex="0" {onclick} {onkeydown}>
            <span class="pod-name">{ &p.name }</span>
            <span class="pod-status">{ &p.status }</span>
        </li>
    }
}

/// More pods than this on one node (or waiting) are drawn as small
/// coloured squares (name and status on hover): 200 named chips, one per
/// row, made a list nobody could take in at a glance.
const DENSE: usize = 40;

/// The chips of these pods, keyed by pod: a pod that comes or goes adds
/// or removes its own chip and leaves the others where they are.
fn chips(pods: &[PodView], select: &Callback<Target>) -> Html {
    html! {
        <ul class={classes!("pods", (pods.len() > DENSE).then_some("dense"))}>
            { for pods.iter().map(|p| html! {
                <Chip key={format!("{}/{}", p.namespace, p.name)} pod={p.clone()} select={select.clone()} />
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct NodeCardProps {
    node: NodeView,
    pods: Vec<PodView>,
    lang: crate::i18n::Lang,
    select: Callback<Target>,
}

/// A node and its pods; drawn again only when one of them changed.
#[function_component(NodeCard)]
fn node_card(props: &NodeCardProps) -> Html {
    let (n, t, select) = (&props.node, props.lang, &props.select);
    let cpu = percent(n.cpu_requested_milli, n.cpu_allocatable_milli);
    let mem = percent(n.memory_requested, n.memory_allocatable);
    let healthy = n.status.starts_with("Ready");
    let (onclick, onkeydown) = opener(
        select,
        Target {
            kind: "node",
            namespace: String::new(),
            name: n.name.clone(),
        },
    );
    html! {
        <section class={classes!("node", (!healthy).then_some("unhealthy"), n.status.contains("SchedulingDisabled").then_some("cordoned"))} aria-label={n.name.clone()} onclick={onclick.clone()}>
            <header>
                <strong class="node-name" role="button" tabindex="0" {onclick} {onkeydown}>{ &n.name }</strong>
                <span class={classes!("node-status", if healthy { "ok" } else { "bad" })}>{ &n.status }</span>
                { for n.roles.iter().map(|r| html! { <span class="role">{ r }</span> }) }
            </header>
            { for n.taints.iter().map(|tn| html! { <div class="taint" title="taint">{ tn }</div> }) }
            <div class="bars">
                <label>{ format!("{} {}% {}", t.text("cpu"), cpu, t.text("requested")) }<meter min="0" max="100" value={cpu.to_string()} /></label>
                <label>{ format!("{} {}% {}", t.text("memory"), mem, t.text("requested")) }<meter min="0" max="100" value={mem.to_string()} /></label>
            </div>
            if props.pods.is_empty() {
                <p class="empty">{ t.text("no-pods") }</p>
            } else {
                { chips(&props.pods, select) }
            }
        </section>
    }
}

#[function_component(ClusterPicture)]
pub fn cluster_picture() -> Html {
    let engine = use_engine();
    let t = use_t();
    let namespace = use_state(String::new);
    let selected = use_state(|| None::<Target>);
    // One callback for the whole life of the picture: chips and cards
    // compare their props, and a new callback each render would redraw all.
    let select = {
        let selected = selected.clone();
        use_callback((), move |t: Target, _| selected.set(Some(t)))
    };
    let close = {
        let selected = selected.clone();
        Callback::from(move |_| selected.set(None))
    };
    let Some(engine) = engine else {
        return html! {};
    };
    let view = engine.with(|s| s.view());
    let shown: Vec<&PodView> = view
        .pods
        .iter()
        .filter(|p| namespace.is_empty() || p.namespace == *namespace)
        .collect();
    let on = |node: &str| -> Vec<PodView> {
        shown
            .iter()
            .filter(|p| p.node == node)
            .map(|p| (*p).clone())
            .collect()
    };
    let pending = on("");
    let on_ns = {
        let namespace = namespace.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                namespace.set(sel.value());
            }
        })
    };
    html! {
        <div class="cluster" aria-label={t.text("cluster")}>
            <div class="cluster-head">
                <h2>{ t.text("cluster") }</h2>
                <label class="ns-filter">
                    { t.text("namespace") }
                    <select onchange={on_ns}>
                        <option value="" selected={namespace.is_empty()}>{ t.text("all-namespaces") }</option>
                        { for view.namespaces.iter().map(|ns| html! { <option value={ns.clone()} selected={*namespace == *ns}>{ ns }</option> }) }
                    </select>
                </label>
            </div>
            if !pending.is_empty() {
                <section class="queue">
                    <h3>{ t.text("pending-queue") }</h3>
                    { chips(&pending, &select) }
                </section>
            }
            <div class="nodes">
                { for view.nodes.iter().map(|n| html! {
                    <NodeCard key={n.name.clone()} node={n.clone()} pods={on(&n.name)} lang={t} select={select.clone()} />
                }) }
            </div>
            if let Some(target) = (*selected).clone() {
                <Details {target} on_close={close} />
            }
        </div>
    }
}
