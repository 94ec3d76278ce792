//! Dinghy's engine: a Kubernetes v1.33 cluster simulated in pure Rust.
//!
//! Laid out the way Kubernetes is: [`etcd`] (the store), [`apiserver`] (its
//! only writer), [`cluster`] (the control plane and nodes on a virtual
//! [`clock`]), [`kubectl`] and the [`shell`] the learner types into.
//!
//! **Architecture Invariant:** no web or I/O dependencies, and no wall
//! clock: the same seed and the same input give the same bytes out.
//!
//! The API boundary is [`Simulation`]: text in, [`Output`] out, plain data.

pub mod api;
pub mod apiserver;
pub mod case;
pub mod clock;
pub mod cluster;
pub mod cobra;
pub mod controllers;
pub mod etcd;
pub mod events;
pub mod go;
#[cfg(test)]
mod json_tests;
pub mod kubectl;
pub mod kubelet;
pub mod maps;
pub mod metrics;
pub mod network;
pub mod node;
pub mod output;
pub mod perf;
pub mod rng;
pub(crate) mod scan;
pub mod scheduler;
pub mod shell;
pub mod sort;
pub mod view;
pub mod yaml;

pub use output::{Output, Stream};

use cluster::Cluster;
use shell::Session;

/// A cluster with a learner's terminal session attached: what the browser
/// app and `dinghy shell` drive.
#[derive(Debug)]
pub struct Simulation {
    cluster: Cluster,
    session: Session,
}

impl Simulation {
    /// A fresh default cluster (`controlplane` and `node01`), seeded.
    pub fn new(seed: u64) -> Self {
        Simulation {
            cluster: Cluster::new(seed),
            session: Session::new("controlplane"),
        }
    }

    /// A fresh cluster with these machines (labs choose their topology).
    pub fn with_topology(seed: u64, topology: &cluster::Topology) -> Self {
        Simulation {
            cluster: Cluster::with_topology(seed, topology),
            session: Session::new("controlplane"),
        }
    }

    /// A simulation of a cluster built elsewhere (benchmarks), the session
    /// on its `controlplane` node.
    pub fn with_cluster(cluster: Cluster) -> Self {
        Simulation {
            cluster,
            session: Session::new("controlplane"),
        }
    }

    /// Tab completion for the text left of the cursor: the candidates for
    /// its last word (see `shell::complete`).
    pub fn complete(&self, line: &str) -> Vec<String> {
        shell::complete::complete(&self.session, &self.cluster, line)
    }

    /// Moves simulated time forward (the UI's clock and fast-forward buttons).
    pub fn step(&mut self, d: clock::Duration) {
        self.cluster.step(d);
    }

    pub fn now(&self) -> clock::Time {
        self.cluster.now()
    }

    /// The cluster as plain data, for the picture and the events feed.
    pub fn view(&self) -> view::ClusterView {
        view::view(&self.cluster)
    }

    /// Puts the session on another node, as if the learner had logged in there.
    pub fn start_on(&mut self, node: &str) -> Result<(), String> {
        if self.cluster.machine(node).is_none() {
            return Err(format!("no node named {node:?}"));
        }
        self.session = Session::new(node);
        Ok(())
    }

    /// Runs one complete input (see [`Simulation::is_complete`]).
    pub fn run(&mut self, input: &str) -> Output {
        // A new line means the foreground command was left.
        self.session.foreground = None;
        let out = shell::run(&mut self.session, &mut self.cluster, input);
        // The components react to what the command changed, at this instant.
        self.cluster.settle();
        out
    }

    /// Lets the session open editors in the host (the browser): `vi` and
    /// `kubectl edit` then suspend at an [`shell::editor::EditorRequest`].
    pub fn set_interactive_editor(&mut self, on: bool) {
        self.session.editor.interactive = on;
    }

    /// The editor the last command is waiting for, if any.
    pub fn editor_request(&self) -> Option<&shell::editor::EditorRequest> {
        self.session.editor.request.as_ref()
    }

    /// Closes the open editor: `Some(text)` saves (`:wq`), `None` quits
    /// without saving (`:q!`). The suspended command line goes on.
    pub fn editor_done(&mut self, saved: Option<String>) -> Output {
        shell::editor_done(&mut self.session, &mut self.cluster, saved)
    }

    /// Whether the text typed so far is a whole command, or the shell
    /// needs more lines (open quote, here-document, trailing `|`).
    pub fn is_complete(input: &str) -> bool {
        shell::parse::is_complete(input)
    }

    /// The prompt to show before the next line: the shell's, or the
    /// question a command waits at (see [`shell::question`]).
    pub fn prompt(&self) -> String {
        self.session.prompt()
    }

    /// The question the last command waits at: the next line
    /// [`Simulation::run`] gets is its answer, not a command.
    pub fn question(&self) -> Option<&str> {
        let q = &self.session.question;
        q.prompt.as_deref().filter(|_| q.waiting())
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// Runs a whole script as `dinghy shell` reads one (line by line, a
    /// command continuing while it is incomplete) and returns everything
    /// printed, both streams in order. With `echo`, each command is shown
    /// first as `$ command`: a transcript.
    pub fn run_script(&mut self, script: &str, echo: bool) -> String {
        let mut text = String::new();
        let mut pending = String::new();
        for line in script.split_inclusive('\n') {
            if self.foreground().is_some() && pending.is_empty() {
                // While `watch` runs: an empty line lets one interval pass, `^C` stops it.
                text.push_str(&self.foreground_key(line).text());
                continue;
            }
            pending.push_str(line);
            if !pending.ends_with('\n') {
                pending.push('\n');
            }
            if let Some(question) = self.question().map(str::to_string) {
                // The line answers: a terminal shows it after the question;
                // without echo, as under `bash < script`, the program's
                // question shows and the answer read from the file does not.
                if echo {
                    text.push_str(&format!("{question}{line}"));
                    if !line.ends_with('\n') {
                        text.push('\n');
                    }
                } else {
                    text.push_str(&question);
                }
                let answer = std::mem::take(&mut pending);
                text.push_str(&self.run(&answer).text());
                continue;
            }
            if !Simulation::is_complete(&pending) {
                continue;
            }
            let input = std::mem::take(&mut pending);
            if echo && !input.trim().is_empty() {
                text.push_str(&format!("$ {}", input));
            }
            text.push_str(&self.run(&input).text());
            if self.exited() {
                return text;
            }
        }
        if !pending.trim().is_empty() {
            if echo {
                text.push_str(&format!("$ {}", pending));
            }
            text.push_str(&self.run(&pending).text());
        }
        if let Some(question) = self.question().map(str::to_string) {
            // End of input: the question shows, and reads end of file.
            text.push_str(&question);
            if echo {
                text.push('\n');
            }
        }
        text.push_str(&self.end_of_input().text());
        text
    }

    /// The input ended (`dinghy shell`'s script, or its terminal's Ctrl-D):
    /// a question still waiting reads end of file.
    pub fn end_of_input(&mut self) -> Output {
        self.session.foreground = None;
        let out = shell::end_of_input(&mut self.session, &mut self.cluster);
        self.cluster.settle();
        out
    }

    /// Whether a command holds the terminal (`watch`): the host then calls
    /// [`Simulation::tick`] as time passes and [`Simulation::interrupt`] on
    /// Ctrl-C, and sends no input lines meanwhile.
    pub fn foreground(&self) -> Option<&shell::watch::Watch> {
        self.session.foreground.as_ref()
    }

    /// Lets the foreground command's interval pass on the virtual clock and
    /// returns its next frame (a whole screen: it replaces the last one).
    pub fn tick(&mut self) -> Output {
        shell::watch::tick(&mut self.session, &mut self.cluster)
    }

    /// The terminal's width in columns (the browser measures its pane):
    /// `watch` clips its title line to it, as on a real terminal.
    pub fn set_columns(&mut self, columns: usize) {
        self.session.columns = Some(columns);
    }

    /// Ctrl-C: ends the foreground command, or the command waiting at a
    /// question.
    pub fn interrupt(&mut self) -> Output {
        if self.session.question.waiting() {
            return shell::question::interrupt(&mut self.session);
        }
        shell::watch::interrupt(&mut self.session)
    }

    /// A script line typed while a command holds the terminal, as `dinghy
    /// shell` reads scripts: an empty line is one tick, `^C` is Ctrl-C,
    /// anything else is refused (so a forgotten `^C` shows).
    pub fn foreground_key(&mut self, line: &str) -> Output {
        match line.trim_end_matches('\n') {
            "" => self.tick(),
            "^C" => self.interrupt(),
            other => Output::default().fail(format!(
                "dinghy shell: {other:?} typed while watch runs (an empty line lets time pass, ^C stops it)"
            )),
        }
    }

    /// Whether the session asked to end (`exit` on the first node).
    pub fn exited(&self) -> bool {
        self.session.env.contains_key("\u{0}exit")
    }
}
