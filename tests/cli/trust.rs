//! The ledger as evidence: tampering is caught, concurrent clerks lose
//! nothing, bad input never changes anything.

use std::os::unix::fs::PermissionsExt;

use crate::harness::{assert_one_error, dump, small_campaign, Ledger};

fn sqlite(l: &Ledger, sql: &str) {
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn verify_catches_a_row_edited_behind_the_ledgers_back() {
    let mut l = small_campaign();
    l.at("2023-06-20")
        .ok(&["close", "M1", "--on", "2023-06-18"]);
    assert!(l.ok(&["verify"]).starts_with("ok: 5 events"));
    sqlite(
        &l,
        "UPDATE measure SET closed_on = '2023-06-01' WHERE id = 1",
    );
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(
        run.stdout.contains(
            "M1: closed_on is \"2023-06-01\" in the ledger but \"2023-06-18\" by its history"
        ),
        "{run}"
    );
    assert_one_error(&run);
}

#[test]
fn verify_catches_a_rewritten_event() {
    let l = small_campaign();
    // The triggers stop a slip in code...
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let err = conn
        .execute("DELETE FROM event WHERE seq = 2", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    // ...but someone with the sqlite3 shell can drop them.
    conn.execute_batch(
        "DROP TRIGGER event_no_update;
         UPDATE event SET payload = replace(payload, '张三', '李四') WHERE seq = 2;
         UPDATE problem SET owner = '李四' WHERE id = 1;",
    )
    .unwrap();
    drop(conn);
    let run = l.run(&["verify", "--format", "json"]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(
        run.stdout
            .contains("event 2 (P1 add): hash does not match its contents"),
        "{run}"
    );
    // Deleting an event breaks the chain after it.
    sqlite(
        &l,
        "DROP TRIGGER event_no_delete; DELETE FROM event WHERE seq = 3;",
    );
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6));
    assert!(run.stdout.contains("prev_hash does not match"), "{run}");
    assert!(
        run.stdout
            .contains("M1: in the ledger but not in its history"),
        "{run}"
    );
}

#[test]
fn verify_lists_late_entries() {
    let mut l = small_campaign();
    l.at("2023-06-20")
        .ok(&["close", "M1", "--on", "2023-05-11"]);
    // RECTIFY_NOW pins recording to 2023-05-10 in tests; a closure claiming
    // 2023-05-11 recorded then is not late. Record one properly late:
    let mut cmd = l.command(&["close", "M2", "--on", "2023-05-10"]);
    cmd.env("RECTIFY_NOW", "2023-07-01T09:00:00Z");
    assert_eq!(l.run_cmd(cmd, &["close"]).code, Some(0));
    let out = l.ok(&["verify", "--late", "30"]);
    assert!(out.contains("late: event 6 M2 close claims 2023-05-10 but was recorded 2023-07-01T09:00:00Z (52 days later)"), "{out}");
    assert!(!out.contains("M1 close"), "{out}");
}

#[test]
fn backup_is_a_verified_copy() {
    let l = small_campaign();
    let copy = l.path("copy.db");
    let out = l.ok(&["backup", copy.to_str().unwrap()]);
    let head = l.ok(&["log", "--head"]);
    assert!(out.ends_with(&format!("fingerprint {}", head)), "{out}");
    assert_eq!(dump(&l.db), dump(&copy));
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Never overwrites.
    l.fails(&["backup", copy.to_str().unwrap()], 4);
}

/// Backups taken while another clerk keeps writing are each a consistent
/// snapshot: they verify, and their head is an event of the live history.
#[test]
fn backup_while_another_clerk_writes() {
    let l = small_campaign();
    let writing = std::sync::atomic::AtomicBool::new(true);
    let copies: Vec<std::path::PathBuf> = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut n = 0;
            // Bounded, so a failed backup cannot leave it writing forever.
            while (writing.load(std::sync::atomic::Ordering::Relaxed) || n < 20) && n < 2000 {
                l.ok(&["add", "measure", "--problem", "P1", &format!("措施{n}")]);
                n += 1;
            }
            n
        });
        let copies = (0..5)
            .map(|i| {
                std::thread::sleep(std::time::Duration::from_millis(150));
                let copy = l.path(&format!("copy{i}.db"));
                let out = l.ok(&["backup", copy.to_str().unwrap()]);
                assert!(out.contains("fingerprint"), "{out}");
                copy
            })
            .collect();
        writing.store(false, std::sync::atomic::Ordering::Relaxed);
        assert!(writer.join().unwrap() >= 20);
        copies
    });
    let live = rusqlite::Connection::open(&l.db).unwrap();
    let mut seen = Vec::new();
    for copy in &copies {
        let conn = rusqlite::Connection::open(copy).unwrap();
        let (seq, hash): (i64, String) = conn
            .query_row(
                "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let live_hash: String = live
            .query_row("SELECT hash FROM event WHERE seq = ?1", [seq], |r| r.get(0))
            .unwrap();
        assert_eq!(
            hash,
            live_hash,
            "{} is a snapshot of the live history",
            copy.display()
        );
        let measures: i64 = conn
            .query_row("SELECT count(*) FROM measure", [], |r| r.get(0))
            .unwrap();
        seen.push(measures);
    }
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]) && seen.first() < seen.last(),
        "the copies caught the writer at different points: {seen:?}"
    );
}

#[test]
fn a_readable_ledger_draws_a_warning() {
    let l = small_campaign();
    std::fs::set_permissions(&l.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = l.run(&["list"]);
    assert_eq!(run.code, Some(0));
    assert!(
        run.stderr.starts_with("warning: ") && run.stderr.contains("chmod 600"),
        "{run}"
    );
    let mut cmd = l.command(&["list"]);
    cmd.env("RECTIFY_LANG", "zh");
    let run = l.run_cmd(cmd, &["list"]);
    assert!(run.stderr.contains("可被其他用户读取（权限 644）"), "{run}");
}

#[test]
fn eight_clerks_at_once_lose_nothing() {
    let l = Ledger::new();
    l.ok(&["add", "problem", "共用问题"]);
    const CLERKS: usize = 8;
    const EACH: usize = 250;
    std::thread::scope(|s| {
        for clerk in 0..CLERKS {
            let l = &l;
            s.spawn(move || {
                let mut mine: Vec<String> = Vec::new();
                for i in 0..EACH {
                    let by = format!("clerk{clerk}");
                    let run = match i % 5 {
                        0..=2 if mine.len() < 2 || i % 5 != 2 => {
                            let run = l.run(&[
                                "add",
                                "measure",
                                &format!("措施{clerk}-{i}"),
                                "--problem",
                                "P1",
                                "--by",
                                &by,
                            ]);
                            mine.push(run.stdout.trim().to_string());
                            run
                        }
                        3 => {
                            let id = mine.pop().unwrap();
                            l.run(&["close", &id, "--by", &by])
                        }
                        _ => {
                            let id = mine.last().unwrap().clone();
                            l.run(&["assign", &id, "--owner", &format!("owner{i}"), "--by", &by])
                        }
                    };
                    assert_eq!(run.code, Some(0), "clerk {clerk} command {i}\n{run}");
                }
            });
        }
    });
    let events: serde_json::Value =
        serde_json::from_str(&l.ok(&["log", "--format", "json"])).unwrap();
    assert_eq!(
        events.as_array().unwrap().len(),
        1 + CLERKS * EACH,
        "every change is in the history"
    );
    assert!(l.ok(&["verify"]).starts_with("ok:"));
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

/// The tables are compared side by side in key order: a row missing from
/// the ledger is named, and the rows after it are still compared.
#[test]
fn verify_walks_past_a_row_missing_from_the_ledger() {
    let l = small_campaign();
    sqlite(
        &l,
        "DELETE FROM measure WHERE id = 1;
         UPDATE measure SET owner = '王五' WHERE id = 2;",
    );
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    let findings: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with("TAMPERED"))
        .collect();
    assert!(
        findings
            .iter()
            .any(|f| f.contains("M1: in the history but missing from the ledger")),
        "{run}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains("M2: owner is \"王五\" in the ledger but")),
        "{run}"
    );
    assert_eq!(findings.len(), 2, "{run}");
}

/// verify writes an added item's row once with the events that follow it
/// straight away; a value one of them sets and a later one overwrites must
/// still be one the ledger would have taken, or the event is named.
#[test]
fn verify_names_an_unreplayable_event_that_a_later_one_overwrites() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    l.ok(&["add", "measure", "--problem", "P1", "新措施"]);
    l.ok(&["close", "M3"]);
    assert!(l.ok(&["verify"]).starts_with("ok: 6 events"));
    sqlite(
        &l,
        "DROP TRIGGER event_no_update;
         UPDATE event SET payload = replace(payload, '\"status\":\"open\"', '\"status\":\"bogus\"')
          WHERE item = 'M3' AND action = 'add';",
    );
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    let refused =
        "event 5 (M3 add): cannot be replayed: ledger storage error: CHECK constraint failed";
    assert!(run.stdout.contains(refused), "{run}");
    // Applied one by one, as recorded: the add never went in, so the
    // close that follows found no row.
    assert!(
        run.stdout
            .contains("M3: in the ledger but not in its history"),
        "{run}"
    );
    // In Chinese, what refused it is worded in Chinese too; SQLite's own
    // message stays as SQLite words it.
    let run = l.run(&["verify", "--lang", "zh"]);
    assert_eq!(run.code, Some(6), "{run}");
    let refused = "第 5 条记录（M3 add）：无法重放：台账存储出错: CHECK constraint failed";
    assert!(run.stdout.contains(refused), "{run}");
}

/// Each event's findings are listed together, in event order, however
/// the checks run (hashes on a second thread, an added item's row written
/// after the events that follow it are read).
#[test]
fn verify_lists_each_events_findings_in_event_order() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    l.ok(&["add", "measure", "--problem", "P1", "新措施"]);
    l.ok(&["close", "M3"]);
    l.ok(&["note", "M1", "进展"]);
    sqlite(
        &l,
        "DROP TRIGGER event_no_update;
         UPDATE event SET payload = replace(payload, '\"status\":\"open\"', '\"status\":\"bogus\"')
          WHERE item = 'M3' AND action = 'add';
         UPDATE event SET hash = '00' || substr(hash, 3) WHERE item = 'M3' AND action = 'close';",
    );
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?}\n{run}"))
    };
    let order = [
        at("event 5 (M3 add): hash does not match its contents"),
        at("event 5 (M3 add): cannot be replayed"),
        at("event 6 (M3 close): hash does not match its contents"),
        at("event 7 (M1 note): prev_hash does not match the event before it"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{run}");
}
