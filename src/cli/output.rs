//! Writing to stdout: data only, buffered, with errors (a closed pipe) passed up.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use serde::Serialize;

/// Buffered stdout for one command.
pub struct Out {
    inner: BufWriter<StdoutLock<'static>>,
    pub json: bool,
    /// Whether prov colours its output ([`color_stdout`]): only then do colour sequences
    /// reach stdout, and only prov's own.
    color: bool,
}

impl Out {
    pub fn new(json: bool) -> Self {
        Self {
            inner: BufWriter::new(io::stdout().lock()),
            json,
            color: color_stdout(),
        }
    }

    /// Writes one JSON object on its own line.
    pub fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.inner, value).map_err(io::Error::from)?;
        self.inner.write_all(b"\n")
    }
}

impl Out {
    /// Stdout as it is, for bytes that must reach it unchanged (`prov cat`).
    pub fn raw(&mut self) -> &mut impl Write {
        &mut self.inner
    }
}

/// Human output: control characters from pages, titles, file names and quotations are
/// shown, not obeyed (see [`visible`]).
impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write_all(&shown(buf, self.color))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The colours [`paint`] is called with: the only colour sequences that reach a terminal.
/// Any other (a page title's "conceal", black on black) is shown as an escape.
const PROV_COLOURS: &[&str] = &["0", "31", "32", "1;4", "1;31", "1;32", "1;33", "1;36"];

/// `bytes` with every control character a terminal would obey made visible: C0 controls
/// other than newline and tab, DEL and C1 controls become `\x1b`-style escapes.
pub fn visible(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    shown(bytes, false)
}

/// [`visible`], keeping prov's own colours ([`PROV_COLOURS`]) when `colours` is set.
fn shown(bytes: &[u8], colours: bool) -> std::borrow::Cow<'_, [u8]> {
    let sgr_len = |b: &[u8]| if colours { sgr_len(b) } else { None };
    let control = |i: usize| match bytes[i] {
        b'\n' | b'\t' => None,
        0x1b if sgr_len(&bytes[i..]).is_some() => None,
        b @ (0..=0x1f | 0x7f) => Some((1, u32::from(b))),
        0xc2 if bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)) => {
            Some((2, u32::from(bytes[i + 1])))
        }
        _ => None,
    };
    if !(0..bytes.len()).any(|i| control(i).is_some()) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b
            && let Some(n) = sgr_len(&bytes[i..])
        {
            out.extend_from_slice(&bytes[i..i + n]);
            i += n;
            continue;
        }
        match control(i) {
            Some((len, code)) => {
                out.extend_from_slice(format!("\\x{code:02x}").as_bytes());
                i += len;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The length of one of prov's colour sequences (`ESC [ 1;31 m`) at the start of `bytes`.
fn sgr_len(bytes: &[u8]) -> Option<usize> {
    let rest = bytes.strip_prefix(b"\x1b[")?;
    let digits = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    let code = std::str::from_utf8(&rest[..digits]).ok()?;
    (rest.get(digits) == Some(&b'm') && PROV_COLOURS.contains(&code)).then_some(digits + 3)
}

/// Writes a progress message or warning to stderr, control characters made visible.
/// Failures to write there are ignored: a closed stderr must not turn success into an
/// error.
pub fn note(message: impl std::fmt::Display) {
    let message = message.to_string();
    let _ = io::stderr().write_all(&visible(message.as_bytes()));
    let _ = io::stderr().write_all(b"\n");
}

/// Whether stdout is a terminal that wants colour (and `NO_COLOR` is not set).
pub fn color_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `text` in an ANSI style (`"1;31"`: bold red) when `color` is on.
pub fn paint(text: &str, code: &str, color: bool) -> String {
    debug_assert!(
        PROV_COLOURS.contains(&code),
        "{code} is not in PROV_COLOURS"
    );
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
pub fn outlets_line(publications: &[prov::model::Publication]) -> String {
    let mut outlets: Vec<&str> = Vec::new();
    for p in publications {
        if let Some(o) = p.outlet.as_deref()
            && !outlets.contains(&o)
        {
            outlets.push(o);
        }
    }
    match outlets.as_slice() {
        [] => "-".to_owned(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] => format!("{first} (+{})", rest.len()),
    }
}

/// An [`outlets_line`] cut to `max` characters: the first outlet's name is shortened with
/// an ellipsis and the count of other outlets, `(+N)`, is kept.
pub fn fit_outlets(line: &str, max: usize) -> String {
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let (name, more) = match line.rfind(" (+") {
        Some(at) if line.ends_with(')') => line.split_at(at),
        _ => (line, ""),
    };
    let room = max.saturating_sub(more.chars().count()).max(2);
    let mut cut: String = name.chars().take(room - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut.push_str(more);
    cut
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_outlet_is_cut_with_an_ellipsis_and_keeps_its_count() {
        assert_eq!(fit_outlets("Short", 24), "Short");
        assert_eq!(
            fit_outlets("Synthetic Reprint (test fixture) (+1)", 24),
            "Synthetic Reprint… (+1)"
        );
        assert_eq!(
            fit_outlets("An Outlet With A Very Long Name Indeed", 12),
            "An Outlet W…"
        );
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let text =
            "title\x1b]0;pwned\x07 \x1b[2J\r\u{9b}31m ok\n\ttab \x1b[1;31mred\x1b[0m \x1b[8mhidden";
        let on_terminal = String::from_utf8(shown(text.as_bytes(), true).into_owned()).unwrap();
        assert_eq!(
            on_terminal,
            "title\\x1b]0;pwned\\x07 \\x1b[2J\\x0d\\x9b31m ok\n\ttab \x1b[1;31mred\x1b[0m \\x1b[8mhidden"
        );
        // Piped or in a log (no colours), no escape sequence passes at all.
        let piped = String::from_utf8(visible(text.as_bytes()).into_owned()).unwrap();
        assert!(!piped.contains('\x1b'), "{piped}");
        assert!(piped.contains("\\x1b[1;31mred"), "{piped}");
        assert!(matches!(
            visible(b"plain \xe2\x80\x9c text\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
