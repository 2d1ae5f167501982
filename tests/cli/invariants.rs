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
            let c = w.new_campaign(NewCampaign { code: "P".into(), name: "性质".into(), start: day(0), days: 80, source: None })?;
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
        // And the history replays to the same tables.
        let check = rectify::ledger::verify::verify(&ledger, &Default::default()).unwrap();
        prop_assert!(check.ok(), "{:?}", check.problems);
    }
}
