//! The append-only, hash-chained history.
//!
//! Each event's hash is SHA-256 over its predecessor's hash and the event's
//! canonical encoding, so changing or deleting any past event breaks every
//! hash after it. The encoding is deliberately plain (README, "The history
//! chain") so that a third party can re-check it with a short script.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Statement};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one event that the chain covers, in their order.
pub struct EventFields<'a> {
    pub seq: i64,
    pub recorded_at: &'a str,
    pub actor: &'a str,
    pub item: &'a str,
    pub action: &'a str,
    pub effective_on: &'a str,
    pub payload: &'a str,
}

/// The fields joined by `\n`. None of them can hold a newline: the payload is
/// compact JSON, and actor names are refused if they contain control
/// characters.
#[cfg(test)]
pub fn canonical_encoding(prev_hash: &str, e: &EventFields<'_>) -> String {
    format!(
        "{prev_hash}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        e.seq, e.recorded_at, e.actor, e.item, e.action, e.effective_on, e.payload
    )
}

/// SHA-256 over the canonical encoding, fed field by field rather than
/// copied into one string first: an import and `verify` hash every event.
pub fn chain_hash(prev_hash: &str, e: &EventFields<'_>) -> String {
    chain_digest(
        prev_hash.as_bytes(),
        e.seq,
        [
            e.recorded_at.as_bytes(),
            e.actor.as_bytes(),
            e.item.as_bytes(),
            e.action.as_bytes(),
            e.effective_on.as_bytes(),
            e.payload.as_bytes(),
        ],
    )
}

/// `chain_hash` over the fields' bytes, in `EventFields` order after the
/// sequence number: for `verify`'s second thread, which is handed bytes.
pub(crate) fn chain_digest(prev_hash: &[u8], seq: i64, fields: [&[u8]; 6]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash);
    hasher.update(b"\n");
    hasher.update(seq.to_string().as_bytes());
    for field in fields {
        hasher.update(b"\n");
        hasher.update(field);
    }
    hex(&hasher.finalize())
}

/// Lowercase hex of `bytes`, by table: the formatter took a call per byte,
/// and an export writes a 版本 on every row.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(2 * bytes.len());
    for b in bytes {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

/// The newest hash and sequence number, or the genesis state.
pub(crate) fn head(conn: &Connection) -> Result<(i64, String)> {
    let row = conn
        .query_row(
            "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.unwrap_or((0, GENESIS.to_string())))
}

pub(crate) struct NewEvent<'a> {
    pub kind: &'a str,
    pub item_id: i64,
    pub item: &'a str,
    pub action: &'a str,
    pub effective_on: NaiveDate,
    /// The payload's canonical JSON text.
    pub payload: String,
}

/// The one statement that appends to the history.
pub(crate) const INSERT_EVENT: &str =
    "INSERT INTO event (seq, recorded_at, actor, kind, item_id, item, action,
                        effective_on, payload, prev_hash, hash)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// Append one event after `head`, returning the new head, through the
/// caller's prepared `INSERT_EVENT`: a writer holds it for all its events.
pub(crate) fn append_with(
    stmt: &mut Statement<'_>,
    head: &(i64, String),
    recorded_at: &str,
    actor: &str,
    event: NewEvent<'_>,
) -> Result<(i64, String)> {
    let seq = head.0 + 1;
    let payload = event.payload;
    let effective_on = crate::dates::ymd(event.effective_on);
    let fields = EventFields {
        seq,
        recorded_at,
        actor,
        item: event.item,
        action: event.action,
        effective_on: &effective_on,
        payload: &payload,
    };
    let hash = chain_hash(&head.1, &fields);
    stmt.execute(params![
        seq,
        recorded_at,
        actor,
        event.kind,
        event.item_id,
        event.item,
        event.action,
        effective_on,
        payload,
        head.1,
        hash
    ])?;
    Ok((seq, hash))
}

/// The language the last `language` event set, if any.
pub(crate) fn language(conn: &Connection) -> Result<Option<String>> {
    let payload: Option<String> = conn
        .query_row(
            "SELECT payload FROM event WHERE kind = 'ledger' AND action = 'language'
              ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(payload.and_then(|p| {
        serde_json::from_str::<serde_json::Value>(&p).ok()?["after"]["language"]
            .as_str()
            .map(str::to_string)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash is SHA-256 over the documented encoding, however it is fed.
    #[test]
    fn the_hash_is_of_the_canonical_encoding() {
        let e = EventFields {
            seq: 12,
            recorded_at: "2023-05-10T01:02:03Z",
            actor: "张三",
            item: "M3",
            action: "close",
            effective_on: "2023-06-01",
            payload: r#"{"after":{"status":"closed"}}"#,
        };
        let digest = Sha256::digest(canonical_encoding(GENESIS, &e).as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(chain_hash(GENESIS, &e), hex);
    }
}
