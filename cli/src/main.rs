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
  dinghy lab validate         Check every bundled lab.
  dinghy bench [SCENARIO...] [--smoke]
                              Measure the engine's speed on this machine
                              (dinghy bench --help lists the scenarios).
  dinghy --help               This text.

Options of dinghy shell:
  --seed N      Seed of the simulation (default 1). The same seed and the same
                commands always give the same output.
  --node NAME   Start on that node instead of controlplane (as after ssh NAME).
  --echo        Print `$ <command>` before each command's output: a transcript.

Example:
  printf 'kubectl get nodes\\n' | dinghy shell
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("shell") => shell(&args[1..]),
        Some("lab") => lab(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
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
    while i < args.len() {
        let a = &args[i];
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
    let stdin = std::io::stdin();
    let mut pending = String::new();
    let mut status = 0;
    if interactive {
        prompt(&sim.prompt());
    }
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
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
        if sim.exited() {
            break;
        }
        if interactive {
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
    ExitCode::from(status.clamp(0, 255) as u8)
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
    match args.first().map(String::as_str) {
        Some("list") => {
            for f in labs::BUNDLED {
                println!("{}", f.path);
            }
            ExitCode::SUCCESS
        }
        Some("validate") => {
            let problems = labs::validate(labs::BUNDLED);
            for p in &problems {
                eprintln!("{}: {}", p.path, p.message);
            }
            println!(
                "validated {} lab(s): {} problem(s)",
                labs::BUNDLED.len(),
                problems.len()
            );
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: dinghy lab list | dinghy lab validate");
            ExitCode::from(2)
        }
    }
}
