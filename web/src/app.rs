//! The page: a header with the clock, the terminal, and the cluster
//! picture with the events feed beside it.

use crate::components::clock::Clock;
use crate::components::cluster::ClusterPicture;
use crate::components::events::EventsFeed;
use crate::components::terminal::Terminal;
use crate::hooks::engine::{use_engine_root, Engine};
use crate::i18n::{use_lang, Lang, LangContext};
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let (engine, note) = use_engine_root();
    let lang = use_lang();
    let toggle_lang = {
        let lang = lang.clone();
        Callback::from(move |_| {
            lang.set(if lang.get() == Lang::En {
                Lang::Ko
            } else {
                Lang::En
            })
        })
    };
    let picture_open = use_state(|| true);
    let toggle_picture = {
        let open = picture_open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let t = lang.get();
    html! {
        <ContextProvider<Engine> context={engine.clone()}>
        <ContextProvider<LangContext> context={lang.clone()}>
            <div class="app">
                <header class="topbar">
                    <span class="brand">
                        <svg class="logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                            <path d="M12 2 L12 17 L4 17 Z" fill="currentColor" opacity="0.85" />
                            <path d="M13 5 L13 17 L19 17 Z" fill="currentColor" opacity="0.55" />
                            <path d="M2 19 H22 L19 22 H5 Z" fill="currentColor" />
                        </svg>
                        { "Dinghy" }
                    </span>
                    <span class="tagline">{ t.text("tagline") }</span>
                    <span class="spacer" />
                    <Clock />
                    <button class="chip-button" onclick={toggle_picture} aria-pressed={(*picture_open).to_string()}>
                        { t.text(if *picture_open { "hide-cluster" } else { "show-cluster" }) }
                    </button>
                    <button class="chip-button" onclick={toggle_lang} aria-label={t.text("switch-language")}>
                        { t.text("other-language") }
                    </button>
                </header>
                <main class={classes!("main", (!*picture_open).then_some("picture-closed"))}>
                    <Terminal {note} />
                    if *picture_open {
                        <aside class="side">
                            <ClusterPicture />
                            <EventsFeed />
                        </aside>
                    }
                </main>
            </div>
        </ContextProvider<LangContext>>
        </ContextProvider<Engine>>
    }
}
