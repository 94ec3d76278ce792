//! Dinghy's browser app. The engine runs inside the page; this crate draws
//! it and feeds it keystrokes.
//!
//! **Architecture Invariant:** the web crate talks to the engine only
//! through `engine::Simulation`'s public API (text in, output out).

mod app;
mod bench;
mod components;
mod highlight;
mod hooks;
mod i18n;
mod markdown;
mod panic_hook;
mod persist;
mod vim;

fn main() {
    panic_hook::install();
    // `?bench`: the page measures instead of running the app (issue 11).
    if let Some(wanted) = bench::requested() {
        bench::start(wanted);
        return;
    }
    yew::Renderer::<app::App>::new().render();
}
