//! A command that asks the terminal a question (`kubeadm upgrade apply`'s
//! `[upgrade] Are you sure you want to proceed? [y/N]: `).
//!
//! The program reads its answer from stdin, which is the terminal. A command
//! that must return cannot wait for a key, so the command line *suspends*
//! at the question, as it does at an editor (see [`super::editor`]): the
//! question becomes the prompt, the next line the host sends is the answer,
//! and the line runs again from the start with the answers so far, each
//! question taking its answer instead of suspending. The output the first
//! run already showed is not shown twice: the re-run's output starts with
//! it (what comes before a question writes nothing to the cluster —
//! kubeadm's preflight reads), so that prefix is dropped.
//!
//! Every host sends lines, so every host can answer: the browser's
//! terminal, `dinghy shell` on a terminal, and a script fed to `dinghy
//! shell`, whose next line is the answer just as `bash < script` hands a
//! reading program the script's next line. At the end of the input the
//! question reads end of file ([`Asked::EndOfInput`]).

use super::Session;
use crate::output::{Output, Stream};

/// The state of a session's question.
#[derive(Clone, Debug, Default)]
pub struct QuestionState {
    /// The question the command line is waiting at: the terminal shows it
    /// as the prompt.
    pub prompt: Option<String>,
    /// The suspended command line, run again once answered.
    pub pending_line: Option<String>,
    /// The answers given so far, in order.
    pub answers: Vec<String>,
    /// How many answers the current run has taken.
    pub consumed: usize,
    /// What the terminal has shown of the suspended line's output.
    pub shown: Vec<(Stream, String)>,
    /// The input ended after `answers`: the next read gets end of file.
    pub eof: bool,
}

impl QuestionState {
    /// Whether the next line the host sends is an answer.
    pub fn waiting(&self) -> bool {
        self.prompt.is_some() && self.pending_line.is_some()
    }
}

/// What asking gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asked {
    /// The line typed (without its newline).
    Answer(String),
    /// No answer yet: the command returns [`suspended`] and the line waits.
    Suspended,
    /// The input ended (a script ran out, Ctrl-D): the read fails, which a
    /// program takes as "no" or as an empty line, each in its own way.
    EndOfInput,
}

/// Asks `prompt` (printed as the program prints it, e.g. without a newline).
pub fn ask(session: &mut Session, prompt: &str) -> Asked {
    let q = &mut session.question;
    if let Some(answer) = q.answers.get(q.consumed).cloned() {
        q.consumed += 1;
        return Asked::Answer(answer);
    }
    if q.eof {
        return Asked::EndOfInput;
    }
    q.prompt = Some(prompt.to_string());
    Asked::Suspended
}

/// The output of a command suspended at a question: what it printed before
/// asking, and the status of a stopped job.
pub fn suspended(mut out: Output) -> Output {
    out.status = super::editor::SUSPENDED;
    out
}

/// The line the host sent while a question waits: the answer. The
/// suspended line runs again; what the terminal showed already is left out.
pub fn answer(session: &mut Session, cluster: &mut crate::cluster::Cluster, line: &str) -> Output {
    if session.question.pending_line.is_none() {
        return Output::default();
    }
    // A program reads one line (bufio.Scanner): the rest is bash's.
    let first = line.split('\n').next().unwrap_or("");
    session
        .question
        .answers
        .push(first.trim_end_matches('\r').to_string());
    rerun(session, cluster)
}

/// The input ended while a question waits (`dinghy shell`'s script ran
/// out): the question reads end of file, and the line runs to its end.
pub fn end_of_input(session: &mut Session, cluster: &mut crate::cluster::Cluster) -> Output {
    if !session.question.waiting() {
        return Output::default();
    }
    session.question.eof = true;
    rerun(session, cluster)
}

/// Runs the suspended line again with the answers so far, leaving out what
/// the terminal showed already.
fn rerun(session: &mut Session, cluster: &mut crate::cluster::Cluster) -> Output {
    let Some(pending) = session.question.pending_line.clone() else {
        return Output::default();
    };
    session.question.prompt = None;
    session.question.consumed = 0;
    let shown = std::mem::take(&mut session.question.shown);
    let mut out = super::run_line(session, cluster, &pending);
    if session.question.waiting() {
        session.question.shown = out.chunks.clone();
    } else {
        session.question = QuestionState::default();
    }
    strip_shown(&mut out, &shown);
    out
}

/// Ctrl-C at a question: the program dies of SIGINT (bash's status 130),
/// and the line is forgotten.
pub fn interrupt(session: &mut Session) -> Output {
    let mut out = Output::default();
    if session.question.prompt.is_some() {
        session.question = QuestionState::default();
        session.last_status = 130;
        out.status = 130;
    }
    out
}

/// Drops from `out` the chunks `shown` (a prefix of it; the last shown
/// chunk may have grown since). If the re-run printed something else — it
/// should not — everything is shown rather than a guess.
fn strip_shown(out: &mut Output, shown: &[(Stream, String)]) {
    let mut rest = out.chunks.clone();
    let mut i = 0;
    for (stream, text) in shown {
        let Some((s, t)) = rest.get_mut(i) else {
            return;
        };
        if s != stream || !t.starts_with(text.as_str()) {
            return;
        }
        if t.len() == text.len() {
            i += 1;
        } else {
            t.replace_range(..text.len(), "");
        }
    }
    out.chunks = rest.split_off(i.min(rest.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(list: &[(Stream, &str)]) -> Vec<(Stream, String)> {
        list.iter().map(|(s, t)| (*s, t.to_string())).collect()
    }

    #[test]
    fn what_was_shown_is_dropped_from_the_rerun_even_when_its_last_chunk_grew() {
        let mut out = Output {
            chunks: chunks(&[(Stream::Stderr, "warn\n"), (Stream::Stdout, "a\nb\nc\n")]),
            status: 0,
        };
        strip_shown(
            &mut out,
            &chunks(&[(Stream::Stderr, "warn\n"), (Stream::Stdout, "a\n")]),
        );
        assert_eq!(out.chunks, chunks(&[(Stream::Stdout, "b\nc\n")]));
    }

    #[test]
    fn a_rerun_that_printed_something_else_is_shown_whole() {
        let mut out = Output {
            chunks: chunks(&[(Stream::Stdout, "x\n")]),
            status: 0,
        };
        strip_shown(&mut out, &chunks(&[(Stream::Stdout, "a\n")]));
        assert_eq!(out.chunks, chunks(&[(Stream::Stdout, "x\n")]));
    }
}

#[cfg(test)]
mod session_tests {
    use crate::Simulation;

    const QUESTION: &str = "[upgrade] Are you sure you want to proceed? [y/N]: ";

    /// A control plane with kubeadm at the version it is asked to apply.
    fn ready() -> Simulation {
        let mut sim = Simulation::new(1);
        let out = sim.run(
            "apt-mark unhold kubeadm >/dev/null && apt-get install -y kubeadm=1.33.6-1.1 >/dev/null\n",
        );
        assert_eq!(out.status, 0, "{}", out.text());
        sim
    }

    #[test]
    fn the_question_is_the_prompt_and_the_next_line_its_answer_not_a_command() {
        let mut sim = ready();
        let out = sim.run("kubeadm upgrade apply v1.33.6; echo after\n");
        assert!(
            out.text()
                .ends_with("[upgrade/versions] kubeadm version: v1.33.6\n"),
            "{}",
            out.text()
        );
        assert_eq!(sim.question(), Some(QUESTION));
        assert_eq!(sim.prompt(), QUESTION);
        let out = sim.run("yes\n");
        let text = out.text();
        // What was shown before the question is not shown again.
        assert!(!text.contains("Running preflight checks"), "{text}");
        assert!(text.contains("[upgrade] SUCCESS!"), "{text}");
        // The rest of the line runs after the answer.
        assert!(text.ends_with("after\n"), "{text}");
        assert_eq!(sim.question(), None);
        assert_eq!(sim.prompt(), "controlplane ~ ➜  ");
        let history = sim.run("history\n").text();
        assert!(!history.contains("yes"), "{history}");
    }

    #[test]
    fn ctrl_c_at_the_question_ends_the_command_and_the_next_line_is_a_command() {
        let mut sim = ready();
        sim.run("kubeadm upgrade apply v1.33.6\n");
        assert!(sim.question().is_some());
        let out = sim.interrupt();
        assert_eq!(out.status, 130);
        assert_eq!(sim.question(), None);
        assert_eq!(sim.run("echo $?\n").text(), "130\n");
        assert_eq!(sim.run("y\n").text(), "bash: y: command not found\n");
    }

    #[test]
    fn end_of_input_answers_nothing_and_kubeadm_will_not_proceed() {
        let mut sim = ready();
        let text = sim.run_script("kubeadm upgrade apply v1.33.6\n", true);
        assert!(
            text.ends_with(&format!(
                "{QUESTION}\nwon't proceed; the user didn't answer (Y|y) in order to continue\nTo see the stack trace of this error execute with --v=5 or higher\n"
            )),
            "{text}"
        );
        assert!(!text.contains("SUCCESS"), "{text}");
    }
}

#[cfg(test)]
mod kubectl_delete_tests {
    use crate::Simulation;

    const QUESTION: &str = "Do you want to continue? (y/n): ";

    #[test]
    fn delete_i_asks_at_the_terminal_and_enter_alone_keeps_it_reading() {
        let mut sim = Simulation::new(1);
        sim.run("kubectl run a --image=nginx\n");
        let out = sim.run("kubectl delete pod a -i\n");
        assert_eq!(
            out.text(),
            "You are about to delete the following 1 resource(s):\npod/a\n"
        );
        assert_eq!(sim.question(), Some(QUESTION));
        // fmt.Fscan skips the empty line and goes on reading: no new
        // question, nothing printed, nothing deleted yet.
        let out = sim.run("\n");
        assert_eq!(out.text(), "");
        assert_eq!(sim.question(), Some(""));
        let out = sim.run(" y \n");
        assert_eq!(out.text(), "pod \"a\" deleted\n");
        assert_eq!(sim.question(), None);
        assert_eq!(
            sim.run("kubectl get pod a\n").text(),
            "Error from server (NotFound): pods \"a\" not found\n"
        );
    }

    #[test]
    fn delete_i_ended_by_ctrl_c_or_end_of_input_deletes_nothing() {
        let mut sim = Simulation::new(1);
        sim.run("kubectl run a --image=nginx\n");
        sim.run("kubectl delete pod a -i\n");
        assert_eq!(sim.interrupt().status, 130);
        sim.run("kubectl delete pod a -i\n");
        let out = sim.end_of_input();
        assert_eq!(out.text(), "deletion is cancelled\n");
        assert_eq!(out.status, 0);
        assert_eq!(sim.question(), None);
        assert_eq!(sim.run("kubectl get pod a -o name\n").text(), "pod/a\n");
    }
}
