//! The terminal: scroll-back, a prompt, one input line. Keystrokes become
//! engine inputs; a command that continues (open quote, here-document,
//! trailing `|`) shows bash's `> ` prompt until it is whole.

use crate::components::editor::Editor;
use crate::hooks::engine::use_engine;
use engine::{Simulation, Stream};
use gloo::timers::callback::Interval;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum Line {
    /// What the learner typed, after the prompt it was typed at.
    Input {
        prompt: String,
        text: String,
    },
    Stdout(String),
    Stderr(String),
    /// Dinghy's own notes (session restored, …), not cluster output.
    Note(String),
}

#[derive(Clone, Debug, PartialEq, Default)]
struct State {
    lines: Vec<Line>,
    /// A command continues on the next line (bash's `> ` prompt).
    continuing: bool,
    prompt: String,
    history: Vec<String>,
    /// Position while walking history with ↑/↓ (None: editing a new line).
    cursor: Option<usize>,
    /// A command holds the terminal (`watch`, `kubectl get -w`): no prompt
    /// until it ends or Ctrl-C stops it.
    busy: bool,
    /// Where the running `watch`'s frame starts: each new frame replaces it.
    frame_start: Option<usize>,
}

enum Action {
    Echo {
        prompt: String,
        text: String,
    },
    Output(Vec<(Stream, String)>),
    /// A foreground command started (`Some(frames)`) or ended (`None`).
    Busy(Option<bool>),
    /// The next frame of `watch`: it replaces the last one.
    Frame(Vec<(Stream, String)>),
    Note(String),
    Pending(bool),
    Prompt(String),
    Remember(String),
    Clear,
    Walk(Option<usize>),
}

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Echo { prompt, text } => s.lines.push(Line::Input { prompt, text }),
            Action::Output(chunks) => {
                for (stream, text) in chunks {
                    s.lines.push(match stream {
                        Stream::Stdout => Line::Stdout(text),
                        Stream::Stderr => Line::Stderr(text),
                    });
                }
            }
            Action::Busy(job) => {
                s.busy = job.is_some();
                s.frame_start = (job == Some(true)).then_some(s.lines.len());
            }
            Action::Frame(chunks) => {
                if let Some(start) = s.frame_start {
                    s.lines.truncate(start);
                }
                s.lines
                    .extend(chunks.into_iter().map(|(stream, text)| match stream {
                        Stream::Stdout => Line::Stdout(text),
                        Stream::Stderr => Line::Stderr(text),
                    }));
            }
            Action::Note(n) => s.lines.push(Line::Note(n)),
            Action::Pending(p) => s.continuing = p,
            Action::Prompt(p) => s.prompt = p,
            Action::Remember(cmd) => {
                if s.history.last() != Some(&cmd) {
                    s.history.push(cmd);
                }
                s.cursor = None;
            }
            Action::Clear => {
                s.lines.clear();
                s.frame_start = s.frame_start.map(|_| 0);
            }
            Action::Walk(c) => s.cursor = c,
        }
        // Bound the scroll-back so a long session stays fast.
        let excess = s.lines.len().saturating_sub(5000);
        s.lines.drain(..excess);
        s.frame_start = s.frame_start.map(|f| f.saturating_sub(excess));
        Rc::new(s)
    }
}

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// A note from start-up (session restored, …), shown once.
    #[prop_or_default]
    pub note: Option<String>,
}

#[function_component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let engine = use_engine();
    let state = use_reducer(State::default);
    let input_ref = use_node_ref();
    let scroll_ref = use_node_ref();

    // The lines of a command that is not whole yet. A RefCell, not state:
    // a multi-line paste submits several lines within one event.
    let pending = use_mut_ref(String::new);

    // Once: the prompt, the start-up note, the history, the focus.
    {
        let engine = engine.clone();
        let state = state.clone();
        let input_ref = input_ref.clone();
        let note = props.note.clone();
        use_effect_with((), move |_| {
            if let Some(engine) = engine {
                state.dispatch(Action::Prompt(engine.with(|s| s.prompt())));
                for input in engine.history() {
                    state.dispatch(Action::Remember(input));
                }
            }
            if let Some(n) = note {
                state.dispatch(Action::Note(n));
            }
            if let Some(input) = input_ref.cast::<HtmlTextAreaElement>() {
                let _ = input.focus();
            }
        });
    }

    // A lab started (or was left): the cluster behind the prompt is new.
    {
        let engine = engine.clone();
        let state = state.clone();
        let pending = pending.clone();
        let generation = engine.as_ref().map(|e| e.generation()).unwrap_or(0);
        use_effect_with(generation, move |g| {
            if let (Some(engine), true) = (engine, *g > 0) {
                pending.borrow_mut().clear();
                state.dispatch(Action::Busy(None));
                state.dispatch(Action::Pending(false));
                let note = match engine.lab() {
                    Some((lab, _)) => format!(
                        "Lab \u{201c}{}\u{201d}: its cluster is set up. Solve the tasks here, then press Check in the lab panel.",
                        lab.spec.title.en
                    ),
                    None => "A fresh default cluster is ready.".to_string(),
                };
                state.dispatch(Action::Note(note));
                state.dispatch(Action::Prompt(engine.with(|s| s.prompt())));
            }
        });
    }

    // Keep the newest line in view.
    {
        let scroll_ref = scroll_ref.clone();
        use_effect_with(state.lines.len(), move |_| {
            if let Some(el) = scroll_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    // Submits one line of input (a command, or one more line of a continued command).
    let submit = {
        let engine = engine.clone();
        let state = state.clone();
        let pending = pending.clone();
        let scroll_ref = scroll_ref.clone();
        Rc::new(move |line: String| {
            let Some(engine) = engine.as_ref() else {
                return;
            };
            if engine.foreground().is_some() {
                // The rest of a paste goes to the running command, which reads nothing.
                return;
            }
            if let Some(question) = engine.with(|s| s.question().map(str::to_string)) {
                // The line answers the command's question: not a command,
                // not history, never continued.
                state.dispatch(Action::Echo {
                    prompt: question,
                    text: line.clone(),
                });
                let out = engine.run(&format!("{line}\n"));
                state.dispatch(Action::Output(out.chunks));
                state.dispatch(Action::Prompt(engine.with(|s| s.prompt())));
                return;
            }
            let continuing = !pending.borrow().is_empty();
            let shown_prompt = if continuing {
                "> ".to_string()
            } else {
                engine.with(|s| s.prompt())
            };
            state.dispatch(Action::Echo {
                prompt: shown_prompt,
                text: line.clone(),
            });
            let whole = format!("{}{}\n", pending.borrow(), line);
            if !Simulation::is_complete(&whole) {
                *pending.borrow_mut() = whole;
                state.dispatch(Action::Pending(true));
                return;
            }
            pending.borrow_mut().clear();
            state.dispatch(Action::Pending(false));
            if !whole.trim().is_empty() {
                state.dispatch(Action::Remember(whole.trim_end().to_string()));
            }
            if whole.trim() == "clear" {
                state.dispatch(Action::Clear);
            }
            if let Some(cols) = scroll_ref
                .cast::<web_sys::Element>()
                .and_then(|t| columns(&t))
            {
                engine.set_columns(cols);
            }
            let out = engine.run(&whole);
            let job = engine.foreground();
            if let Some((_, frames)) = job {
                state.dispatch(Action::Busy(Some(frames)));
            }
            state.dispatch(Action::Output(out.chunks));
            state.dispatch(Action::Prompt(engine.with(|s| s.prompt())));
        })
    };

    // While a command holds the terminal, its interval passes on the
    // virtual clock every real interval (watch -n 2: a frame every two
    // seconds), until it ends or Ctrl-C stops it.
    {
        let engine = engine.clone();
        let state = state.clone();
        let interval = engine
            .as_ref()
            .and_then(|e| e.foreground())
            .map(|(d, _)| d.as_millis().clamp(100, 60_000) as u32);
        let busy = state.busy;
        let scroll_ref = scroll_ref.clone();
        use_effect_with((busy, interval), move |(busy, interval)| {
            let timer = match (*busy, *interval, engine) {
                (true, Some(ms), Some(engine)) => Some(Interval::new(ms, move || {
                    let Some((_, frames)) = engine.foreground() else {
                        return;
                    };
                    // The pane may have been resized: the next frame fits it.
                    if let Some(cols) = scroll_ref
                        .cast::<web_sys::Element>()
                        .and_then(|t| columns(&t))
                    {
                        engine.set_columns(cols);
                    }
                    let out = engine.tick();
                    state.dispatch(if frames {
                        Action::Frame(out.chunks)
                    } else {
                        Action::Output(out.chunks)
                    });
                    if engine.foreground().is_none() {
                        state.dispatch(Action::Busy(None));
                    }
                })),
                _ => None,
            };
            move || drop(timer)
        });
    }

    // The editor `vi` / `kubectl edit` opened, if the last command is waiting on one.
    let editor_request = engine
        .as_ref()
        .and_then(|e| e.with(|s| s.editor_request().cloned()));
    let on_editor_close = {
        let engine = engine.clone();
        let state = state.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |saved: Option<String>| {
            let Some(engine) = engine.as_ref() else {
                return;
            };
            let out = engine.editor_done(saved);
            state.dispatch(Action::Output(out.chunks));
            state.dispatch(Action::Prompt(engine.with(|s| s.prompt())));
            if let Some(input) = input_ref.cast::<HtmlTextAreaElement>() {
                let _ = input.focus();
            }
        })
    };

    let last_tab = use_mut_ref(String::new);
    // The text Ctrl-R searches for, while it walks back through matches.
    let search = use_mut_ref(|| None::<String>);
    let onkeydown = {
        let search = search.clone();
        let state = state.clone();
        let submit = submit.clone();
        let pending = pending.clone();
        let engine = engine.clone();
        let last_tab = last_tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            if state.busy {
                // A running command reads no lines; Ctrl-C stops it.
                let ctrl_c = e.ctrl_key() && matches!(e.key().as_str(), "c" | "C");
                if ctrl_c || e.key() == "Enter" {
                    e.prevent_default();
                }
                if ctrl_c {
                    if let Some(engine) = engine.as_ref() {
                        let out = engine.interrupt();
                        state.dispatch(Action::Output(out.chunks));
                    }
                    state.dispatch(Action::Busy(None));
                    input.set_value("");
                }
                return;
            }
            match (e.key().as_str(), e.ctrl_key()) {
                ("Enter", _) if !e.shift_key() => {
                    e.prevent_default();
                    // A recalled multi-line command is submitted line by line, as typed.
                    let text = input.value();
                    input.set_value("");
                    resize(&input);
                    for line in text.split('\n') {
                        submit(line.trim_end_matches('\r').to_string());
                    }
                }
                ("ArrowUp", _) | ("ArrowDown", _) => {
                    let n = state.history.len();
                    if n == 0 {
                        return;
                    }
                    let next = match (e.key().as_str(), state.cursor) {
                        ("ArrowUp", None) => Some(n - 1),
                        ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                        ("ArrowDown", Some(i)) if i + 1 < n => Some(i + 1),
                        _ => None,
                    };
                    input.set_value(
                        next.and_then(|i| state.history.get(i))
                            .map(String::as_str)
                            .unwrap_or(""),
                    );
                    state.dispatch(Action::Walk(next));
                }
                ("l", true) | ("L", true) => {
                    e.prevent_default();
                    state.dispatch(Action::Clear);
                }
                ("c", true) | ("C", true) => {
                    // Ctrl-C with a selection copies; without one it cancels the line, as in a terminal.
                    let selected = web_sys::window()
                        .and_then(|w| w.get_selection().ok().flatten())
                        .map(|s| !s.is_collapsed())
                        .unwrap_or(false);
                    if selected {
                        return;
                    }
                    e.prevent_default();
                    let prompt = if !state.continuing {
                        state.prompt.clone()
                    } else {
                        "> ".to_string()
                    };
                    state.dispatch(Action::Echo {
                        prompt,
                        text: format!("{}^C", input.value()),
                    });
                    pending.borrow_mut().clear();
                    state.dispatch(Action::Pending(false));
                    input.set_value("");
                    if let Some(engine) = engine.as_ref() {
                        if engine.with(|s| s.question().is_some()) {
                            // The command waiting for an answer dies of SIGINT.
                            let out = engine.interrupt_question();
                            state.dispatch(Action::Output(out.chunks));
                            state.dispatch(Action::Prompt(engine.with(|s| s.prompt())));
                        }
                    }
                }
                ("u", true) | ("U", true) => {
                    // Ctrl-U: delete from the start of the line to the cursor.
                    e.prevent_default();
                    let (before, after) = split_at_caret(&input);
                    let _ = before;
                    input.set_value(&after);
                    set_caret(&input, 0);
                }
                ("w", true) | ("W", true) => {
                    // Ctrl-W: delete the word before the cursor.
                    e.prevent_default();
                    let (before, after) = split_at_caret(&input);
                    let trimmed = before.trim_end();
                    let cut = trimmed
                        .rfind(char::is_whitespace)
                        .map(|i| i + 1)
                        .unwrap_or(0);
                    let kept = before[..cut].to_string();
                    input.set_value(&format!("{kept}{after}"));
                    set_caret(&input, kept.chars().count());
                }
                ("a", true) | ("A", true) => {
                    e.prevent_default();
                    set_caret(&input, 0);
                }
                ("e", true) | ("E", true) => {
                    e.prevent_default();
                    set_caret(&input, input.value().chars().count());
                }
                ("r", true) | ("R", true) => {
                    // Ctrl-R: the newest history entry containing what is typed;
                    // pressed again, the one before it with the same search text.
                    e.prevent_default();
                    let showing = state
                        .cursor
                        .and_then(|i| state.history.get(i))
                        .is_some_and(|h| *h == input.value());
                    let needle = match (showing, search.borrow().clone()) {
                        (true, Some(n)) => n,
                        _ => input.value(),
                    };
                    *search.borrow_mut() = Some(needle.clone());
                    let start = state.cursor.unwrap_or(state.history.len());
                    let found = state
                        .history
                        .iter()
                        .enumerate()
                        .take(start)
                        .rfind(|(_, h)| h.contains(&needle));
                    if let Some((i, h)) = found {
                        input.set_value(h);
                        resize(&input);
                        state.dispatch(Action::Walk(Some(i)));
                    }
                }
                ("Tab", _) => {
                    e.prevent_default();
                    let Some(engine) = engine.as_ref() else {
                        return;
                    };
                    let (before, after) = split_at_caret(&input);
                    let candidates = engine.with(|s| s.complete(&before));
                    let word_start = if before.ends_with(char::is_whitespace) {
                        before.len()
                    } else {
                        before
                            .rfind(char::is_whitespace)
                            .map(|i| i + 1)
                            .unwrap_or(0)
                    };
                    let prefix = engine::shell::complete::common_prefix(&candidates);
                    let current = &before[word_start..];
                    if let [only] = candidates.as_slice() {
                        let space = if only.ends_with('/') || only.ends_with('=') {
                            ""
                        } else {
                            " "
                        };
                        let new_before = format!("{}{only}{space}", &before[..word_start]);
                        input.set_value(&format!("{new_before}{after}"));
                        set_caret(&input, new_before.chars().count());
                    } else if prefix.len() > current.len() {
                        let new_before = format!("{}{prefix}", &before[..word_start]);
                        input.set_value(&format!("{new_before}{after}"));
                        set_caret(&input, new_before.chars().count());
                    } else if !candidates.is_empty() && *last_tab.borrow() == before {
                        // A second Tab lists the candidates, as bash does.
                        state.dispatch(Action::Echo {
                            prompt: if state.continuing {
                                "> ".to_string()
                            } else {
                                state.prompt.clone()
                            },
                            text: input.value(),
                        });
                        state.dispatch(Action::Output(vec![(
                            Stream::Stdout,
                            format!("{}\n", candidates.join("  ")),
                        )]));
                    }
                    *last_tab.borrow_mut() = before;
                }
                _ => {}
            }
        })
    };

    // A multi-line paste (a here-document, a manifest) runs line by line, as in a terminal.
    let onpaste = {
        let submit = submit.clone();
        Callback::from(move |e: Event| {
            let Ok(e) = e.dyn_into::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            let first = format!("{}{}", input.value(), text);
            input.set_value("");
            let mut lines: Vec<&str> = first.split('\n').collect();
            let tail = lines.pop().unwrap_or("");
            for l in lines {
                submit(l.trim_end_matches('\r').to_string());
            }
            input.set_value(tail);
        })
    };

    let focus_input = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let has_selection = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .map(|s| !s.is_collapsed())
                .unwrap_or(false);
            if !has_selection {
                if let Some(input) = input_ref.cast::<HtmlTextAreaElement>() {
                    let _ = input.focus();
                }
            }
        })
    };

    let oninput = Callback::from(|e: InputEvent| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        {
            resize(&input);
        }
    });

    let prompt = if state.busy {
        String::new()
    } else if !state.continuing {
        state.prompt.clone()
    } else {
        "> ".to_string()
    };
    html! {
        <section class="terminal" aria-label="Terminal" onclick={focus_input} ref={scroll_ref}>
            <div class="scrollback" role="log" aria-live="polite" aria-relevant="additions text">
                { for state.lines.iter().map(render_line) }
            </div>
            if let Some(req) = editor_request {
                <Editor program={req.program} path={req.path} text={req.text} on_close={on_editor_close} />
            }
            <div class="inputline">
                <span class="prompt" aria-hidden="true">{ prompt }</span>
                <textarea
                    ref={input_ref}
                    id="terminal-input"
                    rows="1"
                    aria-label="Command line"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    {onkeydown}
                    {onpaste}
                    {oninput}
                />
            </div>
        </section>
    }
}

/// How many characters fit on one line of the terminal: the scroll-back's
/// width over the width of the terminal's characters (measured on a
/// hundred of them in its own font), as a terminal reports its columns.
fn columns(terminal: &web_sys::Element) -> Option<usize> {
    let log = terminal.query_selector(".scrollback").ok().flatten()?;
    let probe: web_sys::HtmlElement = terminal
        .owner_document()?
        .create_element("span")
        .ok()?
        .dyn_into()
        .ok()?;
    probe
        .set_attribute(
            "style",
            "position:absolute;visibility:hidden;white-space:pre;font:inherit",
        )
        .ok()?;
    probe.set_text_content(Some(&"0".repeat(100)));
    terminal.append_child(&probe).ok()?;
    let hundred = probe.offset_width();
    let _ = terminal.remove_child(&probe);
    let width = log.client_width();
    (hundred > 0 && width > 0).then(|| (f64::from(width) * 100.0 / f64::from(hundred)) as usize)
}

/// The text before and after the caret.
fn split_at_caret(input: &HtmlTextAreaElement) -> (String, String) {
    let value = input.value();
    let caret = input
        .selection_start()
        .ok()
        .flatten()
        .unwrap_or(value.len() as u32) as usize;
    let byte = value
        .char_indices()
        .nth(caret)
        .map(|(i, _)| i)
        .unwrap_or(value.len());
    (value[..byte].to_string(), value[byte..].to_string())
}

fn set_caret(input: &HtmlTextAreaElement, pos: usize) {
    let _ = input.set_selection_range(pos as u32, pos as u32);
}

/// The input grows with a recalled multi-line command.
fn resize(input: &HtmlTextAreaElement) {
    let lines = input.value().split('\n').count().max(1);
    input.set_rows(lines as u32);
}

fn render_line(line: &Line) -> Html {
    match line {
        Line::Input { prompt, text } => {
            html! { <pre class="line input"><span class="prompt">{ prompt }</span>{ text }</pre> }
        }
        Line::Stdout(t) => html! { <pre class="line stdout">{ t }</pre> },
        Line::Stderr(t) => html! { <pre class="line stderr">{ t }</pre> },
        Line::Note(t) => html! { <pre class="line note">{ t }</pre> },
    }
}
