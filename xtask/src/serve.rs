//! A small static file server for `dist/`, on loopback only. Trunk's own
//! server watches and rebuilds; here we serve the release build as a static
//! host (GitHub Pages) would, optionally under a sub-path.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

pub struct Server {
    pub port: u16,
}

/// Serves in a background thread on a free port; lives as long as the process.
pub fn spawn(dist: &Path, prefix: &str) -> Result<Server, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind loopback: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let dist = dist.to_path_buf();
    let prefix = prefix.to_string();
    std::thread::spawn(move || accept(listener, &dist, &prefix));
    Ok(Server { port })
}

pub fn serve_forever(dist: &Path, prefix: &str, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    eprintln!("\nDinghy is served on http://127.0.0.1:{port}{prefix} — open it in a browser. Ctrl-C stops the server.");
    accept(listener, dist, prefix);
    Ok(())
}

fn accept(listener: TcpListener, dist: &Path, prefix: &str) {
    for stream in listener.incoming().flatten() {
        let dist = dist.to_path_buf();
        let prefix = prefix.to_string();
        std::thread::spawn(move || {
            let _ = handle(stream, &dist, &prefix);
        });
    }
}

fn handle(mut stream: TcpStream, dist: &Path, prefix: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let Some(rel) = path
        .strip_prefix(prefix)
        .or_else(|| (path.to_string() + "/").strip_prefix(prefix).map(|_| ""))
    else {
        return respond(&mut stream, 404, "text/plain", b"not found");
    };
    match resolve(dist, rel) {
        Some(file) => {
            let body = std::fs::read(&file)?;
            respond(&mut stream, 200, content_type(&file), &body)
        }
        None => respond(&mut stream, 404, "text/plain", b"not found"),
    }
}

/// Maps a URL path to a file inside `dist`, refusing `..`.
fn resolve(dist: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = dist.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, code: u16, ctype: &str, body: &[u8]) -> std::io::Result<()> {
    let reason = if code == 200 { "OK" } else { "Not Found" };
    write!(stream, "HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n", body.len())?;
    stream.write_all(body)?;
    stream.flush()
}
