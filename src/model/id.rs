//! Document ids: the BLAKE3 hash of a document's exact bytes, as git names objects.

use std::fmt;

use serde::{Serialize, Serializer};

/// The id of a stored document: BLAKE3 of its exact bytes.
///
/// Shown as 64 lowercase hex characters, the same as `b3sum FILE` prints.
///
/// ```
/// use prov::DocId;
///
/// let id = DocId::of_bytes(b"");
/// assert_eq!(id.to_hex(), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
/// assert_eq!(DocId::from_hex(&id.to_hex()), Some(id));
/// assert_eq!(id.short(), "af1349b9f5f9");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId([u8; 32]);

/// The shortest prefix a user may give for an id, as in git.
pub const MIN_PREFIX_LEN: usize = 4;

/// Below this size, splitting the hash across threads costs more than it saves (the BLAKE3
/// authors suggest 128 KiB as the break-even point).
const PARALLEL_HASH_MIN: usize = 128 * 1024;

/// How many hex characters of an id lists show.
pub const SHORT_LEN: usize = 12;

impl DocId {
    /// Hashes `bytes` into the id they would be stored under. Large inputs are hashed on
    /// every core, as `b3sum` does.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        if bytes.len() >= PARALLEL_HASH_MIN {
            let mut hasher = blake3::Hasher::new();
            hasher.update_rayon(bytes);
            return Self::from_hash(hasher.finalize());
        }
        Self(*blake3::hash(bytes).as_bytes())
    }

    /// The id of the bytes `reader` yields, hashed as they stream.
    pub fn of_reader(mut reader: impl std::io::Read) -> std::io::Result<Self> {
        let mut hasher = blake3::Hasher::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(Self::from_hash(hasher.finalize()))
    }

    /// Wraps a finished BLAKE3 hash.
    pub fn from_hash(hash: blake3::Hash) -> Self {
        Self(*hash.as_bytes())
    }

    /// The full 64-character lowercase hex form.
    pub fn to_hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    /// The abbreviated form lists show.
    pub fn short(&self) -> String {
        let mut hex = self.to_hex();
        hex.truncate(SHORT_LEN);
        hex
    }

    /// Parses a full 64-character hex id (either case).
    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 64 {
            return None;
        }
        blake3::Hash::from_hex(hex).ok().map(Self::from_hash)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for DocId {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl fmt::Debug for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocId({})", self.short())
    }
}

/// Checks that `prefix` could name a document: hex only and at least [`MIN_PREFIX_LEN`] long.
/// Returns it lowercased, the form ids are stored in.
pub fn normalize_prefix(prefix: &str) -> Option<String> {
    let ok = prefix.len() >= MIN_PREFIX_LEN
        && prefix.len() <= 64
        && prefix.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| prefix.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let id = DocId::of_bytes(b"hello");
        assert_eq!(DocId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(DocId::from_hex(&id.to_hex().to_uppercase()), Some(id));
        assert_eq!(id.short().len(), SHORT_LEN);
    }

    #[test]
    fn matches_blake3_reference() {
        // b3sum of the empty input, from the BLAKE3 test vectors.
        assert_eq!(
            DocId::of_bytes(b"").to_hex(),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
    }

    #[test]
    fn prefixes_are_checked() {
        assert_eq!(normalize_prefix("ABCD").as_deref(), Some("abcd"));
        assert_eq!(normalize_prefix("abc"), None);
        assert_eq!(normalize_prefix("abcg"), None);
        assert_eq!(normalize_prefix(&"a".repeat(65)), None);
    }
}
