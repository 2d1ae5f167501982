//! Reading the ledger. Everything here works on a plain connection, so a
//! write transaction can ask the same questions as a read-only command.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::model::{Campaign, Event, Item, ItemId, ItemRef, Kind, Scope, Status, StatusFilter};
use super::ops::MAX_CAMPAIGN_DAYS;
use super::rules;
use crate::error::{Corrupt, Error, Missing, Result};

pub const EVENT_COLUMNS: &str =
    "seq, recorded_at, actor, item, action, effective_on, payload, prev_hash, hash";

/// The fields of an `Item`, in the order every item SELECT lists them.
/// This one list drives the SELECT lists (`select`) and the row reads
/// (`item_from_row_at`), so the two cannot drift apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Kind,
    Id,
    Uuid,
    Problem,
    Campaign,
    Title,
    Scope,
    Source,
    Subject,
    Cause,
    Leader,
    Department,
    Owner,
    RaisedOn,
    DueOriginal,
    DueCurrent,
    Status,
    ClosedOn,
    CloseNote,
    Evidence,
    Progress,
    RecordedAt,
    Extra,
    VoidedOn,
    AcceptedOn,
    AcceptedBy,
    Acceptance,
    HasMeasures,
}

const FIELDS: [Field; 28] = [
    Field::Kind,
    Field::Id,
    Field::Uuid,
    Field::Problem,
    Field::Campaign,
    Field::Title,
    Field::Scope,
    Field::Source,
    Field::Subject,
    Field::Cause,
    Field::Leader,
    Field::Department,
    Field::Owner,
    Field::RaisedOn,
    Field::DueOriginal,
    Field::DueCurrent,
    Field::Status,
    Field::ClosedOn,
    Field::CloseNote,
    Field::Evidence,
    Field::Progress,
    Field::RecordedAt,
    Field::Extra,
    Field::VoidedOn,
    Field::AcceptedOn,
    Field::AcceptedBy,
    Field::Acceptance,
    Field::HasMeasures,
];

impl Field {
    /// The SQL that reads this field for an item of `kind`, with the
    /// problem as `p`, the measure as `m` and the campaign as `c`.
    /// `joined`: the query joins the campaign as `c`, whose own column is
    /// then read; a listing, which does not, probes the campaigns that ask
    /// for acceptance.
    fn expr(self, kind: Kind, joined: bool) -> String {
        let own = match kind {
            Kind::Problem => "p",
            Kind::Measure => "m",
        };
        match self {
            Field::Kind => format!("'{}'", kind.table()),
            Field::Problem if kind == Kind::Problem => "NULL".into(),
            Field::HasMeasures if kind == Kind::Problem => rules::has_measures_sql("p.id"),
            Field::HasMeasures => "0".into(),
            Field::AcceptedOn if kind == Kind::Problem => "NULL".into(),
            Field::AcceptedBy if kind == Kind::Problem => "''".into(),
            Field::Acceptance if joined => "COALESCE(c.acceptance, 0)".into(),
            Field::Acceptance => rules::asks_acceptance_sql("p.campaign_id"),
            Field::Problem => "m.problem_id".into(),
            Field::Campaign => "c.code".into(),
            // What the problem is (its scope, source, subject and cause)
            // is its measures' too.
            Field::Scope | Field::Source | Field::Subject | Field::Cause => {
                format!("p.{}", self.column())
            }
            _ => format!("{own}.{}", self.column()),
        }
    }

    fn column(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Id => "id",
            Field::Uuid => "uuid",
            Field::Problem => "problem_id",
            Field::Campaign => "code",
            Field::Title => "title",
            Field::Scope => "scope",
            Field::Source => "source",
            Field::Subject => "subject",
            Field::Cause => "cause",
            Field::Leader => "leader",
            Field::Department => "department",
            Field::Owner => "owner",
            Field::RaisedOn => "raised_on",
            Field::DueOriginal => "due_original",
            Field::DueCurrent => "due_current",
            Field::Status => "status",
            Field::ClosedOn => "closed_on",
            Field::CloseNote => "close_note",
            Field::Evidence => "evidence",
            Field::Progress => "progress",
            Field::RecordedAt => "recorded_at",
            Field::Extra => "extra",
            Field::VoidedOn => "voided_on",
            Field::AcceptedOn => "accepted_on",
            Field::AcceptedBy => "accepted_by",
            Field::Acceptance => "acceptance",
            Field::HasMeasures => "has_measures",
        }
    }

    /// Whether a listing (`list`, `check`) reads it; the rest come back
    /// blank there.
    fn in_listing(self) -> bool {
        matches!(
            self,
            Field::Kind
                | Field::Id
                | Field::Problem
                | Field::Title
                | Field::Department
                | Field::Owner
                | Field::RaisedOn
                | Field::DueCurrent
                | Field::Status
                | Field::VoidedOn
                | Field::AcceptedOn
                | Field::Acceptance
                | Field::HasMeasures
        )
    }

    /// Fields a lean listing leaves out: whether an item was voided (none
    /// listed was, unless voided ones are asked for) and its acceptance
    /// (where no campaign asks for any).
    fn only_if_in_play(self) -> bool {
        matches!(
            self,
            Field::VoidedOn | Field::AcceptedOn | Field::Acceptance
        )
    }

    /// A listing's stand-in for a field it does not read.
    fn blank(self) -> &'static str {
        match self {
            Field::Campaign
            | Field::Scope
            | Field::DueOriginal
            | Field::ClosedOn
            | Field::VoidedOn
            | Field::AcceptedOn => "NULL",
            Field::Acceptance => "0",
            _ => "''",
        }
    }

    fn at(self, base: usize) -> usize {
        base + self as usize
    }
}

/// The SELECT list and FROM clause for items of `kind`.
fn select(kind: Kind, detail: Detail) -> String {
    let list: Vec<String> = FIELDS
        .iter()
        .map(|f| match detail {
            Detail::Listing if !f.in_listing() => f.blank().to_string(),
            Detail::Lean if !f.in_listing() || f.only_if_in_play() => f.blank().to_string(),
            _ => f.expr(kind, detail == Detail::Full),
        })
        .collect();
    let from = match (kind, detail) {
        (Kind::Problem, Detail::Full) => {
            "FROM problem p LEFT JOIN campaign c ON c.id = p.campaign_id"
        }
        (Kind::Problem, Detail::Listing | Detail::Lean) => "FROM problem p",
        (Kind::Measure, Detail::Full) => {
            "FROM problem p JOIN measure m ON m.problem_id = p.id
  LEFT JOIN campaign c ON c.id = p.campaign_id"
        }
        (Kind::Measure, Detail::Listing | Detail::Lean) => {
            "FROM problem p JOIN measure m ON m.problem_id = p.id"
        }
    };
    format!("SELECT {}\n  {from}", list.join(", "))
}

/// The six item SELECTs, each built once when first asked for: a one-row
/// command needs one of them, and building all six was a twentieth of it.
fn item_select(kind: Kind, detail: Detail) -> &'static str {
    static BUILT: [std::sync::OnceLock<String>; 6] = [const { std::sync::OnceLock::new() }; 6];
    let slot = match (kind, detail) {
        (Kind::Problem, Detail::Full) => 0,
        (Kind::Measure, Detail::Full) => 1,
        (Kind::Problem, Detail::Listing) => 2,
        (Kind::Measure, Detail::Listing) => 3,
        (Kind::Problem, Detail::Lean) => 4,
        (Kind::Measure, Detail::Lean) => 5,
    };
    BUILT[slot].get_or_init(|| select(kind, detail))
}

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<Item> {
    item_from_row_at(row, 0)
}

/// An item from the row's columns from `base` on, in `FIELDS` order.
fn item_from_row_at(row: &Row<'_>, base: usize) -> rusqlite::Result<Item> {
    let at = |f: Field| f.at(base);
    let kind = match row.get_ref(at(Field::Kind))?.as_str()? {
        "problem" => Kind::Problem,
        _ => Kind::Measure,
    };
    let n: i64 = row.get(at(Field::Id))?;
    Ok(Item {
        id: ItemId { kind, n },
        kind,
        uuid: row.get(at(Field::Uuid))?,
        problem: row
            .get::<_, Option<i64>>(at(Field::Problem))?
            .map(ItemId::problem),
        campaign: row.get(at(Field::Campaign))?,
        title: row.get(at(Field::Title))?,
        scope: row.get::<_, Option<Scope>>(at(Field::Scope))?,
        source: row.get(at(Field::Source))?,
        subject: row.get(at(Field::Subject))?,
        cause: row.get(at(Field::Cause))?,
        leader: row.get(at(Field::Leader))?,
        department: row.get(at(Field::Department))?,
        owner: row.get(at(Field::Owner))?,
        raised_on: day_at(row, at(Field::RaisedOn))?.ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(
                at(Field::RaisedOn),
                Field::RaisedOn.column().into(),
                rusqlite::types::Type::Null,
            )
        })?,
        due_original: day_at(row, at(Field::DueOriginal))?,
        due_current: day_at(row, at(Field::DueCurrent))?,
        status: row.get::<_, Status>(at(Field::Status))?,
        closed_on: day_at(row, at(Field::ClosedOn))?,
        close_note: row.get(at(Field::CloseNote))?,
        evidence: row.get(at(Field::Evidence))?,
        progress: row.get(at(Field::Progress))?,
        recorded_at: row.get(at(Field::RecordedAt))?,
        extra: row.get(at(Field::Extra))?,
        voided_on: day_at(row, at(Field::VoidedOn))?,
        accepted_on: day_at(row, at(Field::AcceptedOn))?,
        accepted_by: row.get(at(Field::AcceptedBy))?,
        acceptance: row.get(at(Field::Acceptance))?,
        has_measures: row.get(at(Field::HasMeasures))?,
    })
}

/// A stored date. The ledger writes them as `YYYY-MM-DD`, read here
/// directly: chrono's general parser was a tenth of `list`'s time.
/// Anything else goes through rusqlite's own conversion and its errors.
fn day_at(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    if let rusqlite::types::ValueRef::Text(b) = row.get_ref(i)? {
        let digits = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
                if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                    return Ok(Some(date));
                }
            }
        }
    }
    row.get(i)
}

fn campaign_from_row(row: &Row<'_>) -> rusqlite::Result<Campaign> {
    let start: NaiveDate = row.get(3)?;
    let stored: i64 = row.get(4)?;
    // Only a hand-edited ledger holds a length `campaign new` refuses; its
    // reports would walk millions of days, or past the calendar's end.
    let out_of_range = || {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Integer,
            Box::new(Corrupt::CampaignDays {
                stored,
                max: MAX_CAMPAIGN_DAYS,
            }),
        )
    };
    let days = u32::try_from(stored)
        .ok()
        .filter(|d| (1..=MAX_CAMPAIGN_DAYS).contains(d))
        .ok_or_else(out_of_range)?;
    Ok(Campaign {
        code: row.get(0)?,
        name: row.get(1)?,
        source: row.get(2)?,
        start,
        end: Campaign::end_for(start, days).ok_or_else(out_of_range)?,
        days,
        recorded_at: row.get(5)?,
        acceptance: row.get(6)?,
    })
}

pub(crate) fn event_from_row(row: &Row<'_>) -> rusqlite::Result<Event> {
    let payload: String = row.get(6)?;
    Ok(Event {
        seq: row.get(0)?,
        recorded_at: row.get(1)?,
        actor: row.get(2)?,
        item: row.get(3)?,
        action: row.get(4)?,
        effective_on: row.get(5)?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::String(payload)),
        prev_hash: row.get(7)?,
        hash: row.get(8)?,
    })
}

/// The filters shared by `list`, `check` and `export`.
#[derive(Clone, Debug, Default)]
pub struct ItemFilter {
    pub campaign: Option<String>,
    pub kind: Option<Kind>,
    pub status: Option<StatusFilter>,
    pub owner: Option<String>,
    pub department: Option<String>,
    pub scope: Option<Scope>,
    pub source: Option<String>,
    pub due_before: Option<NaiveDate>,
    /// The horizon of `due-soon`, in days.
    pub within: u32,
    pub problem: Option<ItemId>,
}

impl ItemFilter {
    /// WHERE clauses and their values; `col` maps a logical column (owner,
    /// status, …) to the SQL expression that holds it in the caller's query.
    fn clauses(&self, today: NaiveDate, col: impl Fn(&str) -> String) -> (Vec<String>, Vec<Value>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        // A voided item is left out unless asked for; "voided_on" may
        // also be mapped to nothing, where only the size of a match counts.
        let voided_on = col("voided_on");
        if !voided_on.is_empty() {
            clauses.push(match self.status {
                Some(StatusFilter::Void) => format!("{voided_on} IS NOT NULL"),
                _ => rules::live_sql(&voided_on),
            });
        }
        let mut text = |clause: String, value: String| {
            clauses.push(clause);
            values.push(Value::Text(value));
        };
        if let Some(code) = &self.campaign {
            text("c.code = ? COLLATE NOCASE".into(), code.clone());
        }
        if let Some(kind) = self.kind {
            text(format!("{} = ?", col("kind")), kind.table().to_string());
        }
        if let Some(owner) = &self.owner {
            text(format!("{} = ?", col("owner")), owner.clone());
        }
        if let Some(dept) = &self.department {
            text(format!("{} = ?", col("department")), dept.clone());
        }
        if let Some(scope) = self.scope {
            text(format!("{} = ?", col("scope")), scope.as_str().to_string());
        }
        if let Some(source) = &self.source {
            text(format!("{} = ?", col("source")), source.clone());
        }
        if let Some(before) = self.due_before {
            text(format!("{} < ?", col("due_current")), before.to_string());
        }
        let (status, due) = (col("status"), col("due_current"));
        match self.status {
            None | Some(StatusFilter::Void) => {}
            Some(StatusFilter::AwaitingAcceptance) => clauses.push(rules::awaits_acceptance_sql(
                &status,
                &col("acceptance"),
                &col("accepted_on"),
            )),
            Some(StatusFilter::Is(s)) => text(format!("{status} = ?"), s.as_str().to_string()),
            Some(StatusFilter::Overdue) => {
                text(rules::overdue_sql(&status, &due, "?"), today.to_string())
            }
            Some(StatusFilter::DueSoon) => {
                let horizon = rules::due_soon_horizon(today, self.within);
                clauses.push(rules::due_soon_sql(&status, &due, "?", "?"));
                values.push(Value::Text(today.to_string()));
                values.push(Value::Text(horizon.to_string()));
            }
        }
        if let Some(problem) = self.problem {
            clauses.push(format!(
                "({} = ? AND {} = 'measure')",
                col("problem_id"),
                col("kind")
            ));
            values.push(Value::Integer(problem.n));
        }
        (clauses, values)
    }

    /// One side of the item stream: the problems or the measures that
    /// match, in id order. With `scan`, the status and deadline tests are
    /// kept away from their index (`+col`), so SQLite walks the rows in
    /// order instead of looking up a third of the ledger at random and
    /// sorting it.
    fn side_sql(
        &self,
        kind: Kind,
        today: NaiveDate,
        scan: bool,
        detail: Detail,
    ) -> (String, Vec<Value>) {
        let index_off = if scan { "+" } else { "" };
        let t = match kind {
            Kind::Problem => "p",
            Kind::Measure => "m",
        };
        let (mut clauses, values) = self.clauses(today, |c| match (kind, c) {
            (Kind::Problem, "kind") => "'problem'".into(),
            (Kind::Problem, "problem_id" | "accepted_on") => "NULL".into(),
            (Kind::Problem, "acceptance") => "0".into(),
            (Kind::Measure, "acceptance") => Field::Acceptance.expr(kind, false),
            (Kind::Measure, "kind") => "'measure'".into(),
            (Kind::Measure, "scope" | "source" | "subject" | "cause") => format!("p.{c}"),
            (_, "status" | "due_current") => format!("{index_off}{t}.{c}"),
            (_, c) => format!("{t}.{c}"),
        });
        let judged_by_deadline = matches!(
            self.status,
            Some(StatusFilter::Overdue | StatusFilter::DueSoon)
        );
        if judged_by_deadline && kind == Kind::Problem {
            clauses.push(rules::judged_itself_sql("p.id"));
        }
        let mut sql = item_select(kind, detail).to_string();
        if detail != Detail::Full && self.campaign.is_some() {
            sql.push_str(" JOIN campaign c ON c.id = p.campaign_id");
        }
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(match kind {
            Kind::Problem => " ORDER BY p.id",
            Kind::Measure => " ORDER BY m.problem_id, m.id",
        });
        (sql, values)
    }

    /// Whether the status filter matches so much of the ledger (an eighth
    /// or more of the measures) that reading in order beats the index.
    /// Counted on the index, and only up to that eighth.
    fn matches_much(&self, conn: &Connection, today: NaiveDate) -> Result<bool> {
        if !matches!(
            self.status,
            Some(StatusFilter::Is(_) | StatusFilter::Overdue | StatusFilter::DueSoon)
        ) {
            return Ok(false);
        }
        let status_only = ItemFilter {
            status: self.status,
            within: self.within,
            ..ItemFilter::default()
        };
        // The few voided items are left in, so the count stays in the
        // status index.
        let (clauses, mut values) = status_only.clauses(today, |c| match c {
            "voided_on" => String::new(),
            c => c.to_string(),
        });
        let total: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM measure", [], |r| r.get(0))?;
        let eighth = total / 8;
        values.push(Value::Integer(eighth));
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM measure WHERE {} LIMIT ?)",
            clauses.join(" AND ")
        );
        let found: i64 = conn.query_row(&sql, params_from_iter(values), |r| r.get(0))?;
        Ok(eighth > 0 && found >= eighth)
    }
}

/// How much of each item to read. A listing (the `list` and `check`
/// tables) needs the id, status, deadline, owner, department and title;
/// the other fields come back empty, and the campaign is not joined unless
/// it filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Full,
    Listing,
    /// A listing that leaves out what is not in play (chosen by the store
    /// itself): voiding, where only live items are listed, and acceptance,
    /// where no campaign asks for it. Reading them cost `list` a sixth.
    Lean,
}

/// Whether the campaign whose key is `campaign_id`, or with None any
/// campaign, asks for acceptance. Where none does, reads leave acceptance
/// out and cost what they did before it existed.
pub fn asks_acceptance(conn: &Connection, campaign_id: Option<i64>) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM campaign
                 WHERE acceptance = 1 AND (?1 IS NULL OR id = ?1))",
        )?
        .query_row([campaign_id], |r| r.get(0))?)
}

/// One spreadsheet row: a measure with its problem, or a problem that has
/// no measures (yet).
#[derive(Clone)]
pub struct SheetRow {
    pub problem: Item,
    pub measure: Option<Item>,
}

/// The problem's id, then its measure (or NULLs). The problem's own
/// columns come from a second cursor walking the problems in step, so they
/// are read once per problem, not once per measure.
fn sheet_select() -> String {
    let measure: Vec<String> = FIELDS.iter().map(|f| f.expr(Kind::Measure, true)).collect();
    format!(
        "SELECT p.id, {}
  FROM problem p
  LEFT JOIN measure m ON m.problem_id = p.id AND {}
  LEFT JOIN campaign c ON c.id = p.campaign_id",
        measure.join(", "),
        rules::live_sql("m.voided_on")
    )
}

/// Stream export rows in ledger order. Filters look at the measure's
/// fields where there is a measure, else the problem's. A problem's
/// columns are read once, not again for each of its measures.
pub fn each_sheet_row(
    conn: &Connection,
    filter: &ItemFilter,
    today: NaiveDate,
    mut visit: impl FnMut(&SheetRow) -> Result<()>,
) -> Result<()> {
    let (clauses, values) = filter.clauses(today, |c| match c {
        "scope" | "source" | "voided_on" => format!("p.{c}"),
        "kind" => "'measure'".into(),
        "problem_id" => "m.problem_id".into(),
        "acceptance" => Field::Acceptance.expr(Kind::Measure, true),
        "accepted_on" => "m.accepted_on".into(),
        _ => format!("COALESCE(m.{c}, p.{c})"),
    });
    let mut sql = sheet_select();
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(" ORDER BY p.id, m.id");
    let _snapshot = one_snapshot(conn)?;
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let problems_sql = item_select(Kind::Problem, Detail::Full);
    let mut problem_stmt = conn.prepare(&format!("{problems_sql} ORDER BY p.id"))?;
    let mut problems = problem_stmt.query([])?;
    let mut current: Option<SheetRow> = None;
    while let Some(row) = rows.next()? {
        let problem_id: i64 = row.get(0)?;
        let measure = match row.get::<_, Option<i64>>(Field::Id.at(1))? {
            Some(_) => Some(item_from_row_at(row, 1)?),
            None => None,
        };
        match &mut current {
            Some(sheet) if sheet.problem.id.n == problem_id => sheet.measure = measure,
            _ => {
                // Both cursors go up by problem id; skip to this one.
                let problem = loop {
                    let Some(p) = problems.next()? else {
                        return Err(Error::not_found(format!("P{problem_id}")));
                    };
                    if p.get::<_, i64>(Field::Id.at(0))? == problem_id {
                        break item_from_row(p)?;
                    }
                };
                current = Some(SheetRow { problem, measure })
            }
        }
        visit(current.as_ref().expect("set above"))?;
    }
    Ok(())
}

/// Two cursors that are merged must see the same ledger: outside a
/// transaction each would take its own snapshot when first stepped, and a
/// clerk's write in between could show a measure without its problem.
/// Inside a write transaction there is one snapshot already.
fn one_snapshot(conn: &Connection) -> Result<Option<rusqlite::Transaction<'_>>> {
    Ok(if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    })
}

/// Stream the matching items without holding them all in memory: each
/// problem, then its measures, in the order they were recorded. Problems
/// and measures are two ordered queries merged here, which spares SQLite
/// sorting a large result in a temporary b-tree.
pub fn each_item(
    conn: &Connection,
    filter: &ItemFilter,
    today: NaiveDate,
    detail: Detail,
    mut visit: impl FnMut(Item) -> Result<()>,
) -> Result<()> {
    let _snapshot = one_snapshot(conn)?;
    let scan = filter.matches_much(conn, today)?;
    let lean = detail == Detail::Listing
        && filter.status != Some(StatusFilter::Void)
        && !asks_acceptance(conn, None)?;
    let detail = if lean { Detail::Lean } else { detail };
    let wanted = |kind: Kind| {
        !matches!(filter.kind, Some(k) if k != kind)
            && (kind == Kind::Measure || filter.problem.is_none())
    };
    let (problem_sql, problem_values) = filter.side_sql(Kind::Problem, today, scan, detail);
    let (measure_sql, measure_values) = filter.side_sql(Kind::Measure, today, scan, detail);
    let mut problem_stmt = conn.prepare(&problem_sql)?;
    let mut measure_stmt = conn.prepare(&measure_sql)?;
    let mut problems = problem_stmt.query(params_from_iter(problem_values))?;
    let mut measures = measure_stmt.query(params_from_iter(measure_values))?;
    let next = |rows: &mut rusqlite::Rows<'_>, kind: Kind| -> Result<Option<Item>> {
        if !wanted(kind) {
            return Ok(None);
        }
        Ok(match rows.next()? {
            Some(row) => Some(item_from_row(row)?),
            None => None,
        })
    };
    let mut problem = next(&mut problems, Kind::Problem)?;
    let mut measure = next(&mut measures, Kind::Measure)?;
    loop {
        let problem_first = match (&problem, &measure) {
            (None, None) => return Ok(()),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(p), Some(m)) => m.problem.is_some_and(|of| p.id.n <= of.n),
        };
        if problem_first {
            visit(problem.take().expect("matched above"))?;
            problem = next(&mut problems, Kind::Problem)?;
        } else {
            visit(measure.take().expect("matched above"))?;
            measure = next(&mut measures, Kind::Measure)?;
        }
    }
}

pub fn items(conn: &Connection, filter: &ItemFilter, today: NaiveDate) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    each_item(conn, filter, today, Detail::Full, |item| {
        out.push(item);
        Ok(())
    })?;
    Ok(out)
}

pub fn item(conn: &Connection, id: ItemId) -> Result<Item> {
    // Straight from the item's own table: through the union view, every
    // write (an import makes several per row) paid for both arms.
    let sql = match id.kind {
        Kind::Problem => format!("{} WHERE p.id = ?1", item_select(id.kind, Detail::Full)),
        Kind::Measure => format!("{} WHERE m.id = ?1", item_select(id.kind, Detail::Full)),
    };
    conn.prepare_cached(&sql)?
        .query_row(params![id.n], item_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(id.to_string()))
}

pub fn resolve(conn: &Connection, reference: &ItemRef) -> Result<ItemId> {
    match reference {
        ItemRef::Id(id) => {
            let sql = format!("SELECT 1 FROM {} WHERE id = ?1", id.kind.table());
            let found = conn
                .prepare_cached(&sql)?
                .query_row([id.n], |_| Ok(()))
                .optional()?;
            found
                .map(|()| *id)
                .ok_or_else(|| Error::not_found(id.to_string()))
        }
        ItemRef::Uuid(uuid) => {
            for kind in [Kind::Problem, Kind::Measure] {
                let sql = format!("SELECT id FROM {} WHERE uuid = ?1", kind.table());
                if let Some(n) = conn
                    .prepare_cached(&sql)?
                    .query_row([uuid], |r| r.get(0))
                    .optional()?
                {
                    return Ok(ItemId { kind, n });
                }
            }
            Err(Error::not_found(uuid.clone()))
        }
    }
}

/// A campaign's problems by their text, for an import that matches an
/// office's own sheet (no ids) against what the ledger already holds. The
/// first problem of a text wins.
pub fn problems_by_title(conn: &Connection, campaign: &str) -> Result<Vec<(String, ItemId)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.title, p.id FROM problem p JOIN campaign c ON c.id = p.campaign_id
          WHERE c.code = ?1 COLLATE NOCASE AND p.voided_on IS NULL ORDER BY p.id",
    )?;
    let rows = stmt
        .query_map([campaign], |r| Ok((r.get(0)?, ItemId::problem(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Problems not closed out whose measures are all settled (done, or
/// ongoing, and accepted where the campaign asks for it): 已整改完成尚未销号,
/// waiting for a clerk's 销号.
pub fn awaiting_close_out(
    conn: &Connection,
    campaign: Option<&str>,
    detail: Detail,
) -> Result<Vec<Item>> {
    // The campaign says whether done measures must be accepted first; a
    // full read has it joined already.
    let campaign_join = match detail {
        Detail::Full => "",
        Detail::Listing | Detail::Lean => " LEFT JOIN campaign c ON c.id = p.campaign_id",
    };
    let mut sql = format!(
        "{}{campaign_join} WHERE p.status = 'open' AND {} AND {}
            AND NOT EXISTS (SELECT 1 FROM measure x WHERE x.problem_id = p.id AND {} AND {})",
        item_select(Kind::Problem, detail),
        rules::live_sql("p.voided_on"),
        rules::has_measures_sql("p.id"),
        rules::live_sql("x.voided_on"),
        rules::blocks_close_out_sql("x.status", "COALESCE(c.acceptance, 0)", "x.accepted_on")
    );
    let mut values = Vec::new();
    if let Some(code) = campaign {
        sql.push_str(" AND c.code = ?1 COLLATE NOCASE");
        values.push(Value::Text(code.to_string()));
    }
    sql.push_str(" ORDER BY p.id");
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt
        .query_map(params_from_iter(values), item_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(items)
}

/// Every extra field's header, sorted as the stored objects sort their keys.
pub fn extra_headers(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT j.key
           FROM (SELECT extra FROM problem WHERE extra != ''
                 UNION ALL SELECT extra FROM measure WHERE extra != '') e,
                json_each(e.extra) j
          ORDER BY j.key",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// A problem's measures and their text, in the order they were added.
pub fn measures_of(conn: &Connection, problem: ItemId) -> Result<Vec<(String, ItemId)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT title, id FROM measure WHERE problem_id = ?1 AND voided_on IS NULL ORDER BY id",
    )?;
    let rows = stmt
        .query_map([problem.n], |r| Ok((r.get(0)?, ItemId::measure(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The measures that keep a problem from being closed out: those still
/// open, and, with `acceptance`, those done but not yet accepted.
pub fn open_measures(conn: &Connection, problem: i64, acceptance: bool) -> Result<Vec<ItemId>> {
    let sql = format!(
        "SELECT id FROM measure WHERE problem_id = ?1 AND {} AND {} ORDER BY id",
        rules::live_sql("voided_on"),
        rules::blocks_close_out_sql("status", if acceptance { "1" } else { "0" }, "accepted_on")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt
        .query_map([problem], |r| r.get(0).map(ItemId::measure))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// The measure of a problem that was accepted last, and its date.
pub fn last_accepted_measure(
    conn: &Connection,
    problem: i64,
) -> Result<Option<(ItemId, NaiveDate)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, accepted_on FROM measure
              WHERE problem_id = ?1 AND accepted_on IS NOT NULL AND voided_on IS NULL
              ORDER BY accepted_on DESC, id LIMIT 1",
        )?
        .query_row([problem], |r| Ok((ItemId::measure(r.get(0)?), r.get(1)?)))
        .optional()?)
}

/// Who recorded a measure's latest closing, for the rule that nobody
/// accepts their own work.
pub fn closed_by(conn: &Connection, id: ItemId) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT actor FROM event WHERE kind = ?1 AND item_id = ?2 AND action = 'close'
              ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![id.kind.table(), id.n], |r| r.get(0))
        .optional()?)
}

/// The measures voided with a problem, which restoring it restores.
pub fn voided_with(conn: &Connection, problem: ItemId) -> Result<Vec<ItemId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id FROM measure m
          WHERE m.problem_id = ?1 AND m.voided_on IS NOT NULL
            AND (SELECT json_extract(e.payload, '$.with') FROM event e
                  WHERE e.kind = 'measure' AND e.item_id = m.id AND e.action = 'void'
                  ORDER BY e.seq DESC LIMIT 1) = ?2
          ORDER BY m.id",
    )?;
    let ids = stmt
        .query_map(params![problem.n, problem.to_string()], |r| {
            r.get(0).map(ItemId::measure)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// The measure of a problem raised first, and its date: a problem's
/// corrected raised date may not come after it.
pub fn first_raised_measure(
    conn: &Connection,
    problem: ItemId,
) -> Result<Option<(ItemId, NaiveDate)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, raised_on FROM measure WHERE problem_id = ?1 AND voided_on IS NULL
              ORDER BY raised_on, id LIMIT 1",
        )?
        .query_row([problem.n], |r| Ok((ItemId::measure(r.get(0)?), r.get(1)?)))
        .optional()?)
}

/// The measure of a problem that was done last, and its date.
pub fn last_done_measure(conn: &Connection, problem: i64) -> Result<Option<(ItemId, NaiveDate)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, closed_on FROM measure
              WHERE problem_id = ?1 AND status = 'closed' AND closed_on IS NOT NULL
                AND voided_on IS NULL
              ORDER BY closed_on DESC, id LIMIT 1",
        )?
        .query_row([problem], |r| Ok((ItemId::measure(r.get(0)?), r.get(1)?)))
        .optional()?)
}

pub fn campaigns(conn: &Connection) -> Result<Vec<Campaign>> {
    let mut stmt = conn.prepare(
        "SELECT code, name, source, start_on, days, recorded_at, acceptance
           FROM campaign ORDER BY start_on, code",
    )?;
    let all = stmt
        .query_map([], campaign_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all)
}

pub fn campaign(conn: &Connection, code: &str) -> Result<Campaign> {
    campaign_and_id(conn, code).map(|(campaign, _)| campaign)
}

/// A campaign with its row id: what a new problem under it needs.
pub fn campaign_and_id(conn: &Connection, code: &str) -> Result<(Campaign, i64)> {
    conn.prepare_cached(
        "SELECT code, name, source, start_on, days, recorded_at, acceptance, id
           FROM campaign WHERE code = ?1 COLLATE NOCASE",
    )?
    .query_row([code], |row| Ok((campaign_from_row(row)?, row.get(7)?)))
    .optional()?
    .ok_or_else(|| campaign_not_found(code))
}

pub fn campaign_id(conn: &Connection, code: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM campaign WHERE code = ?1 COLLATE NOCASE")?
        .query_row([code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| campaign_not_found(code))
}

fn campaign_not_found(code: &str) -> Error {
    Error::NotFound(Missing::Campaign {
        code: code.to_string(),
    })
}

pub fn events_of(conn: &Connection, kind: &str, item_id: i64) -> Result<Vec<Event>> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM event WHERE kind = ?1 AND item_id = ?2 ORDER BY seq");
    let mut stmt = conn.prepare_cached(&sql)?;
    let events = stmt
        .query_map(params![kind, item_id], event_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(events)
}

pub fn each_event(conn: &Connection, mut visit: impl FnMut(Event) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM event ORDER BY seq");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        visit(event_from_row(row)?)?;
    }
    Ok(())
}

/// The date of the item's latest reopen, if any: a closure may not be
/// back-dated to before it.
pub fn last_reopen(conn: &Connection, id: ItemId) -> Result<Option<NaiveDate>> {
    Ok(conn
        .prepare_cached(
            "SELECT max(effective_on) FROM event
              WHERE kind = ?1 AND item_id = ?2 AND action = 'reopen'",
        )?
        .query_row(params![id.kind.table(), id.n], |r| r.get(0))?)
}

/// How many problems and measures a campaign holds.
pub fn campaign_counts(conn: &Connection, code: &str) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT count(DISTINCT p.id), count(m.id)
               FROM campaign c
               JOIN problem p ON p.campaign_id = c.id AND p.voided_on IS NULL
               LEFT JOIN measure m ON m.problem_id = p.id AND m.voided_on IS NULL
              WHERE c.code = ?1 COLLATE NOCASE",
        )?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Field::X as usize` is where X sits in every SELECT.
    #[test]
    fn fields_are_listed_in_declaration_order() {
        for (i, field) in FIELDS.iter().enumerate() {
            assert_eq!(*field as usize, i, "{field:?}");
        }
    }

    #[test]
    fn every_item_select_reads_every_field() {
        let ledger = super::super::Ledger::scratch().unwrap();
        for kind in [Kind::Problem, Kind::Measure] {
            for detail in [Detail::Full, Detail::Listing, Detail::Lean] {
                let stmt = ledger.conn().prepare(item_select(kind, detail)).unwrap();
                assert_eq!(stmt.column_count(), FIELDS.len(), "{kind:?} {detail:?}");
            }
        }
        let stmt = ledger.conn().prepare(&sheet_select()).unwrap();
        assert_eq!(stmt.column_count(), FIELDS.len() + 1);
    }
}
