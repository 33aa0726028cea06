//! Writing to stdout: data only, buffered, with errors (a closed pipe) passed up.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use serde::Serialize;

/// Buffered stdout for one command.
pub struct Out {
    inner: BufWriter<StdoutLock<'static>>,
    pub json: bool,
}

impl Out {
    pub fn new(json: bool) -> Self {
        Self {
            inner: BufWriter::new(io::stdout().lock()),
            json,
        }
    }

    /// Writes one JSON object on its own line.
    pub fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.inner, value).map_err(io::Error::from)?;
        self.inner.write_all(b"\n")
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a progress message or warning to stderr. Failures to write there are ignored:
/// a closed stderr must not turn success into an error.
pub fn note(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr(), "{message}");
}

/// Whether stdout is a terminal that wants colour (and `NO_COLOR` is not set).
pub fn color_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `text` in an ANSI style (`"1;31"`: bold red) when `color` is on.
pub fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The width of a list column: the longest value, at least 1, at most `max`.
pub fn column_width<'a>(values: impl Iterator<Item = &'a String>, max: usize) -> usize {
    values
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(1)
        .clamp(1, max)
}

/// The date part of a stored publication date or timestamp, for one-line listings;
/// `undated` when the source gives none (an add or fetch time is never shown as one).
pub fn short_date(value: Option<&str>) -> &str {
    match value {
        Some(v) if v.len() >= 10 && v.is_char_boundary(10) => &v[..10],
        Some(v) => v,
        None => "undated",
    }
}

/// The outlets of a list of publications for one line: the first, and how many others.
pub fn outlets_line(publications: &[prov::store::Publication]) -> String {
    let mut outlets: Vec<&str> = Vec::new();
    for p in publications {
        if let Some(o) = p.outlet.as_deref() {
            if !outlets.contains(&o) {
                outlets.push(o);
            }
        }
    }
    match outlets.as_slice() {
        [] => "-".to_owned(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] => format!("{first} (+{})", rest.len()),
    }
}

/// `text` on one line, cut to `max` characters with an ellipsis.
pub fn ellipsize(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
