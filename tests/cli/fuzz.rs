//! Arbitrary bytes and random command sequences never panic, and the
//! history always verifies afterwards.

use proptest::prelude::*;

use crate::harness::{small_campaign, Ledger};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn import_of_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400), header: bool) {
        let l = Ledger::new();
        let mut data = if header { "问题描述,整改措施,整改时限,状态\n".as_bytes().to_vec() } else { Vec::new() };
        data.extend(bytes);
        std::fs::write(l.path("x.csv"), &data).unwrap();
        let run = l.run(&["import", "x.csv"]);
        prop_assert!(matches!(run.code, Some(0) | Some(2)), "{}", run);
        prop_assert!(!run.stderr.contains("panicked"), "{}", run);
        prop_assert!(l.ok(&["verify"]).starts_with("ok:"));
    }

    #[test]
    fn random_commands_keep_the_history_verifiable(cmds in prop::collection::vec((0..8usize, 1..5i64, 0..40u64), 1..12)) {
        let mut l = small_campaign();
        for (what, n, day) in cmds {
            let date = (chrono::NaiveDate::from_ymd_opt(2023, 5, 1).unwrap() + chrono::Days::new(day)).to_string();
            l.at(&date);
            let m = format!("M{n}");
            let args: Vec<&str> = match what {
                0 => vec!["close", &m],
                1 => vec!["close", &m, "--ongoing"],
                2 => vec!["reopen", &m, "--reason", "驳回"],
                3 => vec!["extend", &m, "--to", "2023-08-01", "--reason", "延期"],
                4 => vec!["assign", &m, "--owner", "新人"],
                5 => vec!["add", "measure", "新措施", "--problem", "P1"],
                6 => vec!["close", "P1"],
                _ => vec!["note", &m, "进展"],
            };
            let run = l.run(&args);
            prop_assert!(matches!(run.code, Some(0) | Some(2) | Some(3) | Some(4)), "{}", run);
            prop_assert!(!run.stderr.contains("panicked"), "{}", run);
        }
        prop_assert!(l.ok(&["verify"]).starts_with("ok:"));
    }
}
