//! A sheet's rows applied to the ledger: each row adds its problem (once)
//! and its measure, brought to the state the row describes through the
//! same events a clerk's commands record.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::layout::{Row, SheetReader};
use super::{update, Counts};
use crate::csvio::{self, canonical, parse_status, Column, SheetStatus, COLUMNS};
use crate::dates::parse_date;
use crate::error::{CellFault, Error, Header, Input, Place, Result};
use crate::ledger::model::{Campaign, ItemId, ItemRef, Kind, Scope};
use crate::ledger::{
    Acceptance, CloseRequest, Extra, NewMeasure, NewProblem, ProblemDefaults, SheetRow, Writer,
};
use crate::progress::Progress;
use crate::words::Lang;

const MAX_REPORTED: usize = 20;

enum Slot {
    Problem(ItemId),
    Failed,
}

/// 128 bits of a text, from two SipHashes of it under different prefixes:
/// two texts that differ collide with odds of about 2^-128.
#[derive(Clone, Copy, PartialEq, Eq)]
struct TextDigest(u64, u64);

impl TextDigest {
    fn of(text: &str) -> Self {
        use std::hash::{Hash, Hasher};
        let half = |key: u8| {
            let mut h = std::hash::DefaultHasher::new();
            key.hash(&mut h);
            text.hash(&mut h);
            h.finish()
        };
        TextDigest(half(0), half(1))
    }
}

pub(super) struct Import<'n> {
    name: String,
    default_campaign: Option<&'n str>,
    today: NaiveDate,
    /// The sheet's headers, for messages.
    headers: HashMap<Column, String>,
    /// The sheet's 截至 date: the completion date of a row marked done
    /// without one.
    as_of: Option<NaiveDate>,
    /// Consecutive rows with the same problem text and no id are one
    /// problem: the text of the last such run and its number.
    text_run: (u64, String),
    /// The line where each 问题编号 first appears, and a digest of its
    /// problem text there: a large sheet's texts are not held twice over.
    id_first: HashMap<String, (u64, TextDigest)>,
    /// Problems of the ledger (not of this import) that rows matched.
    matched: std::collections::HashSet<ItemId>,
    /// Each campaign's problems by text, as they stood before this import.
    titles: HashMap<String, HashMap<String, ItemId>>,
    /// `--update`: apply a department's edits to matched rows.
    update: bool,
    skip_conflicts: bool,
    lang: Lang,
    /// What `--update` changed, for `--dry-run` to show.
    pub(super) changes: Vec<update::Change>,
    /// Cells where the ledger is newer than the sheet (never applied).
    pub(super) newer: Vec<update::Change>,
    /// Rows edited in the sheet whose items changed in the ledger too.
    pub(super) conflicts: Vec<(u64, Vec<update::Change>)>,
    /// Whether the current row still matches its 版本 (None: it has none).
    row_version: Option<bool>,
    /// Campaign codes already reported missing: once per file, not per row.
    missing_campaigns: std::collections::HashSet<String>,
    errors: Vec<(Option<Place>, Error)>,
    problems: HashMap<String, Slot>,
    campaigns: HashMap<String, Option<Campaign>>,
    /// Problems to close out once all their rows are in: closing date, line.
    close_out: Vec<(ItemId, NaiveDate, u64)>,
    close_out_at: HashMap<ItemId, usize>,
    /// The raised date of the problem the last rows belonged to: a sheet
    /// lists a problem's measures together, and each needs it.
    last_problem_raised: Option<(ItemId, NaiveDate)>,
    counts: Counts,
}

impl<'n> Import<'n> {
    pub(super) fn new(
        sheet: &SheetReader,
        default_campaign: Option<&'n str>,
        today: NaiveDate,
    ) -> Self {
        Import {
            name: sheet.name.clone(),
            default_campaign,
            today,
            headers: sheet.headers.clone(),
            as_of: sheet.as_of,
            text_run: (0, String::new()),
            id_first: HashMap::new(),
            missing_campaigns: std::collections::HashSet::new(),
            matched: std::collections::HashSet::new(),
            row_version: None,
            update: sheet.update,
            skip_conflicts: sheet.skip_conflicts,
            lang: sheet.lang,
            changes: Vec::new(),
            newer: Vec::new(),
            conflicts: Vec::new(),
            titles: HashMap::new(),
            errors: Vec::new(),
            problems: HashMap::new(),
            campaigns: HashMap::new(),
            close_out: Vec::new(),
            close_out_at: HashMap::new(),
            last_problem_raised: None,
            counts: Counts::default(),
        }
    }

    fn fail(&mut self, line: u64, error: Error) {
        if self.errors.len() < MAX_REPORTED {
            let at = Place {
                file: self.name.to_string(),
                line,
            };
            self.errors.push((Some(at), error));
        } else if self.errors.len() == MAX_REPORTED {
            let stopped = Input::ImportStopped {
                file: self.name.to_string(),
                n: MAX_REPORTED,
            };
            self.errors.push((None, stopped.into()));
        }
    }

    fn fail_raw(&mut self, error: Error) {
        if self.errors.len() < MAX_REPORTED {
            self.errors.push((None, error));
        }
    }

    /// A cell's error: `header: "value" …`, the header as the sheet has it
    /// (or the column's own name, for a column the sheet lacks).
    fn cell_error(&mut self, row: &Row, c: Column, fault: CellFault) {
        let value = row.cells.get(c).cloned().unwrap_or_default();
        let header = match self.headers.get(&c) {
            Some(h) => Header::Sheet(h.clone()),
            None => Header::Column(c.word()),
        };
        let error = Input::Cell {
            header,
            value: value.to_string(),
            fault,
        };
        self.fail(row.line, error.into());
    }

    /// The ledger's problem a row without a UUID names: by its 问题编号
    /// when that is a ledger id (P3) in the row's campaign, else, in an
    /// office's own sheet, by its text among the campaign's problems as
    /// they stood before this import.
    fn match_problem(
        &mut self,
        w: &Writer<'_>,
        row: &Row,
        campaign: Option<&Campaign>,
    ) -> Result<Option<ItemId>> {
        let Some(campaign) = campaign else {
            return Ok(None);
        };
        if let Some(Ok(ItemRef::Id(id))) = row.text(Column::ProblemId).map(str::parse::<ItemRef>) {
            if id.kind == Kind::Problem {
                return match w.item(id) {
                    Ok(item) if item.campaign.as_deref() == Some(campaign.code.as_str()) => {
                        Ok(Some(id))
                    }
                    Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e),
                };
            }
        }
        let Some(text) = row.text(Column::Problem) else {
            return Ok(None);
        };
        if !self.titles.contains_key(&campaign.code) {
            let mut titles = HashMap::new();
            for (title, id) in w.problems_by_title(&campaign.code)? {
                titles.entry(title).or_insert(id);
            }
            self.titles.insert(campaign.code.clone(), titles);
        }
        Ok(self.titles[&campaign.code].get(text).copied())
    }

    /// The measure of a problem already in the ledger that a row without
    /// a UUID names: by its 措施编号 (M7) when that is one of the
    /// problem's, else by its text.
    fn match_measure(&self, w: &Writer<'_>, row: &Row, problem: ItemId) -> Result<Option<ItemId>> {
        let measures = w.measures_of(problem)?;
        if let Some(Ok(ItemRef::Id(id))) = row.text(Column::MeasureId).map(str::parse::<ItemRef>) {
            if measures.iter().any(|(_, m)| *m == id) {
                return Ok(Some(id));
            }
        }
        let text = row.text(Column::Measure).unwrap_or_default();
        Ok(measures
            .into_iter()
            .find(|(t, _)| t == text)
            .map(|(_, id)| id))
    }

    /// Which problem a row belongs to: its UUID, else its 问题编号, else
    /// the run of consecutive rows with the same problem text.
    fn problem_key(&mut self, row: &Row, uuid: &Option<String>) -> Option<String> {
        if let Some(u) = uuid {
            return Some(u.clone());
        }
        if let Some(id) = row.text(Column::ProblemId) {
            return Some(format!("id:{}", id.to_uppercase()));
        }
        let text = row.text(Column::Problem)?;
        if self.text_run.1 != text {
            self.text_run = (self.text_run.0 + 1, text.to_string());
        }
        Some(format!("text{}:{text}", self.text_run.0))
    }

    pub(super) fn apply(
        &mut self,
        w: &mut Writer<'_>,
        sheet: &mut SheetReader,
        progress: &mut Progress,
    ) -> Result<Counts> {
        if let Some(code) = self.default_campaign {
            w.campaign(code)?;
        }
        while let Some(next) = sheet.next_row() {
            let row = match next {
                Ok(r) => r,
                Err(e) => {
                    // A broken record ends the reading; what was found so far
                    // is reported with it.
                    self.fail_raw(e);
                    break;
                }
            };
            progress.row();
            if let Err(e) = self.apply_row(w, &row) {
                match e {
                    Error::Invalid { .. } | Error::Refused { .. } | Error::NotFound { .. } => {
                        self.fail(row.line, e)
                    }
                    other => return Err(other),
                }
            }
            if self.errors.len() > MAX_REPORTED {
                break;
            }
        }
        for (id, on, line) in std::mem::take(&mut self.close_out) {
            if let Err(e) = w.close(
                id,
                &CloseRequest {
                    on: Some(on),
                    ..CloseRequest::default()
                },
            ) {
                self.fail(line, e);
            }
        }
        // Conflicts are all listed, and nothing is applied, unless asked
        // to apply the rest.
        let conflicts = std::mem::take(&mut self.conflicts);
        if !self.skip_conflicts {
            for (line, changes) in &conflicts {
                let conflict = Input::Conflict {
                    item: changes.first().map_or(ItemId::default(), |c| c.item),
                    cells: changes
                        .iter()
                        .map(|c| (c.header.clone(), c.after.clone(), c.before.clone()))
                        .collect(),
                };
                self.fail(*line, conflict.into());
            }
        }
        if !self.errors.is_empty() {
            return Err(Error::BadRows(std::mem::take(&mut self.errors)));
        }
        let mut counts = std::mem::take(&mut self.counts);
        counts.skipped_conflicts = conflicts;
        counts.changes = std::mem::take(&mut self.changes);
        counts.newer = std::mem::take(&mut self.newer);
        Ok(counts)
    }

    fn date(&mut self, row: &Row, c: Column) -> std::result::Result<Option<NaiveDate>, ()> {
        match row.text(c) {
            None => Ok(None),
            Some(text) => match parse_date(text) {
                Ok(d) => Ok(Some(d)),
                Err(_) => {
                    let fault = if crate::dates::lacks_year(text) {
                        CellFault::NoYear
                    } else {
                        CellFault::NotDate
                    };
                    self.cell_error(row, c, fault);
                    Err(())
                }
            },
        }
    }

    fn problem_raised(&mut self, w: &Writer<'_>, problem: ItemId) -> Result<NaiveDate> {
        match self.last_problem_raised {
            Some((id, raised)) if id == problem => Ok(raised),
            _ => {
                let raised = w.item(problem)?.raised_on;
                self.last_problem_raised = Some((problem, raised));
                Ok(raised)
            }
        }
    }

    fn campaign(&mut self, w: &Writer<'_>, code: &str) -> Result<Option<Campaign>> {
        if !self.campaigns.contains_key(code) {
            let found = match w.campaign(code) {
                Ok(c) => Some(c),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            self.campaigns.insert(code.to_string(), found);
        }
        Ok(self.campaigns[code].clone())
    }

    fn apply_row(&mut self, w: &mut Writer<'_>, row: &Row) -> Result<()> {
        let before = self.errors.len();
        // A row exported with its 版本 and not edited since says nothing
        // new, whatever the ledger has done meanwhile.
        self.row_version = row.text(Column::Version).map(|v| {
            let now = csvio::version(
                COLUMNS
                    .iter()
                    .map(|c| (*c, row.cells.get(*c).map_or("", String::as_str))),
                &row.extra,
            );
            now.eq_ignore_ascii_case(v)
        });
        let raised = self.date(row, Column::RaisedOn);
        let due_original = self.date(row, Column::DueOriginal);
        let due_current = self.date(row, Column::DueCurrent);
        let closed_on = self.date(row, Column::ClosedOn);
        let scope = match row.text(Column::Scope).map(str::parse::<Scope>) {
            Some(Err(_)) => {
                self.cell_error(row, Column::Scope, CellFault::NotScope);
                None
            }
            other => other.and_then(|r| r.ok()),
        };
        let status = match row.text(Column::Status) {
            None => None,
            Some(text) => match parse_status(text) {
                Some(s) => Some(s),
                None => {
                    self.cell_error(row, Column::Status, CellFault::NotStatus);
                    None
                }
            },
        };
        let mut uuid = |c: Column| -> Option<String> {
            let text = row.text(c)?;
            match text.parse::<ItemRef>() {
                Ok(ItemRef::Uuid(u)) => Some(u),
                _ => {
                    self.cell_error(row, c, CellFault::NotUuid);
                    None
                }
            }
        };
        let problem_uuid = uuid(Column::ProblemUuid);
        let measure_uuid = uuid(Column::MeasureUuid);
        if row.text(Column::Problem).is_none() {
            let fault = if row.continues {
                CellFault::NoProblemUnderOne
            } else {
                CellFault::NoProblem
            };
            self.cell_error(row, Column::Problem, fault);
        }
        let code = row
            .text(Column::Campaign)
            .or(self.default_campaign)
            .map(str::to_string);
        let campaign = match &code {
            Some(code) => match self.campaign(w, code)? {
                Some(c) => Some(c),
                None => {
                    // Said once for the file, with the command that fixes it.
                    if self.missing_campaigns.insert(code.clone()) {
                        let missing = Input::MissingCampaign {
                            file: self.name.clone(),
                            code: code.clone(),
                        };
                        self.fail_raw(missing.into());
                    }
                    return Ok(());
                }
            },
            None => None,
        };
        let (Ok(raised), Ok(due_original), Ok(due_current), Ok(mut closed_on)) =
            (raised, due_original, due_current, closed_on)
        else {
            return Ok(());
        };
        let raised = raised.unwrap_or(campaign.as_ref().map_or(self.today, |c| c.start));
        if let Some(due) = due_original.or(due_current) {
            if due < raised {
                self.cell_error(row, Column::DueOriginal, CellFault::BeforeRaised { raised });
            }
        }
        if let (Some(o), Some(c)) = (due_original, due_current) {
            if c < o {
                self.cell_error(row, Column::DueCurrent, CellFault::BeforeDue { due: o });
            }
        }
        let closing = matches!(status, Some(SheetStatus::Done | SheetStatus::ClosedOut));
        if closing && closed_on.is_none() {
            // Done, with no date: as of the sheet's 截至 date, else today.
            let on = self.as_of.unwrap_or(self.today);
            closed_on = Some(on);
            self.counts.dated.push(row.line);
            self.counts.dated_on = Some(on);
        }
        if let (Some(id), Some(text)) = (row.text(Column::ProblemId), row.text(Column::Problem)) {
            let key = id.to_uppercase();
            let digest = TextDigest::of(text);
            match self.id_first.get(&key) {
                Some((first, seen)) if *seen != digest => {
                    let differs = Input::SameIdOtherText {
                        file: self.name.clone(),
                        id: id.to_string(),
                        first: *first,
                        line: row.line,
                    };
                    self.fail_raw(differs.into());
                    return Ok(());
                }
                Some(_) => {}
                None => {
                    self.id_first.insert(key, (row.line, digest));
                }
            }
        }
        if self.errors.len() > before {
            // Rows of a problem whose first row failed would only repeat it.
            if let Some(key) = self.problem_key(row, &problem_uuid) {
                self.problems.entry(key).or_insert(Slot::Failed);
            }
            return Ok(());
        }

        let has_measure = row.text(Column::Measure).is_some();
        let owner = |c: Column| row.text(c).map(str::to_string);
        let assignee = ProblemDefaults {
            leader: owner(Column::Leader),
            department: owner(Column::Department),
            owner: owner(Column::Owner),
            due: due_original.or(due_current),
        };
        let key = self.problem_key(row, &problem_uuid);
        let problem = match key.as_ref().and_then(|k| self.problems.get(k)) {
            Some(Slot::Failed) => return Ok(()),
            Some(Slot::Problem(id)) => *id,
            None => {
                let existing = match &problem_uuid {
                    Some(u) => match w.resolve(&ItemRef::Uuid(u.clone())) {
                        Ok(id) if id.kind == Kind::Problem => Some(id),
                        Ok(_) => {
                            self.cell_error(row, Column::ProblemUuid, CellFault::UuidOfMeasure);
                            return Ok(());
                        }
                        Err(Error::NotFound { .. }) => None,
                        Err(e) => return Err(e),
                    },
                    None => self.match_problem(w, row, campaign.as_ref())?,
                };
                if let Some(id) = existing {
                    self.matched.insert(id);
                }
                let id = match existing {
                    Some(id) => {
                        if self.row_version != Some(true)
                            && !self.same_as_ledger(w, row, id, None, false)?
                        {
                            if let Some(k) = key {
                                self.problems.insert(k, Slot::Failed);
                            }
                            return Ok(());
                        }
                        if !has_measure {
                            self.counts.skipped += 1;
                        }
                        id
                    }
                    None => {
                        let ids = w.add_problem(NewProblem {
                            uuid: problem_uuid.clone(),
                            campaign: campaign.as_ref().map(|c| c.code.clone()),
                            infer_campaign: false,
                            title: row.text(Column::Problem).unwrap_or_default().to_string(),
                            scope,
                            source: owner(Column::Source),
                            subject: owner(Column::Subject),
                            cause: owner(Column::Cause),
                            assignee: ProblemDefaults {
                                due: if has_measure {
                                    campaign.as_ref().map(|c| c.end)
                                } else {
                                    assignee.due
                                },
                                ..assignee.clone()
                            },
                            raised: Some(raised),
                            measures: Vec::new(),
                            // A row with a measure gives it the extra fields.
                            extra: if has_measure {
                                Extra::new()
                            } else {
                                row.extra.clone()
                            },
                        })?;
                        self.counts.problems += 1;
                        if !has_measure {
                            self.settle(
                                w,
                                ids[0],
                                row,
                                due_original,
                                due_current,
                                status,
                                closed_on,
                            )?;
                        }
                        ids[0]
                    }
                };
                if let Some(k) = key {
                    self.problems.insert(k, Slot::Problem(id));
                }
                id
            }
        };
        if !has_measure {
            return Ok(());
        }
        if let Some(u) = &measure_uuid {
            match w.resolve(&ItemRef::Uuid(u.clone())) {
                Ok(id) => {
                    if id.kind != Kind::Measure {
                        self.cell_error(row, Column::MeasureUuid, CellFault::UuidOfProblem);
                    } else {
                        self.matched_measure(w, row, problem, id)?;
                    }
                    return Ok(());
                }
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        } else if self.matched.contains(&problem) {
            if let Some(id) = self.match_measure(w, row, problem)? {
                self.matched_measure(w, row, problem, id)?;
                return Ok(());
            }
        }
        let measure = w.add_measure(NewMeasure {
            uuid: measure_uuid,
            problem,
            title: row.text(Column::Measure).unwrap_or_default().to_string(),
            assignee,
            raised: Some(raised.max(self.problem_raised(w, problem)?)),
            extra: row.extra.clone(),
        })?;
        self.counts.measures += 1;
        self.settle(
            w,
            measure,
            row,
            due_original,
            due_current,
            status,
            closed_on,
        )?;
        if status == Some(SheetStatus::ClosedOut) {
            let done = closed_on.expect("checked above");
            // Not closed out before the measure was accepted (验收); a
            // date that does not parse was said already, in `settle`.
            let accepted = row
                .text(Column::AcceptedOn)
                .and_then(|d| parse_date(d).ok());
            let on = accepted.map_or(done, |a| done.max(a));
            // Indexed, not searched: an exported ledger is all 已销号 rows.
            match self.close_out_at.get(&problem) {
                Some(&at) => {
                    let entry = &mut self.close_out[at];
                    entry.1 = entry.1.max(on);
                    entry.2 = row.line;
                }
                None => {
                    self.close_out_at.insert(problem, self.close_out.len());
                    self.close_out.push((problem, on, row.line));
                }
            }
        }
        Ok(())
    }

    /// Bring a new item to the state its row describes, through the same
    /// events a clerk's commands would record.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &mut self,
        w: &mut Writer<'_>,
        id: ItemId,
        row: &Row,
        due_original: Option<NaiveDate>,
        due_current: Option<NaiveDate>,
        status: Option<SheetStatus>,
        closed_on: Option<NaiveDate>,
    ) -> Result<()> {
        if let (Some(o), Some(c)) = (due_original, due_current) {
            if c > o {
                // The reason is the sheet's own header for the new date.
                let header = self.headers.get(&Column::DueCurrent).map(String::as_str);
                w.extend(id, c, header.unwrap_or(Column::DueCurrent.word().zh()))?;
            }
        }
        if let Some(progress) = row.text(Column::Progress) {
            w.note(id, progress)?;
        }
        let request = |ongoing| CloseRequest {
            on: closed_on,
            note: row.text(Column::Note).map(str::to_string),
            evidence: row.text(Column::Evidence).map(str::to_string),
            ongoing,
        };
        match status {
            Some(SheetStatus::Done | SheetStatus::ClosedOut) => {
                w.close(id, &request(false))?;
                if let Ok(Some(on)) = self.date(row, Column::AcceptedOn) {
                    if id.kind == Kind::Measure {
                        // The sheet's acceptor, not whoever imports it:
                        // the rule against accepting one's own work is
                        // for the clerk at `accept`.
                        let by = row
                            .text(Column::Acceptor)
                            .map_or_else(|| w.actor().to_string(), str::to_string);
                        let acceptance = Acceptance {
                            on: Some(on),
                            note: None,
                            by: Some(by),
                        };
                        w.accept(id, &acceptance)?;
                    }
                }
            }
            Some(SheetStatus::Ongoing) if id.kind == Kind::Measure => w.close(
                id,
                &CloseRequest {
                    on: None,
                    ..request(true)
                },
            )?,
            _ => {}
        }
        Ok(())
    }

    /// A row naming a measure the ledger holds: skipped when it says what
    /// the ledger says (or is untouched since its export); with
    /// `--update`, its edits applied, or listed as a conflict when the
    /// ledger changed since the export too.
    fn matched_measure(
        &mut self,
        w: &mut Writer<'_>,
        row: &Row,
        problem: ItemId,
        id: ItemId,
    ) -> Result<()> {
        if self.row_version == Some(true) {
            self.counts.skipped += 1;
            return Ok(());
        }
        if !self.update {
            if self.same_as_ledger(w, row, problem, Some(id), true)? {
                self.counts.skipped += 1;
            }
            return Ok(());
        }
        let (problem_item, item) = (w.item(problem)?, w.item(id)?);
        let header = |c: Column| {
            self.headers
                .get(&c)
                .cloned()
                .unwrap_or_else(|| c.word().zh().to_string())
        };
        let plan = update::plan(
            row,
            header,
            &problem_item,
            &item,
            self.today,
            self.as_of,
            self.lang,
        );
        self.newer.extend(plan.newer.iter().cloned());
        if plan.is_empty() {
            self.counts.skipped += 1;
            return Ok(());
        }
        // Edited in the sheet: the ledger must still be as exported.
        if let Some(exported) = row.text(Column::Version) {
            let sheet_row = SheetRow {
                problem: problem_item,
                measure: Some(item),
            };
            let now = csvio::version_of_row(&sheet_row, self.today);
            if !now.eq_ignore_ascii_case(exported) {
                self.conflicts.push((row.line, plan.changes));
                return Ok(());
            }
        }
        for (c, ledger) in &plan.refused {
            let value = row.text(*c).unwrap_or_default().to_string();
            let header = match self.headers.get(c) {
                Some(h) => Header::Sheet(h.clone()),
                None => Header::Column(c.word()),
            };
            let refused = Input::Cell {
                header,
                value,
                fault: CellFault::NotUpdatable {
                    ledger: ledger.clone(),
                },
            };
            self.fail(row.line, refused.into());
        }
        if let Some((to, reason)) = &plan.extend {
            if reason.is_empty() {
                self.cell_error(row, Column::DueCurrent, CellFault::NoExtendReason);
            } else {
                w.extend(id, *to, reason)?;
            }
        }
        if !plan.refused.is_empty() {
            return Ok(());
        }
        let assign = &plan.assign;
        if assign.leader.is_some() || assign.department.is_some() || assign.owner.is_some() {
            w.assign(id, assign)?;
        }
        if let Some(progress) = &plan.note {
            w.note(id, progress)?;
        }
        for remark in &plan.remarks {
            w.note(id, remark)?;
        }
        if let Some(close) = &plan.close {
            w.close(id, close)?;
        }
        self.counts.updated += 1;
        self.changes.extend(plan.changes);
        Ok(())
    }

    /// How a cell that disagrees with the ledger is refused: a row edited
    /// since its export is for `--update`; any other is not the ledger's.
    fn differs(&self, ledger: String, what: Column) -> CellFault {
        match self.row_version {
            Some(false) => CellFault::Edited { ledger },
            _ => CellFault::Differs {
                ledger,
                what: what.word(),
            },
        }
    }

    /// A row whose UUID is already in the ledger must match it exactly;
    /// then it is skipped. Otherwise it is refused: an import never edits.
    fn same_as_ledger(
        &mut self,
        w: &Writer<'_>,
        row: &Row,
        problem: ItemId,
        measure: Option<ItemId>,
        measure_level: bool,
    ) -> Result<bool> {
        let problem_item = w.item(problem)?;
        let measure_item = measure.map(|m| w.item(m)).transpose()?;
        let sheet_row = SheetRow {
            problem: problem_item,
            measure: measure_item,
        };
        let ledger_cells = csvio::sheet_cells(&sheet_row, 0, self.today, Lang::En);
        // Extra fields: the measure's where the row has one, else the
        // problem's; an empty cell says nothing here either.
        let held = match (&sheet_row.measure, measure_level) {
            (Some(m), true) => m.extra_fields(),
            _ => sheet_row.problem.extra_fields(),
        };
        let compare_extra = measure_level || row.text(Column::Measure).is_none();
        for (header, value) in row.extra.iter().filter(|_| compare_extra) {
            let ledger = held.get(header).cloned().unwrap_or_default();
            if *value != ledger {
                let what = if measure_level {
                    Column::MeasureUuid
                } else {
                    Column::ProblemUuid
                };
                let differs = Input::Cell {
                    header: Header::Sheet(header.clone()),
                    value: value.clone(),
                    fault: self.differs(ledger, what),
                };
                self.fail(row.line, differs.into());
                return Ok(false);
            }
        }
        let problem_only_row = row.text(Column::Measure).is_none();
        for (i, column) in COLUMNS.iter().enumerate() {
            let compared = match column {
                Column::Seq
                | Column::ProblemId
                | Column::MeasureId
                | Column::DaysOverdue
                | Column::ProblemUuid
                | Column::MeasureUuid => false,
                Column::Campaign
                | Column::Source
                | Column::Scope
                | Column::Subject
                | Column::Problem
                | Column::Cause
                | Column::RaisedOn => true,
                _ => measure_level || problem_only_row,
            };
            // An empty cell says nothing: the import would have filled it
            // with a default (a raised date, a deadline, a 截至 date).
            let Some(value) = row.cells.get(*column).filter(|v| !v.is_empty()) else {
                continue;
            };
            if !compared {
                continue;
            }
            if canonical(*column, value) != canonical(*column, &ledger_cells[i]) {
                let what = if measure_level {
                    Column::MeasureUuid
                } else {
                    Column::ProblemUuid
                };
                self.cell_error(
                    row,
                    *column,
                    self.differs(ledger_cells[i].to_string(), what),
                );
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{import, Options, SheetReader, Source};
    use crate::ledger::{Ledger, NewCampaign, Stamp};

    fn stamp() -> Stamp {
        Stamp {
            today: chrono::NaiveDate::from_ymd_opt(2023, 6, 20).unwrap(),
            now: "2023-06-20T01:00:00Z".into(),
            actor: "test".into(),
        }
    }

    fn ledger() -> Ledger {
        let mut ledger = Ledger::scratch().unwrap();
        ledger
            .write(&stamp(), |w| {
                w.new_campaign(NewCampaign {
                    code: "ZT2023".into(),
                    name: "专项".into(),
                    source: None,
                    start: chrono::NaiveDate::from_ymd_opt(2023, 5, 8).unwrap(),
                    days: 80,
                    acceptance: false,
                })
            })
            .unwrap();
        ledger
    }

    fn run(ledger: &mut Ledger, sheet: &str) -> crate::error::Result<super::Counts> {
        let source = Source::from_bytes(sheet.as_bytes(), "t.csv")?;
        let mut sheet = SheetReader::prepare(source, &Options::default())?;
        import(ledger, &stamp(), &mut sheet, Some("ZT2023"), true, false)
    }

    #[test]
    fn rows_with_the_same_text_in_a_run_are_one_problem() {
        let mut ledger = ledger();
        let sheet = "问题描述,整改措施\n甲,一\n甲,二\n乙,三\n甲,四\n";
        let counts = run(&mut ledger, sheet).unwrap();
        // 甲 comes back after 乙: an office lists a problem's rows together,
        // so that is another problem.
        assert_eq!((counts.problems, counts.measures), (3, 4));
        // Read again, every row matches what the ledger holds.
        let again = run(&mut ledger, "问题描述,整改措施\n甲,一\n甲,二\n乙,三\n").unwrap();
        assert_eq!((again.problems, again.measures, again.skipped), (0, 0, 3));
    }

    #[test]
    fn a_done_row_without_a_date_is_dated_and_counted() {
        let mut ledger = ledger();
        let sheet = "问题描述,整改措施,状态\n甲,一,已办结\n甲,二,正在整改\n";
        let counts = run(&mut ledger, sheet).unwrap();
        assert_eq!(counts.dated, [2]);
        assert_eq!(
            counts.dated_on,
            chrono::NaiveDate::from_ymd_opt(2023, 6, 20)
        );
    }
}
