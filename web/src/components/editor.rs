//! The editor `vi`, `vim`, `nano` and `kubectl edit` open: a full-window
//! text area over the terminal with line numbers, and the keys a CKA
//! candidate reaches for. `vi`/`vim` (and `kubectl edit`, whose editor is
//! vi) are modal: they open in normal mode and [`crate::vim`] moves the
//! cursor and edits; insert mode types natively. `:wq`, `:x`, `:w`, `:q`,
//! `:q!` and `/search` go to the command line; Ctrl-S saves and closes;
//! buttons do the same. `nano` is not modal (Esc opens the command line).

use crate::highlight::highlight;
use crate::vim::{Effect, Mode, Vim};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// `vi`, `vim` or `nano`.
    pub program: String,
    pub path: String,
    pub text: String,
    /// `Some(text)`: saved; `None`: quit without saving.
    pub on_close: Callback<Option<String>>,
}

/// What an ex command asks for.
#[derive(Debug, PartialEq)]
enum Ex {
    /// Save, stay open (`:w`): saving and closing are one step for the engine,
    /// so `:w` marks the text saved and `:q` then closes with it.
    Write,
    WriteQuit,
    Quit,
    ForceQuit,
    Unknown(String),
}

fn parse_ex(cmd: &str) -> Ex {
    match cmd.trim().trim_start_matches(':').trim() {
        "w" | "w!" => Ex::Write,
        "wq" | "wq!" | "x" | "x!" | "wqa" | "xa" => Ex::WriteQuit,
        "q" | "qa" => Ex::Quit,
        "q!" | "qa!" | "cq" => Ex::ForceQuit,
        other => Ex::Unknown(other.to_string()),
    }
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let text_ref = use_node_ref();
    let cmd_ref = use_node_ref();
    // The text as the text area holds it, for the gutter and the colours.
    let shown = use_state(|| props.text.clone());
    // The text as last written with `:w` (None: not written in this session).
    let written = use_mut_ref(|| None::<String>);
    let message = use_state(String::new);
    let modal = props.program != "nano";
    let vim = use_mut_ref(|| Vim::new(&props.text));
    let mode = use_state(|| if modal { Mode::Normal } else { Mode::Insert });

    {
        // The text is set once, not through a `value` attribute: a
        // controlled textarea would be reset to the file's old text when
        // the line count re-renders the editor.
        let text_ref = text_ref.clone();
        let text = props.text.clone();
        let vim = vim.clone();
        let mode = mode.clone();
        let shown = shown.clone();
        use_effect_with(props.path.clone(), move |_| {
            if let Some(t) = text_ref.cast::<HtmlTextAreaElement>() {
                t.set_value(&text);
                shown.set(text.clone());
                let _ = t.focus();
                t.set_selection_range(0, 0).ok();
                // A new file: its own undo history, in normal mode.
                *vim.borrow_mut() = Vim::new(&text);
                if modal {
                    mode.set(Mode::Normal);
                    show(&t, &vim.borrow());
                }
            }
        });
    }

    let current = {
        let text_ref = text_ref.clone();
        move || {
            text_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default()
        }
    };

    let run_ex = {
        let on_close = props.on_close.clone();
        let written = written.clone();
        let message = message.clone();
        let current = current.clone();
        let original = props.text.clone();
        let path = props.path.clone();
        Callback::from(move |cmd: String| match parse_ex(&cmd) {
            Ex::Write => {
                *written.borrow_mut() = Some(current());
                message.set(format!("\"{path}\" written"));
            }
            Ex::WriteQuit => on_close.emit(Some(current())),
            Ex::Quit => {
                let now = current();
                let saved = written.borrow().clone();
                let unchanged = saved.as_deref().unwrap_or(&original) == now;
                if unchanged {
                    on_close.emit(saved);
                } else {
                    message.set("E37: No write since last change (add ! to override)".into());
                }
            }
            Ex::ForceQuit => on_close.emit(written.borrow().clone()),
            Ex::Unknown(c) => message.set(format!("E492: Not an editor command: {c}")),
        })
    };

    let onkeydown_text = {
        let cmd_ref = cmd_ref.clone();
        let run_ex = run_ex.clone();
        let vim = vim.clone();
        let mode = mode.clone();
        let message = message.clone();
        let shown = shown.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let ctrl = e.ctrl_key() || e.meta_key();
            let area = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok());
            if ctrl && key.eq_ignore_ascii_case("s") {
                e.prevent_default();
                run_ex.emit("wq".into());
            } else if let (true, Some(t)) =
                (modal && (*mode == Mode::Normal || key == "Escape"), area)
            {
                // Normal mode: every key is a vim command (Ctrl combinations
                // other than Ctrl-R stay the browser's: copy, paste).
                if ctrl && !key.eq_ignore_ascii_case("r") {
                    return;
                }
                if matches!(
                    key.as_str(),
                    "Shift" | "Control" | "Alt" | "Meta" | "CapsLock"
                ) {
                    return;
                }
                e.prevent_default();
                let mut v = vim.borrow_mut();
                let value = t.value();
                let caret = t.selection_start().ok().flatten().unwrap_or(0) as usize;
                v.sync(&value, char_offset(&value, caret));
                let effect = if ctrl { v.key("C-r") } else { v.key(&key) };
                show(&t, &v);
                shown.set(t.value());
                mode.set(v.mode);
                message.set(v.message.clone());
                if let Effect::CommandLine(prompt) = effect {
                    if let Some(c) = cmd_ref.cast::<HtmlInputElement>() {
                        c.set_value(&prompt.to_string());
                        let _ = c.focus();
                    }
                }
            } else if key == "Escape" {
                e.prevent_default();
                if let Some(c) = cmd_ref.cast::<HtmlInputElement>() {
                    c.set_value(":");
                    let _ = c.focus();
                }
            } else if key == "Tab" {
                // YAML is indented with spaces: Tab inserts two.
                e.prevent_default();
                if let Some(t) = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                {
                    let start = t.selection_start().ok().flatten().unwrap_or(0);
                    let end = t.selection_end().ok().flatten().unwrap_or(start);
                    let _ = t.set_range_text_with_start_and_end("  ", start, end);
                    let _ = t.set_selection_range(start + 2, start + 2);
                    shown.set(t.value());
                }
            }
        })
    };
    let oninput = {
        let shown = shown.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                shown.set(t.value());
            }
        })
    };
    let onkeydown_cmd = {
        let run_ex = run_ex.clone();
        let text_ref = text_ref.clone();
        let vim = vim.clone();
        let message = message.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(c) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let v = c.value();
                    c.set_value("");
                    let area = text_ref.cast::<HtmlTextAreaElement>();
                    if let (Some(pattern), Some(t)) = (v.strip_prefix('/'), &area) {
                        let mut vim = vim.borrow_mut();
                        let value = t.value();
                        let caret = t.selection_start().ok().flatten().unwrap_or(0) as usize;
                        vim.sync(&value, char_offset(&value, caret));
                        vim.search(pattern);
                        show(t, &vim);
                        message.set(vim.message.clone());
                    } else {
                        run_ex.emit(v);
                    }
                    if let Some(t) = area {
                        let _ = t.focus();
                    }
                }
                "Escape" => {
                    c.set_value("");
                    if let Some(t) = text_ref.cast::<HtmlTextAreaElement>() {
                        let _ = t.focus();
                    }
                }
                _ => {}
            }
        })
    };
    let save = {
        let run_ex = run_ex.clone();
        Callback::from(move |_| run_ex.emit("wq".into()))
    };
    let quit = {
        let run_ex = run_ex.clone();
        Callback::from(move |_| run_ex.emit("q!".into()))
    };
    // Clicks stay in the editor (the terminal behind focuses its input on click).
    let keep = Callback::from(|e: MouseEvent| e.stop_propagation());
    let lines = highlight(&shown);
    let gutter: String = (1..=lines.len()).map(|n| format!("{n}\n")).collect();
    // The coloured copy drawn behind the (transparent) text: same font,
    // same padding, one line per line, so each character sits under itself.
    // The last newline keeps a final empty line as tall as the text area's.
    let colours = html! {
        <pre class="editor-colours" aria-hidden="true">
            { for lines.iter().map(|spans| html! { <>
                { for spans.iter().map(|(token, text)| match token.class() {
                    Some(class) => html! { <span {class}>{ *text }</span> },
                    None => html! { { *text } },
                }) }
                { "\n" }
            </> }) }
        </pre>
    };
    html! {
        <div class="editor" onclick={keep} role="dialog" aria-modal="true" aria-label={format!("{} {}", props.program, props.path)}>
            <div class="editor-title">
                <span class="editor-file">{ format!("{} — {}", props.program, props.path) }</span>
                <span class="spacer" />
                <button class="chip-button" onclick={save} title="Ctrl-S, or Esc then :wq">{ "Save & quit (:wq)" }</button>
                <button class="chip-button" onclick={quit} title="Esc then :q!">{ "Quit without saving (:q!)" }</button>
            </div>
            <div class="editor-body">
                <pre class="editor-gutter" aria-hidden="true">{ gutter }</pre>
                <div class="editor-code">
                { colours }
                <textarea
                    ref={text_ref}
                    id="editor-text"
                    class="editor-text"
                    aria-label={format!("Editing {}", props.path)}
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    onkeydown={onkeydown_text}
                    {oninput}
                />
                </div>
            </div>
            <div class="editor-status">
                <input
                    ref={cmd_ref}
                    id="editor-command"
                    class="editor-command"
                    aria-label="Editor command (:wq, :q!)"
                    placeholder="Esc, then :wq to save and quit, :q! to quit without saving"
                    autocomplete="off"
                    spellcheck="false"
                    onkeydown={onkeydown_cmd}
                />
                if modal && *mode == Mode::Insert {
                    <span class="editor-mode">{ "-- INSERT --" }</span>
                }
                <span class="editor-message" role="status">{ (*message).clone() }</span>
            </div>
        </div>
    }
}

/// Shows the machine's text and cursor in the text area: in normal mode
/// the character under the cursor is selected, a block cursor.
fn show(t: &HtmlTextAreaElement, v: &Vim) {
    let text = v.text();
    if t.value() != text {
        t.set_value(&text);
    }
    let at = utf16_offset(&text, v.offset());
    let under = text.chars().nth(v.offset()).filter(|c| *c != '\n');
    let end = match (v.mode, under) {
        (Mode::Normal, Some(c)) => at + c.len_utf16() as u32,
        _ => at,
    };
    let _ = t.set_selection_range(at, end);
}

/// A text area's caret (UTF-16 code units) as a character offset.
fn char_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.chars().enumerate() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

fn utf16_offset(text: &str, chars: usize) -> u32 {
    text.chars().take(chars).map(char::len_utf16).sum::<usize>() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ex_commands() {
        assert_eq!(parse_ex(":wq"), Ex::WriteQuit);
        assert_eq!(parse_ex(":x"), Ex::WriteQuit);
        assert_eq!(parse_ex(":q!"), Ex::ForceQuit);
        assert_eq!(parse_ex(":q"), Ex::Quit);
        assert_eq!(parse_ex(":w"), Ex::Write);
        assert_eq!(parse_ex(":foo"), Ex::Unknown("foo".into()));
    }

    #[test]
    fn caret_offsets_count_utf16_units() {
        // "é" is one unit, "🚀" two.
        let text = "é🚀x";
        assert_eq!(char_offset(text, 0), 0);
        assert_eq!(char_offset(text, 1), 1);
        assert_eq!(char_offset(text, 3), 2);
        assert_eq!(char_offset(text, 4), 3);
        assert_eq!(utf16_offset(text, 2), 3);
        assert_eq!(utf16_offset(text, 3), 4);
    }
}
