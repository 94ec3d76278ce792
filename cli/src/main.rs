//! `dinghy`: the simulated cluster in a terminal — the same engine, shell and
//! kubectl as the browser app, for instructors, scripts and tests.

mod bench;

use engine::{Simulation, Stream};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

const HELP: &str = "\
dinghy — a Kubernetes v1.33 cluster simulated on your machine, for CKA practice.

Usage:
  dinghy shell [--seed N] [--node NAME] [--echo]
                              Open a shell on the control-plane node of a fresh
                              cluster (controlplane + node01). When standard
                              input is not a terminal, it is read as bash reads
                              a script: line by line, a here-document or an
                              open quote continuing on the following lines;
                              each command's output (stdout and stderr, in
                              order) is printed with no prompt or echo.
  dinghy lab list             List the bundled labs.
  dinghy lab show ID [--seed N] [--lang en|ko]
                              Print a lab's description and tasks.
  dinghy lab check ID [--seed N] [--lang en|ko] [--answer TASK=TEXT]…
                              Set the lab up, run the commands on standard
                              input as the learner, and grade the cluster.
  dinghy lab validate [FILE…] Check the bundled labs (or these files): they
                              parse, both languages are complete, every check
                              fails before the solution and passes after it.
  dinghy bench [SCENARIO...] [--smoke]
                              Measure the engine's speed on this machine
                              (dinghy bench --help lists the scenarios).
  dinghy --help               This text.

Options of dinghy shell:
  --seed N      Seed of the simulation (default 1). The same seed and the same
                commands always give the same output.
  --node NAME   Start on that node instead of controlplane (as after ssh NAME).
  --echo        Print `$ <command>` before each command's output: a transcript.

In a terminal, `vi FILE` (and vim, nano, kubectl edit) opens the simulated
file in your own $VISUAL or $EDITOR (vi when neither is set) and writes it
back when the editor exits; exiting with an error (vim's :cq) discards it.

Example:
  printf 'kubectl get nodes\\n' | dinghy shell
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("shell") => shell(rest),
        Some("lab") => lab(rest),
        Some("bench") => bench::bench(rest),
        Some(other) => {
            eprintln!("dinghy: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

/// `dinghy shell`'s options.
#[derive(Debug, PartialEq, Eq)]
struct ShellOptions {
    seed: u64,
    node: Option<String>,
    echo: bool,
}

fn shell_options(args: &[String]) -> Result<ShellOptions, String> {
    let mut o = ShellOptions {
        seed: 1,
        node: None,
        echo: false,
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "--seed" => {
                let v = value()?;
                o.seed = v
                    .parse()
                    .map_err(|_| format!("--seed takes a whole number, not {v:?}"))?;
            }
            "--node" => o.node = Some(value()?),
            "--echo" => o.echo = true,
            _ => return Err(format!("unknown option {a:?}")),
        }
        i += 1;
    }
    Ok(o)
}

fn shell(args: &[String]) -> ExitCode {
    let opts = match shell_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("dinghy shell: {e}");
            return ExitCode::from(2);
        }
    };
    let mut sim = Simulation::new(opts.seed);
    if let Some(node) = &opts.node {
        if let Err(e) = sim.start_on(node) {
            eprintln!("dinghy shell: {e}");
            return ExitCode::from(2);
        }
    }
    let interactive = std::io::stdin().is_terminal();
    // With a terminal, the simulated vi suspends and the host's editor edits.
    sim.set_interactive_editor(interactive);
    let host_editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let stdin = std::io::stdin();
    let mut pending = String::new();
    let mut status = 0;
    if interactive {
        prompt(&sim.prompt());
    }
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if sim.foreground().is_some() && pending.is_empty() {
            let out = sim.foreground_key(&line);
            status = out.status;
            print_output(&out);
            if interactive && sim.foreground().is_none() {
                prompt(&sim.prompt());
            }
            continue;
        }
        if let Some(question) = sim.question().map(str::to_string) {
            // The line answers the question the last command asked (the
            // terminal showed it as the prompt; a script's reader sees it).
            if opts.echo {
                println!("{question}{line}");
            } else if !interactive {
                print!("{question}");
            }
            let out = sim.run(&format!("{line}\n"));
            status = out.status;
            print_output(&out);
            if interactive && sim.foreground().is_none() {
                prompt(&sim.prompt());
            }
            continue;
        }
        pending.push_str(&line);
        pending.push('\n');
        if !Simulation::is_complete(&pending) {
            if interactive {
                prompt("> ");
            }
            continue;
        }
        let input = std::mem::take(&mut pending);
        if opts.echo && !input.trim().is_empty() {
            print!("$ {input}");
        }
        let out = sim.run(&input);
        status = out.status;
        print_output(&out);
        // `kubectl edit` may reopen its editor after an invalid edit.
        while let Some(request) = sim.editor_request().cloned() {
            let out = host_edit(&mut sim, &request, &host_editor);
            status = out.status;
            print_output(&out);
        }
        if sim.exited() {
            break;
        }
        if interactive && sim.foreground().is_none() {
            prompt(&sim.prompt());
        }
    }
    if !pending.trim().is_empty() {
        // The script ended inside a quote or here-document, as bash reports.
        if opts.echo {
            print!("$ {pending}");
        }
        let out = sim.run(&pending);
        status = out.status;
        print_output(&out);
    }
    if sim.question().is_some() {
        // End of input: the waiting question reads end of file.
        if !interactive {
            print!("{}", sim.question().unwrap_or_default());
        }
        let out = sim.end_of_input();
        status = out.status;
        print_output(&out);
    }
    ExitCode::from(status.clamp(0, 255) as u8)
}

/// Opens the simulated file the engine asks for in the host's editor: a
/// temporary copy (same file name, so the editor's syntax highlighting
/// works), the editor run through `sh -c` so `EDITOR="code --wait"` works,
/// then the text handed back. A failing editor means "quit without saving".
fn host_edit(
    sim: &mut Simulation,
    request: &engine::shell::editor::EditorRequest,
    editor: &str,
) -> engine::Output {
    let name = request
        .path
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("file");
    let dir = std::env::temp_dir().join(format!("dinghy-edit-{}", std::process::id()));
    let path = dir.join(name);
    let written = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, &request.text));
    if let Err(e) = written {
        eprintln!("dinghy shell: cannot write {}: {e}", path.display());
        return sim.editor_done(None);
    }
    let ran = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let answer = match ran {
        Ok(s) if s.success() => std::fs::read_to_string(&path).ok(),
        Ok(_) => None,
        Err(e) => {
            eprintln!("dinghy shell: cannot run {editor}: {e}");
            None
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    sim.editor_done(answer)
}

fn prompt(p: &str) {
    print!("{p}");
    let _ = std::io::stdout().flush();
}

fn print_output(out: &engine::Output) {
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    for (stream, text) in &out.chunks {
        // Flushing between chunks keeps stdout and stderr in the order written.
        let _ = match stream {
            Stream::Stdout => stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush()),
            Stream::Stderr => stderr
                .write_all(text.as_bytes())
                .and_then(|_| stderr.flush()),
        };
    }
}

fn lab(args: &[String]) -> ExitCode {
    let rest = args.get(1..).unwrap_or(&[]);
    match args.first().map(String::as_str) {
        Some("list") => {
            for l in labs::list() {
                let pending = if l.missing.is_empty() {
                    String::new()
                } else {
                    format!("  (pending: needs {})", l.missing.join(", "))
                };
                println!(
                    "{:<24} {:<7} {:>3} min  {}{pending}",
                    l.id, l.difficulty, l.minutes, l.title.en
                );
            }
            ExitCode::SUCCESS
        }
        Some("validate") => lab_validate(rest),
        Some("show") => lab_run(rest, false),
        Some("check") => lab_run(rest, true),
        _ => {
            eprintln!("{LAB_USAGE}");
            ExitCode::from(2)
        }
    }
}

const LAB_USAGE: &str = "\
usage: dinghy lab list
       dinghy lab show ID [--seed N] [--lang en|ko]
       dinghy lab check ID [--seed N] [--lang en|ko] [--answer TASK=TEXT]… < commands
       dinghy lab validate [FILE…]";

fn lab_validate(paths: &[String]) -> ExitCode {
    let owned: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap_or_default()))
        .collect();
    // Leaked once per run: LabFile borrows 'static text, like the bundled labs.
    let files: Vec<labs::LabFile> = if owned.is_empty() {
        labs::BUNDLED.to_vec()
    } else {
        owned
            .into_iter()
            .map(|(p, t)| labs::LabFile {
                path: Box::leak(p.into_boxed_str()),
                text: Box::leak(t.into_boxed_str()),
            })
            .collect()
    };
    let v = labs::validate(&files);
    for p in &v.problems {
        eprintln!("{p}");
    }
    for (path, missing) in &v.pending {
        println!("{path}: pending: needs {}", missing.join(", "));
    }
    println!(
        "validated {} lab(s) at seeds {:?}; {} pending; {} problem(s)",
        v.validated.len(),
        labs::validate::SEEDS,
        v.pending.len(),
        v.problems.len()
    );
    if v.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `dinghy lab show|check`: the lab's text, or its setup, the learner's
/// commands from standard input, and the grade.
fn lab_run(args: &[String], check: bool) -> ExitCode {
    let mut id = None;
    let mut seed = 1u64;
    let mut lang = labs::Lang::En;
    let mut answers = std::collections::BTreeMap::new();
    let mut i = 0;
    while let Some(a) = args.get(i).map(String::as_str) {
        let next = args.get(i + 1).cloned().unwrap_or_default();
        match a {
            "--seed" => {
                let Ok(s) = next.parse() else {
                    eprintln!("dinghy lab: --seed takes a whole number, not {next:?}");
                    return ExitCode::from(2);
                };
                seed = s;
                i += 1;
            }
            "--lang" => {
                let Some(l) = labs::Lang::parse(&next) else {
                    eprintln!("dinghy lab: --lang is en or ko, not {next:?}");
                    return ExitCode::from(2);
                };
                lang = l;
                i += 1;
            }
            "--answer" => {
                let Some((k, v)) = next.split_once('=') else {
                    eprintln!("dinghy lab: --answer takes TASK=TEXT, not {next:?}");
                    return ExitCode::from(2);
                };
                answers.insert(k.to_string(), v.to_string());
                i += 1;
            }
            _ if id.is_none() && !a.starts_with('-') => id = Some(a.to_string()),
            _ => {
                eprintln!("dinghy lab: unknown option {a:?}\n{LAB_USAGE}");
                return ExitCode::from(2);
            }
        }
        i += 1;
    }
    let Some(id) = id else {
        eprintln!("{LAB_USAGE}");
        return ExitCode::from(2);
    };
    let Some(file) = labs::find(&id) else {
        eprintln!("dinghy lab: no lab {id:?} (see dinghy lab list)");
        return ExitCode::from(2);
    };
    let lab = match labs::Lab::load(file.path, file.text, seed) {
        Ok(l) => l,
        Err(p) => {
            eprintln!("{p}");
            return ExitCode::FAILURE;
        }
    };
    if !check {
        println!(
            "# {}\n\n{}",
            lab.spec.title.get(lang),
            lab.spec.description.get(lang).trim()
        );
        for t in &lab.spec.tasks {
            println!("\n## {}\n{}", t.id, t.text.get(lang).trim());
        }
        return ExitCode::SUCCESS;
    }
    let mut sim = match lab.start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dinghy lab: the setup failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut script = String::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        script.push_str(&line);
        script.push('\n');
    }
    let _ = sim.run_script(&script, false);
    lab.settle(&mut sim);
    let report = lab.check(&mut sim, &answers, lang);
    print!("{}", report.render(lang));
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_host_editor_edits_the_simulated_file() {
        let mut sim = Simulation::new(1);
        sim.set_interactive_editor(true);
        sim.run("echo 'image: nginx' > pod.yaml\n");
        let out = sim.run("vi pod.yaml && cat pod.yaml\n");
        assert_eq!(out.stdout(), "");
        let request = sim
            .editor_request()
            .cloned()
            .unwrap_or_else(|| panic!("vi did not ask for an editor"));
        let out = host_edit(&mut sim, &request, "sed -i s/nginx/httpd/");
        assert_eq!(out.stdout(), "image: httpd\n", "{}", out.stderr());
        // An editor that fails (vim's :cq) leaves the file as it was.
        sim.run("vi pod.yaml; cat pod.yaml\n");
        let request = sim
            .editor_request()
            .cloned()
            .unwrap_or_else(|| panic!("vi did not ask for an editor"));
        let out = host_edit(&mut sim, &request, "false");
        assert_eq!(out.stdout(), "image: httpd\n", "{}", out.stderr());
    }
}
