//! The report figures, computed "as of" a date from the event history.
//!
//! A measure's state at D is the last of its add/close/ongoing/reopen events
//! that took effect on or before D; its deadline at D is the last extension
//! in force at D, else the original. Current columns are never consulted
//! for state, so a report as of a past date is the same on every re-run.
//! The aggregation is one GROUP BY in SQL.

use chrono::NaiveDate;
use rusqlite::{named_params, Connection};
use serde::Serialize;

use crate::error::Result;
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

/// Per measure: its state, when that state took effect, and its deadline,
/// all as of :d.
const MEASURE_STATE: &str = "
WITH s AS MATERIALIZED (
  SELECT m.id, m.problem_id, m.raised_on, m.due_original, {group} AS grp, {acceptance}
         -- A measure whose history was settled by :d stands as its columns
         -- say (settled_on, schema.sql); only the others are looked up.
         -- (An ongoing mark's date is not a column: those are looked up.)
         CASE WHEN m.settled_on <= :d AND m.status <> 'ongoing'
              THEN CASE m.status WHEN 'closed' THEN 'close|' || m.closed_on ELSE 'open|' END
         ELSE
         (SELECT e.action || '|' || e.effective_on FROM event e
           WHERE e.kind = 'measure' AND e.item_id = m.id
             AND e.action IN ('add', 'close', 'ongoing', 'reopen')
             AND e.effective_on <= :d
           ORDER BY e.effective_on DESC, e.seq DESC LIMIT 1) END AS last_state,
         -- An extension always moves the deadline later, so a measure whose
         -- deadline is still its original was never extended (verify holds
         -- the columns to the history): skip its lookups. Settled by :d,
         -- its deadline then is the one it has now.
         CASE WHEN m.due_current IS m.due_original THEN NULL
              WHEN m.settled_on <= :d THEN m.due_current ELSE
         (SELECT json_extract(e.payload, '$.after.due_current') FROM event e
           WHERE e.kind = 'measure' AND e.item_id = m.id AND e.action = 'extend'
             AND e.effective_on <= :d
           ORDER BY e.effective_on DESC, e.seq DESC LIMIT 1) END AS due_extended,
         CASE WHEN m.due_current IS m.due_original THEN 0 ELSE
         (SELECT count(*) FROM event e
           WHERE e.kind = 'measure' AND e.item_id = m.id AND e.action = 'extend'
             AND e.effective_on BETWEEN :from AND :to) END AS extensions_in_window
    FROM measure m JOIN problem p ON p.id = m.problem_id
   WHERE m.raised_on <= :d AND {campaign} AND m.voided_on IS NULL
), t AS (
  SELECT id, problem_id, grp, raised_on, due_original, due_extended, extensions_in_window,
         acc, COALESCE(accepted, 0) AS accepted,
         CASE substr(last_state, 1, instr(last_state, '|') - 1)
              WHEN 'close' THEN 'closed' WHEN 'ongoing' THEN 'ongoing' ELSE 'open' END AS st,
         substr(last_state, instr(last_state, '|') + 1) AS st_on,
         -- A corrected original deadline (edit) later than an extension
         -- granted before the correction is the one in force.
         CASE WHEN due_original IS NULL OR due_extended > due_original
              THEN COALESCE(due_extended, due_original) ELSE due_original END AS due_at,
         CAST(julianday(:d) - julianday(raised_on) AS INTEGER) AS age
    FROM s
)";

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

/// Per measure, whether its campaign asks for acceptance (`acc`) and
/// whether it was accepted by :d (`accepted`): the acceptance is the last
/// of its state changes by then (a reopen clears it); settled by :d, the
/// columns say.
const ACCEPTANCE_STATE: &str = "
         {asks} AS acc,
         CASE WHEN m.settled_on <= :d THEN m.accepted_on IS NOT NULL
              WHEN m.accepted_on IS NULL AND NOT EXISTS (SELECT 1 FROM event e
                   WHERE e.kind = 'measure' AND e.item_id = m.id AND e.action = 'accept')
              THEN 0 ELSE
         (SELECT e.action FROM event e
           WHERE e.kind = 'measure' AND e.item_id = m.id
             AND e.action IN ('add', 'close', 'ongoing', 'reopen', 'accept')
             AND e.effective_on <= :d
           ORDER BY e.effective_on DESC, e.seq DESC LIMIT 1) = 'accept' END AS accepted,";

fn measure_state(group: &str, q: &Query) -> String {
    let acceptance = if q.acceptance {
        ACCEPTANCE_STATE.replace("{asks}", &rules::asks_acceptance_sql("p.campaign_id"))
    } else {
        "0 AS acc, 0 AS accepted,".to_string()
    };
    MEASURE_STATE
        .replace("{group}", group)
        .replace("{acceptance}", &acceptance)
        .replace("{campaign}", campaign_clause(q))
}

/// Every covered measure's state as of the query's date, computed once
/// into a temp table that the aggregates and the overdue list then read:
/// the history lookups are the expensive part, so they run once a report.
pub struct States<'c> {
    conn: &'c Connection,
    q: Query,
}

impl<'c> States<'c> {
    pub fn compute(conn: &'c Connection, q: &Query, group: GroupBy) -> Result<States<'c>> {
        // The temp database has its own page cache, 2 MiB by default: a
        // whole-ledger report's state table spilled to a temp file and was
        // read back by the GROUP BY. It gets what the main database gets.
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.as_of_state; PRAGMA temp.cache_size = -32768;",
        )?;
        let sql = format!(
            "CREATE TEMP TABLE as_of_state AS {} SELECT * FROM t",
            measure_state(group.column(), q)
        );
        conn.execute(
            &sql,
            named_params! {
                ":d": q.as_of, ":from": q.window.0, ":to": q.window.1, ":campaign": q.campaign_id,
            },
        )?;
        Ok(States { conn, q: q.clone() })
    }

    pub fn groups(&self) -> Result<Vec<(String, Counts)>> {
        group_counts(self.conn, &self.q)
    }

    pub fn overdue(&self) -> Result<Vec<OverdueMeasure>> {
        overdue_rows(self.conn, &self.q)
    }

    /// Problems open as of the date whose measures were all settled by
    /// then (done and, where asked for, accepted; or ongoing): 已整改完成
    /// 尚未销号.
    pub fn awaiting_close_out(&self) -> Result<i64> {
        let sql = format!(
            "SELECT count(*) FROM (
               SELECT problem_id FROM temp.as_of_state
                GROUP BY problem_id HAVING sum(st = 'open' OR {}) = 0) s
              WHERE COALESCE((SELECT e.action FROM event e
                  WHERE e.kind = 'problem' AND e.item_id = s.problem_id
                    AND e.action IN ('add', 'close', 'reopen') AND e.effective_on <= :d
                  ORDER BY e.effective_on DESC, e.seq DESC LIMIT 1), 'add') <> 'close'",
            awaiting_sql()
        );
        Ok(self
            .conn
            .query_row(&sql, named_params! { ":d": self.q.as_of }, |r| r.get(0))?)
    }
}

/// Done by the date and not accepted, where the campaign asks for it.
fn awaiting_sql() -> String {
    rules::awaits_acceptance_sql("st", "acc", "CASE WHEN accepted THEN 1 END")
}

/// Items voided (作废) in the query's scope: problems, measures.
pub fn voided(conn: &Connection, q: &Query) -> Result<(i64, i64)> {
    let sql = "SELECT
         (SELECT count(*) FROM problem p WHERE p.voided_on IS NOT NULL AND {campaign}),
         (SELECT count(*) FROM measure m JOIN problem p ON p.id = m.problem_id
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
    // `+e.kind` keeps SQLite off the index of all of an item's events.
    let sql = "SELECT count(DISTINCT m.id) FROM event e
           JOIN measure m ON m.id = e.item_id JOIN problem p ON p.id = m.problem_id
          WHERE e.action = 'edit' AND +e.kind = 'measure'
            AND json_extract(e.payload, '$.after.due_original') IS NOT NULL
            AND m.voided_on IS NULL AND {campaign}"
        .replace("{campaign}", campaign_clause(q));
    Ok(
        conn.query_row(&sql, named_params! { ":campaign": q.campaign_id }, |r| {
            r.get(0)
        })?,
    )
}

impl Drop for States<'_> {
    fn drop(&mut self) {
        // A temp table dies with the connection anyway; this frees it sooner.
        let _ = self
            .conn
            .execute_batch("DROP TABLE IF EXISTS temp.as_of_state");
    }
}

pub fn measure_groups(
    conn: &Connection,
    q: &Query,
    group: GroupBy,
) -> Result<Vec<(String, Counts)>> {
    States::compute(conn, q, group)?.groups()
}

fn group_counts(conn: &Connection, q: &Query) -> Result<Vec<(String, Counts)>> {
    let on_time = rules::on_time_sql("st_on", "due_original");
    let late = rules::late_sql("st_on", "due_original");
    let overdue = rules::overdue_sql("st", "due_at", ":d");
    let due_soon = rules::due_soon_sql("st", "due_at", ":d", ":soon");
    let awaiting = awaiting_sql();
    let sql = format!(
        "SELECT grp, count(*),
            sum(st = 'closed'),
            sum(st = 'closed' AND {on_time}),
            sum(st = 'closed' AND {late}),
            sum(st = 'ongoing'),
            sum(st = 'open'),
            sum({overdue}),
            sum({due_soon}),
            sum(due_extended IS NOT NULL),
            sum(st = 'open' AND age <= 30),
            sum(st = 'open' AND age BETWEEN 31 AND 60),
            sum(st = 'open' AND age BETWEEN 61 AND 90),
            sum(st = 'open' AND age > 90),
            sum(raised_on BETWEEN :from AND :to),
            sum(st = 'closed' AND st_on BETWEEN :from AND :to),
            sum(st = 'closed' AND st_on BETWEEN :from AND :to AND {on_time}),
            sum(extensions_in_window),
            sum(st = 'closed' AND accepted),
            sum({awaiting})
          FROM temp.as_of_state GROUP BY grp ORDER BY grp"
    );
    let soon = rules::due_soon_horizon(q.as_of, q.due_soon_days);
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(
            named_params! {
                ":d": q.as_of, ":soon": soon, ":from": q.window.0, ":to": q.window.1,
            },
            |r| {
                let n = |i| r.get::<_, Option<i64>>(i).map(Option::unwrap_or_default);
                Ok((
                    r.get::<_, String>(0)?,
                    Counts {
                        total: n(1)?,
                        closed: n(2)?,
                        on_time: n(3)?,
                        late: n(4)?,
                        ongoing: n(5)?,
                        open: n(6)?,
                        overdue: n(7)?,
                        due_soon: n(8)?,
                        extended: n(9)?,
                        ageing: [n(10)?, n(11)?, n(12)?, n(13)?],
                        raised_in_window: n(14)?,
                        closed_in_window: n(15)?,
                        on_time_in_window: n(16)?,
                        extensions_in_window: n(17)?,
                        accepted: n(18)?,
                        awaiting_acceptance: n(19)?,
                        voided: 0,
                    },
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
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
    pub due: NaiveDate,
    pub days_overdue: i64,
}

fn overdue_rows(conn: &Connection, q: &Query) -> Result<Vec<OverdueMeasure>> {
    // The state table holds only what the figures count; the few overdue
    // rows fetch their words from the measure itself.
    let sql = format!(
        "SELECT s.id, m.title, m.owner, m.department, s.due_at,
                CAST(julianday(:d) - julianday(s.due_at) AS INTEGER)
           FROM temp.as_of_state s JOIN measure m ON m.id = s.id
          WHERE {} ORDER BY s.due_at, s.id",
        rules::overdue_sql("s.st", "s.due_at", ":d")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(named_params! { ":d": q.as_of }, |r| {
            Ok(OverdueMeasure {
                id: format!("M{}", r.get::<_, i64>(0)?),
                title: r.get(1)?,
                owner: r.get(2)?,
                department: r.get(3)?,
                due: r.get(4)?,
                days_overdue: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
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
    let sql = "
      WITH s AS MATERIALIZED (
        SELECT p.scope, p.raised_on,
               -- A problem never reopened stands at :d as its columns say:
               -- closed from its closed_on, open before. Only the few that
               -- were reopened are looked up (`+r.kind` keeps SQLite on the
               -- small index of reopens).
               CASE WHEN NOT EXISTS (SELECT 1 FROM event r
                     WHERE r.action = 'reopen' AND +r.kind = 'problem' AND r.item_id = p.id)
               THEN CASE WHEN p.status = 'closed' AND p.closed_on <= :d
                         THEN 'close|' || p.closed_on ELSE 'add|' || p.raised_on END
               ELSE
               (SELECT e.action || '|' || e.effective_on FROM event e
                 WHERE e.kind = 'problem' AND e.item_id = p.id
                   AND e.action IN ('add', 'close', 'reopen') AND e.effective_on <= :d
                 ORDER BY e.effective_on DESC, e.seq DESC LIMIT 1) END AS last_state
          FROM problem p
         WHERE p.raised_on <= :d AND {campaign} AND p.voided_on IS NULL
      ), t AS (
        SELECT scope, raised_on,
               substr(last_state, 1, instr(last_state, '|') - 1) AS last_action,
               substr(last_state, instr(last_state, '|') + 1) AS last_on
          FROM s
      )
      SELECT count(*), sum(last_action = 'close'),
             sum(scope = 'group'), sum(scope = 'individual'), sum(scope IS NULL),
             sum(raised_on BETWEEN :from AND :to),
             sum(last_action = 'close' AND last_on BETWEEN :from AND :to)
        FROM t";
    let sql = sql.replace("{campaign}", campaign_clause(q));
    let counts = conn.query_row(
        &sql,
        named_params! {
            ":d": q.as_of, ":campaign": q.campaign_id, ":from": q.window.0, ":to": q.window.1,
        },
        |r| {
            let n = |i| r.get::<_, Option<i64>>(i).map(Option::unwrap_or_default);
            let total = n(0)?;
            let closed = n(1)?;
            Ok(ProblemCounts {
                total,
                closed,
                open: total - closed,
                by_scope: ScopeCounts {
                    group: n(2)?,
                    individual: n(3)?,
                    unscoped: n(4)?,
                },
                awaiting_close_out: 0,
                voided: 0,
                raised_in_window: n(5)?,
                closed_in_window: n(6)?,
            })
        },
    )?;
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
