//! Crash safety: a 100k-row import killed with SIGKILL at random moments
//! leaves the ledger with all of the import or none of it, intact and
//! verified.

use std::io::Write;
use std::time::Instant;

use crate::harness::{zt2023_campaign, Ledger};

const PROBLEMS: usize = 20_000;
const MEASURES_PER_PROBLEM: usize = 5;
const ROWS: usize = PROBLEMS * MEASURES_PER_PROBLEM;
const TRIALS: u32 = 10;

/// A sheet of `ROWS` measures in the campaign's window, a tenth of them
/// already done, so the import writes add and close events.
fn write_big_sheet(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "campaign,problem_id,problem,scope,measure,department,owner,due_original,status,closed_on"
    )
    .unwrap();
    for row in 0..ROWS {
        let p = row / MEASURES_PER_PROBLEM + 1;
        let scope = if p.is_multiple_of(3) {
            "班子"
        } else {
            "个人"
        };
        let (status, closed) = if row % 10 == 0 {
            ("已完成", "2023-07-20")
        } else {
            ("正在整改", "")
        };
        writeln!(
            out,
            "ZT2023,P{p},问题{p}：理论学习不够深入，学用结合不紧,{scope},措施{row}：健全制度并督促检查,部门{},人员{},2023-07-{:02},{status},{closed}",
            row % 20,
            row % 200,
            row % 26 + 1,
        )
        .unwrap();
    }
    out.flush().unwrap();
}

struct State {
    problems: i64,
    measures: i64,
    events: i64,
}

/// Integrity and `verify` must hold whatever the outcome; returns the counts.
#[track_caller]
fn check_intact(l: &Ledger) -> State {
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    let state = State {
        problems: count("problem"),
        measures: count("measure"),
        events: count("event"),
    };
    drop(conn);
    let verified = l.ok(&["verify"]);
    assert!(verified.starts_with("ok:"), "{verified}");
    state
}

/// A small deterministic generator, so a failing trial can be replayed from
/// the seed it prints.
struct SplitMix(u64);

impl SplitMix {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn an_import_killed_at_random_moments_is_all_or_nothing() {
    let base = zt2023_campaign();
    let sheet = base.path("big.csv");
    write_big_sheet(&sheet);
    let sheet = sheet.to_str().unwrap().to_string();
    let before = check_intact(&base);

    let trial_ledger = |name: &str| -> Ledger {
        let mut l = Ledger::empty();
        l.db = l.path(name);
        l.at(&base.today);
        base.ok(&["backup", l.db.to_str().unwrap()]);
        l
    };

    // The control run: the whole import, timed to spread the kills over it.
    let control = trial_ledger("control.db");
    let started = Instant::now();
    let out = control.ok(&["import", &sheet]);
    let full = started.elapsed();
    assert!(
        out.starts_with(&format!("imported {PROBLEMS} problems and {ROWS} measures")),
        "{out}"
    );
    let all = check_intact(&control);
    assert_eq!(all.problems - before.problems, PROBLEMS as i64);
    assert_eq!(all.measures - before.measures, ROWS as i64);
    // One add per item, one close per done measure.
    assert_eq!(
        all.events - before.events,
        (PROBLEMS + ROWS + ROWS / 10) as i64
    );

    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::process::id() as u64);
    eprintln!("crash trials: seed {seed} (set CRASH_SEED to replay), full import {full:?}");
    let mut random = SplitMix(seed);
    let (mut none, mut whole) = (0, 0);
    for trial in 0..TRIALS {
        let l = trial_ledger(&format!("trial{trial}.db"));
        // One kill in each tenth of the import's run, at a random point in
        // it, with the last reaching past the end into the commit.
        let at = full.mul_f64((f64::from(trial) + random.unit()) / f64::from(TRIALS) * 1.1);
        let mut child = l.command(&["import", &sheet]).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL; it may already have finished
        let status = child.wait().unwrap();
        let after = check_intact(&l);
        let outcome = if (after.problems, after.measures, after.events)
            == (before.problems, before.measures, before.events)
        {
            none += 1;
            "none"
        } else if (after.problems, after.measures, after.events)
            == (all.problems, all.measures, all.events)
        {
            whole += 1;
            "all"
        } else {
            panic!(
                "trial {trial} (seed {seed}, kill at {at:?}, {status}): half an import: \
                 {} problems, {} measures, {} events",
                after.problems, after.measures, after.events
            );
        };
        eprintln!("trial {trial}: kill at {at:?}, {status}: {outcome} of the import");
        // An import that said it was done before the kill came is there
        // whole. (Trials are separate ledgers and processes: one finding
        // the import done and a later, slower one killed before its
        // commit says nothing about either.)
        if status.success() {
            assert_eq!(
                outcome, "all",
                "trial {trial} (seed {seed}): the import exited 0, yet is not in the ledger"
            );
        }
    }
    assert!(none > 0, "no kill landed before the commit");
    eprintln!("crash trials: {none} found none of the import, {whole} all of it");
}
