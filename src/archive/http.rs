//! The HTTP response a WARC `response` record holds: status line, header fields and the
//! body as it went over the wire, with its transfer coding (chunked) and content coding
//! (gzip, deflate) undone, each bounded by the caller's limit.

use std::io::Read;

/// A captured response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

/// Parses the HTTP response in `block`; bodies that decode to more than `limit` bytes are
/// refused.
pub fn parse_response(block: &[u8], limit: u64) -> Result<Response, String> {
    let head_end = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| (i, i + 2)))
        .ok_or("the HTTP response has no end of header")?;
    let head = String::from_utf8_lossy(&block[..head_end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/") {
        return Err(format!("not an HTTP response: {:?}", truncate(status_line)));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status code in {:?}", truncate(status_line)))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = block[head_end.1..].to_vec();
    let codings = |name: &str| -> Vec<String> {
        headers
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty() && c != "identity")
            .collect()
    };
    // Archivers store some bodies as sent (chunked, compressed) and some decoded with the
    // headers left as they were: a coding is undone only when the body is in it.
    if codings("transfer-encoding").iter().any(|c| c == "chunked")
        && let Some(plain) = dechunk(&body)
    {
        body = plain;
    }
    for coding in codings("content-encoding").iter().rev() {
        body = match coding.as_str() {
            "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
                inflate(flate2::read::MultiGzDecoder::new(&body[..]), limit)?
            }
            "deflate" if !body.is_empty() && !looks_like_text(&body) => {
                match inflate(flate2::read::ZlibDecoder::new(&body[..]), limit) {
                    Ok(b) => b,
                    Err(_) => inflate(flate2::read::DeflateDecoder::new(&body[..]), limit)?,
                }
            }
            "gzip" | "x-gzip" | "deflate" => body,
            other => {
                if looks_like_text(&body) {
                    body
                } else {
                    return Err(format!(
                        "the body is compressed with {other:?}, which prov does not read"
                    ));
                }
            }
        };
    }
    if body.len() as u64 > limit {
        return Err(format!(
            "the body is larger than {limit} bytes; raise --max-size to accept it"
        ));
    }
    Ok(Response {
        status,
        content_type: header("content-type"),
        etag: header("etag"),
        last_modified: header("last-modified"),
        body,
    })
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Whether bytes look like markup or text rather than a compressed stream.
fn looks_like_text(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    head.iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count()
        * 20
        <= head.len()
}

fn inflate(mut reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    (&mut reader)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| format!("the compressed body is damaged: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "the body expands to more than {limit} bytes; raise --max-size to accept it"
        ));
    }
    Ok(out)
}

/// The body of a chunked transfer; `None` when it is not one (already de-chunked).
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    loop {
        let eol = memchr::memmem::find(&body[at..], b"\r\n")?;
        let size_text = std::str::from_utf8(&body[at..at + eol]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        at += eol + 2;
        if size == 0 {
            return Some(out);
        }
        let end = at.checked_add(size)?;
        out.extend_from_slice(body.get(at..end)?);
        at = end;
        if body.get(at..at + 2) == Some(b"\r\n") {
            at += 2;
        } else {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_response_is_read_with_its_validators() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: \"x\"\r\n\r\n<p>hi</p>",
            1000,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type.as_deref(), Some("text/html; charset=utf-8"));
        assert_eq!(r.etag.as_deref(), Some("\"x\""));
        assert_eq!(r.body, b"<p>hi</p>");
    }

    #[test]
    fn chunked_and_gzipped_bodies_are_decoded_and_bounded() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<p>hello world</p>").unwrap();
        let gz = gz.finish().unwrap();
        let mut chunked = format!("{:x}\r\n", 5).into_bytes();
        chunked.extend_from_slice(&gz[..5]);
        chunked.extend_from_slice(format!("\r\n{:x}\r\n", gz.len() - 5).as_bytes());
        chunked.extend_from_slice(&gz[5..]);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let block = [
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n\r\n".to_vec(),
            chunked,
        ]
        .concat();
        assert_eq!(
            parse_response(&block, 1000).unwrap().body,
            b"<p>hello world</p>"
        );
        assert!(
            parse_response(&block, 10)
                .unwrap_err()
                .contains("--max-size")
        );
        // Stored already decoded, headers as sent: read as it is.
        let decoded = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n<p>plain</p>";
        assert_eq!(parse_response(decoded, 1000).unwrap().body, b"<p>plain</p>");
    }

    #[test]
    fn what_is_not_an_http_response_is_an_error() {
        assert!(parse_response(b"garbage without end", 100).is_err());
        assert!(parse_response(b"SMTP 200\r\n\r\n", 100).is_err());
    }
}
