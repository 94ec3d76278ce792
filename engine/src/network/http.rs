//! What the simulated servers answer to `GET path`: nginx's welcome page,
//! httpd's "It works!", the kodekloud webapp-color page, and their 404s.

use super::proxy::Backend;
use crate::clock::Time;
use crate::kubelet::container::{self, Paths};
use crate::kubelet::images::Kind;

/// One HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

const HTTPD_404: &str = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
";

const FLASK_404: &str = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
";

/// The webapp's colours and their CSS values (`color_codes` in app.py).
const COLORS: [(&str, &str); 6] = [
    ("red", "#e74c3c"),
    ("green", "#16a085"),
    ("blue", "#2980b9"),
    ("blue2", "#30336b"),
    ("darkblue", "#130f40"),
    ("pink", "#be2edd"),
];

/// The colour the webapp picked at start: `--color`, else `APP_COLOR`,
/// else one at random (the same draw its start-up log reports).
pub fn webapp_color(ctx: &container::RunCtx) -> String {
    let cli = ctx
        .argv
        .iter()
        .position(|a| a == "--color")
        .and_then(|i| ctx.argv.get(i + 1))
        .cloned();
    let env = ctx
        .env
        .iter()
        .rev()
        .find(|(k, _)| k == "APP_COLOR")
        .map(|(_, v)| v.clone());
    cli.or(env).unwrap_or_else(|| {
        COLORS
            .get((ctx.seed % COLORS.len() as u64) as usize)
            .map_or("blue", |c| c.0)
            .to_string()
    })
}

fn webapp_page(ctx: &container::RunCtx) -> String {
    let color = webapp_color(ctx);
    let code = COLORS
        .iter()
        .find(|c| c.0 == color)
        .map_or(color.as_str(), |c| c.1);
    format!(
        "<!doctype html>\n<title>Hello from Flask</title>\n<body style=\"background: {code};\"></body>\n<div style=\"color: #e4e4e4;\n    text-align:  center;\n    height: 90px;\n    vertical-align:  middle;\">\n\n  <h1>Hello from {}!</h1>\n\n  \n\n</div>",
        ctx.hostname
    )
}

/// RFC 7231 dates, as servers send them.
pub fn http_date(t: Time) -> String {
    let (y, mo, d, h, mi, s, wd) = container::civil(t);
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} GMT",
        DAYS.get(wd).copied().unwrap_or("Wed"),
        MONTHS.get(mo.saturating_sub(1)).copied().unwrap_or("Jan"),
    )
}

/// The server's answer to `GET path`, or `None` when it does not speak
/// HTTP on that port (curl: "Empty reply from server").
pub fn get(b: &Backend, host: &str, path: &str, now: Time) -> Option<Response> {
    let paths = b.http.as_ref()?;
    let found = match paths {
        Paths::Any => true,
        Paths::Only(list) => list.contains(&path),
    };
    let date = http_date(now);
    let mut r = Response {
        status: if found { 200 } else { 404 },
        reason: if found { "OK" } else { "Not Found" },
        headers: Vec::new(),
        body: String::new(),
    };
    match b.ctx.kind {
        Kind::Nginx => {
            let server = format!("nginx/{}", container::nginx_version(&b.ctx.tag));
            r.body = if found {
                NGINX_INDEX.to_string()
            } else {
                format!("<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>{server}</center>\n</body>\n</html>\n")
            };
            r.headers.push(("Server".into(), server));
            r.headers.push(("Date".into(), date));
            r.headers.push(("Content-Type".into(), "text/html".into()));
            r.headers
                .push(("Content-Length".into(), r.body.len().to_string()));
            if found {
                r.headers.push((
                    "Last-Modified".into(),
                    "Wed, 16 Apr 2025 12:01:11 GMT".into(),
                ));
            }
            r.headers.push(("Connection".into(), "keep-alive".into()));
            if found {
                r.headers
                    .push(("ETag".into(), format!("\"67ff9c07-{:x}\"", r.body.len())));
                r.headers.push(("Accept-Ranges".into(), "bytes".into()));
            }
        }
        Kind::Httpd => {
            r.body = if found { HTTPD_INDEX } else { HTTPD_404 }.to_string();
            r.headers.push(("Date".into(), date));
            r.headers
                .push(("Server".into(), "Apache/2.4.63 (Unix)".into()));
            if found {
                r.headers.push((
                    "Last-Modified".into(),
                    "Mon, 11 Jun 2007 18:53:14 GMT".into(),
                ));
                r.headers
                    .push(("ETag".into(), "\"2d-432a5e4a73a80\"".into()));
                r.headers.push(("Accept-Ranges".into(), "bytes".into()));
            }
            r.headers
                .push(("Content-Length".into(), r.body.len().to_string()));
            let ctype = if found {
                "text/html"
            } else {
                "text/html; charset=iso-8859-1"
            };
            r.headers.push(("Content-Type".into(), ctype.into()));
        }
        Kind::WebappColor => {
            r.body = match (found, path) {
                (false, _) => FLASK_404.to_string(),
                (true, "/color") => webapp_color(&b.ctx),
                (true, "/version") => "v1".to_string(),
                (true, _) => webapp_page(&b.ctx),
            };
            let ctype = "text/html; charset=utf-8";
            r.headers.push(("Content-Type".into(), ctype.into()));
            r.headers
                .push(("Content-Length".into(), r.body.len().to_string()));
            r.headers
                .push(("Server".into(), "Werkzeug/0.14.1 Python/3.6.5".into()));
            r.headers.push(("Date".into(), date));
        }
        Kind::PhpApache => {
            // The hpa-example's index.php burns CPU, then answers `OK!`.
            r.body = if found {
                "OK!".to_string()
            } else {
                String::new()
            };
            r.headers.push(("Date".into(), date));
            r.headers
                .push(("Server".into(), "Apache/2.4.10 (Debian)".into()));
            r.headers.push(("X-Powered-By".into(), "PHP/5.6.40".into()));
            r.headers
                .push(("Content-Length".into(), r.body.len().to_string()));
            r.headers
                .push(("Content-Type".into(), "text/html; charset=UTF-8".into()));
        }
        Kind::Wordpress => {
            // A fresh WordPress sends every visitor to its installer, on
            // the host name it was asked by.
            r.status = 302;
            r.reason = "Found";
            r.headers.push(("Date".into(), date));
            r.headers
                .push(("Server".into(), "Apache/2.4.62 (Debian)".into()));
            r.headers.push(("X-Powered-By".into(), "PHP/8.2.28".into()));
            r.headers.push((
                "Location".into(),
                format!("http://{host}/wp-admin/install.php"),
            ));
            r.headers.push(("Content-Length".into(), "0".into()));
            r.headers
                .push(("Content-Type".into(), "text/html; charset=UTF-8".into()));
        }
        _ => {
            // `python -m http.server` and other generic HTTP servers.
            r.body = if found {
                "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n</ul>\n<hr>\n</body>\n</html>\n".to_string()
            } else {
                String::new()
            };
            r.headers
                .push(("Server".into(), "SimpleHTTP/0.6 Python/3.13.3".into()));
            r.headers.push(("Date".into(), date));
            r.headers
                .push(("Content-type".into(), "text/html; charset=utf-8".into()));
            r.headers
                .push(("Content-Length".into(), r.body.len().to_string()));
        }
    }
    Some(r)
}
