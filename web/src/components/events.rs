//! The cluster's events as they happen, newest first, filterable.

use crate::hooks::engine::use_engine;
use crate::i18n::use_t;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[function_component(EventsFeed)]
pub fn events_feed() -> Html {
    let engine = use_engine();
    let t = use_t();
    let filter = use_state(String::new);
    let Some(engine) = engine else {
        return html! {};
    };
    let view = engine.with(|s| s.view());
    let needle = engine::case::to_lowercase(&filter);
    let shown: Vec<_> = view
        .events
        .iter()
        .rev()
        .filter(|e| {
            needle.is_empty()
                || engine::case::to_lowercase(&format!(
                    "{} {} {} {} {}",
                    e.type_, e.reason, e.object, e.message, e.namespace
                ))
                .contains(&needle)
        })
        .take(200)
        .collect();
    let on_input = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(i.value());
            }
        })
    };
    html! {
        <section class="events" aria-label={t.text("events")}>
            <div class="cluster-head">
                <h2>{ t.text("events") }</h2>
                <input type="search" placeholder={t.text("filter-events")} aria-label={t.text("filter-events")} oninput={on_input} value={(*filter).clone()} />
            </div>
            if shown.is_empty() {
                <p class="empty">{ t.text("no-events") }</p>
            } else {
                <ol class="event-list">
                    { for shown.iter().map(|e| html! {
                        <li class={classes!("event", (e.type_ == "Warning").then_some("warning"))}>
                            <span class="ev-age">{ &e.last_seen }</span>
                            <span class="ev-reason">{ &e.reason }</span>
                            <span class="ev-object">{ &e.object }</span>
                            <span class="ev-message">{ &e.message }</span>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}
