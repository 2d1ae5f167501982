//! Reports that go upward: the campaign summary, the monthly report and the
//! breakdowns. Figures come from `figures` (as of a date, from history);
//! this module shapes them for table, Markdown, CSV, JSON and prose.

mod chart;
pub(crate) mod docx;
pub(crate) mod figures;
mod render;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Input, Missing, Result};
use crate::ledger::model::Campaign;
use crate::ledger::Ledger;
pub use figures::GroupBy;
use figures::{Counts, OverdueMeasure, ProblemCounts, Query};
pub use render::{render, render_by, summary_sheet, Summary, SummarySheet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Table,
    Json,
    Csv,
    Markdown,
    Text,
    /// A Word document in the official layout.
    Docx,
}

impl ReportFormat {
    /// As `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Table => "table",
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Markdown => "markdown",
            ReportFormat::Text => "text",
            ReportFormat::Docx => "docx",
        }
    }
}

pub(crate) use crate::ledger::rules::DUE_SOON_DAYS;

#[derive(Debug, Serialize)]
pub struct CampaignHead {
    pub code: String,
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: u32,
}

#[derive(Debug, Serialize)]
pub struct GroupRow {
    /// The department, owner, source or scope.
    #[serde(rename = "department")]
    pub key: String,
    pub total: i64,
    pub closed: i64,
    pub on_time: i64,
    pub late: i64,
    pub ongoing: i64,
    pub open: i64,
    pub overdue: i64,
}

impl GroupRow {
    fn new(key: String, c: &Counts) -> Self {
        GroupRow {
            key,
            total: c.total,
            closed: c.closed,
            on_time: c.on_time,
            late: c.late,
            ongoing: c.ongoing,
            open: c.open,
            overdue: c.overdue,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CampaignReport {
    pub campaign: CampaignHead,
    pub as_of: NaiveDate,
    pub day: i64,
    pub problems: ProblemCounts,
    pub measures: Counts,
    pub completion_rate: f64,
    pub on_time_rate: f64,
    pub all_closed: bool,
    pub ageing: BTreeMap<&'static str, i64>,
    pub by_department: Vec<GroupRow>,
    pub overdue: Vec<OverdueMeasure>,
    /// Measures whose deadline was corrected (`edit --due`), which the
    /// figures judge by the corrected one.
    pub deadlines_corrected: i64,
    pub fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burndown: Option<chart::Burndown>,
}

fn ageing(c: &Counts) -> BTreeMap<&'static str, i64> {
    ["0-30", "31-60", "61-90", "over-90"]
        .into_iter()
        .zip(c.ageing)
        .collect()
}

/// What a report covers: one campaign or all, as of a day, with a window
/// for the "… in window" figures.
fn query(
    ledger: &Ledger,
    campaign_id: Option<i64>,
    as_of: NaiveDate,
    window: (NaiveDate, NaiveDate),
) -> Result<Query> {
    Ok(Query {
        campaign_id,
        as_of,
        window,
        due_soon_days: DUE_SOON_DAYS,
        acceptance: ledger.asks_acceptance(campaign_id)?,
    })
}

/// The campaign a report is about: the one named, else the only one.
pub fn pick_campaign(ledger: &Ledger, code: Option<&str>) -> Result<Campaign> {
    if let Some(code) = code {
        return ledger.campaign(code);
    }
    let all = ledger.campaigns()?;
    match all.as_slice() {
        [] => Err(Error::NotFound(Missing::NoCampaign)),
        [only] => Ok(only.clone()),
        several => {
            let codes = several.iter().map(|c| c.code.clone()).collect();
            Err(Input::SeveralCampaigns { codes }.into())
        }
    }
}

pub fn campaign_report(
    ledger: &Ledger,
    campaign: &Campaign,
    as_of: NaiveDate,
    with_chart: bool,
) -> Result<CampaignReport> {
    let conn = ledger.conn();
    let campaign_id = ledger.campaign_id(&campaign.code)?;
    let query = query(
        ledger,
        Some(campaign_id),
        as_of,
        (campaign.start, campaign.end),
    )?;
    let states = figures::States::compute(conn, &query, GroupBy::Dept)?;
    let groups = states.groups()?;
    let mut all = figures::totals(&groups);
    let mut problems = figures::problem_counts(conn, &query)?;
    problems.awaiting_close_out = states.awaiting_close_out()?;
    (problems.voided, all.voided) = figures::voided(conn, &query)?;
    let day = ((as_of - campaign.start).num_days() + 1).clamp(0, i64::from(campaign.days));
    let burndown = if with_chart {
        let to = as_of.min(campaign.end);
        let open = figures::open_per_day(conn, &query, campaign.start, to.max(campaign.start))?;
        Some(chart::Burndown::new(
            campaign.start,
            campaign.days,
            open,
            all.total,
        ))
    } else {
        None
    };
    Ok(CampaignReport {
        campaign: CampaignHead {
            code: campaign.code.clone(),
            name: campaign.name.clone(),
            start: campaign.start,
            end: campaign.end,
            days: campaign.days,
        },
        as_of,
        day,
        all_closed: problems.total > 0 && problems.closed == problems.total,
        problems,
        completion_rate: all.completion_rate(),
        on_time_rate: all.on_time_rate(),
        ageing: ageing(&all),
        measures: all.clone(),
        by_department: groups
            .iter()
            .map(|(k, c)| GroupRow::new(k.clone(), c))
            .collect(),
        overdue: states.overdue()?,
        deadlines_corrected: figures::deadlines_corrected(conn, &query)?,
        fingerprint: ledger.head()?.1,
        burndown,
    })
}

/// A month's problems: raised in it, closed out in it, open at its end.
#[derive(Debug, Serialize)]
pub struct MonthProblems {
    pub raised: i64,
    pub closed_out: i64,
    pub open_at_end: i64,
}

#[derive(Debug, Serialize)]
pub struct MonthReport {
    pub month: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub campaign: Option<String>,
    pub problems: MonthProblems,
    pub raised: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub closed_late: i64,
    pub extensions: i64,
    pub open_at_end: i64,
    pub overdue_at_end: i64,
    pub completion_rate: f64,
    pub measures: Counts,
    pub by_department: Vec<GroupRow>,
    pub deadlines_corrected: i64,
    pub fingerprint: String,
}

pub fn month_report(
    ledger: &Ledger,
    first: NaiveDate,
    campaign: Option<&str>,
) -> Result<MonthReport> {
    let last = crate::dates::month_end(first);
    let campaign_id = campaign.map(|c| ledger.campaign_id(c)).transpose()?;
    let query = query(ledger, campaign_id, last, (first, last))?;
    let groups = figures::measure_groups(ledger.conn(), &query, GroupBy::Dept)?;
    let mut all = figures::totals(&groups);
    all.voided = figures::voided(ledger.conn(), &query)?.1;
    let problems = figures::problem_counts(ledger.conn(), &query)?;
    Ok(MonthReport {
        month: first.format("%Y-%m").to_string(),
        first,
        last,
        campaign: campaign.map(str::to_string),
        problems: MonthProblems {
            raised: problems.raised_in_window,
            closed_out: problems.closed_in_window,
            open_at_end: problems.open,
        },
        raised: all.raised_in_window,
        closed: all.closed_in_window,
        closed_on_time: all.on_time_in_window,
        closed_late: all.closed_in_window - all.on_time_in_window,
        extensions: all.extensions_in_window,
        open_at_end: all.open,
        overdue_at_end: all.overdue,
        completion_rate: all.completion_rate(),
        measures: all.clone(),
        by_department: groups
            .iter()
            .map(|(k, c)| GroupRow::new(k.clone(), c))
            .collect(),
        deadlines_corrected: figures::deadlines_corrected(ledger.conn(), &query)?,
        fingerprint: ledger.head()?.1,
    })
}

/// Columns `report by --sort` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Key,
    Total,
    Closed,
    OnTime,
    Late,
    Ongoing,
    Open,
    Overdue,
}

pub fn by_report(
    ledger: &Ledger,
    group: GroupBy,
    campaign: Option<&str>,
    as_of: NaiveDate,
    sort: Option<SortKey>,
) -> Result<Vec<GroupRow>> {
    let campaign_id = campaign.map(|c| ledger.campaign_id(c)).transpose()?;
    let query = query(ledger, campaign_id, as_of, (as_of, as_of))?;
    let mut rows: Vec<GroupRow> = figures::measure_groups(ledger.conn(), &query, group)?
        .iter()
        .map(|(k, c)| GroupRow::new(k.clone(), c))
        .collect();
    if let Some(key) = sort {
        // Figures sort largest first, names alphabetically; ties keep name order.
        let value = |r: &GroupRow| match key {
            SortKey::Key => 0,
            SortKey::Total => r.total,
            SortKey::Closed => r.closed,
            SortKey::OnTime => r.on_time,
            SortKey::Late => r.late,
            SortKey::Ongoing => r.ongoing,
            SortKey::Open => r.open,
            SortKey::Overdue => r.overdue,
        };
        rows.sort_by(|a, b| value(b).cmp(&value(a)).then_with(|| a.key.cmp(&b.key)));
    }
    Ok(rows)
}

/// "100%", "96.8%": what an office writes.
pub fn percent(rate: f64) -> String {
    let p = (rate * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}
