//! `rectify verify`: recompute the hash chain, then replay the whole history
//! into a scratch ledger and compare it with the tables field by field.

use chrono::NaiveDate;
use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use super::history::{chain_digest, chain_hash, EventFields, GENESIS};
use super::ops::{
    compared_columns, insert_rows_as_one, settle, settled_after, settles, update_cells, Cell,
};
use super::{Ledger, EVENT_COLUMNS};
use crate::error::{Finding, Result};
use crate::words::W;

/// `seq`, `item` and `action`, which most findings name.
fn event_args(seq: i64, item: &str, action: &str) -> Vec<(&'static str, String)> {
    vec![
        ("seq", seq.to_string()),
        ("item", item.to_string()),
        ("action", action.to_string()),
    ]
}

/// What `verify` is asked to check beyond the chain and the tables.
#[derive(Debug, Default)]
pub struct Options {
    /// List closures recorded more than this many days after the date they
    /// claim, and events recorded before the event preceding them.
    pub late_days: Option<i64>,
    /// Fingerprints saved elsewhere (a report's footer, a mail): each must
    /// be the hash of an event in the chain.
    pub expect: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub events: i64,
    pub fingerprint: String,
    /// One per problem found, naming the item and field. In JSON they are
    /// `problems`, in English: the JSON contract.
    #[serde(
        rename = "problems",
        serialize_with = "crate::wording::english_findings"
    )]
    pub findings: Vec<Finding>,
    /// Closures recorded more than `--late` days after the date they claim.
    pub late: Vec<LateEntry>,
    /// Events recorded at an earlier time than the event before them: a
    /// clock set back, or `RECTIFY_NOW` set by hand (with `--late`).
    pub clock_back: Vec<ClockBack>,
    /// The `--expect` fingerprints found in the chain, by event number.
    pub expected: Vec<ExpectedEntry>,
    /// For each finding about an event so far, its event and stage: they
    /// are put in event order once the history is walked, since a hash is
    /// checked on another thread and a held row is written after later
    /// events are read.
    #[serde(skip)]
    order: Vec<(i64, Stage)>,
}

/// Where in checking an event a finding arises, in the order they are
/// listed for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Sequence,
    Link,
    Hash,
    Payload,
    Replay,
}

#[derive(Debug, Serialize)]
pub struct ClockBack {
    pub seq: i64,
    pub item: String,
    pub action: String,
    pub recorded_at: String,
    pub previous_recorded_at: String,
}

#[derive(Debug, Serialize)]
pub struct ExpectedEntry {
    pub fingerprint: String,
    /// The event whose hash it is; absent when the chain has no such hash.
    pub seq: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct LateEntry {
    pub seq: i64,
    pub item: String,
    pub action: String,
    pub effective_on: NaiveDate,
    pub recorded_at: String,
    pub days_late: i64,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }

    fn find(&mut self, word: W, args: &[(&'static str, String)]) {
        self.findings.push(Finding {
            word,
            args: args.to_vec(),
            cause: None,
        });
    }

    /// A finding about event `seq`, listed with that event's others.
    fn find_at(&mut self, seq: i64, stage: Stage, word: W, args: &[(&'static str, String)]) {
        debug_assert_eq!(self.order.len(), self.findings.len());
        self.order.push((seq, stage));
        self.find(word, args);
    }

    /// The error behind the last finding, worded in the reader's language.
    fn because(&mut self, err: crate::error::Error) {
        if let Some(last) = self.findings.last_mut() {
            last.cause = Some(std::sync::Arc::new(err));
        }
    }

    /// Put the findings about events in event order, each event's in the
    /// order it is checked in (a stable sort: the same stage keeps its
    /// order of finding).
    fn order_event_findings(&mut self) {
        let order = std::mem::take(&mut self.order);
        let mut keyed: Vec<((i64, Stage), Finding)> =
            order.into_iter().zip(self.findings.drain(..)).collect();
        keyed.sort_by_key(|(key, _)| *key);
        self.findings = keyed.into_iter().map(|(_, f)| f).collect();
    }
}

/// Column `i` of an event as text, borrowed from the row; a column that is
/// not text fails as reading it into a String would.
fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    match row.get_ref(i)?.as_str() {
        Ok(text) => Ok(text),
        Err(_) => row
            .get::<_, String>(i)
            .and(Err(rusqlite::Error::InvalidColumnType(
                i,
                String::new(),
                rusqlite::types::Type::Text,
            ))),
    }
}

/// Where an event's change lands, derived from its hashed `item` text so
/// that the unhashed `kind`/`item_id` columns cannot redirect it.
fn target(item: &str, action: &str, after: Option<&Replayed>) -> Option<(&'static str, i64)> {
    if action == "campaign" {
        return after
            .and_then(|a| a.get("id"))
            .and_then(Val::as_i64)
            .map(|id| ("campaign", id));
    }
    let (table, digits) = match item.split_at_checked(1)? {
        ("P", n) => ("problem", n),
        ("M", n) => ("measure", n),
        _ => return None,
    };
    digits.parse().ok().map(|n| (table, n))
}

/// Text of an event's payload: where it lies in the payload's own text,
/// or, where JSON escaped it, a copy. A million events' `after` maps were
/// forty allocations each; now each event's text is copied once.
enum Str {
    At(usize, usize),
    Own(String),
}

/// A value of an event's `after`, as JSON gave it; what is neither null,
/// a boolean, an integer nor text is kept as serde_json reads it.
enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Text(Str),
    Json(Value),
}

impl Val {
    /// As `serde_json::Value::as_i64` would read it.
    fn as_i64(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Json(v) => v.as_i64(),
            _ => None,
        }
    }
}

/// An event's payload as the replay reads it: its `after` (the last,
/// should the key repeat), or that it has none (a payload that is not an
/// object, or whose `after` is not one). The rest is checked to be JSON
/// but never built: a change's `before` was a map of its own on every
/// event.
struct Payload {
    after: Option<Vec<(Str, Val)>>,
}

impl Payload {
    fn parse(text: &str) -> serde_json::Result<Payload> {
        use serde::de::DeserializeSeed;
        let mut de = serde_json::Deserializer::from_str(text);
        let payload = Spans::of(text).deserialize(&mut de)?;
        de.end()?;
        Ok(payload)
    }
}

/// Where the payload's text lies, so that a string serde_json lends from
/// it is kept as its place.
#[derive(Clone, Copy)]
struct Spans {
    base: usize,
    len: usize,
}

impl Spans {
    fn of(text: &str) -> Spans {
        Spans {
            base: text.as_ptr() as usize,
            len: text.len(),
        }
    }

    fn place(self, s: &str) -> Str {
        let at = (s.as_ptr() as usize).wrapping_sub(self.base);
        if at <= self.len && s.len() <= self.len - at {
            Str::At(at, at + s.len())
        } else {
            Str::Own(s.to_string())
        }
    }
}

mod spans {
    //! The payload read through serde's visitors, each told where the text lies.
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};
    use std::fmt;

    use super::{Payload, Spans, Str, Val};

    type R<T, E> = std::result::Result<T, E>;

    /// Any other JSON is a payload without an `after`.
    macro_rules! none_for_scalars {
        ($out:expr) => {
            fn visit_bool<E>(self, _: bool) -> R<Self::Value, E> {
                Ok($out)
            }
            fn visit_i64<E>(self, _: i64) -> R<Self::Value, E> {
                Ok($out)
            }
            fn visit_u64<E>(self, _: u64) -> R<Self::Value, E> {
                Ok($out)
            }
            fn visit_f64<E>(self, _: f64) -> R<Self::Value, E> {
                Ok($out)
            }
            fn visit_str<E>(self, _: &str) -> R<Self::Value, E> {
                Ok($out)
            }
            fn visit_unit<E>(self) -> R<Self::Value, E> {
                Ok($out)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> R<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok($out)
            }
        };
    }

    impl<'de> DeserializeSeed<'de> for Spans {
        type Value = Payload;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> R<Payload, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Spans {
        type Value = Payload;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> R<Payload, A::Error> {
            let mut after = None;
            while let Some(is_after) = map.next_key_seed(IsAfter)? {
                if is_after {
                    after = map.next_value_seed(After(self))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(Payload { after })
        }
        none_for_scalars!(Payload { after: None });
    }

    /// A key of the payload: whether it is `after`.
    struct IsAfter;
    impl<'de> DeserializeSeed<'de> for IsAfter {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> R<bool, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl Visitor<'_> for IsAfter {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E>(self, key: &str) -> R<bool, E> {
            Ok(key == "after")
        }
    }

    /// A key, placed.
    struct Key(Spans);
    impl<'de> DeserializeSeed<'de> for Key {
        type Value = Str;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> R<Str, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl<'de> Visitor<'de> for Key {
        type Value = Str;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_borrowed_str<E>(self, s: &'de str) -> R<Str, E> {
            Ok(self.0.place(s))
        }
        fn visit_str<E>(self, s: &str) -> R<Str, E> {
            Ok(Str::Own(s.to_string()))
        }
    }

    /// The `after` value: its columns when it is an object, else none.
    struct After(Spans);
    impl<'de> DeserializeSeed<'de> for After {
        type Value = Option<Vec<(Str, Val)>>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> R<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for After {
        type Value = Option<Vec<(Str, Val)>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> R<Self::Value, A::Error> {
            let mut cells = Vec::with_capacity(24);
            while let Some(key) = map.next_key_seed(Key(self.0))? {
                cells.push((key, map.next_value_seed(Cell(self.0))?));
            }
            Ok(Some(cells))
        }
        none_for_scalars!(None);
    }

    /// One value of `after`.
    struct Cell(Spans);
    impl<'de> DeserializeSeed<'de> for Cell {
        type Value = Val;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> R<Val, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Cell {
        type Value = Val;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_unit<E>(self) -> R<Val, E> {
            Ok(Val::Null)
        }
        fn visit_bool<E>(self, b: bool) -> R<Val, E> {
            Ok(Val::Bool(b))
        }
        fn visit_i64<E>(self, i: i64) -> R<Val, E> {
            Ok(Val::Int(i))
        }
        fn visit_u64<E>(self, u: u64) -> R<Val, E> {
            Ok(i64::try_from(u).map_or_else(|_| Val::Json(Value::from(u)), Val::Int))
        }
        fn visit_f64<E>(self, f: f64) -> R<Val, E> {
            Ok(Val::Json(Value::from(f)))
        }
        fn visit_borrowed_str<E>(self, s: &'de str) -> R<Val, E> {
            Ok(Val::Text(self.0.place(s)))
        }
        fn visit_str<E>(self, s: &str) -> R<Val, E> {
            Ok(Val::Text(Str::Own(s.to_string())))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> R<Val, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<Value>()? {
                items.push(item);
            }
            Ok(Val::Json(Value::Array(items)))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> R<Val, A::Error> {
            let mut object = Map::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                object.insert(k, v);
            }
            Ok(Val::Json(Value::Object(object)))
        }
    }
}

/// One event as the replay applies it: its `after` as columns and values
/// in the order the payload writes them, pointing into its text.
struct Replayed {
    seq: i64,
    item: String,
    action: String,
    effective_on: String,
    text: String,
    after: Vec<(Str, Val)>,
}

impl Replayed {
    fn str<'a>(&'a self, s: &'a Str) -> &'a str {
        match s {
            Str::At(a, b) => &self.text[*a..*b],
            Str::Own(o) => o,
        }
    }

    /// The value of `column`: the last, should it repeat, as a JSON map
    /// keeps it.
    fn get(&self, column: &str) -> Option<&Val> {
        self.after
            .iter()
            .rev()
            .find(|(k, _)| self.str(k) == column)
            .map(|(_, v)| v)
    }

    fn sets(&self, column: &str) -> bool {
        self.get(column).is_some()
    }

    fn cells(&self) -> impl Iterator<Item = (&str, Cell<'_>)> {
        self.after.iter().map(|(k, v)| {
            let cell = match v {
                Val::Null => Cell::Null,
                Val::Bool(b) => Cell::Int(i64::from(*b)),
                Val::Int(i) => Cell::Int(*i),
                Val::Text(t) => Cell::Text(self.str(t)),
                Val::Json(j) => Cell::Json(j),
            };
            (self.str(k), cell)
        })
    }

    /// Apply it to the scratch ledger on its own, as it was recorded.
    fn apply(&self, scratch: &Connection, table: &str, id: i64, report: &mut Report) {
        let applied = match self.action.as_str() {
            "add" | "campaign" => insert_rows_as_one(scratch, table, [self.cells()], None),
            _ => update_cells(scratch, table, id, self.cells()),
        };
        let applied =
            applied.and_then(|()| settle(scratch, table, id, &self.action, &self.effective_on));
        if let Err(err) = applied {
            let args = event_args(self.seq, &self.item, &self.action);
            report.find_at(self.seq, Stage::Replay, W::VNotReplayable, &args);
            report.because(err);
        }
    }
}

/// The item added last in the replay and the events of it that followed
/// straight after (an import's close of each new measure), held until an
/// event of another item comes: its row is then written once, in its
/// final state. The scratch ledger sees the same writes in the same order,
/// only merged; should the merged row not go in, its events are applied
/// one by one, as recorded, so each fault is named at its own event.
struct Held {
    table: &'static str,
    id: i64,
    events: Vec<Replayed>,
}

impl Held {
    /// Whether an event of `table` `id` folds into the held row: an update
    /// that leaves its keys (its own, its uuid and its parent's) alone.
    fn takes(&self, table: &str, id: i64, event: &Replayed) -> bool {
        self.table == table
            && self.id == id
            && !matches!(event.action.as_str(), "add" | "campaign")
            && !["id", "uuid", "problem_id", "campaign_id"]
                .iter()
                .any(|k| event.sets(k))
    }

    fn write(self, scratch: &Connection, not_null: &NotNull, report: &mut Report) {
        let mut settled_on: Option<String> = None;
        let mut exact = true;
        for (n, event) in self.events.iter().enumerate() {
            // A value a later event overwrites never reaches the scratch
            // ledger: it must be one its constraints accept whatever they
            // are, else the events go in one by one.
            let later = &self.events[n + 1..];
            for (column, value) in &event.after {
                let column = event.str(column);
                if later.iter().any(|e| e.sets(column)) {
                    exact &= never_refused(not_null, self.table, column, event, value);
                }
            }
            if settles(self.table, &event.action) {
                settled_on =
                    Some(settled_after(settled_on.as_deref(), &event.effective_on).to_string());
            }
        }
        if !exact
            || insert_rows_as_one(
                scratch,
                self.table,
                self.events.iter().map(Replayed::cells),
                settled_on.as_deref(),
            )
            .is_err()
        {
            for event in &self.events {
                event.apply(scratch, self.table, self.id, report);
            }
        }
    }
}

/// The chain's hashes, recomputed on a second thread while this one
/// replays the history. Events go over in batches of their bytes, the
/// buffers coming back to be filled again, so no event costs an
/// allocation (a replay on another thread was slower for its
/// allocations). Where no thread can be had, each is checked here.
struct ChainCheck {
    batch: Vec<u8>,
    in_batch: usize,
    work: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    spare: Option<std::sync::mpsc::Receiver<Vec<u8>>>,
    worker: Option<std::thread::JoinHandle<Vec<BadHash>>>,
    /// Found here, when there is no worker.
    bad: Vec<BadHash>,
}

/// An event whose hash does not match its contents: seq, item, action.
type BadHash = (i64, String, String);

/// Events handed over at a time.
const HASH_BATCH: usize = 1024;

impl ChainCheck {
    fn start() -> ChainCheck {
        let (work, jobs) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let (done, spare) = std::sync::mpsc::channel::<Vec<u8>>();
        let worker = std::thread::Builder::new()
            .name("verify-hash".into())
            .spawn(move || {
                let mut bad = Vec::new();
                for batch in jobs {
                    check_batch(&batch, &mut bad);
                    // The other end may be gone; the batch is then dropped.
                    let _ = done.send(batch);
                }
                bad
            })
            .ok();
        match worker {
            Some(worker) => ChainCheck {
                work: Some(work),
                spare: Some(spare),
                worker: Some(worker),
                ..ChainCheck::here()
            },
            None => ChainCheck::here(),
        }
    }

    /// Checking each event on this thread.
    fn here() -> ChainCheck {
        ChainCheck {
            batch: Vec::new(),
            in_batch: 0,
            work: None,
            spare: None,
            worker: None,
            bad: Vec::new(),
        }
    }

    /// Check that `hash` is the hash of `e` after `prev_hash`.
    fn check(&mut self, prev_hash: &str, e: &EventFields<'_>, hash: &str) {
        if self.work.is_none() {
            if chain_hash(prev_hash, e) != hash {
                self.bad
                    .push((e.seq, e.item.to_string(), e.action.to_string()));
            }
            return;
        }
        self.batch.extend_from_slice(&e.seq.to_le_bytes());
        for field in [
            e.recorded_at,
            e.actor,
            e.item,
            e.action,
            e.effective_on,
            e.payload,
            prev_hash,
            hash,
        ] {
            let len = u32::try_from(field.len()).unwrap_or(u32::MAX);
            self.batch.extend_from_slice(&len.to_le_bytes());
            self.batch
                .extend_from_slice(&field.as_bytes()[..len as usize]);
        }
        self.in_batch += 1;
        if self.in_batch == HASH_BATCH {
            self.hand_over();
        }
    }

    fn hand_over(&mut self) {
        let next = self
            .spare
            .as_ref()
            .and_then(|s| s.try_recv().ok())
            .unwrap_or_default();
        let mut full = std::mem::replace(&mut self.batch, next);
        self.batch.clear();
        self.in_batch = 0;
        if let Some(work) = &self.work {
            if let Err(failed) = work.send(full) {
                // The worker is gone: check what it did not get here.
                full = failed.0;
                check_batch(&full, &mut self.bad);
            }
        }
    }

    /// The events whose hash does not match, once every one is checked.
    fn finish(mut self) -> Vec<BadHash> {
        if self.in_batch > 0 {
            self.hand_over();
        }
        drop(self.work.take());
        let mut bad = std::mem::take(&mut self.bad);
        if let Some(worker) = self.worker.take() {
            match worker.join() {
                Ok(found) => bad.extend(found),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        bad
    }
}

/// Check a batch of events as `ChainCheck::check` wrote them.
fn check_batch(batch: &[u8], bad: &mut Vec<BadHash>) {
    fn take<'b>(rest: &mut &'b [u8], n: usize) -> &'b [u8] {
        let (bytes, after) = rest.split_at(n.min(rest.len()));
        *rest = after;
        bytes
    }
    let mut rest = batch;
    while !rest.is_empty() {
        let seq = i64::from_le_bytes(take(&mut rest, 8).try_into().unwrap_or_default());
        let [recorded_at, actor, item, action, effective_on, payload, prev_hash, hash]: [&[u8]; 8] =
            std::array::from_fn(|_| {
                let len = u32::from_le_bytes(take(&mut rest, 4).try_into().unwrap_or_default());
                take(&mut rest, len as usize)
            });
        let fields = [recorded_at, actor, item, action, effective_on, payload];
        if chain_digest(prev_hash, seq, fields).as_bytes() != hash {
            bad.push((
                seq,
                String::from_utf8_lossy(item).into_owned(),
                String::from_utf8_lossy(action).into_owned(),
            ));
        }
    }
}

/// The NOT NULL columns of each table, as the scratch ledger declares them.
type NotNull = std::collections::HashMap<&'static str, std::collections::HashSet<String>>;

fn not_null_columns(conn: &Connection) -> Result<NotNull> {
    let mut tables = NotNull::new();
    for table in ["campaign", "problem", "measure"] {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
        let columns = stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(3)?)))?;
        let set = tables.entry(table).or_default();
        for column in columns {
            let (name, not_null) = column?;
            if not_null != 0 {
                set.insert(name);
            }
        }
    }
    Ok(tables)
}

/// Whether writing `value` to `column` could never be refused: a status of
/// open (every item's first), or any value of a column without a CHECK,
/// null only where the column allows it.
fn never_refused(
    not_null: &NotNull,
    table: &str,
    column: &str,
    event: &Replayed,
    value: &Val,
) -> bool {
    match column {
        "status" => matches!(value, Val::Text(t) if event.str(t) == "open"),
        "scope" => false,
        _ => {
            !matches!(value, Val::Null)
                || !not_null
                    .get(table)
                    .is_some_and(|cols| cols.contains(column))
        }
    }
}

/// Check the ledger inside one read snapshot: the chain, the replay of
/// every event against the tables, the append-only triggers, and any
/// fingerprints saved elsewhere. The caller holds the snapshot
/// (`Ledger::open_snapshot`), so a clerk writing meanwhile cannot make the
/// event table and the item tables disagree.
pub fn verify(ledger: &Ledger, options: &Options) -> Result<Report> {
    let conn = ledger.conn();
    let late_days = options.late_days;
    let mut expected: std::collections::HashMap<String, Option<i64>> = options
        .expect
        .iter()
        .map(|f| (f.trim().to_ascii_lowercase(), None))
        .collect();
    let mut previous_recorded_at = String::new();
    let scratch = Ledger::scratch()?;
    without_indexes(scratch.conn())?;
    // One transaction for the whole replay, never committed: each
    // statement on its own began and ended one, and journalled its pages
    // anew, a sixth of the replay's work.
    scratch.conn().execute_batch("BEGIN")?;
    let mut report = Report {
        fingerprint: GENESIS.to_string(),
        ..Report::default()
    };
    let mut prev = GENESIS.to_string();
    let sql = format!("SELECT {EVENT_COLUMNS}, kind, item_id FROM event ORDER BY seq");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut held: Option<Held> = None;
    let mut chain = ChainCheck::start();
    let not_null = not_null_columns(scratch.conn())?;
    while let Some(row) = rows.next()? {
        // Read where they stand, not copied: a million events' columns
        // were eleven allocations each.
        let seq: i64 = row.get(0)?;
        let recorded_at = text_at(row, 1)?;
        let actor = text_at(row, 2)?;
        let item = text_at(row, 3)?;
        let action = text_at(row, 4)?;
        let effective_on = text_at(row, 5)?;
        let payload_text = text_at(row, 6)?;
        let prev_hash = text_at(row, 7)?;
        let hash = text_at(row, 8)?;
        let kind = text_at(row, 9)?;
        let item_id: i64 = row.get(10)?;
        report.events += 1;

        if seq != expected_seq {
            report.find_at(
                seq,
                Stage::Sequence,
                W::VMissingEvent,
                &[
                    ("seq", seq.to_string()),
                    ("expected", expected_seq.to_string()),
                ],
            );
        }
        expected_seq = seq + 1;
        if prev_hash != prev {
            report.find_at(
                seq,
                Stage::Link,
                W::VBrokenLink,
                &event_args(seq, item, action),
            );
        }
        chain.check(
            prev_hash,
            &EventFields {
                seq,
                recorded_at,
                actor,
                item,
                action,
                effective_on,
                payload: payload_text,
            },
            hash,
        );
        if let Some(found) = expected.get_mut(hash) {
            found.get_or_insert(seq);
        }
        if late_days.is_some() && *recorded_at < *previous_recorded_at {
            report.clock_back.push(ClockBack {
                seq,
                item: item.to_string(),
                action: action.to_string(),
                recorded_at: recorded_at.to_string(),
                previous_recorded_at: previous_recorded_at.clone(),
            });
        }
        previous_recorded_at.clear();
        previous_recorded_at.push_str(recorded_at);
        prev.clear();
        prev.push_str(hash);

        // A setting of the whole ledger (its language) changes no table.
        if kind == "ledger" && item == "ledger" && action == "language" {
            continue;
        }
        // The payload's text is copied once; its after points into it.
        let text = payload_text.to_string();
        let after = match Payload::parse(&text) {
            Ok(payload) => payload.after,
            Err(_) => {
                report.find_at(
                    seq,
                    Stage::Payload,
                    W::VBadPayload,
                    &event_args(seq, item, action),
                );
                continue;
            }
        };
        let has_after = after.is_some();
        let event = Replayed {
            seq,
            item: item.to_string(),
            action: action.to_string(),
            effective_on: effective_on.to_string(),
            text,
            after: after.unwrap_or_default(),
        };
        let Some((table, id)) = target(item, action, has_after.then_some(&event)) else {
            report.find_at(
                seq,
                Stage::Payload,
                W::VUnknownItem,
                &[("seq", seq.to_string()), ("item", format!("{item:?}"))],
            );
            continue;
        };
        if table != kind || id != item_id {
            let mut args = event_args(seq, item, action);
            args.push(("kind", format!("{kind} {item_id}")));
            report.find_at(seq, Stage::Payload, W::VWrongColumns, &args);
        }
        if let Some(days) = late_days {
            note_late(
                &mut report,
                days,
                seq,
                item,
                action,
                effective_on,
                recorded_at,
            );
        }
        if !has_after {
            report.find_at(
                seq,
                Stage::Payload,
                W::VNoAfter,
                &event_args(seq, item, action),
            );
            continue;
        }
        match &mut held {
            Some(h) if h.takes(table, id, &event) => {
                h.events.push(event);
                continue;
            }
            _ => {}
        }
        if let Some(h) = held.take() {
            h.write(scratch.conn(), &not_null, &mut report);
        }
        // An added item is held when its row's key is the one its events
        // name; any other is applied as it stands.
        let keyed = event.get("id").and_then(Val::as_i64) == Some(id);
        if matches!(event.action.as_str(), "add" | "campaign") && keyed {
            held = Some(Held {
                table,
                id,
                events: vec![event],
            });
        } else {
            event.apply(scratch.conn(), table, id, &mut report);
        }
    }
    if let Some(h) = held.take() {
        h.write(scratch.conn(), &not_null, &mut report);
    }
    for (seq, item, action) in chain.finish() {
        report.find_at(
            seq,
            Stage::Hash,
            W::VBadHash,
            &event_args(seq, &item, &action),
        );
    }
    report.order_event_findings();
    report.fingerprint = prev;
    for table in ["campaign", "problem", "measure"] {
        compare_table(conn, scratch.conn(), table, &mut report)?;
    }
    check_triggers(conn, &mut report)?;
    for fingerprint in &options.expect {
        let key = fingerprint.trim().to_ascii_lowercase();
        let seq = expected.get(&key).copied().flatten();
        if seq.is_none() {
            report.find(W::VFingerprintMissing, &[("hash", key.clone())]);
        }
        report.expected.push(ExpectedEntry {
            fingerprint: key,
            seq,
        });
    }
    Ok(report)
}

/// The append-only triggers, each as this schema creates it. Without them
/// an event could be rewritten in place; a missing or altered trigger is
/// reported even when the chain still holds.
fn check_triggers(conn: &Connection, report: &mut Report) -> Result<()> {
    let wanted = schema_triggers();
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'",
    )?;
    let found: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, sql) in &wanted {
        match found.iter().find(|(n, _)| n == name) {
            None => report.find(W::VTriggerMissing, &[("name", name.clone())]),
            Some((_, live)) if live != sql => {
                report.find(W::VTriggerChanged, &[("name", name.clone())])
            }
            Some(_) => {}
        }
    }
    for (name, _) in &found {
        if !wanted.iter().any(|(n, _)| n == name) {
            report.find(W::VTriggerForeign, &[("name", name.clone())]);
        }
    }
    Ok(())
}

/// `CREATE TRIGGER` statements of schema.sql, by name, as SQLite stores
/// them (the statement's text without its final semicolon).
pub(crate) fn schema_triggers() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = super::SCHEMA;
    while let Some(at) = rest.find("CREATE TRIGGER ") {
        let statement = &rest[at..];
        let Some(end) = statement.find("\nEND;") else {
            break;
        };
        let sql = &statement[..end + "\nEND".len()];
        let name = sql["CREATE TRIGGER ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default();
        out.push((name.to_string(), sql.to_string()));
        rest = &statement[end..];
    }
    out
}

fn note_late(
    report: &mut Report,
    days: i64,
    seq: i64,
    item: &str,
    action: &str,
    effective_on: &str,
    recorded_at: &str,
) {
    if action != "close" && action != "ongoing" {
        return;
    }
    let (Ok(claimed), Some(recorded)) = (
        effective_on.parse::<NaiveDate>(),
        recorded_at
            .get(..10)
            .and_then(|d| d.parse::<NaiveDate>().ok()),
    ) else {
        return;
    };
    let late = (recorded - claimed).num_days();
    if late > days {
        report.late.push(LateEntry {
            seq,
            item: item.to_string(),
            action: action.to_string(),
            effective_on: claimed,
            recorded_at: recorded_at.to_string(),
            days_late: late,
        });
    }
}

fn label(table: &str, id: i64, row: &rusqlite::Row<'_>) -> Result<String> {
    Ok(match table {
        "problem" => format!("P{id}"),
        "measure" => format!("M{id}"),
        _ => match row.get::<_, SqlValue>(1)? {
            SqlValue::Text(code) => format!("campaign {code}"),
            _ => format!("campaign #{id}"),
        },
    })
}

fn show(v: &SqlValue) -> String {
    match v {
        SqlValue::Null => "NULL".into(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(r) => r.to_string(),
        SqlValue::Text(t) => format!("{t:?}"),
        SqlValue::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

/// The replay writes each row by its key and reads the tables back in key
/// order: it needs none of the ledger's indexes, and keeping them up cost
/// it a third of its inserts. (The UNIQUE constraints' own indexes stay.)
fn without_indexes(conn: &Connection) -> Result<()> {
    let names = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for name in names {
        conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    Ok(())
}

/// Both tables in key order, side by side, a row at a time: the rows are
/// compared where they stand, never loaded (a million rows of each took
/// gigabytes).
fn compare_table(
    live: &Connection,
    replayed: &Connection,
    table: &str,
    report: &mut Report,
) -> Result<()> {
    let cols = compared_columns(table).expect("known table");
    let sql = format!("SELECT {} FROM {table} ORDER BY id", cols.join(", "));
    let (mut live_stmt, mut replayed_stmt) = (live.prepare(&sql)?, replayed.prepare(&sql)?);
    let (mut live_rows, mut replayed_rows) = (live_stmt.query([])?, replayed_stmt.query([])?);
    let mut a = live_rows.next()?;
    let mut b = replayed_rows.next()?;
    loop {
        let key = |row: Option<&rusqlite::Row<'_>>| row.map(|r| r.get::<_, i64>(0)).transpose();
        let (ia, ib) = (key(a)?, key(b)?);
        // Which side's row comes first: both (the same key), the live
        // ledger's alone (not in the history), or the replay's alone.
        let live_first = match (ia, ib) {
            (None, None) => break,
            (Some(x), Some(y)) if x == y => None,
            (Some(x), Some(y)) => Some(x < y),
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
        };
        match (live_first, a, b) {
            (None, Some(ra), Some(rb)) => {
                let id = ia.unwrap_or_default();
                for (i, col) in cols.iter().enumerate() {
                    if ra.get_ref(i)? != rb.get_ref(i)? {
                        report.find(
                            W::VFieldDiffers,
                            &[
                                ("item", label(table, id, ra)?),
                                ("column", col.to_string()),
                                ("live", show(&ra.get(i)?)),
                                ("replayed", show(&rb.get(i)?)),
                            ],
                        );
                    }
                }
                a = live_rows.next()?;
                b = replayed_rows.next()?;
            }
            (Some(true), Some(ra), _) => {
                let id = ia.unwrap_or_default();
                report.find(W::VNotInHistory, &[("item", label(table, id, ra)?)]);
                a = live_rows.next()?;
            }
            (_, _, Some(rb)) => {
                let id = ib.unwrap_or_default();
                report.find(W::VNotInLedger, &[("item", label(table, id, rb)?)]);
                b = replayed_rows.next()?;
            }
            _ => break,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second thread finds what checking here finds, across batches.
    #[test]
    fn hashes_checked_on_a_second_thread_are_those_checked_here() {
        let payloads: Vec<String> = (0..2 * HASH_BATCH + 7)
            .map(|n| format!("{{\"after\":{{\"n\":{n}}}}}"))
            .collect();
        let events: Vec<EventFields<'_>> = payloads
            .iter()
            .enumerate()
            .map(|(n, payload)| EventFields {
                seq: n as i64 + 1,
                recorded_at: "2023-05-10T01:02:03Z",
                actor: "张三",
                item: "M1",
                action: "note",
                effective_on: "2023-05-10",
                payload,
            })
            .collect();
        let mut prev = GENESIS.to_string();
        let mut chain = Vec::new();
        for e in &events {
            let mut hash = chain_hash(&prev, e);
            // Every 500th is wrong.
            if e.seq % 500 == 0 {
                hash.replace_range(0..2, "zz");
            }
            chain.push((prev.clone(), hash.clone()));
            prev = hash;
        }
        let run = |mut check: ChainCheck| {
            for (e, (prev, hash)) in events.iter().zip(&chain) {
                check.check(prev, e, hash);
            }
            check.finish()
        };
        let threaded = ChainCheck::start();
        assert!(threaded.worker.is_some(), "no second thread");
        let (there, here) = (run(threaded), run(ChainCheck::here()));
        let seqs: Vec<i64> = there.iter().map(|b| b.0).collect();
        assert_eq!(seqs, vec![500, 1000, 1500, 2000]);
        assert_eq!(there, here);
    }
}
