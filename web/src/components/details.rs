//! Details of a pod or node the learner clicked in the cluster picture:
//! what `kubectl describe` prints, its YAML, and its events — the engine's
//! own kubectl, so the text is exactly what the terminal would show.

use crate::hooks::engine::use_engine;
use crate::i18n::use_t;
use yew::prelude::*;

/// The object shown: `pod` or `node`, its namespace (empty for a node), its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Describe,
    Yaml,
    Events,
}

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub target: Target,
    pub on_close: Callback<()>,
}

#[function_component(Details)]
pub fn details(props: &DetailsProps) -> Html {
    let engine = use_engine();
    let t = use_t();
    let tab = use_state(|| Tab::Describe);
    let close_ref = use_node_ref();
    {
        // Focus moves into the dialog, so Esc and Tab work at once.
        let close_ref = close_ref.clone();
        use_effect_with(props.target.clone(), move |_| {
            if let Some(b) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    let Some(engine) = engine else {
        return html! {};
    };
    let target = &props.target;
    let mut args = vec![];
    let text = match *tab {
        Tab::Describe | Tab::Yaml => {
            args.extend([
                if *tab == Tab::Describe {
                    "describe"
                } else {
                    "get"
                },
                target.kind,
                target.name.as_str(),
            ]);
            if !target.namespace.is_empty() {
                args.extend(["-n", target.namespace.as_str()]);
            }
            if *tab == Tab::Yaml {
                args.extend(["-o", "yaml"]);
            }
            engine.inspect(&args).text()
        }
        Tab::Events => {
            let object = format!("{}/{}", target.kind, target.name);
            let lines: Vec<String> = engine.with(|s| {
                s.view()
                    .events
                    .iter()
                    .filter(|e| {
                        e.object == object
                            && (target.namespace.is_empty() || e.namespace == target.namespace)
                    })
                    .map(|e| {
                        format!(
                            "{:<8} {:<8} {:<20} {}",
                            e.last_seen, e.type_, e.reason, e.message
                        )
                    })
                    .collect()
            });
            if lines.is_empty() {
                t.text("no-object-events").to_string()
            } else {
                format!(
                    "{:<8} {:<8} {:<20} {}\n{}",
                    "LAST SEEN",
                    "TYPE",
                    "REASON",
                    "MESSAGE",
                    lines.join("\n")
                )
            }
        }
    };
    let pick = |which: Tab| {
        let tab = tab.clone();
        Callback::from(move |_| tab.set(which))
    };
    let on_close = props.on_close.clone();
    let onkeydown = {
        let on_close = on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let title = if target.namespace.is_empty() {
        format!("{}/{}", target.kind, target.name)
    } else {
        format!("{}/{} -n {}", target.kind, target.name, target.namespace)
    };
    let tabs = [
        (Tab::Describe, "describe"),
        (Tab::Yaml, "yaml"),
        (Tab::Events, "events"),
    ];
    html! {
        <div class="details-backdrop" onclick={on_close.reform(|_| ())}>
            <div class="details" role="dialog" aria-modal="true" aria-label={format!("{} {title}", t.text("details"))}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())} {onkeydown}>
                <header>
                    <strong class="details-title">{ title }</strong>
                    <span class="tabs" role="tablist">
                        { for tabs.iter().map(|(which, key)| html! {
                            <button role="tab" class={classes!("tab", (*tab == *which).then_some("active"))}
                                aria-selected={(*tab == *which).to_string()} onclick={pick(*which)}>{ t.text(key) }</button>
                        }) }
                    </span>
                    <span class="spacer" />
                    <button ref={close_ref} class="chip-button" onclick={on_close.reform(|_| ())}>{ t.text("close") }</button>
                </header>
                <pre class="details-text" role="tabpanel" tabindex="0">{ text }</pre>
            </div>
        </div>
    }
}
