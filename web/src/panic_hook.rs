//! A panic leaves a wasm instance unusable. Instead of a frozen tab, show
//! what happened and offer a one-click restart; the restart reloads the
//! page, which restores the last saved state (see `persist`): the command
//! that panicked was never saved, so the restored cluster is the one from
//! just before it.

use wasm_bindgen::prelude::*;

pub fn install() {
    // Through Yew, which would otherwise replace any hook set before it renders.
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&format!("dinghy panicked: {message}")));
        show_overlay(&message);
    }));
}

/// Plain DOM calls only: Yew's renderer may be in the middle of the panic.
fn show_overlay(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    let Ok(overlay) = document.create_element("div") else {
        return;
    };
    overlay.set_id("crash");
    let _ = overlay.set_attribute("role", "alertdialog");
    let _ = overlay.set_attribute("aria-labelledby", "crash-title");
    let build = || -> Result<(), JsValue> {
        let title = document.create_element("h2")?;
        title.set_id("crash-title");
        title.set_text_content(Some("Dinghy stopped because of an internal error"));
        let text = document.create_element("p")?;
        text.set_text_content(Some(
            "This is a bug in Dinghy, not something you did wrong. Your cluster and terminal history up to the last command are saved. Restart to continue from there.",
        ));
        let details = document.create_element("pre")?;
        details.set_text_content(Some(message));
        let button = document.create_element("button")?;
        button.set_id("crash-restart");
        button.set_text_content(Some("Restart Dinghy"));
        button.set_attribute("onclick", "location.reload()")?;
        overlay.append_child(&title)?;
        overlay.append_child(&text)?;
        overlay.append_child(&button)?;
        overlay.append_child(&details)?;
        body.append_child(&overlay)?;
        if let Some(b) = button.dyn_ref::<web_sys::HtmlElement>() {
            let _ = b.focus();
        }
        Ok(())
    };
    let _ = build();
}

/// Lets the end-to-end test prove the hook works: a deliberate panic.
#[wasm_bindgen]
pub fn dinghy_test_panic() {
    panic!("deliberate panic requested by the end-to-end test");
}
