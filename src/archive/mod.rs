//! Web archives as sources: the HTML responses captured in WARC files (`.warc`,
//! `.warc.gz`) and WACZ packages (`.wacz`, a zip of WARCs), as Webrecorder, ArchiveBox,
//! the Internet Archive and Common Crawl write them.
//!
//! Archives are read as streams, a record at a time, so a multi-gigabyte file is read in
//! memory bounded by the largest record accepted. Each HTML response becomes a
//! [`Capture`]: the URL it was captured from, the archive's own capture date, and the body
//! as the server sent it (transfer and content encodings undone). Damaged records are
//! reported by number and byte offset, and reading goes on with the next record where it
//! can be found.

mod http;
mod warc;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use warc::{Record, WarcReader};

/// One HTML page captured in an archive.
#[derive(Debug, Clone)]
pub struct Capture {
    /// `WARC-Target-URI`.
    pub url: String,
    /// `WARC-Date`, RFC 3339 UTC: when the archive captured it.
    pub captured_at: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The body as served, encodings undone.
    pub body: Vec<u8>,
}

/// Why a record, or a whole archive, could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ArchiveError {
    #[error("record {record} (byte {offset}): {message}")]
    Record {
        record: u64,
        offset: u64,
        message: String,
    },
    #[error("record {record} (byte {offset}, {url}): {message}")]
    Capture {
        record: u64,
        offset: u64,
        url: String,
        message: String,
    },
    #[error("{0}")]
    Container(String),
}

/// What one item read from an archive is.
#[derive(Debug)]
pub enum Item {
    /// An HTML response.
    Page(Capture),
    /// A damaged record or response, reported; reading goes on.
    Damaged(ArchiveError),
}

/// Counts of what an archive held besides pages, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Requests, metadata, warcinfo, revisits and other non-response records.
    pub other_records: u64,
    /// Responses that were not a 2xx HTML page (images, scripts, redirects, errors).
    pub not_pages: u64,
}

/// Whether `path` names a web archive prov reads (by its name, as archivers write them).
pub fn is_archive(path: &Path) -> bool {
    kind(path).is_some()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Warc,
    WarcGz,
    Wacz,
}

fn kind(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".warc") {
        Some(Kind::Warc)
    } else if name.ends_with(".warc.gz") {
        Some(Kind::WarcGz)
    } else if name.ends_with(".wacz") {
        Some(Kind::Wacz)
    } else {
        None
    }
}

/// Reads every page of the archive at `path`, in order, handing each to `each` (a page or
/// a damaged record). Records larger than `limit` bytes are reported, not read into
/// memory. An error of `each` stops the reading and is returned.
pub fn read<E>(
    path: &Path,
    limit: u64,
    each: &mut dyn FnMut(Item) -> Result<(), E>,
) -> Result<Skipped, ReadError<E>> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut skipped = Skipped::default();
    match kind(path) {
        Some(Kind::Wacz) => {
            let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
                ReadError::Archive(ArchiveError::Container(format!(
                    "not a readable WACZ (zip) file: {e}"
                )))
            })?;
            let mut names: Vec<String> = zip
                .file_names()
                .filter_map(|n| n.ok().map(|n| n.into_owned()))
                .filter(|n| {
                    let n = n.to_ascii_lowercase();
                    n.starts_with("archive/") && (n.ends_with(".warc") || n.ends_with(".warc.gz"))
                })
                .collect();
            names.sort();
            if names.is_empty() {
                return Err(ReadError::Archive(ArchiveError::Container(
                    "the WACZ package holds no archive/*.warc or *.warc.gz".into(),
                )));
            }
            for name in names {
                let entry = zip.by_name(&name).map_err(|e| {
                    ReadError::Archive(ArchiveError::Container(format!("{name}: {e}")))
                })?;
                let gz = name.to_ascii_lowercase().ends_with(".gz");
                let reader: Box<dyn BufRead + '_> = if gz {
                    Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(entry)))
                } else {
                    Box::new(BufReader::new(entry))
                };
                read_warc(reader, limit, &mut skipped, each)?;
            }
        }
        Some(Kind::WarcGz) => {
            let reader = BufReader::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)));
            read_warc(reader, limit, &mut skipped, each)?;
        }
        Some(Kind::Warc) | None => {
            read_warc(BufReader::new(file), limit, &mut skipped, each)?;
        }
    }
    Ok(skipped)
}

/// Why an archive could not be read to its end.
#[derive(Debug, thiserror::Error)]
pub enum ReadError<E> {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Archive(ArchiveError),
    /// What the caller's handler returned.
    #[error("stopped by the caller")]
    Stopped(E),
}

fn read_warc<E, R: BufRead>(
    reader: R,
    limit: u64,
    skipped: &mut Skipped,
    each: &mut dyn FnMut(Item) -> Result<(), E>,
) -> Result<(), ReadError<E>> {
    let mut records = WarcReader::new(reader, limit);
    loop {
        let record = match records.next_record() {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(()),
            Err(warc::Damage::Record(e)) => {
                each(Item::Damaged(e)).map_err(ReadError::Stopped)?;
                continue;
            }
            Err(warc::Damage::Fatal(e)) => {
                // Nothing further can be found (the stream itself failed or ended inside
                // a record): what was read stays added.
                each(Item::Damaged(e)).map_err(ReadError::Stopped)?;
                return Ok(());
            }
        };
        match page(&record, limit) {
            Ok(Some(capture)) => each(Item::Page(capture)).map_err(ReadError::Stopped)?,
            Ok(None) if record.is_response() => skipped.not_pages += 1,
            Ok(None) => skipped.other_records += 1,
            Err(message) => each(Item::Damaged(ArchiveError::Capture {
                record: record.number,
                offset: record.offset,
                url: crate::model::without_credentials(
                    record.header("WARC-Target-URI").unwrap_or("?"),
                )
                .into_owned(),
                message,
            }))
            .map_err(ReadError::Stopped)?,
        }
    }
}

/// The HTML page a record holds, if it holds one.
fn page(record: &Record, limit: u64) -> Result<Option<Capture>, String> {
    let Some(url) = record.header("WARC-Target-URI") else {
        return Ok(None);
    };
    // Credentials in a captured URL are never stored (as for URLs fetched or given).
    let url = crate::model::without_credentials(url.trim_matches(['<', '>'])).into_owned();
    let captured_at = match record.header("WARC-Date") {
        Some(d) => rfc3339(d).ok_or_else(|| format!("WARC-Date {d:?} is not a date"))?,
        None => return Err("no WARC-Date".into()),
    };
    let response = match record.warc_type() {
        Some("response") => {
            let is_http = record
                .header("Content-Type")
                .is_some_and(|c| c.to_ascii_lowercase().starts_with("application/http"));
            if !is_http {
                return Ok(None);
            }
            http::parse_response(&record.block, limit)?
        }
        // A resource record is the document itself, with no HTTP wrapping.
        Some("resource") => http::Response {
            status: 200,
            content_type: record.header("Content-Type").map(str::to_owned),
            etag: None,
            last_modified: None,
            body: record.block.clone(),
        },
        _ => return Ok(None),
    };
    let html = response.content_type.as_deref().is_some_and(|c| {
        let m = c
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        m == "text/html" || m == "application/xhtml+xml"
    });
    if !(200..300).contains(&response.status) || !html {
        return Ok(None);
    }
    Ok(Some(Capture {
        url,
        captured_at,
        status: response.status,
        content_type: response.content_type,
        etag: response.etag,
        last_modified: response.last_modified,
        body: response.body,
    }))
}

/// A WARC-Date (W3C profile of ISO 8601, UTC, seconds or finer; older archives write
/// only a date and time to the second) as RFC 3339 UTC to the second.
fn rfc3339(date: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    let parsed = time::OffsetDateTime::parse(date.trim(), &Rfc3339).ok()?;
    let utc = parsed.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).ok()?.format(&Rfc3339).ok()
}

/// Reads a stream for tests and benchmarks: every page and damaged record of a WARC held
/// in memory or streamed from a reader.
pub fn read_stream<R: Read>(
    reader: R,
    gzipped: bool,
    limit: u64,
    each: &mut dyn FnMut(Item),
) -> Skipped {
    let mut skipped = Skipped::default();
    let mut handler = |item: Item| -> Result<(), std::convert::Infallible> {
        each(item);
        Ok(())
    };
    let _ = if gzipped {
        read_warc(
            BufReader::new(flate2::read::MultiGzDecoder::new(reader)),
            limit,
            &mut skipped,
            &mut handler,
        )
    } else {
        read_warc(BufReader::new(reader), limit, &mut skipped, &mut handler)
    };
    skipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_known_by_name() {
        assert!(is_archive(Path::new("a/crawl.warc")));
        assert!(is_archive(Path::new("CRAWL.WARC.GZ")));
        assert!(is_archive(Path::new("x.wacz")));
        assert!(!is_archive(Path::new("x.warc.txt")));
        assert!(!is_archive(Path::new("x.gz")));
    }

    #[test]
    fn capture_dates_are_normalised_to_utc_seconds() {
        assert_eq!(
            rfc3339("2025-06-23T08:42:00Z").as_deref(),
            Some("2025-06-23T08:42:00Z")
        );
        assert_eq!(
            rfc3339("2025-06-23T08:42:00.123456Z").as_deref(),
            Some("2025-06-23T08:42:00Z")
        );
        assert_eq!(rfc3339("yesterday"), None);
    }
}
