//! `kubectl cp SRC DEST`: copies one file between kubectl's machine and a
//! container. kubectl streams a tar archive through `exec` (`tar cf -` in
//! the container, `tar xf -` the other way); Dinghy execs `cat` and a
//! shell redirect instead, so the file lands in the container's own layer
//! exactly as an exec'd write would. Directories are not simulated.

use super::super::{flags::Flag, flags::Parsed, Command, Context};
use crate::kubelet::server;
use crate::output::Output;

pub const COMMAND: Command = Command {
    name: "cp",
    short: "Copy files and directories to and from containers",
    usage: "kubectl cp <file-spec-src> <file-spec-dest> [options]",
    flags: &[
        Flag::string("container", "", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen").short('c'),
        Flag::bool("no-preserve", "The copied file/directory's ownership and permissions will not be preserved in the container"),
        Flag::int("retries", "0", "Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry)."),
    ],
    run,
};

/// `[[namespace/]pod:]path`, as kubectl's `extractFileSpec` reads it.
enum Spec {
    Local(String),
    Remote {
        ns: Option<String>,
        pod: String,
        path: String,
    },
}

fn spec(s: &str) -> Result<Spec, String> {
    let Some((pod, path)) = s.split_once(':') else {
        return Ok(Spec::Local(s.to_string()));
    };
    let parts: Vec<&str> = pod.split('/').collect();
    match parts[..] {
        [pod] => Ok(Spec::Remote {
            ns: None,
            pod: pod.to_string(),
            path: path.to_string(),
        }),
        [ns, pod] => Ok(Spec::Remote {
            ns: Some(ns.to_string()),
            pod: pod.to_string(),
            path: path.to_string(),
        }),
        _ => Err(
            "error: filespec must match the canonical format: [[namespace/]pod:]file/path".into(),
        ),
    }
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// A string as one single-quoted shell word.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    let [src, dest] = &p.args[..] else {
        return out.fail("error: source and destination are required");
    };
    let (src, dest) = match (spec(src), spec(dest)) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => return out.fail(e),
    };
    match (src, dest) {
        (Spec::Local(_), Spec::Local(_)) => {
            out.fail("error: one of src or dest must be a remote file specification")
        }
        (Spec::Remote { .. }, Spec::Remote { .. }) => {
            out.fail("error: one of src or dest must be a local file specification")
        }
        (Spec::Local(local), Spec::Remote { ns, pod, path }) => {
            to_pod(ctx, p, &local, ns, &pod, &path)
        }
        (Spec::Remote { ns, pod, path }, Spec::Local(local)) => {
            from_pod(ctx, p, ns, &pod, &path, &local)
        }
    }
}

fn target(
    ctx: &Context<'_>,
    p: &Parsed,
    ns: Option<String>,
    pod: &str,
) -> Result<server::Target, String> {
    let ns = ns.unwrap_or_else(|| ctx.namespace.clone());
    let container = p.string("container").filter(|c| !c.is_empty());
    server::target(&ctx.cluster.apiserver, &ns, pod, container).map_err(|e| e.kubectl_text())
}

fn exec(
    ctx: &mut Context<'_>,
    t: &server::Target,
    argv: &[&str],
) -> Result<server::ExecResult, String> {
    let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
    let now = ctx.cluster.now();
    server::exec(&mut ctx.cluster.machines, t, &argv, now).map_err(|e| e.kubectl_text())
}

fn to_pod(
    ctx: &mut Context<'_>,
    p: &Parsed,
    local: &str,
    ns: Option<String>,
    pod: &str,
    path: &str,
) -> Output {
    let mut out = Output::default();
    if path.is_empty() {
        return out.fail("error: filepath can not be empty");
    }
    if super::common::is_dir(ctx, local) {
        return out.fail(
            "error: copying a directory is not simulated by Dinghy (copy its files one by one)",
        );
    }
    let Some(data) = super::common::read_file(ctx, local) else {
        return out.fail(format!("error: {local} doesn't exist in local filesystem"));
    };
    let t = match target(ctx, p, ns, pod) {
        Ok(t) => t,
        Err(e) => return out.fail(e),
    };
    // Into a directory: the file keeps its name, as `tar xf` unpacks it.
    let into_dir = exec(ctx, &t, &["test", "-d", path]).is_ok_and(|r| r.code == 0);
    let dest = if into_dir || path.ends_with('/') {
        format!("{}/{}", path.trim_end_matches('/'), basename(local))
    } else {
        path.to_string()
    };
    let text = String::from_utf8_lossy(&data);
    let script = format!("printf %s {} > {}", quote(&text), quote(&dest));
    match exec(ctx, &t, &["sh", "-c", &script]) {
        Ok(r) if r.code == 0 => out,
        Ok(r) => {
            out.err(r.output);
            out.fail(format!("command terminated with exit code {}", r.code))
        }
        Err(e) => out.fail(e),
    }
}

fn from_pod(
    ctx: &mut Context<'_>,
    p: &Parsed,
    ns: Option<String>,
    pod: &str,
    path: &str,
    local: &str,
) -> Output {
    let mut out = Output::default();
    if path.is_empty() {
        return out.fail("error: filepath can not be empty");
    }
    let t = match target(ctx, p, ns, pod) {
        Ok(t) => t,
        Err(e) => return out.fail(e),
    };
    // The container's tar says this of every absolute member name, and
    // kubectl passes its stderr on.
    if path.starts_with('/') {
        out.err("tar: Removing leading `/' from member names\n");
    }
    if exec(ctx, &t, &["test", "-d", path]).is_ok_and(|r| r.code == 0) {
        return out.fail(
            "error: copying a directory is not simulated by Dinghy (copy its files one by one)",
        );
    }
    let data = match exec(ctx, &t, &["cat", path]) {
        Ok(r) if r.code == 0 => r.output,
        Ok(_) => {
            out.err(format!("tar: {}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n", path.trim_start_matches('/')));
            return out.fail("command terminated with exit code 2");
        }
        Err(e) => return out.fail(e),
    };
    let dest = if super::common::is_dir(ctx, local) {
        format!("{}/{}", local.trim_end_matches('/'), basename(path))
    } else {
        local.to_string()
    };
    let full = crate::node::fs::normalize(&ctx.cwd, &dest);
    let node = ctx.node.clone();
    let written = ctx
        .cluster
        .machine_mut(&node)
        .map(|m| m.fs.write(&full, data.as_bytes(), false));
    match written {
        Some(Ok(())) => out,
        _ => out.fail(format!("error: open {dest}: no such file or directory")),
    }
}
