//! A handle between two panes: drag it (or focus it and press ←/→) to
//! give one pane more room. It reports horizontal moves in pixels.

use crate::i18n::use_t;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// Called with each move, in CSS pixels (positive: to the right).
    pub on_move: Callback<f64>,
    /// Called when a drag ends, to save the layout.
    #[prop_or_default]
    pub on_done: Callback<()>,
    pub label: AttrValue,
}

#[function_component(Splitter)]
pub fn splitter(props: &SplitterProps) -> Html {
    let t = use_t();
    let last_x = use_mut_ref(|| None::<f64>);
    let onpointerdown = {
        let last_x = last_x.clone();
        Callback::from(move |e: PointerEvent| {
            e.prevent_default();
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            *last_x.borrow_mut() = Some(e.client_x() as f64);
        })
    };
    let onpointermove = {
        let last_x = last_x.clone();
        let on_move = props.on_move.clone();
        Callback::from(move |e: PointerEvent| {
            let x = e.client_x() as f64;
            let prev = *last_x.borrow();
            if let Some(prev) = prev {
                *last_x.borrow_mut() = Some(x);
                on_move.emit(x - prev);
            }
        })
    };
    let end = {
        let last_x = last_x.clone();
        let on_done = props.on_done.clone();
        Callback::from(move |_: PointerEvent| {
            if last_x.borrow_mut().take().is_some() {
                on_done.emit(());
            }
        })
    };
    let onkeydown = {
        let on_move = props.on_move.clone();
        let on_done = props.on_done.clone();
        Callback::from(move |e: KeyboardEvent| {
            let dx = match e.key().as_str() {
                "ArrowLeft" => -24.0,
                "ArrowRight" => 24.0,
                _ => return,
            };
            e.prevent_default();
            on_move.emit(dx);
            on_done.emit(());
        })
    };
    html! {
        <div class="splitter" role="separator" aria-orientation="vertical" tabindex="0"
            aria-label={props.label.clone()} title={t.text("resize")}
            {onpointerdown} {onpointermove} onpointerup={end.clone()} onpointercancel={end} {onkeydown} />
    }
}
