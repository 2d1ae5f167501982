//! The changes a clerk can make, each with its rules and its event.
//!
//! Every change is expressed as a map of column → value (`after`), applied
//! to the row and written into the event's payload. Replaying the payloads in
//! order therefore rebuilds the tables, which is what `verify` relies on.

use chrono::NaiveDate;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Statement};
use serde_json::{json, Map, Value};
use std::rc::Rc;

use super::history::{self, NewEvent};
use super::model::{Campaign, Item, ItemId, Kind, Scope, Status};
use super::{store, Stamp};
use crate::error::{Error, Input, Result, Rule, Tamper};
use crate::words::W;

/// Longest free text accepted in any field, in characters. Real problem
/// descriptions run to a few paragraphs; a megabyte is a paste accident.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The longest campaign, in days (ten years).
pub const MAX_CAMPAIGN_DAYS: u32 = 3660;

pub const CAMPAIGN_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "source",
    "start_on",
    "days",
    "recorded_at",
    "acceptance",
];
pub const PROBLEM_COLUMNS: &[&str] = &[
    "id",
    "uuid",
    "campaign_id",
    "title",
    "scope",
    "source",
    "subject",
    "cause",
    "leader",
    "department",
    "owner",
    "raised_on",
    "due_original",
    "due_current",
    "status",
    "closed_on",
    "close_note",
    "evidence",
    "progress",
    "recorded_at",
    "extra",
    "voided_on",
];
pub const MEASURE_COLUMNS: &[&str] = &[
    "id",
    "uuid",
    "problem_id",
    "title",
    "leader",
    "department",
    "owner",
    "raised_on",
    "due_original",
    "due_current",
    "status",
    "closed_on",
    "close_note",
    "evidence",
    "progress",
    "recorded_at",
    "extra",
    "voided_on",
    "accepted_on",
    "accepted_by",
];

/// The actions that move a measure's state or deadline, which `settled_on`
/// follows.
const SETTLING_ACTIONS: &[&str] = &["add", "extend", "close", "ongoing", "reopen", "accept"];

/// Whether an event of `table` with `action` moves `settled_on`: the one
/// test for writes, the upgrade and `verify`'s replay.
pub(crate) fn settles(table: &str, action: &str) -> bool {
    table == "measure" && SETTLING_ACTIONS.contains(&action)
}

/// Follow a measure's `settled_on` through one event of its history: the
/// one rule for writes, the schema upgrade and `verify`'s replay.
pub(crate) fn settle(
    conn: &Connection,
    table: &str,
    id: i64,
    action: &str,
    on: &str,
) -> Result<()> {
    if !settles(table, action) {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE measure SET settled_on = CASE
             WHEN settled_on IS NULL OR ?1 >= settled_on THEN ?1 ELSE '9999-12-31' END
          WHERE id = ?2",
    )?
    .execute(params![on, id])?;
    Ok(())
}

/// `settled_on` after an event of the measure effective `on`: the event's
/// day while the history runs in date order, else a day after every other
/// (a history out of date order is always looked up). `settle`'s SQL says
/// the same; a test holds the two together.
pub(crate) fn settled_after<'s>(settled: Option<&'s str>, on: &'s str) -> &'s str {
    match settled {
        Some(settled) if on < settled => UNSETTLED,
        _ => on,
    }
}

const UNSETTLED: &str = "9999-12-31";

/// The columns `verify` holds to the history: what payloads write, plus
/// what is derived from the events themselves.
pub fn compared_columns(table: &str) -> Option<Vec<&'static str>> {
    let mut cols = columns_of(table)?.to_vec();
    if table == "measure" {
        cols.push("settled_on");
    }
    Some(cols)
}

pub fn columns_of(table: &str) -> Option<&'static [&'static str]> {
    match table {
        "campaign" => Some(CAMPAIGN_COLUMNS),
        "problem" => Some(PROBLEM_COLUMNS),
        "measure" => Some(MEASURE_COLUMNS),
        _ => None,
    }
}

/// One value of a row being written, as the ledger stores it: a payload's
/// JSON value, or a cell verify's replay read from an event's text.
#[derive(Clone, Copy)]
pub(crate) enum Cell<'v> {
    Json(&'v Value),
    Null,
    Int(i64),
    Text(&'v str),
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Cell::Null | Cell::Json(Value::Null) => ToSqlOutput::Borrowed(ValueRef::Null),
            Cell::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(i)),
            Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::Json(Value::Bool(b)) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
            Cell::Json(Value::Number(n)) => ToSqlOutput::Owned(
                n.as_i64()
                    .map(SqlValue::Integer)
                    .unwrap_or_else(|| SqlValue::Text(n.to_string())),
            ),
            Cell::Json(Value::String(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::Json(other) => ToSqlOutput::Owned(SqlValue::Text(other.to_string())),
        })
    }
}

/// A row given as column → value, as a payload's map holds it.
pub(crate) fn map_cells(row: &Map<String, Value>) -> impl Iterator<Item = (&str, Cell<'_>)> {
    row.iter().map(|(k, v)| (k.as_str(), Cell::Json(v)))
}

/// A new item's row, column → value. Its columns are the table's own
/// names, so they are not copied for every row an import writes; ordered
/// as `Map` orders its keys, it serializes to the same text.
type NewRow = std::collections::BTreeMap<&'static str, Value>;

fn new_row_cells(row: &NewRow) -> impl Iterator<Item = (&str, Cell<'_>)> {
    row.iter().map(|(k, v)| (*k, Cell::Json(v)))
}

/// The most columns any table has.
const MAX_COLUMNS: usize = 32;

/// The values `rows` give the columns of `table`, in the table's column
/// order (the last of them to set a column wins), and which are set; a
/// column the table does not have is refused (the first of them in
/// order of name, as a payload's map lists them).
type Slots<'v> = [Option<Cell<'v>>; MAX_COLUMNS];

fn slots<'v, R>(
    table: &str,
    rows: impl IntoIterator<Item = R>,
) -> Result<(&'static [&'static str], Slots<'v>, u32)>
where
    R: IntoIterator<Item = (&'v str, Cell<'v>)>,
{
    let allowed = columns_of(table).ok_or_else(|| {
        Error::Tampered(Tamper::UnknownTable {
            table: table.to_string(),
        })
    })?;
    let mut slots: Slots<'v> = [None; MAX_COLUMNS];
    let mut set = 0u32;
    let mut unknown: Option<&str> = None;
    for row in rows {
        for (k, v) in row {
            match allowed.iter().position(|c| *c == k) {
                Some(at) => {
                    slots[at] = Some(v);
                    set |= 1 << at;
                }
                None => unknown = Some(unknown.map_or(k, |u| u.min(k))),
            }
        }
    }
    if let Some(k) = unknown {
        return Err(Error::Tampered(Tamper::UnknownColumn {
            column: format!("{table}.{k}"),
        }));
    }
    Ok((allowed, slots, set))
}

/// The statement text for a set of columns of a table (known by its
/// column list, one static per table), built once: an import or a replay
/// writes the same few shapes a million times.
fn statement_text(
    allowed: &'static [&'static str],
    set: u32,
    shape: Shape,
    build: impl FnOnce() -> String,
) -> Rc<str> {
    type Texts = std::collections::HashMap<(usize, u32, Shape), Rc<str>>;
    thread_local! {
        static TEXTS: std::cell::RefCell<Texts> = Default::default();
    }
    let key = (allowed.as_ptr() as usize, set, shape);
    TEXTS.with(|texts| {
        texts
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| build().into())
            .clone()
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    Insert,
    InsertSettled,
    Update,
}

/// INSERT a row given as column → value.
pub(crate) fn insert_row(conn: &Connection, table: &str, row: &Map<String, Value>) -> Result<()> {
    insert_rows_as_one(conn, table, [map_cells(row)], None)
}

/// INSERT one row made of `rows` (the later of them over the earlier),
/// with its `settled_on` when it has one: a measure written once, after
/// its first events.
pub(crate) fn insert_rows_as_one<'v, R>(
    conn: &Connection,
    table: &str,
    rows: impl IntoIterator<Item = R>,
    settled_on: Option<&str>,
) -> Result<()>
where
    R: IntoIterator<Item = (&'v str, Cell<'v>)>,
{
    let (sql, slots) = insert_parts(table, rows, settled_on.is_some())?;
    let mut stmt = conn.prepare_cached(&sql)?;
    run_insert(&mut stmt, &slots, settled_on)
}

/// The INSERT of one row made of `rows`, and the values it binds.
fn insert_parts<'v, R>(
    table: &str,
    rows: impl IntoIterator<Item = R>,
    settled: bool,
) -> Result<(Rc<str>, Slots<'v>)>
where
    R: IntoIterator<Item = (&'v str, Cell<'v>)>,
{
    let (allowed, slots, set) = slots(table, rows)?;
    let shape = if settled {
        Shape::InsertSettled
    } else {
        Shape::Insert
    };
    let sql = statement_text(allowed, set, shape, || {
        let mut names: Vec<&str> = (0..allowed.len())
            .filter(|i| set & (1 << i) != 0)
            .map(|i| allowed[i])
            .collect();
        if settled {
            names.push("settled_on");
        }
        let marks = vec!["?"; names.len()].join(", ");
        format!(
            "INSERT INTO {table} ({}) VALUES ({marks})",
            names.join(", ")
        )
    });
    Ok((sql, slots))
}

fn run_insert(stmt: &mut Statement<'_>, slots: &Slots<'_>, settled_on: Option<&str>) -> Result<()> {
    stmt.execute(params_from_iter(
        slots
            .iter()
            .flatten()
            .copied()
            .chain(settled_on.map(Cell::Text)),
    ))?;
    Ok(())
}

/// UPDATE the columns named in `after` on row `id`.
pub(crate) fn update_row(
    conn: &Connection,
    table: &str,
    id: i64,
    after: &Map<String, Value>,
) -> Result<()> {
    update_cells(conn, table, id, map_cells(after))
}

/// UPDATE the columns `cells` set on row `id`.
pub(crate) fn update_cells<'v>(
    conn: &Connection,
    table: &str,
    id: i64,
    cells: impl IntoIterator<Item = (&'v str, Cell<'v>)>,
) -> Result<()> {
    let (allowed, slots, set) = slots(table, [cells])?;
    if set == 0 {
        return Ok(());
    }
    let sql = statement_text(allowed, set, Shape::Update, || {
        let sets: Vec<String> = (0..allowed.len())
            .filter(|i| set & (1 << i) != 0)
            .map(|i| format!("{} = ?", allowed[i]))
            .collect();
        format!("UPDATE {table} SET {} WHERE id = ?", sets.join(", "))
    });
    conn.prepare_cached(&sql)?.execute(params_from_iter(
        slots.iter().flatten().copied().chain([Cell::Int(id)]),
    ))?;
    Ok(())
}

/// Characters that show nothing: a field of only these (and spaces) is
/// empty to a reader, whatever it stores.
const INVISIBLE: &[char] = &['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

/// Bidirectional controls (U+202A–U+202E, U+2066–U+2069) can make a title
/// read differently from what it stores ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A payload's JSON text, written into room for a typical event's payload
/// (an added measure's row is 400-700 bytes): serde_json's own start of
/// 128 bytes grew three times for each.
fn payload_text<T: serde::Serialize>(payload: &T) -> Option<String> {
    let mut text = Vec::with_capacity(1024);
    serde_json::to_writer(&mut text, payload).ok()?;
    // serde_json writes only UTF-8.
    String::from_utf8(text).ok()
}

/// Trim and check one free-text field.
pub fn clean_text(field: W, text: &str, required: bool) -> Result<String> {
    let trimmed = text.trim();
    // One pass over the characters (an import cleans every cell); the
    // refusals below keep their order.
    let (mut visible, mut chars, mut carriage) = (false, 0usize, false);
    let (mut control, mut bidi) = (None, None);
    for c in trimmed.chars() {
        chars += 1;
        visible |= !c.is_whitespace() && !INVISIBLE.contains(&c);
        carriage |= c == '\r';
        if control.is_none() && c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
            control = Some(c);
        }
        if bidi.is_none() && is_bidi_control(c) {
            bidi = Some(c);
        }
    }
    if required && !visible {
        return Err(Input::FieldEmpty { field }.into());
    }
    if chars > MAX_TEXT_CHARS {
        return Err(Input::FieldTooLong {
            field,
            max: MAX_TEXT_CHARS,
        }
        .into());
    }
    if let Some(code) = control {
        return Err(Input::FieldControl { field, code }.into());
    }
    if let Some(code) = bidi {
        return Err(Input::BidiControl { field, code }.into());
    }
    // Spreadsheets and Windows editors leave CRLF inside cells; store one form.
    Ok(if carriage {
        trimmed.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        trimmed.to_string()
    })
}

fn opt_text(field: W, text: Option<&str>) -> Result<String> {
    text.map(|t| clean_text(field, t, false))
        .transpose()
        .map(Option::unwrap_or_default)
}

fn date_json(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(crate::dates::ymd(d)))
}

pub struct NewCampaign {
    pub code: String,
    pub name: String,
    pub start: NaiveDate,
    pub days: u32,
    pub source: Option<String>,
    /// Done measures must be accepted (验收) before 销号.
    pub acceptance: bool,
}

#[derive(Default, Clone)]
pub struct ProblemDefaults {
    pub leader: Option<String>,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

#[derive(Default)]
pub struct NewProblem {
    pub uuid: Option<String>,
    pub campaign: Option<String>,
    /// Use the one campaign running today when `campaign` is absent.
    pub infer_campaign: bool,
    pub title: String,
    pub scope: Option<Scope>,
    pub source: Option<String>,
    pub subject: Option<String>,
    pub cause: Option<String>,
    pub assignee: ProblemDefaults,
    pub raised: Option<NaiveDate>,
    pub measures: Vec<String>,
    /// A sheet's columns rectify has no field for: header → text.
    pub extra: Extra,
}

/// Fields an office's sheet has and rectify has not, by header.
pub type Extra = std::collections::BTreeMap<String, String>;

/// The stored form of extra fields: a JSON object with sorted keys, or ''
/// for none (so an item without any is written as before schema 4).
fn extra_json(extra: &Extra) -> Option<String> {
    (!extra.is_empty()).then(|| serde_json::to_string(extra).unwrap_or_default())
}

#[derive(Default)]
pub struct NewMeasure {
    pub uuid: Option<String>,
    pub problem: ItemId,
    pub title: String,
    pub assignee: ProblemDefaults,
    pub raised: Option<NaiveDate>,
    pub extra: Extra,
}

impl Default for ItemId {
    fn default() -> Self {
        ItemId::problem(0)
    }
}

#[derive(Default)]
pub struct AssignFields {
    pub leader: Option<String>,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub note: Option<String>,
}

/// `edit`: corrections of what was entered by mistake.
#[derive(Default)]
pub struct Correction {
    pub title: Option<String>,
    pub scope: Option<Scope>,
    pub source: Option<String>,
    pub subject: Option<String>,
    pub cause: Option<String>,
    pub raised: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
}

impl Correction {
    fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.scope.is_none()
            && self.source.is_none()
            && self.subject.is_none()
            && self.cause.is_none()
            && self.raised.is_none()
            && self.due.is_none()
    }

    /// The flag of a correction only a problem has, if one was given.
    fn problem_only_flag(&self) -> Option<&'static str> {
        [
            (self.scope.is_some(), "--scope"),
            (self.source.is_some(), "--source"),
            (self.subject.is_some(), "--subject"),
            (self.cause.is_some(), "--cause"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

/// `accept`: the acceptance (验收) of a done measure.
#[derive(Default)]
pub struct Acceptance {
    pub on: Option<NaiveDate>,
    pub note: Option<String>,
    /// Who accepted it, as an imported sheet says; else whoever records it,
    /// who may not be the one who closed it.
    pub by: Option<String>,
}

#[derive(Default)]
pub struct CloseRequest {
    pub on: Option<NaiveDate>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    pub ongoing: bool,
}

pub struct Writer<'a> {
    conn: &'a Connection,
    stamp: &'a Stamp,
    head: (i64, String),
    /// Where the changes come from (an import's file name), for the history.
    via: Option<String>,
    /// New UUIDs are version 7: the stamp's time, then a counter. Each
    /// one sorts after the last, so a large import appends to the uuid
    /// indexes instead of writing all over them, as random ones did.
    uuids: uuid::ContextV7,
    /// What this transaction already knows, so that an import of many rows
    /// does not read back what it has just written: the next id of each
    /// table, the first id it gave out in each (every item from there on
    /// was added here, and has no reopen to look up unless it is among the
    /// few reopened here), and the problem it last added measures to.
    /// Ranges rather than a set of the items added: a set of a million
    /// ids held tens of MiB through a large import.
    next_ids: std::collections::HashMap<&'static str, i64>,
    first_new: std::collections::HashMap<&'static str, i64>,
    reopened_here: std::collections::HashSet<ItemId>,
    last_parent: Option<Item>,
    /// Campaigns new problems were filed under, with their row ids, by the
    /// code asked for. A campaign is never changed once made, so one read
    /// holds for the whole transaction: an import files thousands of
    /// problems under the same few.
    campaigns: std::collections::HashMap<String, (Campaign, i64)>,
    /// The item added last, not yet written: what follows its adding in
    /// the same transaction (an import brings a new measure straight to
    /// its closed state) changes it here, and its row is written once, in
    /// its final state, before anything else reads or writes the ledger's
    /// items. Its events are appended as they happen, as before.
    pending: std::cell::RefCell<Option<Pending>>,
    /// The writer's own prepared INSERTs, the rows' by their text and the
    /// event's: an import runs the same few a million times, and taking
    /// each from the connection's cache, and giving it back, hashed its
    /// text twice a run and cleared its bindings.
    inserts: std::cell::RefCell<Vec<(Rc<str>, Statement<'a>)>>,
    event_insert: std::cell::RefCell<Option<Statement<'a>>>,
}

/// What a new item is by its problem and campaign: for a problem, its
/// own; for a measure, its problem's (campaign, scope, source, subject,
/// cause).
struct Inherited {
    problem: Option<ItemId>,
    campaign: Option<String>,
    scope: Option<Scope>,
    source: String,
    subject: String,
    cause: String,
    acceptance: bool,
}

/// A new item's row as it stands, with the item it reads back as and its
/// `settled_on`.
struct Pending {
    table: &'static str,
    row: NewRow,
    item: Item,
    settled_on: Option<String>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(conn: &'a Connection, stamp: &'a Stamp, head: (i64, String)) -> Self {
        Writer {
            conn,
            stamp,
            head,
            via: None,
            uuids: uuid::ContextV7::new(),
            next_ids: Default::default(),
            first_new: Default::default(),
            reopened_here: Default::default(),
            last_parent: None,
            campaigns: Default::default(),
            pending: Default::default(),
            inserts: Default::default(),
            event_insert: Default::default(),
        }
    }

    /// The connection, with the pending row written first: every read or
    /// write of the items goes through here.
    fn db(&self) -> Result<&'a Connection> {
        self.flush()?;
        Ok(self.conn)
    }

    /// Write the pending row, if any.
    fn flush(&self) -> Result<()> {
        let Some(pending) = self.pending.borrow_mut().take() else {
            return Ok(());
        };
        let settled_on = pending.settled_on.as_deref();
        let (sql, slots) = insert_parts(
            pending.table,
            [new_row_cells(&pending.row)],
            settled_on.is_some(),
        )?;
        let mut inserts = self.inserts.borrow_mut();
        let at = match inserts.iter().position(|(text, _)| Rc::ptr_eq(text, &sql)) {
            Some(at) => at,
            None => {
                let stmt = self.conn.prepare(&sql)?;
                inserts.push((sql, stmt));
                inserts.len() - 1
            }
        };
        run_insert(&mut inserts[at].1, &slots, settled_on)?;
        drop(inserts);
        // The item kept in memory must be the one the ledger reads back;
        // every test run checks it.
        #[cfg(debug_assertions)]
        {
            let stored = store::item(self.conn, pending.item.id)?;
            debug_assert_eq!(stored, pending.item, "pending item differs from its row");
        }
        Ok(())
    }

    /// Everything this writer changed is in the ledger: called once the
    /// change's work is done, before its transaction commits.
    pub(crate) fn finish(self) -> Result<()> {
        self.flush()
    }

    /// Hold a new item's row until something else needs the ledger.
    fn defer(&self, table: &'static str, row: NewRow, item: Item) -> Result<()> {
        self.flush()?;
        *self.pending.borrow_mut() = Some(Pending {
            table,
            row,
            item,
            settled_on: None,
        });
        Ok(())
    }

    /// The pending item, when it is `id`.
    fn pending_item(&self, id: ItemId) -> Option<Item> {
        self.pending
            .borrow()
            .as_ref()
            .filter(|p| p.item.id == id)
            .map(|p| p.item.clone())
    }

    /// Apply `after` to the pending item when it is `id`; false when it is
    /// not (or a column is one it does not keep), and the row is changed
    /// in the ledger instead.
    fn change_pending(&self, id: ItemId, after: &Map<String, Value>) -> bool {
        let mut slot = self.pending.borrow_mut();
        let Some(pending) = slot.as_mut().filter(|p| p.item.id == id) else {
            return false;
        };
        let Some(columns) = columns_of(pending.table) else {
            return false;
        };
        let mut settings = Vec::with_capacity(after.len());
        for (k, v) in after {
            let column = columns.iter().find(|c| **c == k.as_str());
            match (column, Setting::of(k, v)) {
                (Some(column), Some(setting)) => settings.push((*column, setting, v)),
                _ => return false,
            }
        }
        for (column, setting, v) in settings {
            setting.apply(&mut pending.item);
            pending.row.insert(column, v.clone());
        }
        true
    }

    /// Follow the pending item's `settled_on` through an event of it;
    /// false when the event is not the pending item's.
    fn settle_pending(&self, kind: &str, item_id: i64, action: &str, on: &str) -> bool {
        let mut slot = self.pending.borrow_mut();
        let Some(pending) = slot
            .as_mut()
            .filter(|p| p.table == kind && p.item.id.n == item_id)
        else {
            return false;
        };
        if settles(kind, action) {
            pending.settled_on = Some(settled_after(pending.settled_on.as_deref(), on).to_string());
        }
        true
    }

    /// Mark every following event as coming from `source`.
    pub fn set_via(&mut self, source: &str) {
        self.via = Some(source.to_string());
    }

    pub fn today(&self) -> NaiveDate {
        self.stamp.today
    }

    pub fn actor(&self) -> &str {
        &self.stamp.actor
    }

    pub fn item(&self, id: ItemId) -> Result<Item> {
        match self.pending_item(id) {
            Some(item) => Ok(item),
            None => store::item(self.db()?, id),
        }
    }

    pub fn resolve(&self, r: &super::model::ItemRef) -> Result<ItemId> {
        store::resolve(self.db()?, r)
    }

    pub fn campaign(&self, code: &str) -> Result<Campaign> {
        store::campaign(self.db()?, code)
    }

    pub fn problems_by_title(&self, campaign: &str) -> Result<Vec<(String, ItemId)>> {
        store::problems_by_title(self.db()?, campaign)
    }

    pub fn measures_of(&self, problem: ItemId) -> Result<Vec<(String, ItemId)>> {
        store::measures_of(self.db()?, problem)
    }

    fn record(
        &mut self,
        kind: &str,
        item_id: i64,
        item: &str,
        action: &str,
        effective_on: NaiveDate,
        mut payload: Value,
    ) -> Result<()> {
        if let (Some(via), Some(map)) = (&self.via, payload.as_object_mut()) {
            map.insert("via".into(), Value::String(via.clone()));
        }
        // serde_json's default map is ordered by key, so this text is
        // canonical. A Value always serializes; Display is the same text,
        // never reached.
        let text = payload_text(&payload).unwrap_or_else(|| payload.to_string());
        self.record_text(kind, item_id, item, action, effective_on, text)
    }

    /// The payload of an item's adding, `{"after": row}` (with `via`), as
    /// `record` writes it, serialized from the row in place: building it as
    /// a Value copied the whole row.
    fn added_payload(&self, row: &NewRow) -> String {
        #[derive(serde::Serialize)]
        struct Added<'r> {
            after: &'r NewRow,
            #[serde(skip_serializing_if = "Option::is_none")]
            via: Option<&'r str>,
        }
        let added = Added {
            after: row,
            via: self.via.as_deref(),
        };
        payload_text(&added).unwrap_or_default()
    }

    /// Record an event whose payload is already its canonical text.
    fn record_text(
        &mut self,
        kind: &str,
        item_id: i64,
        item: &str,
        action: &str,
        effective_on: NaiveDate,
        payload: String,
    ) -> Result<()> {
        // A change to the problem measures were last added to, or a reopen
        // of an item added here, makes what was remembered stale.
        if kind == "problem" && self.last_parent.as_ref().is_some_and(|p| p.id.n == item_id) {
            self.last_parent = None;
        }
        if action == "reopen" {
            let reopened = match kind {
                "problem" => ItemId::problem(item_id),
                _ => ItemId::measure(item_id),
            };
            self.reopened_here.insert(reopened);
        }
        let on = crate::dates::ymd(effective_on);
        if !self.settle_pending(kind, item_id, action, &on) {
            settle(self.db()?, kind, item_id, action, &on)?;
        }
        // Events are not items: appending one leaves the pending row be.
        let mut event_insert = self.event_insert.borrow_mut();
        let stmt = match event_insert.as_mut() {
            Some(stmt) => stmt,
            None => event_insert.insert(self.conn.prepare(history::INSERT_EVENT)?),
        };
        self.head = history::append_with(
            stmt,
            &self.head,
            &self.stamp.now,
            &self.stamp.actor,
            NewEvent {
                kind,
                item_id,
                item,
                action,
                effective_on,
                payload,
            },
        )?;
        Ok(())
    }

    /// A new item's row: its own fields, then the state every item starts
    /// in (open, its first deadline both original and current). Built in
    /// one pass (sorted, then laid out), not a map insert per field: an
    /// import builds one per row.
    fn as_new<const N: usize>(
        &self,
        fields: [(&'static str, Value); N],
        raised: NaiveDate,
        due: Option<NaiveDate>,
    ) -> NewRow {
        let start = [
            ("close_note", Value::from("")),
            ("closed_on", Value::Null),
            ("due_current", date_json(due)),
            ("due_original", date_json(due)),
            ("evidence", Value::from("")),
            ("progress", Value::from("")),
            ("raised_on", Value::from(crate::dates::ymd(raised))),
            ("recorded_at", Value::from(self.stamp.now.as_str())),
            ("status", Value::from("open")),
        ];
        fields.into_iter().chain(start).collect()
    }

    /// A new item as reading its row back gives it: its own fields from
    /// `row`, the state every item starts in, and what it takes from its
    /// problem and campaign.
    fn new_item(
        &self,
        id: ItemId,
        row: &NewRow,
        (raised, due): (NaiveDate, Option<NaiveDate>),
        extra: Option<String>,
        of: Inherited,
    ) -> Item {
        Item {
            id,
            kind: id.kind,
            uuid: text_of(row, "uuid"),
            problem: of.problem,
            campaign: of.campaign,
            title: text_of(row, "title"),
            scope: of.scope,
            source: of.source,
            subject: of.subject,
            cause: of.cause,
            leader: text_of(row, "leader"),
            department: text_of(row, "department"),
            owner: text_of(row, "owner"),
            raised_on: raised,
            due_original: due,
            due_current: due,
            status: Status::Open,
            closed_on: None,
            close_note: String::new(),
            evidence: String::new(),
            progress: String::new(),
            recorded_at: self.stamp.now.clone(),
            extra: extra.unwrap_or_default(),
            voided_on: None,
            accepted_on: None,
            accepted_by: String::new(),
            acceptance: of.acceptance,
            has_measures: false,
        }
    }

    /// The next key of `table`: looked up once a transaction, then counted,
    /// since only this writer inserts while it holds the transaction.
    fn next_id(&mut self, table: &'static str) -> Result<i64> {
        let next = match self.next_ids.get(table) {
            Some(&next) => next,
            None => {
                let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
                let first = self
                    .db()?
                    .prepare_cached(&sql)?
                    .query_row([], |r| r.get(0))?;
                self.first_new.insert(table, first);
                first
            }
        };
        self.next_ids.insert(table, next + 1);
        Ok(next)
    }

    /// Whether this transaction added the item and has not reopened it.
    fn added_here(&self, id: ItemId) -> bool {
        self.first_new
            .get(id.kind.table())
            .is_some_and(|&first| id.n >= first)
            && !self.reopened_here.contains(&id)
    }

    fn check_raised(&self, raised: NaiveDate) -> Result<()> {
        if raised > self.stamp.today {
            return Err(Input::RaisedAfterToday {
                on: raised,
                today: self.stamp.today,
            }
            .into());
        }
        Ok(())
    }

    fn fresh_uuid(&self, given: Option<String>) -> Result<String> {
        let Some(uuid) = given else {
            // The stamp's time, not the clock's: nothing below main reads it.
            // A v7 UUID made here is new by construction (time and counter);
            // the uuid indexes are UNIQUE all the same.
            let (secs, nanos) = chrono::DateTime::parse_from_rfc3339(&self.stamp.now)
                .map(|t| (t.timestamp().max(0) as u64, t.timestamp_subsec_nanos()))
                .unwrap_or_default();
            let at = uuid::Timestamp::from_unix(&self.uuids, secs, nanos);
            return Ok(uuid::Uuid::new_v7(at).hyphenated().to_string());
        };
        // One given in a sheet may be anything, a measure's among them.
        for table in ["problem", "measure"] {
            let sql = format!("SELECT 1 FROM {table} WHERE uuid = ?1");
            let taken = self
                .db()?
                .prepare_cached(&sql)?
                .query_row([&uuid], |_| Ok(()))
                .optional()?;
            if taken.is_some() {
                return Err(Rule::UuidTaken { uuid }.into());
            }
        }
        Ok(uuid)
    }

    /// Record the office's interface language; false when it already is.
    pub fn set_language(&mut self, language: &str) -> Result<bool> {
        let before = history::language(self.db()?)?;
        if before.as_deref() == Some(language) {
            return Ok(false);
        }
        let payload = json!({
            "before": { "language": before },
            "after": { "language": language },
        });
        self.record("ledger", 0, "ledger", "language", self.stamp.today, payload)?;
        Ok(true)
    }

    pub fn new_campaign(&mut self, c: NewCampaign) -> Result<Campaign> {
        let code = c.code.trim();
        if code.is_empty()
            || code.len() > 64
            || !code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Input::BadCampaignCode {
                code: code.to_string(),
            }
            .into());
        }
        let name = clean_text(W::FCampaignName, &c.name, true)?;
        let source = opt_text(W::FSource, c.source.as_deref())?;
        if c.days == 0 || c.days > MAX_CAMPAIGN_DAYS {
            return Err(Input::DaysOutOfRange {
                days: c.days,
                max: MAX_CAMPAIGN_DAYS,
            }
            .into());
        }
        match Campaign::end_for(c.start, c.days) {
            Some(end) if end <= crate::dates::latest() => {}
            _ => {
                return Err(Input::CampaignTooLate {
                    start: c.start,
                    days: c.days,
                    latest: crate::dates::latest(),
                }
                .into())
            }
        }
        // Codes are one namespace whatever their case: ZT2023 and zt2023
        // are the same campaign to a clerk.
        if let Ok(existing) = store::campaign(self.db()?, code) {
            return Err(Rule::CampaignExists {
                code: existing.code,
            }
            .into());
        }
        let id = self.next_id("campaign")?;
        let mut row = json!({
            "id": id, "code": code, "name": name, "source": source,
            "start_on": c.start.to_string(), "days": c.days,
            "recorded_at": self.stamp.now,
        });
        // Written only when on, so a campaign without it is recorded as
        // before schema 5 and the seed campaign's history reproduces.
        if c.acceptance {
            row["acceptance"] = json!(1);
        }
        let row = row.as_object().expect("object literal");
        insert_row(self.db()?, "campaign", row)?;
        self.record(
            "campaign",
            id,
            code,
            "campaign",
            c.start,
            json!({ "after": row }),
        )?;
        store::campaign(self.db()?, code)
    }

    /// The campaign `add problem` files under when none is named: the only
    /// one whose window contains today.
    fn running_campaign(&self) -> Result<Option<String>> {
        let running: Vec<Campaign> = store::campaigns(self.db()?)?
            .into_iter()
            .filter(|c| c.contains(self.stamp.today))
            .collect();
        Ok(match running.as_slice() {
            [only] => Some(only.code.clone()),
            _ => None,
        })
    }

    /// The campaign a new problem is filed under, with its row id.
    fn filed_under(&mut self, code: &str) -> Result<(Campaign, i64)> {
        if let Some(known) = self.campaigns.get(code) {
            return Ok(known.clone());
        }
        let found = store::campaign_and_id(self.db()?, code)?;
        self.campaigns.insert(code.to_string(), found.clone());
        Ok(found)
    }

    pub fn add_problem(&mut self, p: NewProblem) -> Result<Vec<ItemId>> {
        let title = clean_text(W::FProblemTitle, &p.title, true)?;
        let code = match p.campaign {
            Some(code) => Some(code),
            None if p.infer_campaign => self.running_campaign()?,
            None => None,
        };
        let (campaign, campaign_id) = match code.as_deref() {
            Some(code) => {
                let (campaign, id) = self.filed_under(code)?;
                (Some(campaign), Some(id))
            }
            None => (None, None),
        };
        let raised = p.raised.unwrap_or(self.stamp.today);
        self.check_raised(raised)?;
        let due = p.assignee.due.or(campaign.as_ref().map(|c| c.end));
        check_due(due, raised)?;
        let leader = opt_text(W::FLeader, p.assignee.leader.as_deref())?;
        let department = opt_text(W::FDepartment, p.assignee.department.as_deref())?;
        let owner = opt_text(W::FOwner, p.assignee.owner.as_deref())?;
        let measures = p
            .measures
            .iter()
            .map(|m| clean_text(W::FMeasureTitle, m, true))
            .collect::<Result<Vec<_>>>()?;

        let id = self.next_id("problem")?;
        // In the order a refusal names the first bad field.
        let uuid = self.fresh_uuid(p.uuid)?;
        let source = opt_text(W::FSource, p.source.as_deref())?;
        let subject = opt_text(W::FSubject, p.subject.as_deref())?;
        let cause = opt_text(W::FCause, p.cause.as_deref())?;
        let row = [
            ("campaign_id", json!(campaign_id)),
            ("cause", cause.into()),
            ("department", department.into()),
            ("id", id.into()),
            ("leader", leader.into()),
            ("owner", owner.into()),
            ("scope", p.scope.map(Scope::as_str).into()),
            ("source", source.into()),
            ("subject", subject.into()),
            ("title", title.into()),
            ("uuid", uuid.into()),
        ];
        let mut row = self.as_new(row, raised, due);
        let extra = extra_json(&p.extra);
        if let Some(extra) = &extra {
            row.insert("extra", extra.clone().into());
        }
        let problem = ItemId::problem(id);
        let item = self.new_item(
            problem,
            &row,
            (raised, due),
            extra,
            Inherited {
                problem: None,
                campaign: campaign.as_ref().map(|c| c.code.clone()),
                scope: p.scope,
                source: text_of(&row, "source"),
                subject: text_of(&row, "subject"),
                cause: text_of(&row, "cause"),
                acceptance: campaign.as_ref().is_some_and(|c| c.acceptance),
            },
        );
        let payload = self.added_payload(&row);
        self.defer("problem", row, item)?;
        self.record_text("problem", id, &problem.to_string(), "add", raised, payload)?;

        let mut ids = vec![problem];
        for title in measures {
            ids.push(self.add_measure(NewMeasure {
                uuid: None,
                problem,
                title,
                assignee: ProblemDefaults::default(),
                raised: Some(raised),
                extra: Extra::new(),
            })?);
        }
        Ok(ids)
    }

    /// The problem a new measure goes under: `--problem` must name a
    /// problem, which is said before looking the id up.
    pub fn measure_parent(&self, reference: &super::model::ItemRef) -> Result<ItemId> {
        let not_a_problem = |id: ItemId| Error::from(Input::NotAProblem { id });
        if let super::model::ItemRef::Id(id) = reference {
            if id.kind != Kind::Problem {
                return Err(not_a_problem(*id));
            }
        }
        let id = self.resolve(reference)?;
        if id.kind != Kind::Problem {
            return Err(not_a_problem(id));
        }
        Ok(id)
    }

    pub fn add_measure(&mut self, m: NewMeasure) -> Result<ItemId> {
        if m.problem.kind != Kind::Problem {
            return Err(Input::NotAProblem { id: m.problem }.into());
        }
        let problem = match self.last_parent.take() {
            Some(p) if p.id == m.problem => p,
            _ => self.live(m.problem)?,
        };
        if problem.status == Status::Closed {
            return Err(Rule::ClosedNoMeasures {
                problem: problem.id,
                on: problem.closed_on,
            }
            .into());
        }
        let title = clean_text(W::FMeasureTitle, &m.title, true)?;
        let raised = m.raised.unwrap_or(self.stamp.today);
        self.check_raised(raised)?;
        if raised < problem.raised_on {
            return Err(Input::MeasureBeforeProblem {
                on: raised,
                problem: problem.id,
                raised: problem.raised_on,
            }
            .into());
        }
        let due = m.assignee.due.or(problem.due_current);
        check_due(due, raised)?;
        let inherit = |given: Option<&str>, field: W, from: &str| -> Result<String> {
            match given {
                Some(text) => clean_text(field, text, false),
                None => Ok(from.to_string()),
            }
        };
        let id = self.next_id("measure")?;
        // In the order a refusal names the first bad field.
        let uuid = self.fresh_uuid(m.uuid)?;
        let leader = inherit(m.assignee.leader.as_deref(), W::FLeader, &problem.leader)?;
        let department = inherit(
            m.assignee.department.as_deref(),
            W::FDepartment,
            &problem.department,
        )?;
        let owner = inherit(m.assignee.owner.as_deref(), W::FOwner, &problem.owner)?;
        let row = [
            ("department", department.into()),
            ("id", id.into()),
            ("leader", leader.into()),
            ("owner", owner.into()),
            ("problem_id", problem.id.n.into()),
            ("title", title.into()),
            ("uuid", uuid.into()),
        ];
        let mut row = self.as_new(row, raised, due);
        let extra = extra_json(&m.extra);
        if let Some(extra) = &extra {
            row.insert("extra", extra.clone().into());
        }
        let measure = ItemId::measure(id);
        // What the problem is (campaign, scope, source, subject, cause) is
        // its measures' too.
        let item = self.new_item(
            measure,
            &row,
            (raised, due),
            extra,
            Inherited {
                problem: Some(problem.id),
                campaign: problem.campaign.clone(),
                scope: problem.scope,
                source: problem.source.clone(),
                subject: problem.subject.clone(),
                cause: problem.cause.clone(),
                acceptance: problem.acceptance,
            },
        );
        let payload = self.added_payload(&row);
        self.defer("measure", row, item)?;
        self.record_text("measure", id, &measure.to_string(), "add", raised, payload)?;
        self.last_parent = Some(Item {
            has_measures: true,
            ..problem
        });
        Ok(measure)
    }

    /// Apply `after` to the item and record the event with its `before`.
    fn change(
        &mut self,
        item: &Item,
        action: &str,
        effective_on: NaiveDate,
        after: Map<String, Value>,
        extra: Map<String, Value>,
    ) -> Result<()> {
        let payload = payload_text(&ChangePayload {
            item,
            after: &after,
            extra: &extra,
            via: self.via.as_deref(),
        })
        .unwrap_or_default();
        if !self.change_pending(item.id, &after) {
            update_row(self.db()?, item.kind.table(), item.id.n, &after)?;
        }
        self.record_text(
            item.kind.table(),
            item.id.n,
            &item.id.to_string(),
            action,
            effective_on,
            payload,
        )
    }

    /// Returns false when nothing changed.
    pub fn assign(&mut self, id: ItemId, fields: &AssignFields) -> Result<bool> {
        let item = self.live(id)?;
        let mut after = Map::new();
        for (column, field, given) in [
            ("leader", W::FLeader, &fields.leader),
            ("department", W::FDepartment, &fields.department),
            ("owner", W::FOwner, &fields.owner),
        ] {
            if let Some(text) = given {
                let text = clean_text(field, text, false)?;
                if current_value(&item, column) != Value::String(text.clone()) {
                    after.insert(column.into(), Value::String(text));
                }
            }
        }
        if after.is_empty() {
            return Ok(false);
        }
        let mut extra = Map::new();
        if let Some(note) = &fields.note {
            extra.insert("note".into(), clean_text(W::FNote, note, false)?.into());
        }
        self.change(&item, "assign", self.stamp.today, after, extra)?;
        Ok(true)
    }

    pub fn extend(&mut self, id: ItemId, to: NaiveDate, reason: &str) -> Result<()> {
        let item = self.live(id)?;
        let reason = clean_text(W::FReason, reason, true)?;
        if item.status == Status::Closed {
            return Err(Rule::ClosedNoExtend {
                id,
                on: item.closed_on,
            }
            .into());
        }
        match item.due_current {
            Some(due) if to <= due => return Err(Input::DeadlineNotLater { to, due }.into()),
            None if to < item.raised_on => {
                return Err(Input::DeadlineBeforeRaised {
                    to,
                    id,
                    raised: item.raised_on,
                }
                .into())
            }
            _ => {}
        }
        let mut after = Map::new();
        after.insert("due_current".into(), to.to_string().into());
        let mut extra = Map::new();
        extra.insert("reason".into(), reason.into());
        self.change(&item, "extend", self.stamp.today, after, extra)
    }

    pub fn note(&mut self, id: ItemId, text: &str) -> Result<()> {
        let item = self.live(id)?;
        let text = clean_text(W::FNote, text, true)?;
        let mut after = Map::new();
        after.insert("progress".into(), text.into());
        self.change(&item, "note", self.stamp.today, after, Map::new())
    }

    pub fn close(&mut self, id: ItemId, req: &CloseRequest) -> Result<()> {
        let item = self.live(id)?;
        let today = self.stamp.today;
        let on = req.on.unwrap_or(today);
        if req.ongoing && item.kind == Kind::Problem {
            return Err(Input::OngoingProblem { id }.into());
        }
        if on > today {
            return Err(Input::ClosedAfterToday { on, today }.into());
        }
        if on < item.raised_on {
            return Err(Input::ClosedBeforeRaised {
                on,
                id,
                raised: item.raised_on,
            }
            .into());
        }
        // An item added in this transaction has not been reopened.
        let reopened = if self.added_here(id) {
            None
        } else {
            store::last_reopen(self.db()?, id)?
        };
        if let Some(reopened) = reopened {
            if on < reopened {
                return Err(Input::ClosedBeforeReopen { on, id, reopened }.into());
            }
        }
        match item.status {
            Status::Closed => {
                return Err(Rule::AlreadyClosed {
                    id,
                    on: item.closed_on,
                }
                .into())
            }
            Status::Ongoing if req.ongoing => return Err(Rule::AlreadyOngoing { id }.into()),
            _ => {}
        }
        if item.kind == Kind::Problem && !req.ongoing {
            // Ongoing marks are dated the day they were recorded (an
            // import's day), so only completed measures bound the date.
            if let Some((measure, done)) = store::last_done_measure(self.db()?, id.n)? {
                if on < done {
                    return Err(Input::CloseBeforeMeasure {
                        id,
                        on,
                        measure,
                        done,
                    }
                    .into());
                }
            }
        }
        if item.kind == Kind::Problem {
            let open = store::open_measures(self.db()?, id.n, false)?;
            if !open.is_empty() {
                return Err(Rule::OpenMeasures {
                    problem: id,
                    measures: open,
                }
                .into());
            }
            if item.acceptance && !req.ongoing {
                let unaccepted = store::open_measures(self.db()?, id.n, true)?;
                if !unaccepted.is_empty() {
                    return Err(Rule::Unaccepted {
                        problem: id,
                        measures: unaccepted,
                    }
                    .into());
                }
                if let Some((measure, accepted)) = store::last_accepted_measure(self.db()?, id.n)? {
                    if on < accepted {
                        return Err(Input::CloseBeforeAcceptance {
                            id,
                            on,
                            measure,
                            accepted,
                        }
                        .into());
                    }
                }
            }
        }
        let (status, closed_on, action) = if req.ongoing {
            ("ongoing", Value::Null, "ongoing")
        } else {
            ("closed", Value::String(crate::dates::ymd(on)), "close")
        };
        let mut after = Map::new();
        after.insert("status".into(), status.into());
        after.insert("closed_on".into(), closed_on);
        after.insert(
            "close_note".into(),
            opt_text(W::FNote, req.note.as_deref())?.into(),
        );
        after.insert(
            "evidence".into(),
            opt_text(W::FEvidence, req.evidence.as_deref())?.into(),
        );
        self.change(&item, action, on, after, Map::new())
    }

    /// Reopen an item whose closure was rejected (驳回). Reopening a measure
    /// of a closed problem reopens the problem too. Returns what was reopened.
    pub fn reopen(&mut self, id: ItemId, reason: &str) -> Result<Vec<ItemId>> {
        let item = self.live(id)?;
        let reason = clean_text(W::FReason, reason, true)?;
        if item.status == Status::Open {
            return Err(Rule::NotClosed { id }.into());
        }
        self.reopen_item(&item, &reason, None)?;
        let mut reopened = vec![id];
        if let Some(problem_id) = item.problem {
            let problem = self.item(problem_id)?;
            if problem.status == Status::Closed {
                self.reopen_item(&problem, &reason, Some(id))?;
                reopened.push(problem_id);
            }
        }
        Ok(reopened)
    }

    /// `because`: the measure whose reopening reopens this problem; the
    /// history names it, and `log` words it.
    fn reopen_item(&mut self, item: &Item, reason: &str, because: Option<ItemId>) -> Result<()> {
        let mut after = Map::new();
        after.insert("status".into(), "open".into());
        after.insert("closed_on".into(), Value::Null);
        after.insert("close_note".into(), "".into());
        after.insert("evidence".into(), "".into());
        // A rejected measure is no longer accepted either. Written only
        // when it was, so a reopen reads as it did before acceptance.
        if item.accepted_on.is_some() {
            after.insert("accepted_on".into(), Value::Null);
            after.insert("accepted_by".into(), "".into());
        }
        let mut extra = Map::new();
        extra.insert("reason".into(), reason.into());
        if let Some(measure) = because {
            extra.insert("measure".into(), measure.to_string().into());
        }
        self.change(item, "reopen", self.stamp.today, after, extra)
    }

    /// The item, refused when it was voided: nothing is done to an item
    /// entered by mistake but restoring it.
    fn live(&self, id: ItemId) -> Result<Item> {
        let item = self.item(id)?;
        if item.voided_on.is_some() {
            return Err(Rule::Voided { id }.into());
        }
        Ok(item)
    }

    /// Correct what was entered by mistake (更正). The history keeps the
    /// old values; a corrected deadline is the one on-time is judged by.
    /// Returns false when every value given is the one it already has.
    pub fn edit(&mut self, id: ItemId, fix: &Correction, reason: &str) -> Result<bool> {
        if fix.is_empty() {
            return Err(Input::NothingToEdit.into());
        }
        let item = self.live(id)?;
        let reason = clean_text(W::FReason, reason, true)?;
        if let (Some(problem), Some(flag)) = (item.problem, fix.problem_only_flag()) {
            return Err(Input::ProblemField { id, flag, problem }.into());
        }
        let problem = match item.problem {
            Some(p) => self.item(p)?,
            None => item.clone(),
        };
        if problem.status == Status::Closed {
            return Err(Rule::EditClosedOut {
                id,
                problem: problem.id,
                on: problem.closed_on,
            }
            .into());
        }
        let title_field = match item.kind {
            Kind::Problem => W::FProblemTitle,
            Kind::Measure => W::FMeasureTitle,
        };
        let mut after = Map::new();
        let mut set = |column: &str, value: Value| {
            if current_value(&item, column) != value {
                after.insert(column.into(), value);
            }
        };
        if let Some(title) = &fix.title {
            set("title", clean_text(title_field, title, true)?.into());
        }
        if let Some(scope) = fix.scope {
            set("scope", scope.as_str().into());
        }
        for (column, field, given) in [
            ("source", W::FSource, &fix.source),
            ("subject", W::FSubject, &fix.subject),
            ("cause", W::FCause, &fix.cause),
        ] {
            if let Some(text) = given {
                set(column, clean_text(field, text, false)?.into());
            }
        }
        let raised = fix.raised.unwrap_or(item.raised_on);
        let due = fix.due.or(item.due_original);
        if fix.raised.is_some() {
            self.check_raised(raised)?;
            self.check_corrected_raised(&item, &problem, raised)?;
            set("raised_on", raised.to_string().into());
        }
        check_due(due, raised)?;
        if let Some(due) = fix.due {
            set("due_original", due.to_string().into());
            // An extension stands unless the corrected deadline is later.
            let extended = item.due_current != item.due_original;
            if !extended || item.due_current.is_none_or(|current| due > current) {
                set("due_current", due.to_string().into());
            }
        }
        if after.is_empty() {
            return Ok(false);
        }
        let mut extra = Map::new();
        extra.insert("reason".into(), reason.into());
        self.change(&item, "edit", self.stamp.today, after, extra)?;
        Ok(true)
    }

    /// A corrected raised date still comes after the problem's and before
    /// the measures' and the closing.
    fn check_corrected_raised(&self, item: &Item, problem: &Item, raised: NaiveDate) -> Result<()> {
        if item.kind == Kind::Measure && raised < problem.raised_on {
            return Err(Input::MeasureBeforeProblem {
                on: raised,
                problem: problem.id,
                raised: problem.raised_on,
            }
            .into());
        }
        if let Some(closed) = item.closed_on.filter(|&c| c < raised) {
            return Err(Input::ClosedBeforeRaised {
                on: closed,
                id: item.id,
                raised,
            }
            .into());
        }
        if item.kind == Kind::Problem {
            if let Some((measure, measure_raised)) =
                store::first_raised_measure(self.db()?, item.id)?
            {
                if measure_raised < raised {
                    return Err(Input::ProblemAfterMeasure {
                        on: raised,
                        measure,
                        raised: measure_raised,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Void (作废) an item entered by mistake, and a problem's measures
    /// with it. Returns what was voided.
    pub fn void(&mut self, id: ItemId, reason: &str) -> Result<Vec<ItemId>> {
        let item = self.item(id)?;
        let reason = clean_text(W::FReason, reason, true)?;
        if item.voided_on.is_some() {
            return Err(Rule::AlreadyVoided { id }.into());
        }
        let measures = match item.kind {
            Kind::Problem => store::measures_of(self.db()?, id)?
                .into_iter()
                .map(|(_, m)| self.item(m))
                .collect::<Result<Vec<_>>>()?,
            Kind::Measure => Vec::new(),
        };
        for done in measures.iter().chain([&item]) {
            if done.status == Status::Closed {
                return Err(Rule::VoidClosed {
                    id: done.id,
                    on: done.closed_on,
                }
                .into());
            }
        }
        let mut voided = Vec::new();
        for measure in &measures {
            self.set_voided(measure, true, &reason, Some(id))?;
            voided.push(measure.id);
        }
        self.set_voided(&item, true, &reason, None)?;
        voided.insert(0, id);
        Ok(voided)
    }

    /// Restore a voided item, and the measures voided with a problem.
    pub fn unvoid(&mut self, id: ItemId, reason: &str) -> Result<Vec<ItemId>> {
        let item = self.item(id)?;
        let reason = clean_text(W::FReason, reason, true)?;
        if item.voided_on.is_none() {
            return Err(Rule::NotVoided { id }.into());
        }
        if let Some(problem_id) = item.problem {
            let problem = self.item(problem_id)?;
            if problem.voided_on.is_some() {
                return Err(Rule::VoidedWithProblem {
                    id,
                    problem: problem_id,
                }
                .into());
            }
            if problem.status == Status::Closed && item.status == Status::Open {
                return Err(Rule::ClosedNoMeasures {
                    problem: problem_id,
                    on: problem.closed_on,
                }
                .into());
            }
        }
        let with = match item.kind {
            Kind::Problem => store::voided_with(self.db()?, id)?,
            Kind::Measure => Vec::new(),
        };
        self.set_voided(&item, false, &reason, None)?;
        let mut restored = vec![id];
        for measure in with {
            let measure = self.item(measure)?;
            self.set_voided(&measure, false, &reason, Some(id))?;
            restored.push(measure.id);
        }
        Ok(restored)
    }

    /// `with`: the problem a measure is voided or restored along with.
    fn set_voided(
        &mut self,
        item: &Item,
        voided: bool,
        reason: &str,
        with: Option<ItemId>,
    ) -> Result<()> {
        let mut after = Map::new();
        let on = voided.then_some(self.stamp.today);
        after.insert("voided_on".into(), date_json(on));
        let mut extra = Map::new();
        extra.insert("reason".into(), reason.into());
        if let Some(problem) = with {
            extra.insert("with".into(), problem.to_string().into());
        }
        self.change(item, "void", self.stamp.today, after, extra)
    }

    /// Accept (验收) a done measure, in a campaign that asks for it.
    pub fn accept(&mut self, id: ItemId, req: &Acceptance) -> Result<()> {
        if id.kind == Kind::Problem {
            return Err(Input::AcceptProblem { id }.into());
        }
        let item = self.live(id)?;
        let today = self.stamp.today;
        let on = req.on.unwrap_or(today);
        if !item.acceptance {
            return Err(Rule::NoAcceptance { id }.into());
        }
        if item.status != Status::Closed {
            return Err(Rule::NotDone { id }.into());
        }
        if let Some(accepted) = item.accepted_on {
            return Err(Rule::AlreadyAccepted { id, on: accepted }.into());
        }
        if on > today {
            return Err(Input::AcceptedAfterToday { on, today }.into());
        }
        if let Some(closed) = item.closed_on.filter(|&c| on < c) {
            return Err(Input::AcceptedBeforeClosed { on, id, closed }.into());
        }
        let acceptor = match &req.by {
            Some(by) => clean_text(W::FAcceptor, by, true)?,
            None => {
                let me = self.stamp.actor.clone();
                if store::closed_by(self.db()?, id)?.as_deref() == Some(me.as_str()) {
                    return Err(Rule::SelfAcceptance { id, actor: me }.into());
                }
                me
            }
        };
        let mut after = Map::new();
        after.insert("accepted_on".into(), on.to_string().into());
        after.insert("accepted_by".into(), acceptor.into());
        let mut extra = Map::new();
        if let Some(note) = &req.note {
            extra.insert("note".into(), clean_text(W::FNote, note, false)?.into());
        }
        self.change(&item, "accept", on, after, extra)
    }
}

fn check_due(due: Option<NaiveDate>, raised: NaiveDate) -> Result<()> {
    match due {
        Some(due) if due < raised => Err(Input::DueBeforeRaised { due, raised }.into()),
        _ => Ok(()),
    }
}

/// A text column of a row being built.
fn text_of(row: &NewRow, column: &str) -> String {
    row.get(column)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A column the item keeps set to a value, as reading its row back would
/// give it: checked before anything is applied, so a change either applies
/// whole or not at all.
enum Setting {
    Text(TextField, String),
    Day(DayField, Option<NaiveDate>),
    Status(Status),
}

#[derive(Clone, Copy)]
enum TextField {
    Leader,
    Department,
    Owner,
    CloseNote,
    Evidence,
    Progress,
    Title,
    AcceptedBy,
}

#[derive(Clone, Copy)]
enum DayField {
    DueCurrent,
    ClosedOn,
    DueOriginal,
    VoidedOn,
    AcceptedOn,
}

impl Setting {
    /// `column` set to `value`; None for a column (or value) the item does
    /// not keep this way. The inverse of `current_value`.
    fn of(column: &str, value: &Value) -> Option<Setting> {
        let text = |field| value.as_str().map(|t| Setting::Text(field, t.to_string()));
        let day = |field| match value {
            Value::Null => Some(Setting::Day(field, None)),
            Value::String(s) => s.parse().ok().map(|d| Setting::Day(field, Some(d))),
            _ => None,
        };
        match column {
            "leader" => text(TextField::Leader),
            "department" => text(TextField::Department),
            "owner" => text(TextField::Owner),
            "close_note" => text(TextField::CloseNote),
            "evidence" => text(TextField::Evidence),
            "progress" => text(TextField::Progress),
            "title" => text(TextField::Title),
            "accepted_by" => text(TextField::AcceptedBy),
            "due_current" => day(DayField::DueCurrent),
            "closed_on" => day(DayField::ClosedOn),
            "due_original" => day(DayField::DueOriginal),
            "voided_on" => day(DayField::VoidedOn),
            "accepted_on" => day(DayField::AcceptedOn),
            "status" => value
                .as_str()
                .and_then(Status::parse_stored)
                .map(Setting::Status),
            _ => None,
        }
    }

    fn apply(self, item: &mut Item) {
        match self {
            Setting::Text(field, text) => {
                *match field {
                    TextField::Leader => &mut item.leader,
                    TextField::Department => &mut item.department,
                    TextField::Owner => &mut item.owner,
                    TextField::CloseNote => &mut item.close_note,
                    TextField::Evidence => &mut item.evidence,
                    TextField::Progress => &mut item.progress,
                    TextField::Title => &mut item.title,
                    TextField::AcceptedBy => &mut item.accepted_by,
                } = text
            }
            Setting::Day(field, day) => {
                *match field {
                    DayField::DueCurrent => &mut item.due_current,
                    DayField::ClosedOn => &mut item.closed_on,
                    DayField::DueOriginal => &mut item.due_original,
                    DayField::VoidedOn => &mut item.voided_on,
                    DayField::AcceptedOn => &mut item.accepted_on,
                } = day
            }
            Setting::Status(status) => item.status = status,
        }
    }
}

/// An item's current value of one column, as the history records it.
fn current_value(item: &Item, column: &str) -> Value {
    match current(item, column) {
        Current::Text(text) => text.into(),
        Current::Day(day) => date_json(Some(day)),
        Current::Null => Value::Null,
    }
}

/// An item's value of one column, borrowed from it: `current_value`
/// without copying the text.
enum Current<'i> {
    Text(&'i str),
    Day(NaiveDate),
    /// An unset date or scope, and every column an item does not keep.
    Null,
}

fn current<'i>(item: &'i Item, column: &str) -> Current<'i> {
    let day = |d: Option<NaiveDate>| d.map_or(Current::Null, Current::Day);
    match column {
        "leader" => Current::Text(&item.leader),
        "department" => Current::Text(&item.department),
        "owner" => Current::Text(&item.owner),
        "due_current" => day(item.due_current),
        "status" => Current::Text(item.status.as_str()),
        "closed_on" => day(item.closed_on),
        "close_note" => Current::Text(&item.close_note),
        "evidence" => Current::Text(&item.evidence),
        "progress" => Current::Text(&item.progress),
        "title" => Current::Text(&item.title),
        "scope" => item
            .scope
            .map_or(Current::Null, |s| Current::Text(s.as_str())),
        "source" => Current::Text(&item.source),
        "subject" => Current::Text(&item.subject),
        "cause" => Current::Text(&item.cause),
        "raised_on" => Current::Day(item.raised_on),
        "due_original" => day(item.due_original),
        "voided_on" => day(item.voided_on),
        "accepted_on" => day(item.accepted_on),
        "accepted_by" => Current::Text(&item.accepted_by),
        _ => Current::Null,
    }
}

impl serde::Serialize for Current<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Current::Text(text) => s.serialize_str(text),
            Current::Day(day) => s.serialize_str(&crate::dates::ymd(*day)),
            Current::Null => s.serialize_unit(),
        }
    }
}

/// A change's payload: `after`, `before` (each changed column's value
/// until now), the command's own keys (`extra`) and `via`, in key order as
/// a serde_json map of them would have them. Written from the item and the
/// maps in place: building that map copied every value (each close of an
/// import made two maps of four).
struct ChangePayload<'p> {
    item: &'p Item,
    after: &'p Map<String, Value>,
    extra: &'p Map<String, Value>,
    via: Option<&'p str>,
}

impl serde::Serialize for ChangePayload<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        enum Entry<'p> {
            After,
            Before,
            Extra(&'p Value),
            Via(&'p str),
        }
        let mut entries = Vec::with_capacity(3 + self.extra.len());
        entries.push(("after", Entry::After));
        entries.push(("before", Entry::Before));
        entries.extend(
            self.extra
                .iter()
                .map(|(k, v)| (k.as_str(), Entry::Extra(v))),
        );
        entries.extend(self.via.map(|via| ("via", Entry::Via(via))));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        debug_assert!(
            entries.windows(2).all(|w| w[0].0 != w[1].0),
            "a change's own keys are not after, before or via"
        );
        let mut map = s.serialize_map(Some(entries.len()))?;
        for (key, entry) in &entries {
            match entry {
                Entry::After => map.serialize_entry(key, self.after)?,
                Entry::Before => map.serialize_entry(
                    key,
                    &Before {
                        item: self.item,
                        columns: self.after,
                    },
                )?,
                Entry::Extra(value) => map.serialize_entry(key, value)?,
                Entry::Via(via) => map.serialize_entry(key, via)?,
            }
        }
        map.end()
    }
}

/// The `before` of a change: the item's value of each column in `after`.
struct Before<'p> {
    item: &'p Item,
    columns: &'p Map<String, Value>,
}

impl serde::Serialize for Before<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(
            self.columns
                .keys()
                .map(|column| (column, current(self.item, column))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settled_after_says_what_settles_sql_says() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE measure (id INTEGER PRIMARY KEY, settled_on TEXT)")
            .unwrap();
        let histories: &[&[&str]] = &[
            &["2023-05-01"],
            &["2023-05-01", "2023-05-01", "2023-06-02"],
            &["2023-05-01", "2023-04-30"],
            &["2023-05-01", "2023-04-30", "2023-07-01"],
            &["2023-05-01", "2023-06-01", "2023-05-31", "2023-06-01"],
        ];
        for (n, days) in histories.iter().enumerate() {
            let id = n as i64 + 1;
            conn.execute("INSERT INTO measure (id) VALUES (?1)", [id])
                .unwrap();
            let mut in_memory: Option<String> = None;
            for day in *days {
                settle(&conn, "measure", id, "close", day).unwrap();
                in_memory = Some(settled_after(in_memory.as_deref(), day).to_string());
                let stored: Option<String> = conn
                    .query_row("SELECT settled_on FROM measure WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .unwrap();
                assert_eq!(stored, in_memory, "history {days:?}, after {day}");
            }
        }
    }

    fn item(text: &str, day: Option<NaiveDate>, status: Status) -> Item {
        Item {
            id: ItemId::measure(1),
            kind: Kind::Measure,
            uuid: String::new(),
            problem: Some(ItemId::problem(1)),
            campaign: None,
            title: text.into(),
            scope: None,
            source: String::new(),
            subject: String::new(),
            cause: String::new(),
            leader: text.into(),
            department: text.into(),
            owner: text.into(),
            raised_on: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            due_original: day,
            due_current: day,
            status,
            closed_on: day,
            close_note: text.into(),
            evidence: text.into(),
            progress: text.into(),
            recorded_at: String::new(),
            extra: String::new(),
            voided_on: day,
            accepted_on: day,
            accepted_by: text.into(),
            acceptance: false,
            has_measures: false,
        }
    }

    #[test]
    fn settings_are_current_values_inverse() {
        let day = NaiveDate::from_ymd_opt(2023, 6, 30);
        let pairs = [
            (
                item("", None, Status::Open),
                item("甲", day, Status::Closed),
            ),
            (
                item("乙", day, Status::Ongoing),
                item("", None, Status::Open),
            ),
        ];
        let kept = [
            "leader",
            "department",
            "owner",
            "due_current",
            "status",
            "closed_on",
            "close_note",
            "evidence",
            "progress",
            "title",
            "due_original",
            "voided_on",
            "accepted_on",
            "accepted_by",
        ];
        for (from, to) in pairs {
            let mut changed = from.clone();
            for column in kept {
                let setting = Setting::of(column, &current_value(&to, column));
                setting.expect(column).apply(&mut changed);
            }
            assert_eq!(changed, to);
        }
        // What it does not keep, the ledger's row is changed for instead.
        for column in ["scope", "source", "raised_on", "extra", "uuid"] {
            assert!(Setting::of(column, &Value::Null).is_none(), "{column}");
        }
        assert!(Setting::of("status", &"bogus".into()).is_none());
        assert!(Setting::of("closed_on", &"someday".into()).is_none());
        assert!(Setting::of("leader", &Value::Null).is_none());
    }

    /// The payload as it was built before `ChangePayload`: a serde_json map
    /// of `before`, `after`, the command's keys and `via`.
    fn payload_by_map(
        item: &Item,
        after: &Map<String, Value>,
        extra: &Map<String, Value>,
        via: Option<&str>,
    ) -> String {
        let before: Map<String, Value> = after
            .keys()
            .map(|k| (k.clone(), current_value(item, k)))
            .collect();
        let mut payload = Map::new();
        payload.insert("before".into(), Value::Object(before));
        payload.insert("after".into(), Value::Object(after.clone()));
        payload.extend(extra.clone());
        if let Some(via) = via {
            payload.insert("via".into(), via.into());
        }
        Value::Object(payload).to_string()
    }

    #[test]
    fn a_change_payload_is_the_map_it_replaces() {
        let day = NaiveDate::from_ymd_opt(2023, 6, 30);
        let mut scoped = item("引号\"与\\反斜杠\n", day, Status::Ongoing);
        scoped.scope = Some(Scope::Group);
        let items = [
            item("", None, Status::Open),
            item("甲", day, Status::Closed),
            scoped,
        ];
        let close: Map<String, Value> = serde_json::from_str(
            r#"{"status":"closed","closed_on":"2023-07-01","close_note":"","evidence":"材料"}"#,
        )
        .unwrap();
        let edit: Map<String, Value> = serde_json::from_str(
            r#"{"raised_on":"2023-02-01","scope":"individual","title":"新","due_original":null,"no_such":1}"#,
        )
        .unwrap();
        let extras: [Map<String, Value>; 3] = [
            Map::new(),
            serde_json::from_str(r#"{"reason":"改期"}"#).unwrap(),
            // "with" sorts after "via".
            serde_json::from_str(r#"{"reason":"重复","with":"P3","note":"x"}"#).unwrap(),
        ];
        for item in &items {
            for after in [&close, &edit] {
                for extra in &extras {
                    for via in [None, Some("import 办公室.xlsx")] {
                        let typed = payload_text(&ChangePayload {
                            item,
                            after,
                            extra,
                            via,
                        });
                        assert_eq!(typed, Some(payload_by_map(item, after, extra, via)));
                    }
                }
            }
        }
    }
}
