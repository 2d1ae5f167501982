//! Property test: random histories keep the report invariants at every date.

use chrono::NaiveDate;
use proptest::prelude::*;
use rectify::ledger::model::ItemId;
use rectify::ledger::{
    CloseRequest, Ledger, NewCampaign, NewProblem, OpenMode, ProblemDefaults, Stamp,
};
use rectify::report;

#[derive(Debug, Clone)]
enum Op {
    Close { m: usize, back: u64 },
    Ongoing { m: usize },
    Reopen { m: usize },
    Extend { m: usize, days: u64 },
    Wait { days: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..8usize, 0..5u64).prop_map(|(m, back)| Op::Close { m, back }),
        (0..8usize).prop_map(|m| Op::Ongoing { m }),
        (0..8usize).prop_map(|m| Op::Reopen { m }),
        (0..8usize, 1..20u64).prop_map(|(m, days)| Op::Extend { m, days }),
        (1..10u64).prop_map(|days| Op::Wait { days }),
    ]
}

/// An independent model of the report definitions (README, "Report
/// definitions"): plain structs fed the same commands, no SQL. If rectify
/// judged on-time on the current deadline, or took a measure's state from
/// its columns instead of its history as of D, the figures would differ.
#[derive(Debug, Clone)]
struct ModelMeasure {
    due_original: u64,
    /// (effective day, order recorded, what happened).
    events: Vec<(u64, usize, Happened)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Happened {
    Closed,
    Ongoing,
    Reopened,
    Extended { to: u64 },
}

impl ModelMeasure {
    /// The deadline now: the latest extension recorded, else the original.
    fn due_current(&self) -> u64 {
        self.events
            .iter()
            .filter_map(|(_, _, h)| match h {
                Happened::Extended { to } => Some(*to),
                _ => None,
            })
            .next_back()
            .unwrap_or(self.due_original)
    }

    /// The last event of the kinds `keep` took effect on or before `d`,
    /// latest effective day first, then latest recorded.
    fn last_by(&self, d: u64, keep: impl Fn(&Happened) -> bool) -> Option<(u64, Happened)> {
        self.events
            .iter()
            .filter(|(on, _, h)| *on <= d && keep(h))
            .max_by_key(|(on, order, _)| (*on, *order))
            .map(|(on, _, h)| (*on, *h))
    }
}

#[derive(Debug, Default, PartialEq)]
struct ModelFigures {
    total: i64,
    closed: i64,
    on_time: i64,
    late: i64,
    ongoing: i64,
    open: i64,
    overdue: i64,
    due_soon: i64,
    extended: i64,
}

fn model_figures(measures: &[ModelMeasure], d: u64) -> ModelFigures {
    let mut f = ModelFigures::default();
    for m in measures {
        f.total += 1;
        let state = m.last_by(d, |h| !matches!(h, Happened::Extended { .. }));
        let due_at = match m.last_by(d, |h| matches!(h, Happened::Extended { .. })) {
            Some((_, Happened::Extended { to })) => {
                f.extended += 1;
                to
            }
            _ => m.due_original,
        };
        match state {
            Some((on, Happened::Closed)) => {
                f.closed += 1;
                if on <= m.due_original {
                    f.on_time += 1;
                } else {
                    f.late += 1;
                }
            }
            Some((_, Happened::Ongoing)) => f.ongoing += 1,
            _ => {
                f.open += 1;
                if due_at < d {
                    f.overdue += 1;
                } else if due_at <= d + 7 {
                    f.due_soon += 1;
                }
            }
        }
    }
    f
}

/// The measure figures of `report campaign --as-of D --format json`, run
/// through the real binary.
fn reported_figures(db: &std::path::Path, d: u64) -> ModelFigures {
    let out = std::process::Command::new(crate::harness::bin())
        .env_clear()
        .env("RECTIFY_DB", db)
        .env("RECTIFY_TODAY", "2023-08-31")
        .args(["report", "campaign", "P", "--format", "json", "--as-of"])
        .arg(day(d).to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = |k: &str| v["measures"][k].as_i64().unwrap();
    ModelFigures {
        total: n("total"),
        closed: n("closed"),
        on_time: n("on_time"),
        late: n("late"),
        ongoing: n("ongoing"),
        open: n("open"),
        overdue: n("overdue"),
        due_soon: n("due_soon"),
        extended: n("extended"),
    }
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 5, 8).unwrap() + chrono::Days::new(n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn invariants_hold_at_every_date(dues in prop::collection::vec(5..60u64, 8), ops in prop::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("l.db"), OpenMode::Create).unwrap();
        let mut today = 0u64;
        let stamp = |today: u64| Stamp { today: day(today), now: "2023-05-08T00:00:00Z".into(), actor: "prop".into() };
        let campaign = ledger.write(&stamp(0), |w| {
            let c = w.new_campaign(NewCampaign { code: "P".into(), name: "性质".into(), start: day(0), days: 80, source: None, acceptance: false })?;
            for (i, due) in dues.iter().enumerate() {
                let ids = w.add_problem(NewProblem {
                    campaign: Some("P".into()),
                    title: format!("问题{i}"),
                    assignee: ProblemDefaults { due: Some(day(*due)), department: Some(format!("部门{}", i % 3)), ..ProblemDefaults::default() },
                    raised: Some(day(0)),
                    measures: vec![format!("措施{i}")],
                    ..NewProblem::default()
                })?;
                assert_eq!(ids[1], ItemId::measure(i as i64 + 1));
            }
            Ok(c)
        }).unwrap();
        let mut model: Vec<ModelMeasure> = dues
            .iter()
            .map(|due| ModelMeasure { due_original: *due, events: Vec::new() })
            .collect();
        let mut recorded = 0usize;
        for op in ops {
            // Rule violations are expected and must leave the ledger as it was.
            let before = crate::harness::dump(&dir.path().join("l.db"));
            let result = match op {
                Op::Wait { days } => { today = (today + days).min(100); Ok(()) }
                Op::Close { m, back } => ledger.write(&stamp(today), |w| w.close(ItemId::measure(m as i64 + 1), &CloseRequest { on: Some(day(today.saturating_sub(back))), ..CloseRequest::default() })),
                Op::Ongoing { m } => ledger.write(&stamp(today), |w| w.close(ItemId::measure(m as i64 + 1), &CloseRequest { ongoing: true, ..CloseRequest::default() })),
                Op::Reopen { m } => ledger.write(&stamp(today), |w| w.reopen(ItemId::measure(m as i64 + 1), "驳回").map(|_| ())),
                Op::Extend { m, days } => ledger.write(&stamp(today), |w| {
                    let due = w.item(ItemId::measure(m as i64 + 1))?.due_current.unwrap();
                    w.extend(ItemId::measure(m as i64 + 1), due + chrono::Days::new(days), "延期")
                }),
            };
            if result.is_ok() {
                recorded += 1;
                let happened = match op {
                    Op::Wait { .. } => None,
                    Op::Close { m, back } => Some((m, today.saturating_sub(back), Happened::Closed)),
                    Op::Ongoing { m } => Some((m, today, Happened::Ongoing)),
                    Op::Reopen { m } => Some((m, today, Happened::Reopened)),
                    Op::Extend { m, days } => {
                        let to = model[m].due_current() + days;
                        Some((m, today, Happened::Extended { to }))
                    }
                };
                if let Some((m, on, h)) = happened {
                    model[m].events.push((on, recorded, h));
                }
            }
            if let Err(e) = result {
                prop_assert!(
                    matches!(e, rectify::error::Error::Invalid { .. } | rectify::error::Error::Refused { .. }),
                    "not a rule's refusal: {e:?}"
                );
                prop_assert_eq!(&before, &crate::harness::dump(&dir.path().join("l.db")), "a refused change left a trace: {:?}", e);
            }
        }
        for d in (0..=100).step_by(3) {
            let r = report::campaign_report(&ledger, &campaign, day(d), false).unwrap();
            let m = &r.measures;
            prop_assert_eq!(m.closed + m.ongoing + m.open, m.total);
            prop_assert_eq!(m.on_time + m.late, m.closed);
            prop_assert!(m.overdue <= m.open);
            prop_assert_eq!(r.overdue.len() as i64, m.overdue);
            prop_assert_eq!(r.ageing.values().sum::<i64>(), m.open);
            let by_dept: i64 = r.by_department.iter().map(|g| g.total).sum();
            prop_assert_eq!(by_dept, m.total);
        }
        // The independent model agrees with the binary's report.
        for d in [0, today / 2, today, today + 5, 100] {
            prop_assert_eq!(
                model_figures(&model, d),
                reported_figures(&dir.path().join("l.db"), d),
                "as of day {}", d
            );
        }
        // And the history replays to the same tables.
        let check = rectify::ledger::verify::verify(&ledger, &Default::default()).unwrap();
        prop_assert!(check.ok(), "{:?}", check.findings);
    }
}
