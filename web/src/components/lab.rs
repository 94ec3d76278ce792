//! The lab panel: the catalog of labs (topic, difficulty, progress), and
//! the open lab — its tasks, a Check button per task and Check all, the
//! grader's explanations, hints one at a time, the solution behind a
//! confirmation, answers to questions, and a reset. Instructors' lab files
//! load from a URL (`?lab-url=…` or the form) or by drag-and-drop; their
//! texts go through [`Markdown`], which renders everything as text.
//!
//! The panel grades through the engine handle (`Engine::check`), so a
//! grade is journaled with the commands and replays after a reload.

use crate::hooks::engine::{use_engine, Engine};
use crate::i18n::{use_t, Lang};
use crate::markdown::Markdown;
use crate::persist::{self, LabProgress, LabSource, Progress};
use labs::{Lab, TaskResult};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The seed a lab starts with: the same parameters for everyone, so a
/// class can compare notes (Reset keeps it).
const LAB_SEED: u64 = 1;

/// Instructors' files are small; a bigger one is a mistake.
const MAX_FILE: usize = 256 * 1024;

fn lab_lang(t: Lang) -> labs::Lang {
    match t {
        Lang::En => labs::Lang::En,
        Lang::Ko => labs::Lang::Ko,
    }
}

/// Where a lab's progress is kept.
fn progress_key(lab: &Lab, source: &LabSource) -> String {
    match source {
        LabSource::Bundled(_) => lab.spec.id.clone(),
        LabSource::File { .. } => format!("file:{}", lab.spec.id),
    }
}

/// A query parameter of the page's address.
fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
        .filter(|v| !v.is_empty())
}

/// Fetches an instructor's lab file.
async fn fetch_text(url: String) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|_| format!("could not fetch {url}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("fetching {url} gave HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|_| "no text".to_string())?)
        .await
        .map_err(|_| format!("could not read {url}"))?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// Reads a dropped file.
async fn read_file(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("could not read {}", file.name()))?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// Starts a lab from an instructor's file (checked first, so a broken
/// file leaves the current cluster alone).
fn start_file(engine: &Engine, name: String, text: String) -> Result<(), String> {
    if text.len() > MAX_FILE {
        return Err(format!("{name} is larger than {} KiB", MAX_FILE / 1024));
    }
    engine.start_lab(LabSource::File { name, text }, LAB_SEED)
}

#[function_component(LabPanel)]
pub fn lab_panel() -> Html {
    let engine = use_engine();
    let t = use_t();
    // The saved progress, or a note that it could not be read.
    let loaded = use_memo((), |_| persist::load_progress());
    let progress = use_state(|| (*loaded).clone().unwrap_or_default());
    let notice = use_state(|| {
        loaded
            .is_err()
            .then(|| t.text("progress-corrupt").to_string())
    });
    let browsing = use_state(|| false);
    let error = use_state(|| None::<String>);

    // Once: `?lab=<id>` or `?lab-url=<url>` opens a lab, unless the saved
    // session is already in that lab (a reload keeps the learner's work).
    {
        let engine = engine.clone();
        let error = error.clone();
        use_effect_with((), move |_| {
            if let Some(engine) = engine {
                let current = engine.lab().map(|(_, s)| s);
                if let Some(id) = query("lab") {
                    let source = LabSource::Bundled(id.clone());
                    if current.as_ref() != Some(&source) {
                        if let Err(e) = engine.start_lab(source, LAB_SEED) {
                            error.set(Some(format!("?lab={id}: {e}")));
                        }
                    }
                } else if let Some(url) = query("lab-url") {
                    let already =
                        matches!(&current, Some(LabSource::File { name, .. }) if *name == url);
                    if !already {
                        wasm_bindgen_futures::spawn_local(async move {
                            let r = match fetch_text(url.clone()).await {
                                Ok(text) => start_file(&engine, url, text),
                                Err(e) => Err(e),
                            };
                            if let Err(e) = r {
                                error.set(Some(e));
                            }
                        });
                    }
                }
            }
        });
    }

    let Some(engine) = engine else {
        return html! {};
    };
    let update_progress = {
        let progress = progress.clone();
        Callback::from(move |(key, p): (String, LabProgress)| {
            let mut all: Progress = (*progress).clone();
            all.insert(key, Box::new(p));
            persist::save_progress(&all);
            progress.set(all);
        })
    };

    let drop_zone = {
        let engine = engine.clone();
        let error = error.clone();
        let browsing = browsing.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            let engine = engine.clone();
            let error = error.clone();
            let browsing = browsing.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let r = match read_file(file).await {
                    Ok(text) => start_file(&engine, name, text),
                    Err(e) => Err(e),
                };
                match r {
                    Ok(()) => {
                        error.set(None);
                        browsing.set(false);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let drag_over = Callback::from(|e: DragEvent| e.prevent_default());

    let open_lab = engine.lab();
    let body = match (&open_lab, *browsing) {
        (Some((lab, source)), false) => {
            let key = progress_key(lab, source);
            let mine = progress
                .get(&key)
                .map(|p| LabProgress::clone(p))
                .unwrap_or_default();
            html! {
                <LabView
                    engine={engine.clone()}
                    lab={LabHandle(lab.clone())}
                    source={source.clone()}
                    progress={mine}
                    on_progress={update_progress.reform(move |p| (key.clone(), p))}
                    on_catalog={{ let b = browsing.clone(); Callback::from(move |_| b.set(true)) }}
                />
            }
        }
        _ => html! {
            <Catalog
                engine={engine.clone()}
                progress={(*progress).clone()}
                open={open_lab.as_ref().map(|(l, _)| l.spec.id.clone())}
                on_started={{
                    let b = browsing.clone();
                    let error = error.clone();
                    Callback::from(move |r: Result<(), String>| match r {
                        Ok(()) => { error.set(None); b.set(false) }
                        Err(e) => error.set(Some(e)),
                    })
                }}
                on_back={{ let b = browsing.clone(); Callback::from(move |_| b.set(false)) }}
            />
        },
    };
    let dismiss = {
        let notice = notice.clone();
        let error = error.clone();
        Callback::from(move |_| {
            notice.set(None);
            error.set(None);
        })
    };
    html! {
        <section class="labpanel" aria-label={t.text("labs")} ondrop={drop_zone} ondragover={drag_over}>
            if let Some(n) = (*notice).clone().or_else(|| (*error).clone()) {
                <div class="notice" role="alert">
                    <span>{ n }</span>
                    <button class="link-button" onclick={dismiss} aria-label={t.text("dismiss")}>{ "×" }</button>
                </div>
            }
            { body }
        </section>
    }
}

/// A lab for props (labs::Lab has no `PartialEq`; the spec does not change
/// while it is open, so its id and seed identify it).
#[derive(Clone)]
pub struct LabHandle(pub Lab);

impl PartialEq for LabHandle {
    fn eq(&self, other: &Self) -> bool {
        self.0.spec.id == other.0.spec.id
            && self.0.seed == other.0.seed
            && self.0.path == other.0.path
    }
}

/// A bundled lab as the catalog lists it.
struct Summary {
    id: String,
    title: labs::Text,
    topic: String,
    difficulty: String,
    minutes: u32,
    tasks: usize,
}

/// The bundled labs. Not `labs::list()`: that also probes the engine for
/// the features each lab needs, by running simulations for minutes of
/// simulated time — seconds of a learner's CPU on every page load.
fn summaries() -> Vec<Summary> {
    labs::BUNDLED
        .iter()
        .filter_map(|f| Lab::load(f.path, f.text, LAB_SEED).ok())
        .map(|l| Summary {
            id: l.spec.id,
            title: l.spec.title,
            topic: l.spec.topic,
            difficulty: engine::case::to_lowercase(&format!("{:?}", l.spec.difficulty)),
            minutes: l.spec.minutes,
            tasks: l.spec.tasks.len(),
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct CatalogProps {
    engine: Engine,
    progress: Progress,
    open: Option<String>,
    on_started: Callback<Result<(), String>>,
    on_back: Callback<()>,
}

#[function_component(Catalog)]
fn catalog(props: &CatalogProps) -> Html {
    let t = use_t();
    let summaries = use_memo((), |_| summaries());
    let url_ref = use_node_ref();
    let start = |id: String| {
        let engine = props.engine.clone();
        let done = props.on_started.clone();
        Callback::from(move |_| {
            done.emit(engine.start_lab(LabSource::Bundled(id.clone()), LAB_SEED))
        })
    };
    let leave = {
        let engine = props.engine.clone();
        let back = props.on_back.clone();
        Callback::from(move |_| {
            engine.leave_lab();
            back.emit(());
        })
    };
    let load_url = {
        let engine = props.engine.clone();
        let done = props.on_started.clone();
        let url_ref = url_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(url) = url_ref.cast::<HtmlInputElement>().map(|i| i.value()) else {
                return;
            };
            let url = url.trim().to_string();
            if url.is_empty() {
                return;
            }
            let engine = engine.clone();
            let done = done.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = match fetch_text(url.clone()).await {
                    Ok(text) => start_file(&engine, url, text),
                    Err(e) => Err(e),
                };
                done.emit(r);
            });
        })
    };
    html! {
        <div class="catalog">
            <div class="panel-head">
                <h2>{ t.text("labs") }</h2>
                if props.open.is_some() {
                    <span class="row-buttons">
                        <button class="link-button" onclick={leave}>{ t.text("leave-lab") }</button>
                        <button class="chip-button" onclick={props.on_back.reform(|_| ())}>{ t.text("back-to-lab") }</button>
                    </span>
                }
            </div>
            <p class="muted small">{ t.text("catalog-intro") }</p>
            <ul class="lab-list">
                { for summaries.iter().map(|s| {
                    let done = props.progress.get(&s.id).map(|p| p.passed.len()).unwrap_or(0).min(s.tasks);
                    let pct = (done * 100).checked_div(s.tasks).unwrap_or(0);
                    let title = if t == Lang::Ko && !s.title.ko.is_empty() { s.title.ko.clone() } else { s.title.en.clone() };
                    let open = props.open.as_deref() == Some(s.id.as_str());
                    html! {
                        <li class={classes!("lab-card", open.then_some("open"))}>
                            <button class="lab-open" onclick={start(s.id.clone())} aria-label={format!("{} {title}", t.text("start-lab"))}>
                                <span class="lab-title">{ title }</span>
                                <span class="lab-meta">
                                    <span class="topic">{ &s.topic }</span>
                                    <span class={classes!("difficulty", s.difficulty.clone())}>{ t.text(&s.difficulty) }</span>
                                    <span>{ format!("{} {}", s.minutes, t.text("minutes")) }</span>
                                </span>
                                <span class="lab-progress" title={format!("{done}/{}", s.tasks)}>
                                    <span class="bar"><span style={format!("width:{pct}%")} /></span>
                                    <span class="count">{ format!("{done}/{}", s.tasks) }</span>
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
            <form class="lab-load" onsubmit={load_url}>
                <label for="lab-url">{ t.text("load-lab") }</label>
                <div class="row">
                    <input id="lab-url" ref={url_ref} type="url" placeholder="https://…/my-lab.yaml" />
                    <button class="chip-button" type="submit">{ t.text("load") }</button>
                </div>
                <p class="muted small">{ t.text("drop-lab") }</p>
            </form>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LabViewProps {
    engine: Engine,
    lab: LabHandle,
    source: LabSource,
    progress: LabProgress,
    on_progress: Callback<LabProgress>,
    on_catalog: Callback<()>,
}

#[function_component(LabView)]
fn lab_view(props: &LabViewProps) -> Html {
    let t = use_t();
    let lang = lab_lang(t);
    let lab = &props.lab.0;
    // The last grade of each task (not saved: a reload shows the passed marks).
    // Boxed, to share a map's code with the engine's (`engine::maps`).
    let results = use_state(engine::maps::BoxedMap::<TaskResult>::new);
    let asking_solution = use_state(|| None::<String>);
    let confirm_reset = use_state(|| false);
    {
        // A different lab (or a reset) forgets the grades.
        let results = results.clone();
        use_effect_with(props.engine.generation(), move |_| {
            results.set(engine::maps::BoxedMap::new())
        });
    }

    // Grades the lab; `only` limits what is updated to one task.
    let check = |only: Option<String>| {
        let engine = props.engine.clone();
        let results = results.clone();
        let progress = props.progress.clone();
        let on_progress = props.on_progress.clone();
        let question_ids: Vec<String> = lab
            .spec
            .tasks
            .iter()
            .filter(|t| t.question.is_some())
            .map(|t| t.id.clone())
            .collect();
        Callback::from(move |_| {
            // The answers as typed, read from the fields: a field's change
            // event may not have been rendered yet when Check is clicked.
            let mut p = progress.clone();
            for id in &question_ids {
                if let Some(v) = field_value(&format!("answer-{id}")) {
                    p.answers.insert(id.clone(), v);
                }
            }
            let Some(report) = engine.check(&p.answers, lang) else {
                return;
            };
            let mut shown = (*results).clone();
            for r in report.tasks {
                if only.as_ref().is_some_and(|o| *o != r.id) {
                    continue;
                }
                p.passed.retain(|id| *id != r.id);
                if r.passed {
                    p.passed.push(r.id.clone());
                }
                shown.insert(r.id.clone(), Box::new(r));
            }
            results.set(shown);
            on_progress.emit(p);
        })
    };
    let reset = {
        let engine = props.engine.clone();
        let source = props.source.clone();
        let seed = lab.seed;
        let on_progress = props.on_progress.clone();
        let confirm_reset = confirm_reset.clone();
        Callback::from(move |_| {
            if engine.start_lab(source.clone(), seed).is_ok() {
                on_progress.emit(LabProgress::default());
            }
            confirm_reset.set(false);
        })
    };
    let done = lab
        .spec
        .tasks
        .iter()
        .filter(|task| props.progress.passed.contains(&task.id))
        .count();
    let total = lab.spec.tasks.len();
    html! {
        <div class="labview">
            <div class="panel-head">
                <button class="link-button" onclick={props.on_catalog.reform(|_| ())}>{ format!("← {}", t.text("all-labs")) }</button>
                <span class="lab-meta">
                    <span class="topic">{ &lab.spec.topic }</span>
                    <span class={classes!("difficulty", engine::case::to_lowercase(&format!("{:?}", lab.spec.difficulty)))}>{ t.text(&engine::case::to_lowercase(&format!("{:?}", lab.spec.difficulty))) }</span>
                </span>
            </div>
            <h2 class="lab-heading">{ title(&lab.spec.title, lang) }</h2>
            <Markdown class="lab-description" text={AttrValue::from(lab.spec.description.get(lang).to_string())} />
            <div class="lab-actions">
                <span class={classes!("lab-score", (done == total).then_some("all-done"))} aria-live="polite">
                    { if done == total { format!("✓ {}", t.text("lab-complete")) } else { format!("{done}/{total} {}", t.text("tasks-done")) } }
                </span>
                <span class="spacer" />
                <button class="primary" onclick={check(None)}>{ t.text("check-all") }</button>
                if *confirm_reset {
                    <span class="confirm" role="group">
                        { t.text("reset-confirm") }
                        <button class="danger" onclick={reset}>{ t.text("reset") }</button>
                        <button class="chip-button" onclick={{ let c = confirm_reset.clone(); Callback::from(move |_| c.set(false)) }}>{ t.text("cancel") }</button>
                    </span>
                } else {
                    <button class="chip-button" onclick={{ let c = confirm_reset.clone(); Callback::from(move |_| c.set(true)) }}>{ t.text("reset-lab") }</button>
                }
            </div>
            <ol class="tasks">
                { for lab.spec.tasks.iter().enumerate().map(|(i, task)| {
                    let result = results.get(&task.id);
                    let passed = props.progress.passed.contains(&task.id);
                    let state = match result {
                        Some(r) if r.passed => "passed",
                        Some(_) => "failed",
                        None if passed => "passed",
                        None => "todo",
                    };
                    let mark = match state { "passed" => "✓", "failed" => "✗", _ => "" };
                    let hints_shown = props.progress.hints.get(&task.id).copied().unwrap_or(0).min(task.hints.len());
                    let more_hint = {
                        let p = props.progress.clone();
                        let on_progress = props.on_progress.clone();
                        let id = task.id.clone();
                        Callback::from(move |_| {
                            let mut p = p.clone();
                            *p.hints.entry(id.clone()).or_default() += 1;
                            on_progress.emit(p);
                        })
                    };
                    let solution_open = props.progress.solutions.contains(&task.id);
                    let ask = { let a = asking_solution.clone(); let id = task.id.clone(); Callback::from(move |_| a.set(Some(id.clone()))) };
                    let show_solution = {
                        let p = props.progress.clone();
                        let on_progress = props.on_progress.clone();
                        let id = task.id.clone();
                        let a = asking_solution.clone();
                        Callback::from(move |_| {
                            let mut p = p.clone();
                            if !p.solutions.contains(&id) { p.solutions.push(id.clone()); }
                            on_progress.emit(p);
                            a.set(None);
                        })
                    };
                    let cancel = { let a = asking_solution.clone(); Callback::from(move |_| a.set(None)) };
                    let answer = props.progress.answers.get(&task.id).cloned().unwrap_or_default();
                    let set_answer = {
                        let p = props.progress.clone();
                        let on_progress = props.on_progress.clone();
                        let id = task.id.clone();
                        move |value: String| {
                            let mut p = p.clone();
                            p.answers.insert(id.clone(), value);
                            on_progress.emit(p);
                        }
                    };
                    let answer_id = format!("answer-{}", task.id);
                    let mut explained: Vec<&str> = Vec::new();
                    if let Some(r) = result {
                        for c in r.checks.iter().filter(|c| !c.passed) {
                            if !explained.contains(&c.explanation.as_str()) {
                                explained.push(&c.explanation);
                            }
                        }
                    }
                    html! {
                        <li class={classes!("task", state)} id={format!("task-{}", task.id)}>
                            <div class="task-head">
                                <span class="task-mark" aria-label={t.text(state)}>{ if mark.is_empty() { (i + 1).to_string() } else { mark.to_string() } }</span>
                                <Markdown class="task-text" text={AttrValue::from(task.text.get(lang).to_string())} />
                            </div>
                            if let Some(q) = &task.question {
                                <div class="answer">
                                    <label for={answer_id.clone()}>{ t.text("your-answer") }</label>
                                    if q.choices.is_empty() {
                                        <input id={answer_id.clone()} type="text" value={answer.clone()} autocomplete="off" spellcheck="false"
                                            onchange={Callback::from(move |e: Event| if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { set_answer(i.value()) })} />
                                    } else {
                                        <select id={answer_id.clone()} onchange={Callback::from(move |e: Event| if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() { set_answer(s.value()) })}>
                                            <option value="" selected={answer.is_empty()}>{ "—" }</option>
                                            { for q.choices.iter().map(|c| html! { <option value={c.clone()} selected={answer == *c}>{ c }</option> }) }
                                        </select>
                                    }
                                </div>
                            }
                            <div class="task-actions">
                                <button class="chip-button check" onclick={check(Some(task.id.clone()))}>{ t.text("check") }</button>
                                if hints_shown < task.hints.len() {
                                    <button class="link-button" onclick={more_hint}>{ format!("{} ({}/{})", t.text("show-hint"), hints_shown + 1, task.hints.len()) }</button>
                                }
                                if !solution_open && asking_solution.as_deref() != Some(task.id.as_str()) {
                                    <button class="link-button" onclick={ask}>{ t.text("show-solution") }</button>
                                }
                            </div>
                            if state == "failed" && !explained.is_empty() {
                                <ul class="explanations" role="status">
                                    { for explained.iter().map(|e| html! { <li><Markdown text={AttrValue::from(e.to_string())} /></li> }) }
                                </ul>
                            } else if state == "passed" && result.is_some() {
                                <p class="passed-note" role="status">{ t.text("task-passed") }</p>
                            }
                            { for task.hints.iter().take(hints_shown).map(|h| html! {
                                <div class="hint"><span class="hint-label">{ t.text("hint") }</span><Markdown text={AttrValue::from(h.get(lang).to_string())} /></div>
                            }) }
                            if asking_solution.as_deref() == Some(task.id.as_str()) {
                                <div class="confirm" role="group">
                                    <span>{ t.text("solution-confirm") }</span>
                                    <button class="danger" onclick={show_solution}>{ t.text("show-it") }</button>
                                    <button class="chip-button" onclick={cancel}>{ t.text("cancel") }</button>
                                </div>
                            }
                            if solution_open {
                                <div class="solution">
                                    <span class="hint-label">{ t.text("solution") }</span>
                                    <pre><code>{ task.solution.trim_end() }</code></pre>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

fn title(text: &labs::Text, lang: labs::Lang) -> String {
    let s = text.get(lang);
    if s.is_empty() {
        text.en.clone()
    } else {
        s.to_string()
    }
}

/// The value of an answer field, by element id.
fn field_value(id: &str) -> Option<String> {
    let el = web_sys::window()?.document()?.get_element_by_id(id)?;
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        return Some(i.value());
    }
    el.dyn_ref::<HtmlSelectElement>()
        .map(HtmlSelectElement::value)
}
