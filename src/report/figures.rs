//! The report figures, computed "as of" a date from the event history.
//!
//! A measure's state at D is the last of its add/close/ongoing/reopen events
//! that took effect on or before D; its deadline at D is the last extension
//! in force at D, else the original. Current columns are never consulted
//! for state, so a report as of a past date is the same on every re-run.
//! The aggregation is one GROUP BY in SQL.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::ledger::model::Status;
use crate::ledger::rules;

/// What `report by` groups on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Dept,
    Owner,
    Source,
    Scope,
}

impl GroupBy {
    fn column(self) -> &'static str {
        match self {
            GroupBy::Dept => "m.department",
            GroupBy::Owner => "m.owner",
            GroupBy::Source => "p.source",
            GroupBy::Scope => "COALESCE(p.scope, '')",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: i64,
    pub closed: i64,
    pub on_time: i64,
    pub late: i64,
    pub ongoing: i64,
    pub open: i64,
    pub overdue: i64,
    pub due_soon: i64,
    pub extended: i64,
    /// Done and accepted (已验收), where the campaign asks for acceptance.
    pub accepted: i64,
    /// Done and not yet accepted (待验收).
    pub awaiting_acceptance: i64,
    /// Voided (作废): left out of every other figure.
    pub voided: i64,
    #[serde(skip)]
    pub ageing: [i64; 4],
    /// Within the report window (a month, or the campaign).
    #[serde(skip)]
    pub raised_in_window: i64,
    #[serde(skip)]
    pub closed_in_window: i64,
    #[serde(skip)]
    pub on_time_in_window: i64,
    #[serde(skip)]
    pub extensions_in_window: i64,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.total += other.total;
        self.closed += other.closed;
        self.on_time += other.on_time;
        self.late += other.late;
        self.ongoing += other.ongoing;
        self.open += other.open;
        self.overdue += other.overdue;
        self.due_soon += other.due_soon;
        self.extended += other.extended;
        self.accepted += other.accepted;
        self.awaiting_acceptance += other.awaiting_acceptance;
        self.voided += other.voided;
        for (a, b) in self.ageing.iter_mut().zip(other.ageing) {
            *a += b;
        }
        self.raised_in_window += other.raised_in_window;
        self.closed_in_window += other.closed_in_window;
        self.on_time_in_window += other.on_time_in_window;
        self.extensions_in_window += other.extensions_in_window;
    }

    pub fn completion_rate(&self) -> f64 {
        ratio(self.closed, self.total)
    }

    pub fn on_time_rate(&self) -> f64 {
        ratio(self.on_time, self.closed)
    }
}

pub fn ratio(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Which measures a report covers, and as of when.
#[derive(Clone, Debug)]
pub struct Query {
    pub campaign_id: Option<i64>,
    pub as_of: NaiveDate,
    /// First and last day of the window for the "… in window" figures.
    pub window: (NaiveDate, NaiveDate),
    pub due_soon_days: u32,
    /// Whether a campaign in scope asks for acceptance (验收); when none
    /// does, acceptance is not looked up at all.
    pub acceptance: bool,
}

/// Scope a query to the campaign, if any. Written out rather than as
/// `(:campaign IS NULL OR p.campaign_id = :campaign)`, which SQLite cannot
/// serve from the campaign index: every campaign report would scan the
/// whole ledger.
fn campaign_clause(q: &Query) -> &'static str {
    match q.campaign_id {
        Some(_) => "p.campaign_id = :campaign",
        None => ":campaign IS NULL",
    }
}

/// The covered measures, one row each, with what their standing as of :d
/// is worked out from. Read in one pass; the aggregation is in Rust, where
/// a temp table of states and a GROUP BY of twenty sums over it cost a
/// report most of its time.
const COVERED: &str = "
SELECT m.id, m.problem_id, {group}, m.raised_on, m.due_original, m.due_current,
       m.settled_on, m.status, m.closed_on, m.accepted_on, {asks}, p.status, p.closed_on,
       {words}
  FROM measure m JOIN problem p ON p.id = m.problem_id
 WHERE m.raised_on <= :d AND {campaign} AND m.voided_on IS NULL";

/// The last of a measure's state changes that took effect by a date.
const LAST_STATE: &str = "
SELECT action, effective_on FROM event
 WHERE kind = 'measure' AND item_id = ?1
   AND action IN ('add', 'close', 'ongoing', 'reopen') AND effective_on <= ?2
 ORDER BY effective_on DESC, seq DESC LIMIT 1";

/// The deadline the last extension in force by a date set.
const LAST_EXTENSION: &str = "
SELECT json_extract(payload, '$.after.due_current') FROM event
 WHERE kind = 'measure' AND item_id = ?1 AND action = 'extend' AND effective_on <= ?2
 ORDER BY effective_on DESC, seq DESC LIMIT 1";

const EXTENSIONS_BETWEEN: &str = "
SELECT count(*) FROM event
 WHERE kind = 'measure' AND item_id = ?1 AND action = 'extend'
   AND effective_on BETWEEN ?2 AND ?3";

const EVER_ACCEPTED: &str = "
SELECT EXISTS (SELECT 1 FROM event WHERE kind = 'measure' AND item_id = ?1 AND action = 'accept')";

/// Accepted by a date: the acceptance is the last of its state changes
/// by then (a reopen clears it).
const LAST_ACCEPTANCE_STATE: &str = "
SELECT action FROM event
 WHERE kind = 'measure' AND item_id = ?1
   AND action IN ('add', 'close', 'ongoing', 'reopen', 'accept') AND effective_on <= ?2
 ORDER BY effective_on DESC, seq DESC LIMIT 1";

/// A problem's last close-out or reopen by a date, and when.
const LAST_PROBLEM_STATE: &str = "
SELECT action, effective_on FROM event
 WHERE kind = 'problem' AND item_id = ?1
   AND action IN ('add', 'close', 'reopen') AND effective_on <= ?2
 ORDER BY effective_on DESC, seq DESC LIMIT 1";

/// `settle` writes this for a history whose events were not recorded in
/// date order: for such a measure only its history is trusted.
const UNSETTLED: &str = "9999-12-31";

/// A covered measure as of the query's date.
struct Standing {
    status: Status,
    /// When the state took effect (for a done measure, its completion).
    status_on: Option<NaiveDate>,
    due_original: Option<NaiveDate>,
    /// The deadline an extension set, in force at the date.
    due_extended: Option<NaiveDate>,
    /// The deadline in force: a corrected original deadline (edit) later
    /// than an extension granted before the correction is the one.
    due_at: Option<NaiveDate>,
    acceptance: bool,
    accepted: bool,
}

/// Per problem seen in the covered measures: whether any measure blocks
/// its close-out, and how it stands by its columns.
struct ProblemSeen {
    blocked: bool,
    closed_on: Option<NaiveDate>,
}

/// Every covered measure's standing as of the query's date, aggregated in
/// one pass: the figures per group, the overdue measures, and which
/// problems have all their measures settled.
pub struct States<'c> {
    conn: &'c Connection,
    q: Query,
    groups: Vec<(String, Counts)>,
    overdue: Vec<(NaiveDate, i64, [String; 3])>,
    problems: HashMap<i64, ProblemSeen>,
}

impl<'c> States<'c> {
    pub fn compute(conn: &'c Connection, q: &Query, group: GroupBy) -> Result<States<'c>> {
        States::compute_with(conn, q, group, true)
    }

    /// `words`: whether the overdue list is wanted (a campaign report):
    /// without it, the words are not read from any row.
    fn compute_with(
        conn: &'c Connection,
        q: &Query,
        group: GroupBy,
        words: bool,
    ) -> Result<States<'c>> {
        let mut history = History::new(conn, q)?;
        let asks = if q.acceptance {
            rules::asks_acceptance_sql("p.campaign_id")
        } else {
            "0".to_string()
        };
        let sql = COVERED
            .replace("{group}", group.column())
            .replace("{asks}", &asks)
            .replace("{campaign}", campaign_clause(q))
            .replace(
                "{words}",
                if words {
                    "m.title, m.owner, m.department"
                } else {
                    "NULL, NULL, NULL"
                },
            );
        let soon = rules::due_soon_horizon(q.as_of, q.due_soon_days);
        let (from, to) = q.window;
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<(String, Counts)> = Vec::new();
        let mut overdue = Vec::new();
        let mut problems: HashMap<i64, ProblemSeen> = HashMap::new();

        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(named_params! { ":d": q.as_of, ":campaign": q.campaign_id })?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let problem_id: i64 = row.get(1)?;
            let raised_on = day(row, 3)?.unwrap_or(q.as_of);
            let (standing, extensions) = history.standing(id, row)?;

            let name = text(row, 2)?.unwrap_or_default();
            let slot = match at.get(name) {
                Some(&slot) => slot,
                None => {
                    at.insert(name.to_string(), groups.len());
                    groups.push((name.to_string(), Counts::default()));
                    groups.len() - 1
                }
            };
            let c = &mut groups[slot].1;
            c.total += 1;
            let in_window = |d: Option<NaiveDate>| d.is_some_and(|d| from <= d && d <= to);
            match standing.status {
                Status::Closed => {
                    c.closed += 1;
                    // A done measure always has its completion date.
                    let on = standing.status_on.unwrap_or(q.as_of);
                    let on_time = rules::is_on_time(on, standing.due_original);
                    if on_time {
                        c.on_time += 1;
                    } else {
                        c.late += 1;
                    }
                    if in_window(standing.status_on) {
                        c.closed_in_window += 1;
                        c.on_time_in_window += i64::from(on_time);
                    }
                    c.accepted += i64::from(standing.accepted);
                }
                Status::Ongoing => c.ongoing += 1,
                Status::Open => {
                    c.open += 1;
                    let age = (q.as_of - raised_on).num_days();
                    c.ageing[match age {
                        ..=30 => 0,
                        31..=60 => 1,
                        61..=90 => 2,
                        _ => 3,
                    }] += 1;
                }
            }
            if rules::is_overdue(standing.status, standing.due_at, q.as_of) {
                c.overdue += 1;
                if let (true, Some(due)) = (words, standing.due_at) {
                    // The words of the few overdue, read from the row at hand.
                    let word = |i| {
                        Ok::<_, crate::error::Error>(text(row, i)?.unwrap_or_default().to_string())
                    };
                    overdue.push((due, id, [word(13)?, word(14)?, word(15)?]));
                }
            }
            if rules::is_due_soon(standing.status, standing.due_at, q.as_of, soon) {
                c.due_soon += 1;
            }
            c.extended += i64::from(standing.due_extended.is_some());
            c.raised_in_window += i64::from(in_window(Some(raised_on)));
            c.extensions_in_window += extensions;
            let awaiting =
                rules::awaits_acceptance(standing.status, standing.acceptance, standing.accepted);
            c.awaiting_acceptance += i64::from(awaiting);

            let blocks =
                rules::blocks_close_out(standing.status, standing.acceptance, standing.accepted);
            match problems.get_mut(&problem_id) {
                Some(seen) => seen.blocked |= blocks,
                None => {
                    let closed = text(row, 11)? == Some(Status::Closed.as_str());
                    let closed_on = if closed { day(row, 12)? } else { None };
                    problems.insert(
                        problem_id,
                        ProblemSeen {
                            blocked: blocks,
                            closed_on,
                        },
                    );
                }
            }
        }
        // In byte order, as SQLite's GROUP BY ... ORDER BY put them.
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        overdue.sort_unstable_by_key(|&(due, id, _)| (due, id));
        Ok(States {
            conn,
            q: q.clone(),
            groups,
            overdue,
            problems,
        })
    }

    pub fn groups(&self) -> Result<Vec<(String, Counts)>> {
        Ok(self.groups.clone())
    }

    /// The overdue measures, earliest deadline first, with their words.
    pub fn overdue(&self) -> Result<Vec<OverdueMeasure>> {
        Ok(self
            .overdue
            .iter()
            .map(|(due, id, [title, owner, department])| OverdueMeasure {
                id: format!("M{id}"),
                title: title.clone(),
                owner: owner.clone(),
                department: department.clone(),
                due: *due,
                days_overdue: (self.q.as_of - *due).num_days(),
            })
            .collect())
    }

    /// Problems open as of the date whose measures were all settled by
    /// then (done and, where asked for, accepted; or ongoing): 已整改完成
    /// 尚未销号.
    pub fn awaiting_close_out(&self) -> Result<i64> {
        let mut history = ProblemHistory::new(self.conn, self.q.as_of)?;
        let mut n = 0;
        for (&id, seen) in &self.problems {
            if !seen.blocked && history.closed_out_on(id, seen.closed_on)?.is_none() {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// When a problem was closed out as of a date, if it was. One never
/// reopened stands as its columns say: closed out on its closed_on, open
/// before. Only the few reopened (their partial index) are looked up.
struct ProblemHistory<'c> {
    as_of: NaiveDate,
    reopened: HashSet<i64>,
    last_state: rusqlite::CachedStatement<'c>,
}

impl<'c> ProblemHistory<'c> {
    fn new(conn: &'c Connection, as_of: NaiveDate) -> Result<ProblemHistory<'c>> {
        Ok(ProblemHistory {
            as_of,
            reopened: item_ids(conn, "reopen", "problem")?,
            last_state: conn.prepare_cached(LAST_PROBLEM_STATE)?,
        })
    }

    /// `closed_on`: the problem's column, where its status is closed.
    fn closed_out_on(
        &mut self,
        id: i64,
        closed_on: Option<NaiveDate>,
    ) -> Result<Option<NaiveDate>> {
        if !self.reopened.contains(&id) {
            return Ok(closed_on.filter(|&on| on <= self.as_of));
        }
        Ok(self
            .last_state
            .query_row(params![id, self.as_of], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?))
            })
            .optional()?
            .and_then(|(action, on)| (action == "close").then_some(on)))
    }
}

/// The ids of the items of `kind` with an event of `action`, from that
/// action's partial index (reopens, ongoing marks): a handful per ledger.
fn item_ids(conn: &Connection, action: &str, kind: &str) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare("SELECT item_id FROM event WHERE action = ?1 AND +kind = ?2")?;
    let ids = stmt
        .query_map([action, kind], |r| r.get(0))?
        .collect::<rusqlite::Result<HashSet<i64>>>()?;
    Ok(ids)
}

/// A date column: the ledger writes 'YYYY-MM-DD', read here without
/// chrono's format parser, which cost a report a tenth of its time. Any
/// other text goes through the usual conversion and its error.
fn day(row: &rusqlite::Row<'_>, i: usize) -> Result<Option<NaiveDate>> {
    let value = row.get_ref(i)?;
    if let rusqlite::types::ValueRef::Text(t) = value {
        if let Some(d) = ymd(t) {
            return Ok(Some(d));
        }
    }
    Ok(row.get::<_, Option<NaiveDate>>(i)?)
}

/// A text column, or NULL.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    let value = row.get_ref(i)?;
    Ok(value.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e))
    })?)
}

fn ymd(t: &[u8]) -> Option<NaiveDate> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        t.get(r)?.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// What the history says of a measure at the query's date, for the few
/// whose columns cannot: the statements, prepared once a report, and the
/// measures whose state went other than open to done once.
struct History<'c> {
    q: Query,
    /// The date as the ledger writes it, to compare with settled_on.
    as_of_text: String,
    last_state: rusqlite::CachedStatement<'c>,
    last_extension: rusqlite::CachedStatement<'c>,
    extensions_between: rusqlite::CachedStatement<'c>,
    ever_accepted: rusqlite::CachedStatement<'c>,
    last_acceptance_state: rusqlite::CachedStatement<'c>,
    reopened: HashSet<i64>,
    ongoing: HashSet<i64>,
}

impl<'c> History<'c> {
    fn new(conn: &'c Connection, q: &Query) -> Result<History<'c>> {
        Ok(History {
            q: q.clone(),
            as_of_text: q.as_of.to_string(),
            last_state: conn.prepare_cached(LAST_STATE)?,
            last_extension: conn.prepare_cached(LAST_EXTENSION)?,
            extensions_between: conn.prepare_cached(EXTENSIONS_BETWEEN)?,
            ever_accepted: conn.prepare_cached(EVER_ACCEPTED)?,
            last_acceptance_state: conn.prepare_cached(LAST_ACCEPTANCE_STATE)?,
            reopened: item_ids(conn, "reopen", "measure")?,
            ongoing: item_ids(conn, "ongoing", "measure")?,
        })
    }

    /// A covered measure's standing at the date, and its extensions within
    /// the window. The columns answer for a measure whose history was
    /// settled by the date (settled_on), and for one that was never
    /// reopened nor marked ongoing: it was done by the date if its
    /// closed_on is. Only the rest are looked up.
    fn standing(&mut self, id: i64, row: &rusqlite::Row<'_>) -> Result<(Standing, i64)> {
        let d = self.q.as_of;
        let due_original = day(row, 4)?;
        // Parsed only when it differs from the original, as it rarely does.
        let never_extended = row.get_ref(5)? == row.get_ref(4)?;
        let settled_text = text(row, 6)?;
        let status = row.get::<_, Status>(7)?;
        let closed_on = match status {
            Status::Closed => day(row, 8)?,
            _ => None,
        };
        let acceptance = row.get::<_, i64>(10)? == 1;
        let accepted_on = if self.q.acceptance {
            day(row, 9)?
        } else {
            None
        };

        let settled = settled_text.is_some_and(|s| s <= self.as_of_text.as_str());
        let in_order = settled_text != Some(UNSETTLED);
        let simple = in_order
            && status != Status::Ongoing
            && !self.reopened.contains(&id)
            && !self.ongoing.contains(&id);
        let done_by = |on: Option<NaiveDate>| on.is_some_and(|on| on <= d);

        let (state, status_on) = if settled && status != Status::Ongoing {
            match (status, closed_on) {
                (Status::Closed, Some(on)) => (Status::Closed, Some(on)),
                _ => (Status::Open, None),
            }
        } else if simple {
            if status == Status::Closed && done_by(closed_on) {
                (Status::Closed, closed_on)
            } else {
                (Status::Open, None)
            }
        } else {
            match self
                .last_state
                .query_row(params![id, d], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?))
                })
                .optional()?
            {
                Some((action, on)) => (
                    match action.as_str() {
                        "close" => Status::Closed,
                        "ongoing" => Status::Ongoing,
                        _ => Status::Open,
                    },
                    Some(on),
                ),
                None => (Status::Open, None),
            }
        };

        // An extension always moves the deadline later, so a measure whose
        // deadline is still its original was never extended (verify holds
        // the columns to the history). Settled by the date, its deadline
        // then is the one it has now.
        let (due_extended, extensions) = if never_extended {
            (None, 0)
        } else {
            let due_current = day(row, 5)?;
            let (from, to) = self.q.window;
            let extensions = self
                .extensions_between
                .query_row(params![id, from, to], |r| r.get(0))?;
            let extended = if settled {
                due_current
            } else {
                self.last_extension
                    .query_row(params![id, d], |r| r.get::<_, Option<NaiveDate>>(0))
                    .optional()?
                    .flatten()
            };
            (extended, extensions)
        };
        let due_at = match (due_original, due_extended) {
            (Some(original), Some(extended)) if extended > original => Some(extended),
            (None, extended) => extended,
            (original, _) => original,
        };

        let accepted = if !self.q.acceptance {
            false
        } else if settled {
            accepted_on.is_some()
        } else if simple {
            done_by(accepted_on)
        } else if accepted_on.is_none()
            && !self
                .ever_accepted
                .query_row([id], |r| r.get::<_, bool>(0))?
        {
            false
        } else {
            self.last_acceptance_state
                .query_row(params![id, d], |r| r.get::<_, String>(0))
                .optional()?
                .is_some_and(|action| action == "accept")
        };

        Ok((
            Standing {
                status: state,
                status_on,
                due_original,
                due_extended,
                due_at,
                acceptance,
                accepted,
            },
            extensions,
        ))
    }
}

/// Items voided (作废) in the query's scope: problems, measures.
pub fn voided(conn: &Connection, q: &Query) -> Result<(i64, i64)> {
    // From the partial index of the voided, which are few. Left to itself,
    // SQLite preferred the covering index of every measure and a problem
    // look-up for each: 4-5 ms of a 100k ledger's monthly report.
    let sql = "SELECT
         (SELECT count(*) FROM problem p WHERE p.voided_on IS NOT NULL AND {campaign}),
         (SELECT count(*) FROM measure m INDEXED BY measure_voided
            JOIN problem p ON p.id = m.problem_id
           WHERE m.voided_on IS NOT NULL AND {campaign})"
        .replace("{campaign}", campaign_clause(q));
    Ok(
        conn.query_row(&sql, named_params! { ":campaign": q.campaign_id }, |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// Measures in the query's scope whose deadline was corrected (`edit
/// --due`): the reports judge them by the corrected one, and say so.
pub fn deadlines_corrected(conn: &Connection, q: &Query) -> Result<i64> {
    // From the corrections (their partial index), not from every measure:
    // `+e.kind` keeps SQLite off the index of all of an item's events, and
    // CROSS JOIN keeps it from starting at the campaign's problems and
    // probing for corrections measure by measure.
    let sql = "SELECT count(DISTINCT m.id) FROM event e
           CROSS JOIN measure m CROSS JOIN problem p
          WHERE m.id = e.item_id AND p.id = m.problem_id
            AND e.action = 'edit' AND +e.kind = 'measure'
            AND json_extract(e.payload, '$.after.due_original') IS NOT NULL
            AND m.voided_on IS NULL AND {campaign}"
        .replace("{campaign}", campaign_clause(q));
    Ok(
        conn.query_row(&sql, named_params! { ":campaign": q.campaign_id }, |r| {
            r.get(0)
        })?,
    )
}

pub fn measure_groups(
    conn: &Connection,
    q: &Query,
    group: GroupBy,
) -> Result<Vec<(String, Counts)>> {
    Ok(States::compute_with(conn, q, group, false)?.groups)
}

pub fn totals(groups: &[(String, Counts)]) -> Counts {
    let mut all = Counts::default();
    for (_, c) in groups {
        all.add(c);
    }
    all
}

#[derive(Clone, Debug, Serialize)]
pub struct OverdueMeasure {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub department: String,
    #[serde(serialize_with = "crate::dates::serialize_ymd")]
    pub due: NaiveDate,
    pub days_overdue: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScopeCounts {
    pub group: i64,
    pub individual: i64,
    /// Problems recorded without a scope (未分类), so the parts add up.
    pub unscoped: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProblemCounts {
    pub total: i64,
    pub closed: i64,
    pub open: i64,
    pub by_scope: ScopeCounts,
    /// Open, with every measure settled: 已整改完成尚未销号.
    pub awaiting_close_out: i64,
    /// Voided (作废): left out of every other figure.
    pub voided: i64,
    /// Raised, and closed out, within the report window (a month).
    #[serde(skip)]
    pub raised_in_window: i64,
    #[serde(skip)]
    pub closed_in_window: i64,
}

pub fn problem_counts(conn: &Connection, q: &Query) -> Result<ProblemCounts> {
    let mut history = ProblemHistory::new(conn, q.as_of)?;
    let sql = "SELECT p.id, p.scope, p.raised_on, p.status, p.closed_on FROM problem p
         WHERE p.raised_on <= :d AND {campaign} AND p.voided_on IS NULL"
        .replace("{campaign}", campaign_clause(q));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(named_params! { ":d": q.as_of, ":campaign": q.campaign_id })?;
    let (from, to) = q.window;
    let in_window = |d: Option<NaiveDate>| d.is_some_and(|d| from <= d && d <= to);
    let mut counts = ProblemCounts::default();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let closed_on = if text(row, 3)? == Some(Status::Closed.as_str()) {
            day(row, 4)?
        } else {
            None
        };
        let closed_out_on = history.closed_out_on(id, closed_on)?;
        counts.total += 1;
        if closed_out_on.is_some() {
            counts.closed += 1;
        }
        match text(row, 1)? {
            Some("group") => counts.by_scope.group += 1,
            Some("individual") => counts.by_scope.individual += 1,
            None => counts.by_scope.unscoped += 1,
            Some(_) => {}
        }
        counts.raised_in_window += i64::from(in_window(day(row, 2)?));
        counts.closed_in_window += i64::from(in_window(closed_out_on));
    }
    counts.open = counts.total - counts.closed;
    Ok(counts)
}

/// Open measures on each day from `from` to `to`, for the burndown chart.
pub fn open_per_day(
    conn: &Connection,
    q: &Query,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<i64>> {
    let days = usize::try_from((to - from).num_days() + 1).unwrap_or(0);
    let mut delta = vec![0i64; days + 1];
    let index = |d: NaiveDate| -> usize {
        usize::try_from((d - from).num_days().max(0))
            .unwrap_or(0)
            .min(days)
    };
    // CROSS JOIN fixes the order: from the campaign's problems to their
    // measures to each measure's history, all index lookups that come out
    // already in this order. Left to itself, SQLite started from every
    // measure event in the ledger and sorted them.
    let sql = "SELECT e.item_id, e.action, e.effective_on
           FROM problem p CROSS JOIN measure m CROSS JOIN event e
          WHERE m.problem_id = p.id AND e.kind = 'measure' AND e.item_id = m.id
            AND e.action IN ('add', 'close', 'ongoing', 'reopen')
            AND {campaign} AND e.effective_on <= :to AND m.voided_on IS NULL
          ORDER BY p.id, m.id, e.effective_on, e.seq"
        .replace("{campaign}", campaign_clause(q));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(named_params! { ":campaign": q.campaign_id, ":to": to })?;
    // Walk each measure's transitions; an open interval adds 1 to every day in it.
    let mut current: Option<(i64, Option<NaiveDate>)> = None;
    let mut close_interval = |open_since: Option<NaiveDate>, until: Option<NaiveDate>| {
        if let Some(start) = open_since {
            delta[index(start)] += 1;
            if let Some(end) = until {
                delta[index(end)] -= 1;
            } else {
                delta[days] -= 1;
            }
        }
    };
    while let Some(row) = rows.next()? {
        let (id, action, on): (i64, String, NaiveDate) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let open_since = match current {
            Some((cur, since)) if cur == id => since,
            Some((_, since)) => {
                close_interval(since, None);
                None
            }
            None => None,
        };
        let is_open = matches!(action.as_str(), "add" | "reopen");
        let next = match (open_since, is_open) {
            (Some(since), true) => Some(since),
            (Some(since), false) => {
                close_interval(Some(since), Some(on));
                None
            }
            (None, true) => Some(on),
            (None, false) => None,
        };
        current = Some((id, next));
    }
    if let Some((_, since)) = current {
        close_interval(since, None);
    }
    let mut running = 0;
    Ok(delta[..days]
        .iter()
        .map(|d| {
            running += d;
            running
        })
        .collect())
}
