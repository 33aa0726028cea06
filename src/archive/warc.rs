//! WARC records (ISO 28500, versions 1.0 and 1.1) read from a stream, one at a time.
//!
//! A record is a version line (`WARC/1.1`), named header fields, a blank line, a block of
//! `Content-Length` bytes and two CRLFs. Header sections are capped at [`MAX_HEAD`] bytes
//! and blocks at the caller's limit (a larger one is skipped without being held), so
//! memory is bounded whatever the file holds. A damaged record is reported and reading
//! resumes at the next line that starts a record.

use std::io::{BufRead, Read};

use super::ArchiveError;

/// The largest header section read, in bytes.
const MAX_HEAD: usize = 64 * 1024;

/// One record: its number (from 1) and byte offset in the (decompressed) stream, its
/// header fields in order, and its block.
#[derive(Debug, Clone)]
pub struct Record {
    pub number: u64,
    pub offset: u64,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    /// The first header field named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower-cased as the standard writes it.
    pub fn warc_type(&self) -> Option<&str> {
        self.header("WARC-Type")
    }

    pub fn is_response(&self) -> bool {
        self.warc_type()
            .is_some_and(|t| t.eq_ignore_ascii_case("response"))
    }
}

/// What went wrong reading a record.
#[derive(Debug)]
pub enum Damage {
    /// This record is unusable; the next one can be read.
    Record(ArchiveError),
    /// The stream failed or ended inside a record: nothing more can be read.
    Fatal(ArchiveError),
}

/// Reads records from a buffered stream.
pub struct WarcReader<R> {
    r: R,
    /// Bytes consumed so far.
    at: u64,
    /// Records begun so far.
    number: u64,
    limit: u64,
    /// A line read ahead while looking for the next record: (offset, line).
    pending: Option<(u64, Vec<u8>)>,
}

/// A line as read: its bytes (without the end of line), or that it was longer than the
/// cap (its bytes dropped), or the end of the stream.
enum Line {
    Text(Vec<u8>),
    TooLong,
    End,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(r: R, limit: u64) -> Self {
        WarcReader {
            r,
            at: 0,
            number: 0,
            limit,
            pending: None,
        }
    }

    /// Reads one line of at most `cap` bytes (a longer one is consumed and dropped).
    fn line(&mut self, cap: usize) -> std::io::Result<Line> {
        let mut out = Vec::new();
        let mut too_long = false;
        let mut any = false;
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok(match (any, too_long) {
                    (false, _) => Line::End,
                    (true, true) => Line::TooLong,
                    (true, false) => Line::Text(trim_eol(out)),
                });
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            if !too_long {
                if out.len() + take > cap {
                    too_long = true;
                    out.clear();
                } else {
                    out.extend_from_slice(&buf[..take]);
                }
            }
            self.r.consume(take);
            self.at += take as u64;
            if done {
                return Ok(if too_long {
                    Line::TooLong
                } else {
                    Line::Text(trim_eol(out))
                });
            }
        }
    }

    fn damaged(&self, offset: u64, message: impl Into<String>) -> ArchiveError {
        ArchiveError::Record {
            record: self.number,
            offset,
            message: message.into(),
        }
    }

    fn io(&self, offset: u64, e: std::io::Error) -> Damage {
        Damage::Fatal(self.damaged(offset, format!("cannot read further: {e}")))
    }

    /// Skips to the next line that starts a record, keeping it for the next call.
    fn resync(&mut self) -> std::io::Result<()> {
        loop {
            let offset = self.at;
            match self.line(MAX_HEAD)? {
                Line::End => return Ok(()),
                Line::TooLong => continue,
                Line::Text(l) if l.starts_with(b"WARC/1.") => {
                    self.pending = Some((offset, l));
                    return Ok(());
                }
                Line::Text(_) => continue,
            }
        }
    }

    /// The next record, `None` at the end of the stream.
    pub fn next_record(&mut self) -> Result<Option<Record>, Damage> {
        // The version line, after any blank lines between records.
        let (offset, version) = loop {
            if let Some(p) = self.pending.take() {
                break p;
            }
            let offset = self.at;
            match self.line(MAX_HEAD).map_err(|e| self.io(offset, e))? {
                Line::End => return Ok(None),
                Line::Text(l) if l.iter().all(u8::is_ascii_whitespace) => continue,
                Line::Text(l) => break (offset, l),
                Line::TooLong => {
                    self.number += 1;
                    let e = self.damaged(offset, "not a WARC record (no version line)");
                    self.resync().map_err(|e| self.io(offset, e))?;
                    return Err(Damage::Record(e));
                }
            }
        };
        self.number += 1;
        if !version.starts_with(b"WARC/") {
            let shown: String = String::from_utf8_lossy(&version).chars().take(40).collect();
            let e = self.damaged(
                offset,
                format!("not a WARC record: it starts {shown:?}, not \"WARC/1.1\""),
            );
            self.resync().map_err(|e| self.io(offset, e))?;
            return Err(Damage::Record(e));
        }
        // Header fields, up to the blank line.
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut head_bytes = 0usize;
        loop {
            let line = self.line(MAX_HEAD).map_err(|e| self.io(offset, e))?;
            let line = match line {
                Line::End => {
                    return Err(Damage::Fatal(
                        self.damaged(offset, "the archive ends inside this record's header"),
                    ));
                }
                Line::TooLong => {
                    let e = self.damaged(
                        offset,
                        format!("a header line longer than {MAX_HEAD} bytes"),
                    );
                    self.resync().map_err(|e| self.io(offset, e))?;
                    return Err(Damage::Record(e));
                }
                Line::Text(l) => l,
            };
            if line.is_empty() {
                break;
            }
            head_bytes += line.len();
            if head_bytes > MAX_HEAD {
                let e = self.damaged(offset, format!("a header longer than {MAX_HEAD} bytes"));
                self.resync().map_err(|e| self.io(offset, e))?;
                return Err(Damage::Record(e));
            }
            let text = String::from_utf8_lossy(&line).into_owned();
            if text.starts_with([' ', '\t']) {
                // A folded continuation of the field before.
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
                continue;
            }
            match text.split_once(':') {
                Some((k, v)) => headers.push((k.trim().to_owned(), v.trim().to_owned())),
                None => {
                    let e =
                        self.damaged(offset, format!("a header line without a colon: {text:?}"));
                    self.resync().map_err(|e| self.io(offset, e))?;
                    return Err(Damage::Record(e));
                }
            }
        }
        let length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.parse::<u64>());
        let length = match length {
            Some(Ok(n)) => n,
            Some(Err(_)) | None => {
                let e = self.damaged(offset, "no valid Content-Length");
                self.resync().map_err(|e| self.io(offset, e))?;
                return Err(Damage::Record(e));
            }
        };
        if length > self.limit {
            // Skipped without holding it.
            let skipped = std::io::copy(&mut (&mut self.r).take(length), &mut std::io::sink())
                .map_err(|e| self.io(offset, e))?;
            self.at += skipped;
            if skipped < length {
                return Err(Damage::Fatal(self.damaged(
                    offset,
                    format!("the archive ends inside this record ({skipped} of {length} bytes)"),
                )));
            }
            self.separator();
            return Err(Damage::Record(self.damaged(
                offset,
                format!(
                    "{length} bytes, larger than the limit of {} bytes; raise --max-size to accept it",
                    self.limit
                ),
            )));
        }
        let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
        let read = (&mut self.r)
            .take(length)
            .read_to_end(&mut block)
            .map_err(|e| self.io(offset, e))?;
        self.at += read as u64;
        if (read as u64) < length {
            return Err(Damage::Fatal(self.damaged(
                offset,
                format!("the archive ends inside this record ({read} of {length} bytes): it was cut short"),
            )));
        }
        if !self.separator() {
            let e = self.damaged(
                offset,
                "its block is not followed by the record separator (a wrong Content-Length?)",
            );
            self.resync().map_err(|e| self.io(offset, e))?;
            return Err(Damage::Record(e));
        }
        // Read on past the record before handing it out: a compressed archive checks each
        // gzip member's checksum at the member's end, which a record of its own (as WARC
        // writers make them) has just reached. Bytes that fail it are never evidence.
        if let Err(e) = self.r.fill_buf() {
            return Err(Damage::Fatal(self.damaged(
                offset,
                format!("its compressed bytes are damaged ({e}); it was not added"),
            )));
        }
        // A record whose bytes no longer hash to the digest its writer computed was changed
        // after capture (an uncompressed archive has no other check): it is not evidence.
        let digest = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("WARC-Block-Digest"))
            .map(|(_, v)| v.as_str());
        if let Some(digest) = digest
            && digest_matches(digest, &block) == Some(false)
        {
            return Err(Damage::Record(self.damaged(
                offset,
                format!(
                    "its bytes do not match its WARC-Block-Digest ({digest}): they changed after capture; it was not added"
                ),
            )));
        }
        Ok(Some(Record {
            number: self.number,
            offset,
            headers,
            block,
        }))
    }

    /// Consumes the CRLF CRLF after a block; whether what followed was one (or the end).
    fn separator(&mut self) -> bool {
        let mut seen = 0;
        while seen < 4 {
            let Ok(buf) = self.r.fill_buf() else {
                return false;
            };
            match buf.first() {
                None => return true,
                Some(b'\r' | b'\n') => {
                    self.r.consume(1);
                    self.at += 1;
                    seen += 1;
                }
                Some(_) => return seen > 0,
            }
        }
        true
    }
}

fn trim_eol(mut line: Vec<u8>) -> Vec<u8> {
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    line
}

/// Whether `block` hashes to `digest` (`sha1:` or `sha256:`, in base 32 as WARC writers
/// write it, or in hex); `None` for an algorithm or a form prov does not know.
fn digest_matches(digest: &str, block: &[u8]) -> Option<bool> {
    use sha1::Digest as _;
    let (algorithm, value) = digest.trim().split_once(':')?;
    let value = value.trim();
    let actual: Vec<u8> = match algorithm
        .trim()
        .to_ascii_lowercase()
        .replace('-', "")
        .as_str()
    {
        "sha1" => sha1::Sha1::digest(block).to_vec(),
        "sha256" => sha2::Sha256::digest(block).to_vec(),
        _ => return None,
    };
    let upper = value.to_ascii_uppercase();
    let expected = if value.len() == actual.len() * 2 {
        data_encoding::HEXUPPER_PERMISSIVE
            .decode(upper.as_bytes())
            .ok()?
    } else {
        let padded = format!("{upper}{}", "=".repeat((8 - upper.len() % 8) % 8));
        data_encoding::BASE32.decode(padded.as_bytes()).ok()?
    };
    Some(expected == actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-23T08:42:00Z\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn all(bytes: &[u8], limit: u64) -> Vec<Result<Record, String>> {
        let mut r = WarcReader::new(bytes, limit);
        let mut out = Vec::new();
        loop {
            match r.next_record() {
                Ok(Some(rec)) => out.push(Ok(rec)),
                Ok(None) => return out,
                Err(Damage::Record(e)) => out.push(Err(e.to_string())),
                Err(Damage::Fatal(e)) => {
                    out.push(Err(format!("fatal: {e}")));
                    return out;
                }
            }
        }
    }

    #[test]
    fn records_are_read_in_order_with_their_offsets() {
        let a = record("response", "https://a.example/", b"abc");
        let b = record("request", "https://b.example/", b"GET / HTTP/1.1\r\n\r\n");
        let bytes = [a.clone(), b].concat();
        let got = all(&bytes, 1 << 20);
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.block, b"abc");
        assert_eq!(first.header("warc-target-uri"), Some("https://a.example/"));
        let second = got[1].as_ref().unwrap();
        assert_eq!(second.offset, a.len() as u64);
        assert_eq!(second.number, 2);
    }

    #[test]
    fn a_damaged_record_is_reported_and_the_next_one_read() {
        let good = record("response", "https://a.example/", b"abc");
        let mut bad = record("response", "https://bad.example/", b"0123456789");
        // Its Content-Length says 10, but 14 bytes follow before the separator.
        let at = bad.windows(10).position(|w| w == b"0123456789").unwrap();
        bad.splice(at..at, b"XXXX".iter().copied());
        let bytes = [bad, good.clone()].concat();
        let got = all(&bytes, 1 << 20);
        assert!(
            got[0].as_ref().unwrap_err().contains("separator"),
            "{got:?}"
        );
        assert_eq!(got[1].as_ref().unwrap().block, b"abc");

        let garbage = [b"not a warc at all\r\n".to_vec(), good].concat();
        let got = all(&garbage, 1 << 20);
        assert!(got[0].as_ref().unwrap_err().contains("not a WARC record"));
        assert_eq!(got[1].as_ref().unwrap().block, b"abc");
    }

    #[test]
    fn a_cut_short_archive_reports_its_last_record_and_keeps_the_rest() {
        let good = record("response", "https://a.example/", b"abc");
        let cut = record("response", "https://b.example/", &[b'x'; 100]);
        let bytes = [good, cut[..cut.len() - 60].to_vec()].concat();
        let got = all(&bytes, 1 << 20);
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert!(
            got[1].as_ref().unwrap_err().contains("cut short"),
            "{got:?}"
        );
    }

    #[test]
    fn block_digests_are_checked_in_base32_and_hex() {
        // sha1("abc"), as WARC writers give it and in hex.
        assert_eq!(
            digest_matches("sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5", b"abc"),
            Some(true)
        );
        assert_eq!(
            digest_matches("sha1:a9993e364706816aba3e25717850c26c9cd0d89d", b"abc"),
            Some(true)
        );
        assert_eq!(
            digest_matches("sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5", b"abd"),
            Some(false)
        );
        assert_eq!(
            digest_matches(
                "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                b"abc"
            ),
            Some(true)
        );
        assert_eq!(digest_matches("md5:kAFQmDzST7DWlj99KOF/cg==", b"abc"), None);
        assert_eq!(digest_matches("sha1:not base 32!", b"abc"), None);
    }

    #[test]
    fn a_record_whose_block_digest_fails_is_skipped_and_the_next_is_read() {
        let good = record("response", "https://a.example/", b"the desperate bid");
        let tampered = String::from_utf8(record(
            "response",
            "https://b.example/",
            b"the desperate bid",
        ))
        .unwrap()
        .replacen(
            "Content-Length",
            "WARC-Block-Digest: sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5\r\nContent-Length",
            1,
        );
        let bytes = [good.clone(), tampered.into_bytes(), good].concat();
        let mut r = WarcReader::new(std::io::BufReader::new(&bytes[..]), 1 << 20);
        assert!(r.next_record().unwrap().is_some());
        match r.next_record() {
            Err(Damage::Record(e)) => assert!(e.to_string().contains("WARC-Block-Digest"), "{e}"),
            other => panic!("{:?}", other.map(|r| r.map(|r| r.block))),
        }
        let third = r.next_record().unwrap().unwrap();
        assert_eq!(third.header("WARC-Target-URI"), Some("https://a.example/"));
    }

    #[test]
    fn a_record_whose_gzip_member_fails_its_checksum_is_not_handed_out() {
        use std::io::Write;
        let gz = |bytes: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        };
        let good = gz(&record(
            "response",
            "https://a.example/",
            b"the desperate bid",
        ));
        let mut bad = gz(&record(
            "response",
            "https://b.example/",
            b"the desperate bid",
        ));
        // Stored (level 0) deflate: the words are there as they are; change them, not the
        // checksum in the member's trailer.
        let at = bad.windows(9).position(|w| w == b"desperate").unwrap();
        bad[at..at + 9].copy_from_slice(b"generous ");
        let bytes = [good.clone(), bad, good].concat();
        let mut r = WarcReader::new(
            std::io::BufReader::new(flate2::read::MultiGzDecoder::new(&bytes[..])),
            1 << 20,
        );
        let first = r.next_record().unwrap().unwrap();
        assert_eq!(first.header("WARC-Target-URI"), Some("https://a.example/"));
        match r.next_record() {
            Err(Damage::Fatal(e)) => assert!(e.to_string().contains("damaged"), "{e}"),
            Err(Damage::Record(e)) => panic!("{e}"),
            Ok(r) => panic!(
                "the damaged record was handed out: {:?}",
                r.map(|r| r.block)
            ),
        }
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_without_being_held() {
        let big = record("response", "https://big.example/", &[b'x'; 5000]);
        let small = record("response", "https://a.example/", b"abc");
        let got = all(&[big, small].concat(), 1000);
        assert!(got[0].as_ref().unwrap_err().contains("--max-size"));
        assert_eq!(got[1].as_ref().unwrap().block, b"abc");
    }
}
