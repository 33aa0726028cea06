//! A small HTTP/1.1 server on 127.0.0.1 for tests of URL sources: no outside network exists
//! on the machines these tests run on. Each route answers with a page, a redirect, a slow
//! or an endless body; routes can be changed while the server runs (an edited article).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Route {
    /// A response with this status, content type and body.
    Page {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// A redirect (302) to another path of this server.
    Redirect(String),
    /// A 200 that starts only after this long.
    Slow(Duration),
    /// A 200 text/html body that never ends (no Content-Length).
    Endless,
    /// A 200 text/html body sent with this `Content-Encoding` (the body already encoded).
    Encoded {
        encoding: &'static str,
        body: Vec<u8>,
    },
    /// A text/html page with an `ETag` and a `Last-Modified`, answered 304 Not Modified
    /// when the request's `If-None-Match` names the tag.
    Tagged { etag: &'static str, body: Vec<u8> },
}

impl Route {
    pub fn html(body: impl Into<Vec<u8>>) -> Route {
        Route::Page {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: body.into(),
        }
    }
}

pub struct Server {
    addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    /// Every request's head as received, in order, with when it arrived.
    requests: Arc<Mutex<Vec<(std::time::Instant, String)>>>,
}

impl Server {
    /// Starts a server on a free port of 127.0.0.1; it lives as long as the test process.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let requests: Arc<Mutex<Vec<(std::time::Instant, String)>>> = Arc::default();
        let (shared, log) = (Arc::clone(&routes), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, log) = (Arc::clone(&shared), Arc::clone(&log));
                std::thread::spawn(move || serve(stream, &routes, &log));
            }
        });
        Server {
            addr,
            routes,
            requests,
        }
    }

    /// The heads of the requests made for `path` so far, oldest first.
    pub fn requests(&self, path: &str) -> Vec<String> {
        self.timed_requests(path)
            .into_iter()
            .map(|(_, h)| h)
            .collect()
    }

    /// The same, with when each arrived.
    pub fn timed_requests(&self, path: &str) -> Vec<(std::time::Instant, String)> {
        self.requests
            .lock()
            .expect("requests")
            .iter()
            .filter(|(_, h)| h.split_whitespace().nth(1) == Some(path))
            .cloned()
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn set(&self, path: &str, route: Route) {
        self.routes
            .lock()
            .expect("routes")
            .insert(path.to_owned(), route);
    }
}

fn serve(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Route>>,
    requests: &Mutex<Vec<(std::time::Instant, String)>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let Ok(n) = stream.read(&mut buf) else { return };
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
        // Not HTTP at all (a TLS handshake, say): answer as a plain server would.
        if !head[0].is_ascii_uppercase() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let line = String::from_utf8_lossy(&head).into_owned();
    requests
        .lock()
        .expect("requests")
        .push((std::time::Instant::now(), line.clone()));
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let route = routes.lock().expect("routes").get(&path).cloned();
    let reply = |stream: &mut TcpStream, status: u16, ct: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match route {
        None => reply(&mut stream, 404, "text/html", b"<h1>Not Found</h1>"),
        Some(Route::Page {
            status,
            content_type,
            body,
        }) => reply(&mut stream, status, content_type, &body),
        Some(Route::Redirect(to)) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        }
        Some(Route::Slow(delay)) => {
            std::thread::sleep(delay);
            reply(&mut stream, 200, "text/html", b"<p>too late</p>");
        }
        Some(Route::Encoded { encoding, body }) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {encoding}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Some(Route::Tagged { etag, body }) => {
            let asked = line.lines().any(|l| {
                l.split_once(':').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("if-none-match") && v.trim() == etag
                })
            });
            let tags = format!(
                "ETag: {etag}\r\nLast-Modified: Tue, 01 Dec 2026 08:00:00 GMT\r\nConnection: close"
            );
            let head = if asked {
                format!("HTTP/1.1 304 Not Modified\r\n{tags}\r\n\r\n")
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n{tags}\r\n\r\n",
                    body.len()
                )
            };
            let _ = stream.write_all(head.as_bytes());
            if !asked {
                let _ = stream.write_all(&body);
            }
        }
        Some(Route::Endless) => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
            );
            let chunk = b"<p>more and more text</p>\n".repeat(2048);
            while stream.write_all(&chunk).is_ok() {}
        }
    }
}
