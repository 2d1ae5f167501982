//! `import --update`: a department's edits to its rows, applied as the
//! events the commands would record. Only what a department reports may
//! change: progress, status and completion, evidence and notes, who is
//! responsible, and a later deadline with its reason. An empty cell never
//! clears a field.

use chrono::NaiveDate;

use super::layout::Row;
use crate::csvio::{self, canonical, parse_status, Column, SheetStatus, COLUMNS};
use crate::dates::parse_date;
use crate::ledger::model::{Item, ItemId, Status};
use crate::ledger::{AssignFields, CloseRequest, SheetRow};
use crate::words::Lang;

/// One cell the sheet changes: the item, the sheet's header, the ledger's
/// value and the sheet's.
#[derive(Clone, Debug)]
pub struct Change {
    pub item: ItemId,
    pub header: String,
    pub before: String,
    pub after: String,
}

/// What a row asks of one measure, as the commands would do it.
#[derive(Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub assign: AssignFields,
    pub note: Option<String>,
    pub close: Option<CloseRequest>,
    pub extend: Option<(NaiveDate, String)>,
    /// Notes for evidence or remarks that come without a closing.
    pub remarks: Vec<String>,
    /// Cells the ledger is newer on (a status going backwards): listed,
    /// never applied.
    pub newer: Vec<Change>,
    /// Cells an import may not change: (column, the ledger's value).
    pub refused: Vec<(Column, String)>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The cells of `row` that say something else than the ledger's `item`
/// (a measure under `problem`), and what applying them takes.
pub fn plan(
    row: &Row,
    header: impl Fn(Column) -> String,
    problem: &Item,
    item: &Item,
    today: NaiveDate,
    as_of: Option<NaiveDate>,
    lang: Lang,
) -> Plan {
    let sheet_row = SheetRow {
        problem: problem.clone(),
        measure: Some(item.clone()),
    };
    // Compared by meaning (`canonical` reads either language), shown in
    // the interface language.
    let ledger = csvio::sheet_cells(&sheet_row, 0, today, lang);
    let mut plan = Plan::default();
    let mut closing: Option<bool> = None;
    for (i, &c) in COLUMNS.iter().enumerate() {
        if matches!(
            c,
            Column::Seq
                | Column::ProblemId
                | Column::MeasureId
                | Column::DaysOverdue
                | Column::ProblemUuid
                | Column::MeasureUuid
                | Column::Campaign
        ) {
            continue;
        }
        // An empty cell never clears a field.
        let Some(value) = row.text(c) else { continue };
        if canonical(c, value) == canonical(c, &ledger[i]) {
            continue;
        }
        let change = Change {
            item: item.id,
            header: header(c),
            before: ledger[i].clone(),
            after: value.to_string(),
        };
        match c {
            Column::Progress => plan.note = Some(value.to_string()),
            Column::Leader => plan.assign.leader = Some(value.to_string()),
            Column::Department => plan.assign.department = Some(value.to_string()),
            Column::Owner => plan.assign.owner = Some(value.to_string()),
            Column::Status => match (parse_status(value), item.status) {
                (
                    Some(SheetStatus::Done | SheetStatus::ClosedOut),
                    Status::Open | Status::Ongoing,
                ) => closing = Some(false),
                (Some(SheetStatus::Ongoing), Status::Open) => closing = Some(true),
                (Some(_), _) => {
                    plan.newer.push(change);
                    continue;
                }
                (None, _) => {
                    plan.refused.push((c, ledger[i].clone()));
                    continue;
                }
            },
            // With a closing it is the closing's date; alone, a correction.
            Column::ClosedOn => {}
            Column::Evidence | Column::Note => {}
            Column::DueCurrent => match parse_date(value) {
                Ok(to) if item.due_current.is_none_or(|due| to > due) => {
                    let reason = row.text(Column::ExtendReason).unwrap_or_default();
                    plan.extend = Some((to, reason.to_string()));
                }
                _ => {
                    plan.refused.push((c, ledger[i].clone()));
                    continue;
                }
            },
            _ => {
                plan.refused.push((c, ledger[i].clone()));
                continue;
            }
        }
        plan.changes.push(change);
    }
    let closed_on = row.text(Column::ClosedOn).and_then(|d| parse_date(d).ok());
    let text = |c: Column| {
        row.text(c)
            .filter(|v| canonical(c, v) != canonical(c, &ledger[index_of(c)]))
            .map(str::to_string)
    };
    match closing {
        Some(ongoing) => {
            plan.close = Some(CloseRequest {
                on: if ongoing {
                    None
                } else {
                    Some(closed_on.or(as_of).unwrap_or(today))
                },
                note: text(Column::Note),
                evidence: text(Column::Evidence),
                ongoing,
            })
        }
        None => {
            for c in [Column::Evidence, Column::Note] {
                if let Some(v) = text(c) {
                    plan.remarks.push(format!("{}：{v}", header(c)));
                }
            }
            if let (Some(on), Some(held)) = (closed_on, item.closed_on) {
                if on != held {
                    plan.refused
                        .push((Column::ClosedOn, ledger[index_of(Column::ClosedOn)].clone()));
                }
            }
        }
    }
    plan
}

fn index_of(c: Column) -> usize {
    COLUMNS.iter().position(|x| *x == c).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::model::{Item, Kind};

    fn measure() -> Item {
        let day = |d| NaiveDate::from_ymd_opt(2023, 6, d);
        Item {
            id: ItemId::measure(3),
            kind: Kind::Measure,
            uuid: "u".into(),
            problem: Some(ItemId::problem(1)),
            campaign: Some("ZT2023".into()),
            title: "措施".into(),
            scope: None,
            source: String::new(),
            subject: String::new(),
            cause: String::new(),
            leader: String::new(),
            department: "办公室".into(),
            owner: "张三".into(),
            raised_on: day(1).unwrap(),
            due_original: day(30),
            due_current: day(30),
            status: Status::Open,
            closed_on: None,
            close_note: String::new(),
            evidence: String::new(),
            progress: "正在推进".into(),
            recorded_at: String::new(),
            extra: String::new(),
            voided_on: None,
            accepted_on: None,
            accepted_by: String::new(),
            acceptance: false,
            has_measures: false,
        }
    }

    fn row(cells: &[(Column, &str)]) -> Row {
        Row {
            line: 2,
            cells: cells.iter().map(|(c, v)| (*c, v.to_string())).collect(),
            continues: false,
            extra: Default::default(),
        }
    }

    fn plan_for(cells: &[(Column, &str)]) -> Plan {
        let item = measure();
        let problem = Item {
            id: ItemId::problem(1),
            kind: Kind::Problem,
            problem: None,
            ..measure()
        };
        let today = NaiveDate::from_ymd_opt(2023, 7, 1).unwrap();
        let header = |c: Column| c.word().zh().to_string();
        plan(&row(cells), header, &problem, &item, today, None, Lang::Zh)
    }

    #[test]
    fn what_a_department_may_change() {
        let plan = plan_for(&[
            (Column::Progress, "已完成"),
            (Column::Status, "已办结"),
            (Column::ClosedOn, "2023-06-28"),
            (Column::Owner, "李四"),
            (Column::Department, ""),
        ]);
        assert_eq!(plan.note.as_deref(), Some("已完成"));
        assert_eq!(plan.assign.owner.as_deref(), Some("李四"));
        // An empty cell clears nothing.
        assert_eq!(plan.assign.department, None);
        let close = plan.close.expect("a closing");
        assert_eq!(close.on, NaiveDate::from_ymd_opt(2023, 6, 28));
        assert!(!close.ongoing);
        assert!(plan.refused.is_empty());
    }

    #[test]
    fn a_later_deadline_needs_its_reason_and_others_are_refused() {
        let plan = plan_for(&[
            (Column::DueCurrent, "2023-08-15"),
            (Column::ExtendReason, "等待批复"),
            (Column::Measure, "另一项措施"),
        ]);
        let (to, reason) = plan.extend.expect("an extension");
        assert_eq!(to, NaiveDate::from_ymd_opt(2023, 8, 15).unwrap());
        assert_eq!(reason, "等待批复");
        assert_eq!(plan.refused.len(), 1);
        assert_eq!(plan.refused[0].0, Column::Measure);
        // An earlier deadline is a correction, not an update.
        let earlier = plan_for(&[(Column::DueCurrent, "2023-06-20")]);
        assert!(earlier.extend.is_none());
        assert_eq!(earlier.refused[0].0, Column::DueCurrent);
    }

    #[test]
    fn a_status_going_backwards_is_the_ledger_being_newer() {
        let mut item = measure();
        item.status = Status::Closed;
        item.closed_on = NaiveDate::from_ymd_opt(2023, 6, 20);
        let problem = Item {
            id: ItemId::problem(1),
            kind: Kind::Problem,
            ..measure()
        };
        let today = NaiveDate::from_ymd_opt(2023, 7, 1).unwrap();
        let header = |c: Column| c.word().zh().to_string();
        let sheet = row(&[(Column::Status, "正在整改")]);
        let plan = plan(&sheet, header, &problem, &item, today, None, Lang::Zh);
        assert!(plan.is_empty());
        assert_eq!(plan.newer.len(), 1);
        assert!(plan.close.is_none());
    }
}
