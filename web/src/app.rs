//! The page: a header with the clock, then three panes side by side — the
//! lab panel, the terminal, and the cluster picture with the events feed —
//! with handles between them to resize; the outer two can be hidden.

use crate::components::clock::Clock;
use crate::components::cluster::ClusterPicture;
use crate::components::events::EventsFeed;
use crate::components::lab::LabPanel;
use crate::components::splitter::Splitter;
use crate::components::terminal::Terminal;
use crate::hooks::engine::{use_engine_root, Engine};
use crate::i18n::{use_lang, Lang, LangContext};
use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

const LAYOUT_KEY: &str = "dinghy/v1/layout";

/// Pane widths in CSS pixels, and which panes are open.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Layout {
    lab: f64,
    side: f64,
    lab_open: bool,
    side_open: bool,
}

impl Default for Layout {
    /// Proportional to the window, so the terminal keeps the most room: at
    /// 1200 px it is about 65 columns wide, so `kubectl get nodes` and
    /// `kubectl get pods -w` rows do not wrap (27 % and 30 % left it 52
    /// columns, and those tables broke over two lines).
    fn default() -> Self {
        let width = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .unwrap_or(1280.0);
        Layout {
            lab: (width * 0.22).clamp(MIN_PANE, 480.0).round(),
            side: (width * 0.26).clamp(MIN_PANE, 480.0).round(),
            lab_open: true,
            side_open: true,
        }
    }
}

impl Layout {
    /// The saved layout; anything unreadable gives the default (a layout
    /// is not worth a message).
    fn load() -> Layout {
        let raw = LocalStorage::raw().get_item(LAYOUT_KEY).ok().flatten();
        let v: Option<serde_json::Value> = raw.and_then(|r| serde_json::from_str(&r).ok());
        let d = Layout::default();
        let Some(v) = v else { return d };
        let num = |k: &str, d: f64| v.get(k).and_then(|x| x.as_f64()).unwrap_or(d);
        let flag = |k: &str, d: bool| v.get(k).and_then(|x| x.as_bool()).unwrap_or(d);
        Layout {
            lab: num("lab", d.lab).clamp(MIN_PANE, 900.0),
            side: num("side", d.side).clamp(MIN_PANE, 900.0),
            lab_open: flag("labOpen", d.lab_open),
            side_open: flag("sideOpen", d.side_open),
        }
    }

    fn save(&self) {
        let v = serde_json::json!({
            "lab": self.lab, "side": self.side, "labOpen": self.lab_open, "sideOpen": self.side_open,
        });
        let _ = LocalStorage::raw().set_item(LAYOUT_KEY, &v.to_string());
    }
}

const MIN_PANE: f64 = 240.0;

#[function_component(App)]
pub fn app() -> Html {
    let (engine, note) = use_engine_root();
    let lang = use_lang();
    let layout = use_state(Layout::load);
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
    let change = |f: fn(&mut Layout)| {
        let layout = layout.clone();
        Callback::from(move |_| {
            let mut l = *layout;
            f(&mut l);
            l.save();
            layout.set(l);
        })
    };
    let toggle_picture = change(|l| l.side_open = !l.side_open);
    let toggle_labs = change(|l| l.lab_open = !l.lab_open);
    let save_layout = {
        let layout = layout.clone();
        Callback::from(move |_| layout.save())
    };
    let drag_lab = {
        let layout = layout.clone();
        Callback::from(move |dx: f64| {
            let mut l = *layout;
            l.lab = (l.lab + dx).clamp(MIN_PANE, 900.0);
            layout.set(l);
        })
    };
    let drag_side = {
        let layout = layout.clone();
        Callback::from(move |dx: f64| {
            let mut l = *layout;
            l.side = (l.side - dx).clamp(MIN_PANE, 900.0);
            layout.set(l);
        })
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
                    <button class="chip-button" onclick={toggle_labs} aria-pressed={layout.lab_open.to_string()}>
                        { t.text(if layout.lab_open { "hide-labs" } else { "show-labs" }) }
                    </button>
                    <button class="chip-button" onclick={toggle_picture} aria-pressed={layout.side_open.to_string()}>
                        { t.text(if layout.side_open { "hide-cluster" } else { "show-cluster" }) }
                    </button>
                    <button class="chip-button" onclick={toggle_lang} aria-label={t.text("switch-language")}>
                        { t.text("other-language") }
                    </button>
                </header>
                <main class={classes!("main", (!layout.side_open).then_some("picture-closed"))}>
                    if layout.lab_open {
                        <div class="pane lab-pane" style={format!("width:{}px", layout.lab)}>
                            <LabPanel />
                        </div>
                        <Splitter label={t.text("labs")} on_move={drag_lab} on_done={save_layout.clone()} />
                    }
                    <Terminal {note} />
                    if layout.side_open {
                        <Splitter label={t.text("cluster")} on_move={drag_side} on_done={save_layout} />
                        <aside class="side" style={format!("width:{}px", layout.side)}>
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
