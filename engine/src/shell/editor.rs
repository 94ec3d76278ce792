//! `vi`, `vim`, `nano` and `kubectl edit`'s editor, as plain data.
//!
//! A full-screen editor cannot run inside a command that must return, so
//! an interactive session *suspends* the command line at the editor: it
//! records an [`EditorRequest`] (the file and its text) and stops. The host
//! (the browser's editor, or a test) shows it and answers with
//! [`crate::Simulation::editor_done`]: the saved text, or nothing for
//! `:q!`. The command line then runs again from the start with the answers
//! given so far, each editor call in it taking the next answer instead of
//! suspending — so `kubectl edit`'s loop (reopen on an invalid edit) works
//! unchanged. Re-running is safe for what precedes an editor in practice
//! (`kubectl edit` writes nothing to the cluster before its editor returns;
//! `vi file` has nothing before it); a line that appends to a file before
//! calling the editor would append twice, a documented limitation.
//!
//! Without a host that can edit (`dinghy shell` reading a script), `vi`
//! runs `$EDITOR` as a scripted editor when one is set
//! (`EDITOR="sed -i s/a/b/" vi f`), and otherwise says so; scripts edit
//! with `sed -i`, or `KUBE_EDITOR="sed -i …"` for `kubectl edit`.

use super::{session_fs, session_fs_mut, Session};
use crate::cluster::Cluster;
use crate::node::fs;
use crate::output::Output;

/// The exit status of a command suspended at an editor (128 + SIGTSTP).
pub const SUSPENDED: i32 = 148;

/// "Open this file in an editor": what the host shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditorRequest {
    /// The node whose file it is.
    pub node: String,
    /// The absolute path.
    pub path: String,
    /// The file's text when the editor opens (empty for a new file).
    pub text: String,
    /// `vi`, `vim` or `nano`: the keys the host should offer.
    pub program: String,
}

/// The editing state of a session.
#[derive(Clone, Debug, Default)]
pub struct EditorState {
    /// Whether a host can show an editor (the browser sets it).
    pub interactive: bool,
    /// The editor the command line is waiting for.
    pub request: Option<EditorRequest>,
    /// The command line that is suspended, to run again once answered.
    pub pending_line: Option<String>,
    /// The answers given so far for the pending line, in order; `None`
    /// means quit without saving.
    pub answers: Vec<Option<String>>,
    /// How many answers the current run has consumed.
    pub consumed: usize,
}

/// `vi FILE` (and `vim`, `nano`): one file; options are ignored.
pub fn run(session: &mut Session, cluster: &mut Cluster, program: &str, args: &[String]) -> Output {
    let out = Output::default();
    let files: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && !a.starts_with('+'))
        .collect();
    let Some(file) = files.first() else {
        return out.fail(format!(
            "{program}: a file name is needed here (e.g. `{program} pod.yaml`)"
        ));
    };
    let path = fs::normalize(&session.cwd, file);
    if session_fs(session, cluster).is_some_and(|f| f.is_dir(&path)) {
        return out.fail(format!("\"{file}\" is a directory"));
    }
    let ed = &mut session.editor;
    if let Some(answer) = ed.answers.get(ed.consumed).cloned() {
        ed.consumed += 1;
        return match answer {
            None => out,
            Some(text) => match session_fs_mut(session, cluster)
                .map(|f| f.write(&path, text.as_bytes(), false))
            {
                Some(Ok(())) => out,
                Some(Err(e)) => out.fail(format!(
                    "\"{file}\" E212: Can't open file for writing ({})",
                    e.text()
                )),
                None => out.fail("no file system"),
            },
        };
    }
    if !session.editor.interactive {
        // No terminal: `$EDITOR` from the session runs as a scripted editor
        // on the file (`EDITOR="sed -i s/a/b/" vi f`), as `kubectl edit`
        // runs `$KUBE_EDITOR`; an editor that is itself vi/vim/nano cannot.
        let scripted = session.env.get("EDITOR").cloned().filter(|e| {
            let first = e.split_whitespace().next().unwrap_or("");
            let base = first.rsplit('/').next().unwrap_or(first);
            !base.is_empty() && !matches!(base, "vi" | "vim" | "nano" | "vim.basic" | "vim.tiny")
        });
        if let Some(editor) = scripted {
            return super::run_line(session, cluster, &format!("{editor} {path}"));
        }
        return out.fail(format!(
            "{program}: no terminal to edit \"{file}\" in here (use sed -i, EDITOR=\"sed -i …\" {program} FILE, or KUBE_EDITOR=\"sed -i …\" for kubectl edit)"
        ));
    }
    let text = session_fs(session, cluster)
        .and_then(|f| f.read(&path).ok())
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    session.editor.request = Some(EditorRequest {
        node: session.node.clone(),
        path,
        text,
        program: program.to_string(),
    });
    let mut out = out;
    out.status = SUSPENDED;
    out
}

#[cfg(test)]
mod tests {
    use crate::Simulation;

    fn sim() -> Simulation {
        let mut s = Simulation::new(7);
        s.set_interactive_editor(true);
        s
    }

    #[test]
    fn vi_suspends_then_saves_or_quits() {
        let mut s = sim();
        let out = s.run("echo one > f.txt; vi f.txt; cat f.txt\n");
        assert_eq!(out.stdout(), "");
        let Some(req) = s.editor_request().cloned() else {
            panic!("an editor is open")
        };
        assert_eq!(
            (req.path.as_str(), req.text.as_str(), req.node.as_str()),
            ("/root/f.txt", "one\n", "controlplane")
        );
        // `:wq`: the rest of the line runs.
        let out = s.editor_done(Some("two\n".into()));
        assert_eq!(out.stdout(), "two\n");
        assert!(s.editor_request().is_none());
        // `:q!`: nothing written.
        s.run("vi f.txt && echo closed\n");
        let out = s.editor_done(None);
        assert_eq!(out.stdout(), "closed\n");
        assert_eq!(s.run("cat f.txt\n").stdout(), "two\n");
        // A new file.
        s.run("vi /tmp/new.yaml\n");
        assert_eq!(
            s.editor_request().map(|r| r.text.clone()),
            Some(String::new())
        );
        s.editor_done(Some("a: 1\n".into()));
        assert_eq!(s.run("cat /tmp/new.yaml\n").stdout(), "a: 1\n");
    }

    #[test]
    fn without_a_host_vi_says_how_to_edit() {
        let mut s = Simulation::new(7);
        let out = s.run("vi f.txt\n");
        assert_eq!(out.status, 1);
        assert!(out.stderr().contains("sed -i"), "{}", out.stderr());
        assert!(s.editor_request().is_none());
    }

    #[test]
    fn without_a_terminal_vi_runs_a_scripted_editor() {
        let mut s = Simulation::new(7);
        let out = s.run("echo 'image: nginx' > pod.yaml; EDITOR=\"sed -i s/nginx/httpd/\"; vi pod.yaml; cat pod.yaml\n");
        assert_eq!(out.stdout(), "image: httpd\n", "{}", out.stderr());
        // vi as $EDITOR would call itself: it says how to edit instead.
        let out = s.run("EDITOR=vim; nano pod.yaml\n");
        assert_eq!(out.status, 1);
        assert!(out.stderr().contains("sed -i"), "{}", out.stderr());
    }

    #[test]
    fn kubectl_edit_reopens_on_an_invalid_edit_then_applies() {
        let mut s = sim();
        s.run("kubectl create deployment web --image=nginx\n");
        s.run("kubectl edit deployment web\n");
        let Some(first) = s.editor_request().cloned() else {
            panic!("editor open")
        };
        assert!(
            first.path.starts_with("/tmp/kubectl-edit-"),
            "{}",
            first.path
        );
        assert!(first.text.contains("image: nginx"), "{}", first.text);
        // An invalid edit: negative replicas (422, so kubectl reopens).
        let bad = first.text.replace("replicas: 1", "replicas: -1");
        let out = s.editor_done(Some(bad));
        let second = s
            .editor_request()
            .cloned()
            .unwrap_or_else(|| panic!("not reopened: {} {}", out.stdout(), out.stderr()));
        assert!(
            second.text.starts_with("# Please edit the object below"),
            "{}",
            second.text
        );
        assert!(
            second
                .text
                .lines()
                .any(|l| l.starts_with("# deployments.apps \"web\" was not valid")),
            "{}\n{}",
            second.text,
            out.stderr()
        );
        // Fix it and change the image.
        let good = second
            .text
            .replace("replicas: -1", "replicas: 1")
            .replace("image: nginx", "image: nginx:1.27");
        let out = s.editor_done(Some(good));
        assert_eq!(
            out.stdout(),
            "deployment.apps/web edited\n",
            "{}",
            out.stderr()
        );
        assert!(s.editor_request().is_none());
        let img = s.run(
            "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'\n",
        );
        assert_eq!(img.stdout(), "nginx:1.27");
    }
}
