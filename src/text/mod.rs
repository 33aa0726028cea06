//! Turning a document's bytes into the text every later stage reads.
//!
//! For a plain UTF-8 file the text is the file's content exactly, so offsets computed on
//! the file agree with prov's. A UTF-8 byte order mark is dropped; UTF-16 needs its BOM.
//! Anything else that is not valid UTF-8, and anything holding NUL, is refused as binary.

pub mod html;
pub mod nesting;
pub mod normalize;

use std::borrow::Cow;

use serde::Serialize;

use crate::model::DocId;
use crate::store::{self, Objects, Store};

/// How a document's bytes were encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }
}

/// Why bytes are not a text document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("binary data (a NUL byte at offset {offset}); prov stores text documents")]
    Nul { offset: usize },
    #[error(
        "looks like {encoding} without a byte-order mark (NUL bytes between the letters); convert it first, e.g. `iconv -f {encoding} -t UTF-8`"
    )]
    Utf16WithoutBom { encoding: &'static str },
    #[error(
        "not valid UTF-8 (bad byte at offset {offset}); convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
    )]
    InvalidUtf8 { offset: usize },
    #[error("not valid {encoding} (an unpaired surrogate near byte {offset})")]
    InvalidUtf16 {
        encoding: &'static str,
        offset: usize,
    },
    #[error("{encoding} with an odd number of bytes ({len}): the file is cut short")]
    OddUtf16 { encoding: &'static str, len: usize },
    #[error(
        "binary data (control characters from offset {offset}, whatever its type says); prov stores text documents"
    )]
    Control { offset: usize },
}

/// Refuses bytes that are not text whatever they claim to be (a page served as HTML that
/// is an image, or still compressed): a NUL byte outside UTF-16, or more control
/// characters than text has (tab, line breaks, form feed and escape aside) in the first
/// 64 KiB.
pub fn refuse_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Ok(());
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(
            bomless_utf16(bytes).map_or(DecodeError::Nul { offset }, |encoding| {
                DecodeError::Utf16WithoutBom { encoding }
            }),
        );
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let control = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b);
    let count = head.iter().filter(|b| control(b)).count();
    if count > head.len() / 100 + 2 {
        let offset = head.iter().position(control).unwrap_or(0);
        return Err(DecodeError::Control { offset });
    }
    Ok(())
}

/// The UTF-16 byte order `bytes` read as when they have no byte-order mark: most of their
/// first 4 KiB are ASCII letters beside NUL bytes, every other byte being NUL.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let looks = |text: usize| {
        head.chunks_exact(2)
            .filter(|p| p[1 - text] == 0 && p[text].is_ascii() && p[text] != 0)
            .count()
            * 10
            >= pairs * 9
    };
    if looks(0) {
        Some("UTF-16LE")
    } else if looks(1) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text every stage reads for a stored document: the article text object of an HTML
/// document, else its bytes decoded. Quote offsets and evidence point into this text.
pub fn document_text(store: &Store, id: &DocId) -> Result<String, store::Error> {
    stored_text(store.objects(), id, store.text_object(id)?.as_ref())
}

/// [`document_text`] for a caller that already holds the document's row (`text_id` is
/// its article text object, if any).
pub fn stored_text(
    objects: &Objects,
    id: &DocId,
    text_id: Option<&DocId>,
) -> Result<String, store::Error> {
    let object = text_id.unwrap_or(id);
    let bytes = objects
        .read(object)
        .map_err(store::io_err(objects.path(object)))?;
    match text_id {
        Some(t) => String::from_utf8(bytes).map_err(|_| {
            store::Error::CorruptRow(format!(
                "article text {} of document {} is not UTF-8",
                t.short(),
                id.short()
            ))
        }),
        None => decode(&bytes)
            .map(|d| d.text.into_owned())
            .map_err(|e| store::Error::CorruptRow(format!("document {}: {e}", id.short()))),
    }
}

/// Decodes document bytes, borrowing them when they are UTF-8 already.
///
/// ```
/// use prov::text::{decode, Encoding};
///
/// let d = decode("“Quoted,” she said.".as_bytes()).unwrap();
/// assert_eq!(d.text, "“Quoted,” she said.");
/// assert_eq!(d.encoding, Encoding::Utf8);
/// assert!(decode(b"PK\x03\x04\x00").is_err());
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return utf8(rest, UTF8_BOM.len()).map(|text| Decoded {
            text: Cow::Borrowed(text),
            encoding: Encoding::Utf8Bom,
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, Encoding::Utf16Le, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, Encoding::Utf16Be, u16::from_be_bytes);
    }
    match utf8(bytes, 0) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: Encoding::Utf8,
        }),
        Err(DecodeError::Nul { offset }) => Err(bomless_utf16(bytes)
            .map_or(DecodeError::Nul { offset }, |encoding| {
                DecodeError::Utf16WithoutBom { encoding }
            })),
        Err(e) => Err(e),
    }
}

fn utf8(bytes: &[u8], base: usize) -> Result<&str, DecodeError> {
    if let Some(i) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Nul { offset: base + i });
    }
    std::str::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8 {
        offset: base + e.valid_up_to(),
    })
}

fn utf16(
    bytes: &[u8],
    encoding: Encoding,
    unit: fn([u8; 2]) -> u16,
) -> Result<Decoded<'static>, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::OddUtf16 {
            encoding: encoding.as_str(),
            len: bytes.len() + 2,
        });
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len());
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok('\0') => return Err(DecodeError::Nul { offset: 2 + 2 * i }),
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(DecodeError::InvalidUtf16 {
                    encoding: encoding.as_str(),
                    offset: 2 + 2 * i,
                });
            }
        }
    }
    Ok(Decoded {
        text: Cow::Owned(text),
        encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_borrowed_verbatim() {
        let d = decode("Dzhemilev’s “quote”".as_bytes()).unwrap();
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.text, "Dzhemilev’s “quote”");
        assert_eq!(d.encoding, Encoding::Utf8);
    }

    #[test]
    fn boms_are_honoured() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap().text, "hi");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap().text, "hé");
        assert_eq!(decode(&be).unwrap().encoding, Encoding::Utf16Be);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named_with_the_fix() {
        let le: Vec<u8> = "“Hi,” said Ann. It is UTF-16."
            .replace(['“', '”'], "\"")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let e = refuse_binary(&le).unwrap_err();
        assert_eq!(
            e,
            DecodeError::Utf16WithoutBom {
                encoding: "UTF-16LE"
            }
        );
        assert!(e.to_string().contains("iconv -f UTF-16LE -t UTF-8"));
        let be: Vec<u8> = "Plain words in big-endian order."
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            refuse_binary(&be).unwrap_err(),
            DecodeError::Utf16WithoutBom {
                encoding: "UTF-16BE"
            }
        );
        assert!(matches!(
            refuse_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Nul { .. })
        ));
    }

    #[test]
    fn binary_is_refused_with_offsets() {
        assert_eq!(
            decode(b"ab\0c").unwrap_err(),
            DecodeError::Nul { offset: 2 }
        );
        assert_eq!(
            decode(b"ab\xFFc").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 2 }
        );
        assert!(matches!(
            decode(b"\xFF\xFEa").unwrap_err(),
            DecodeError::OddUtf16 { .. }
        ));
        assert!(matches!(
            decode(b"\xFF\xFE\x00\xD8").unwrap_err(),
            DecodeError::InvalidUtf16 { .. }
        ));
    }
}
