//! The simulated clock: what time it is in the cluster, pause/play at 1×,
//! 10× or 60×, and fast-forward by one or five minutes — to watch a
//! NotReady node's pods get evicted without waiting five real minutes.

use crate::hooks::engine::use_engine;
use crate::i18n::use_t;
use engine::clock::Duration;
use gloo::timers::callback::Interval;
use yew::prelude::*;

#[function_component(Clock)]
pub fn clock() -> Html {
    let engine = use_engine();
    let t = use_t();
    let running = use_state(|| false);
    let speed = use_state(|| 1i64);

    // While running, advance `speed` simulated seconds every real second.
    {
        let engine = engine.clone();
        use_effect_with((*running, *speed), move |(running, speed)| {
            let speed = *speed;
            let interval = running.then(|| {
                Interval::new(1000, move || {
                    if let Some(e) = &engine {
                        e.step(Duration::from_secs(speed));
                    }
                })
            });
            move || drop(interval)
        });
    }

    let now = engine
        .as_ref()
        .map(|e| e.with(|s| s.now()))
        .unwrap_or_default();
    let text = now.rfc3339();
    let (date, time) = (
        text.get(0..10).unwrap_or(""),
        text.get(11..19).unwrap_or(""),
    );
    let forward = |secs: i64| {
        let engine = engine.clone();
        Callback::from(move |_| {
            if let Some(e) = &engine {
                e.step(Duration::from_secs(secs));
            }
        })
    };
    let toggle = {
        let running = running.clone();
        Callback::from(move |_| running.set(!*running))
    };
    let set_speed = |s: i64| {
        let speed = speed.clone();
        Callback::from(move |_| speed.set(s))
    };
    html! {
        <div class="clock" role="group" aria-label={t.text("clock")}>
            <time class="clock-time" datetime={text.clone()} title={date.to_string()}>{ time }</time>
            <button class="icon-button" onclick={toggle} aria-label={t.text(if *running { "pause" } else { "play" })} aria-pressed={running.to_string()}>
                { if *running { "⏸" } else { "▶" } }
            </button>
            <span class="speeds" role="radiogroup" aria-label={t.text("speed")}>
                { for [1i64, 10, 60].iter().map(|s| html! {
                    <button class={classes!("speed", (*speed == *s).then_some("active"))} role="radio" aria-checked={(*speed == *s).to_string()} onclick={set_speed(*s)}>
                        { format!("{s}×") }
                    </button>
                }) }
            </span>
            <button class="chip-button" onclick={forward(60)} title={t.text("fast-forward")}>{ t.text("plus-1m") }</button>
            <button class="chip-button" onclick={forward(300)} title={t.text("fast-forward")}>{ t.text("plus-5m") }</button>
        </div>
    }
}
