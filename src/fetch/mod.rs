//! Fetching sources from the web: the exact bytes a URL serves, and how they were served.
//!
//! One GET with a maintained client (ureq over rustls: no OpenSSL to build), following
//! redirects and recording where they led. Every fetch is bounded: a connect timeout, an
//! overall deadline that covers redirects and the body, and a body size limit, so a slow
//! or endless server never hangs an add. Only a successful (2xx) response whose content is
//! text is returned: an error page is never mistaken for the article.

pub mod robots;

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::model::{FetchRecord, credentials_span, without_credentials};

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The whole fetch, redirects and body included.
    pub timeout: Duration,
    /// The largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Politeness towards each site, shared by every fetch made with these options (and
    /// their clones).
    pub polite: Arc<Polite>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 10,
            polite: Arc::new(Polite::new(DEFAULT_HOST_DELAY, true)),
        }
    }
}

/// Time between two requests to one host, by default.
pub const DEFAULT_HOST_DELAY: Duration = Duration::from_secs(1);

/// A polite client: at most one request to a host per `delay`, and the site's robots.txt
/// respected (read once per site and run).
#[derive(Debug)]
pub struct Polite {
    delay: Duration,
    robots: bool,
    /// When each host may next be asked.
    next: Mutex<HashMap<String, Instant>>,
    /// Each origin's rules, once read.
    rules: Mutex<HashMap<String, Arc<robots::Robots>>>,
}

impl Polite {
    pub fn new(delay: Duration, robots: bool) -> Polite {
        Polite {
            delay,
            robots,
            next: Mutex::default(),
            rules: Mutex::default(),
        }
    }

    /// Waits for `host`'s turn.
    fn wait_turn(&self, host: &str) {
        if self.delay.is_zero() {
            return;
        }
        let wait = {
            let Ok(mut next) = self.next.lock() else {
                return;
            };
            let now = Instant::now();
            let at = next.get(host).copied().filter(|&t| t > now).unwrap_or(now);
            next.insert(host.to_owned(), at + self.delay);
            at - now
        };
        std::thread::sleep(wait);
    }

    /// Whether the site's robots.txt lets prov fetch `url`.
    fn allowed(&self, url: &str, options: &FetchOptions) -> bool {
        if !self.robots {
            return true;
        }
        let Some((origin, path)) = split_origin(url) else {
            return true;
        };
        // Held while a site's file is read, so parallel fetches read it once.
        let Ok(mut all) = self.rules.lock() else {
            return true;
        };
        let rules = match all.get(&origin) {
            Some(r) => Arc::clone(r),
            None => {
                let r = Arc::new(self.read_robots(&origin, options));
                all.insert(origin, Arc::clone(&r));
                r
            }
        };
        drop(all);
        rules.allows(&path)
    }

    fn read_robots(&self, origin: &str, options: &FetchOptions) -> robots::Robots {
        let url = format!("{origin}/robots.txt");
        self.wait_turn(&host_of(&url));
        // Its redirects are the client's to follow (RFC 9309 asks for at least five): no
        // credentials go with it, and where it leads is the site's own rule.
        let agent = agent(options, ROBOTS_REDIRECTS);
        let Ok(mut response) = agent.get(&url).call() else {
            // Unreachable: the page's own fetch will say why.
            return robots::Robots::allow_all();
        };
        let status = response.status().as_u16();
        if (500..600).contains(&status) {
            return robots::Robots::disallow_all();
        }
        if !(200..300).contains(&status) {
            return robots::Robots::allow_all();
        }
        let mut body = Vec::new();
        let read = response
            .body_mut()
            .with_config()
            .limit(robots::MAX_BYTES as u64 * 4)
            .reader()
            .take(robots::MAX_BYTES as u64)
            .read_to_end(&mut body);
        match read {
            Ok(_) => robots::Robots::parse(&String::from_utf8_lossy(&body)),
            Err(_) => robots::Robots::allow_all(),
        }
    }
}

/// `scheme://host[:port]` and the path with its query, of an http(s) URL.
fn split_origin(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let path = rest[end..].split('#').next().unwrap_or("");
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    Some((
        format!("{}://{}", scheme.to_ascii_lowercase(), &rest[..end]),
        path,
    ))
}

/// Redirects a robots.txt may take, followed by the client.
const ROBOTS_REDIRECTS: u32 = 5;

/// A client with prov's timeouts that follows up to `redirects` redirects itself; with
/// none it hands a redirect back as it came (`fetch_if_changed` follows those one hop
/// at a time).
fn agent(options: &FetchOptions, redirects: u32) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .timeout_connect(Some(options.timeout.min(Duration::from_secs(10))))
        .max_redirects(redirects)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .user_agent(concat!("prov/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

impl FetchRecord {
    /// Whether the server said the body is HTML.
    pub fn is_html(&self) -> bool {
        self.mime()
            .is_some_and(|m| m == "text/html" || m == "application/xhtml+xml")
    }

    /// The `charset` parameter of the content type.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.content_type.as_deref()?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches('"'))
        })
    }

    fn mime(&self) -> Option<String> {
        mime_of(self.content_type.as_deref()?)
    }
}

/// A successful response: how it was fetched, and the exact body.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub record: FetchRecord,
    pub body: Vec<u8>,
}

fn mime_of(content_type: &str) -> Option<String> {
    let m = content_type.split(';').next()?.trim().to_ascii_lowercase();
    (!m.is_empty()).then_some(m)
}

/// Why a URL could not be fetched. Every variant names the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: not an http:// or https:// URL")]
    BadUrl { url: String },
    #[error("{url}: the server answered {status}{}; nothing was stored", reason_suffix(*status))]
    Status { url: String, status: u16 },
    #[error("{url}: cannot resolve host {host:?} (DNS); check the spelling and the network")]
    Dns { url: String, host: String },
    #[error("{url}: connection refused; is the server running?")]
    Refused { url: String },
    #[error("{url}: no complete response within {seconds}s; retry, or raise --timeout")]
    Timeout { url: String, seconds: f64 },
    #[error("{url}: TLS failed: {message}; check the certificate, or that the server speaks https")]
    Tls { url: String, message: String },
    #[error("{url}: the body is larger than {limit} bytes; raise --max-size to accept it")]
    TooLarge { url: String, limit: u64 },
    #[error(
        "{url}: now redirects to the site's home page ({home}): the page was probably taken down; nothing was stored"
    )]
    MovedHome { url: String, home: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    #[error(
        "{url}: content type {content_type} is not text; prov stores HTML and plain-text sources"
    )]
    NotText { url: String, content_type: String },
    #[error(
        "{url}: the site's robots.txt asks crawlers not to fetch it; pass --ignore-robots to fetch it anyway"
    )]
    Robots { url: String },
    #[error("{url}: {message}")]
    Other { url: String, message: String },
}

fn reason_suffix(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return String::new(),
    };
    format!(" {reason}")
}

/// Whether a command-line argument is a URL to fetch rather than a path.
pub fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The `Authorization` header value for credentials written into a URL.
fn basic_auth(url: &str) -> Option<String> {
    let span = credentials_span(url)?;
    let userinfo = &url[span.start..span.end - 1];
    let decoded = percent_decode(userinfo);
    use base64::Engine;
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(decoded)
    ))
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// What a conditional fetch found.
#[derive(Debug, Clone)]
pub enum FetchOutcome {
    /// A body, new or not.
    Fetched(Fetched),
    /// The server answered 304 Not Modified to the validators of the last fetch: the
    /// record of this fetch, with no body.
    NotModified(FetchRecord),
}

/// Fetches `url`, asking the server (with `If-None-Match` and `If-Modified-Since` from
/// `last`, the previous fetch of it, when given) to answer 304 when nothing changed
/// since. Credentials written into the URL (`https://user:pass@host/`) are sent as HTTP
/// basic authentication and appear nowhere else: not in the record, not in errors.
pub fn fetch_if_changed(
    url_given: &str,
    options: &FetchOptions,
    last: Option<&FetchRecord>,
) -> Result<FetchOutcome, FetchError> {
    let auth = basic_auth(url_given);
    let safe = without_credentials(url_given);
    let url: &str = &safe;
    if !is_url(url) {
        return Err(FetchError::BadUrl {
            url: url.to_owned(),
        });
    }
    if !options.polite.allowed(url, options) {
        return Err(FetchError::Robots {
            url: url.to_owned(),
        });
    }
    options.polite.wait_turn(&host_of(url));
    let agent = agent(options, 0);
    let fail = |e: ureq::Error| classify(url, e, options);
    // Redirects are followed here, not by the client, so that each hop's site is asked
    // (robots.txt, its turn) and credentials go to the origin they were written for only.
    // One deadline covers every hop and the body.
    let deadline = Instant::now() + options.timeout;
    let mut at = url.to_owned();
    let mut hops = 0;
    let mut response = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FetchError::Timeout {
                url: url.to_owned(),
                seconds: options.timeout.as_secs_f64(),
            });
        }
        let mut request = agent.get(&at).config().timeout_global(Some(left)).build();
        if let Some(auth) = &auth
            && same_origin(&at, url)
        {
            request = request.header("Authorization", auth);
        }
        if let Some(etag) = last.and_then(|l| l.etag.as_deref()) {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = last.and_then(|l| l.last_modified.as_deref()) {
            request = request.header("If-Modified-Since", date);
        }
        let response = request.call().map_err(fail)?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok());
        let (true, Some(location)) = (matches!(status, 301 | 302 | 303 | 307 | 308), location)
        else {
            break response;
        };
        hops += 1;
        if hops > options.max_redirects {
            return Err(FetchError::TooManyRedirects {
                url: url.to_owned(),
                limit: options.max_redirects,
            });
        }
        let next = url::Url::parse(&at)
            .and_then(|base| base.join(location.trim()))
            .map(|u| without_credentials(u.as_str()).into_owned())
            .ok()
            .filter(|u| is_url(u))
            .ok_or_else(|| FetchError::Other {
                url: url.to_owned(),
                message: format!("redirected to {location:?}, which is not an http(s) URL"),
            })?;
        if !options.polite.allowed(&next, options) {
            return Err(FetchError::Robots { url: next });
        }
        if host_of(&next) != host_of(&at) {
            options.polite.wait_turn(&host_of(&next));
        }
        at = next;
    };
    let status = response.status().as_u16();
    if moved_home(url, &at) {
        return Err(FetchError::MovedHome {
            url: url.to_owned(),
            home: at,
        });
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let final_url = at.clone();
    if status == 304
        && let Some(last) = last
    {
        return Ok(FetchOutcome::NotModified(FetchRecord {
            url: url.to_owned(),
            final_url,
            status,
            content_type: last.content_type.clone(),
            fetched_at: now_rfc3339(),
            etag: etag.or_else(|| last.etag.clone()),
            last_modified: last_modified.or_else(|| last.last_modified.clone()),
            object: None,
            archive: None,
        }));
    }
    if !(200..300).contains(&status) {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status,
        });
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(m) = content_type.as_deref().and_then(mime_of) {
        let textual = m.starts_with("text/")
            || m == "application/xhtml+xml"
            || m == "application/xml"
            || m.ends_with("+xml")
            // JSON Feed (application/feed+json) and other JSON: text, read as such.
            || m == "application/json"
            || m.ends_with("+json");
        if !textual {
            return Err(FetchError::NotText {
                url: url.to_owned(),
                content_type: m,
            });
        }
    }
    // The limit is checked as the body streams in, on the bytes as sent and again on the
    // bytes as decompressed: an endless body, or a small gzip that expands to gigabytes,
    // stops at the limit.
    let mut body = Vec::new();
    let read = response
        .body_mut()
        .with_config()
        .limit(options.max_bytes)
        .reader()
        .take(options.max_bytes.saturating_add(1))
        .read_to_end(&mut body);
    if let Err(e) = read {
        let message = e.to_string();
        return Err(
            match e.into_inner().map(|inner| inner.downcast::<ureq::Error>()) {
                Some(Ok(inner)) => fail(*inner),
                _ => FetchError::Other {
                    url: url.to_owned(),
                    message,
                },
            },
        );
    }
    if body.len() as u64 > options.max_bytes {
        return Err(FetchError::TooLarge {
            url: url.to_owned(),
            limit: options.max_bytes,
        });
    }
    Ok(FetchOutcome::Fetched(Fetched {
        record: FetchRecord {
            url: url.to_owned(),
            final_url,
            status,
            content_type,
            fetched_at: now_rfc3339(),
            etag,
            last_modified,
            object: None,
            archive: None,
        },
        body,
    }))
}

fn classify(url: &str, e: ureq::Error, options: &FetchOptions) -> FetchError {
    let url = url.to_owned();
    match e {
        ureq::Error::StatusCode(status) => FetchError::Status { url, status },
        ureq::Error::HostNotFound => FetchError::Dns {
            host: host_of(&url),
            url,
        },
        ureq::Error::Timeout(_) => FetchError::Timeout {
            url,
            seconds: options.timeout.as_secs_f64(),
        },
        ureq::Error::BodyExceedsLimit(limit) => FetchError::TooLarge { url, limit },
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects {
            url,
            limit: options.max_redirects,
        },
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => FetchError::BadUrl { url },
        ureq::Error::Tls(m) => FetchError::Tls {
            url,
            message: m.to_owned(),
        },
        ureq::Error::Rustls(e) => FetchError::Tls {
            url,
            message: e.to_string(),
        },
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => FetchError::Refused { url },
            // The standard resolver's failure (getaddrinfo) has no error kind of its own.
            _ if io.to_string().contains("failed to lookup address") => FetchError::Dns {
                host: host_of(&url),
                url,
            },
            // rustls reports a failed handshake as invalid data on the socket.
            std::io::ErrorKind::InvalidData if url.to_ascii_lowercase().starts_with("https") => {
                FetchError::Tls {
                    message: io.to_string(),
                    url,
                }
            }
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => FetchError::Timeout {
                url,
                seconds: options.timeout.as_secs_f64(),
            },
            _ => match io.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
                Some(ureq::Error::BodyExceedsLimit(limit)) => {
                    FetchError::TooLarge { url, limit: *limit }
                }
                Some(ureq::Error::Timeout(_)) => FetchError::Timeout {
                    url,
                    seconds: options.timeout.as_secs_f64(),
                },
                _ => FetchError::Other {
                    url,
                    message: io.to_string(),
                },
            },
        },
        other => FetchError::Other {
            url,
            message: other.to_string(),
        },
    }
}

fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339).unwrap_or_default()
}

/// Whether `a` and `b` share scheme, host and port.
fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// Whether a redirect took an article's URL to its site's home page (a path of "/" and
/// no query), as sites answer for pages they took down.
fn moved_home(asked: &str, landed: &str) -> bool {
    let (Ok(asked), Ok(landed)) = (url::Url::parse(asked), url::Url::parse(landed)) else {
        return false;
    };
    // The site's root, or its index page by name ("/index.html", "/default.aspx").
    let home = |u: &url::Url| {
        let path = u.path().trim_matches('/');
        u.query().is_none()
            && (path.is_empty()
                || !path.contains('/')
                    && (["index", "home"].contains(&path)
                        || path.starts_with("index.")
                        || path.starts_with("default.")))
    };
    home(&landed)
        && !home(&asked)
        && asked.host_str().map(|h| h.trim_start_matches("www."))
            == landed.host_str().map(|h| h.trim_start_matches("www."))
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_to_the_home_page_is_told_from_one_to_the_page_itself() {
        assert!(moved_home(
            "https://a.example/news/story",
            "https://a.example/"
        ));
        assert!(moved_home(
            "https://www.a.example/news/story",
            "https://a.example/"
        ));
        assert!(moved_home(
            "https://a.example/?p=123",
            "https://a.example/index.php"
        ));
        // The home page asked for by another of its names, or another site.
        assert!(!moved_home(
            "https://a.example/index.html",
            "https://a.example/"
        ));
        assert!(!moved_home("https://a.example/", "https://a.example/home"));
        assert!(!moved_home(
            "https://a.example/news/story",
            "https://b.example/"
        ));
        assert!(!moved_home(
            "https://a.example/news/story",
            "https://a.example/news/story-2"
        ));
    }

    #[test]
    fn credentials_are_cut_from_urls_and_sent_as_basic_auth() {
        assert_eq!(
            without_credentials("https://ann:s3cr%40t@example.org/a?b=c@d"),
            "https://example.org/a?b=c@d"
        );
        assert_eq!(
            without_credentials("https://example.org/a@b"),
            "https://example.org/a@b"
        );
        assert_eq!(
            basic_auth("https://Aladdin:open%20sesame@example.org/").as_deref(),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
        assert_eq!(
            basic_auth("https://ab@x.test/").as_deref(),
            Some("Basic YWI=")
        );
        assert_eq!(
            basic_auth("https://a@x.test/").as_deref(),
            Some("Basic YQ==")
        );
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://example.com/a"));
        assert!(is_url("HTTP://example.com"));
        assert!(!is_url("seeds/000.txt"));
        assert!(!is_url("http"));
        assert!(!is_url("ftp://example.com"));
    }

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            host_of("https://user@news.example:8443/a?b"),
            "news.example"
        );
        assert_eq!(host_of("http://127.0.0.1:80"), "127.0.0.1");
    }

    #[test]
    fn content_types_say_html_and_charset() {
        let f = |ct: &str| FetchRecord {
            url: String::new(),
            final_url: String::new(),
            status: 200,
            content_type: Some(ct.to_owned()),
            fetched_at: String::new(),
            etag: None,
            last_modified: None,
            object: None,
            archive: None,
        };
        assert!(f("Text/HTML; charset=\"ISO-8859-1\"").is_html());
        assert_eq!(
            f("text/html; charset=\"ISO-8859-1\"").charset(),
            Some("ISO-8859-1")
        );
        assert!(!f("text/plain").is_html());
        assert_eq!(f("text/plain").charset(), None);
    }

    #[test]
    fn a_non_url_is_refused_without_a_request() {
        let e = fetch_if_changed("file:///etc/passwd", &FetchOptions::default(), None).unwrap_err();
        assert!(matches!(e, FetchError::BadUrl { .. }), "{e}");
    }
}
