//! The page: header and the terminal. The lab panel and the cluster
//! picture join it in their own issues.

use crate::components::terminal::Terminal;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! {
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
                <span class="tagline">{ "a Kubernetes v1.33 cluster in your browser tab" }</span>
            </header>
            <main class="main">
                <Terminal />
            </main>
        </div>
    }
}
