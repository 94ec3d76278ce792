//! `etcdctl snapshot save` / `etcdutl snapshot restore`: the store as a byte
//! blob. Real etcd writes a bbolt file; ours is a small self-describing
//! format with the same observable facts (`snapshot status` shows its hash,
//! revision, key count and size) and a checksum that catches corruption.

use super::{Generation, KeyValue, Store};
use serde_json::{json, Value};

const MAGIC: &[u8] = b"dinghy-etcd-snapshot/v1\n";

/// The body: `{"revision", "compact_revision", "kvs": [{"key", "value" (the
/// bytes as numbers), "create_revision", "mod_revision", "version"}]}`.
/// Written and read through `serde_json::Value` rather than derived serde
/// code for these two structs, which the web bundle would otherwise carry.
struct Image {
    revision: i64,
    compact_revision: i64,
    kvs: Vec<KeyValue>,
}

impl Image {
    fn to_json(&self) -> Value {
        let kvs: Vec<Value> = self
            .kvs
            .iter()
            .map(|kv| {
                json!({
                    "key": kv.key,
                    "value": kv.value,
                    "create_revision": kv.create_revision,
                    "mod_revision": kv.mod_revision,
                    "version": kv.version,
                })
            })
            .collect();
        json!({
            "revision": self.revision,
            "compact_revision": self.compact_revision,
            "kvs": kvs,
        })
    }

    /// `None` for anything but what [`Image::to_json`] writes.
    fn from_json(v: &Value) -> Option<Image> {
        let int = |v: &Value, k: &str| v.get(k).and_then(Value::as_i64);
        let kvs = v
            .get("kvs")?
            .as_array()?
            .iter()
            .map(|kv| {
                let value = kv
                    .get("value")?
                    .as_array()?
                    .iter()
                    .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                    .collect::<Option<Vec<u8>>>()?;
                Some(KeyValue {
                    key: kv.get("key")?.as_str()?.to_string(),
                    value,
                    create_revision: int(kv, "create_revision")?,
                    mod_revision: int(kv, "mod_revision")?,
                    version: int(kv, "version")?,
                })
            })
            .collect::<Option<Vec<KeyValue>>>()?;
        Some(Image {
            revision: int(v, "revision")?,
            compact_revision: int(v, "compact_revision")?,
            kvs,
        })
    }
}

/// What `etcdutl snapshot status -w table` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotStatus {
    pub hash: u32,
    pub revision: i64,
    pub total_keys: usize,
    pub total_size: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not a snapshot at all, or cut short.
    Invalid,
    /// The checksum does not match the content.
    HashMismatch,
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::Invalid => f.write_str("snapshot file is not a valid etcd snapshot"),
            SnapshotError::HashMismatch => f.write_str("snapshot file integrity check failed"),
        }
    }
}

/// CRC-32 (IEEE), as etcd's snapshot hash is a CRC-32 of the database.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

impl Store {
    /// The current state as a snapshot blob. History before the current
    /// revision is not kept, as etcd's snapshot holds only live keys.
    pub fn snapshot(&self) -> Vec<u8> {
        let image = Image {
            revision: self.revision,
            compact_revision: self.compact_revision,
            kvs: self.iter().cloned().collect(),
        };
        let body = serde_json::to_vec(&image.to_json()).unwrap_or_default();
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(format!("{:08x}\n", crc32(&body)).as_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn decode(blob: &[u8]) -> Result<(Image, u32), SnapshotError> {
        let rest = blob.strip_prefix(MAGIC).ok_or(SnapshotError::Invalid)?;
        let Some((hash, [b'\n', body @ ..])) = rest.split_at_checked(8) else {
            return Err(SnapshotError::Invalid);
        };
        let hash = std::str::from_utf8(hash)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or(SnapshotError::Invalid)?;
        if crc32(body) != hash {
            return Err(SnapshotError::HashMismatch);
        }
        let image = std::str::from_utf8(body)
            .ok()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .as_ref()
            .and_then(Image::from_json)
            .ok_or(SnapshotError::Invalid)?;
        Ok((image, hash))
    }

    pub fn snapshot_status(blob: &[u8]) -> Result<SnapshotStatus, SnapshotError> {
        let (image, hash) = Store::decode(blob)?;
        Ok(SnapshotStatus {
            hash,
            revision: image.revision,
            total_keys: image.kvs.len(),
            total_size: blob.len(),
        })
    }

    /// A new store from a snapshot: same keys, same revisions, no history
    /// before the snapshot's revision (`etcdutl snapshot restore`).
    pub fn restore(blob: &[u8]) -> Result<Store, SnapshotError> {
        let (image, _) = Store::decode(blob)?;
        let mut store = Store::new();
        store.revision = image.revision.max(1);
        store.compact_revision = image.compact_revision;
        for kv in image.kvs {
            store.history.insert(
                kv.key.clone(),
                Box::new(vec![Generation::new(kv.mod_revision, Some(kv))]),
            );
        }
        Ok(store)
    }
}
