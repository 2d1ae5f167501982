use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{small_campaign, zt2023_campaign, Ledger};

#[test]
fn read_commands_never_create_a_ledger() {
    let l = Ledger::empty();
    for args in [
        &["list"][..],
        &["check"],
        &["show", "P1"],
        &["log"],
        &["verify"],
        &["close", "M1"],
    ] {
        let e = l.fails(args, 5);
        assert!(e.contains("no ledger at"), "{e}");
        assert!(e.contains("hint: run `rectify init`"), "{e}");
        assert!(!l.db.exists());
    }
    // Nor a missing directory.
    let mut cmd = l.command(&["list"]);
    cmd.env("RECTIFY_DB", l.path("nowhere/ledger.db"));
    let run = l.run_cmd(cmd, &["list"]);
    assert_eq!(run.code, Some(5), "{run}");
    assert!(!l.path("nowhere").exists());
}

#[test]
fn an_unreadable_sheet_does_not_create_a_ledger() {
    let l = Ledger::empty();
    std::fs::write(l.path("wrong.csv"), "名字,年龄\n张三,30\n").unwrap();
    std::fs::write(l.path("mixed.csv"), b"\xef\xbb\xbf\xce\xca\xcc\xe2\n").unwrap();
    for file in ["wrong.csv", "mixed.csv", "missing.csv"] {
        let run = l.run(&["import", file]);
        assert!(matches!(run.code, Some(2) | Some(5)), "{run}");
        assert!(!l.db.exists(), "{file} created a ledger");
    }
}

#[test]
fn writes_create_the_ledger_and_its_directory_private() {
    use std::os::unix::fs::PermissionsExt;
    let l = Ledger::empty();
    let db = l.path("deep/er/ledger.db");
    let mut cmd = l.command(&["add", "problem", "问题"]);
    cmd.env("RECTIFY_DB", &db);
    let run = l.run_cmd(cmd, &["add"]);
    assert_eq!(run.code, Some(0), "{run}");
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    for side in ["-wal", "-shm"] {
        let p = l.path(&format!("deep/er/ledger.db{side}"));
        if p.exists() {
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}

#[test]
fn not_a_ledger_is_refused() {
    let l = Ledger::empty();
    std::fs::write(&l.db, "序号,问题描述\n1,x\n").unwrap();
    let e = l.fails(&["list"], 5);
    assert!(e.contains("is not a rectify ledger"), "{e}");
    let e = l.fails(&["add", "problem", "x"], 5);
    assert!(e.contains("is not a rectify ledger"), "{e}");

    // Another application's SQLite database.
    let other = l.path("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let mut cmd = l.command(&["add", "problem", "x"]);
    cmd.env("RECTIFY_DB", &other);
    let run = l.run_cmd(cmd, &["add"]);
    assert_eq!(run.code, Some(5), "{run}");
    assert!(run.stderr.contains("not a rectify ledger"), "{run}");

    // A directory.
    let mut cmd = l.command(&["list"]);
    cmd.env("RECTIFY_DB", l.dir.path());
    let run = l.run_cmd(cmd, &["list"]);
    assert_eq!(run.code, Some(5), "{run}");
}

#[test]
fn a_newer_schema_is_refused() {
    let l = Ledger::new();
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let e = l.fails(&["list"], 5);
    assert!(
        e.contains("schema version 99, newer than this rectify understands (6)"),
        "{e}"
    );
    l.fails(&["add", "problem", "x"], 5);
}

#[test]
fn init_is_idempotent() {
    let l = Ledger::new();
    l.ok(&["add", "problem", "问题"]);
    let before = l.dump();
    assert!(l.ok(&["init"]).starts_with("ledger already exists"));
    assert_eq!(before, l.dump());
}

/// A copy of a ledger in `tests/fixtures`, as its owner keeps it.
fn from_fixture(name: &str, today: &str) -> Ledger {
    let mut l = Ledger::empty();
    l.at(today);
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::copy(&fixture, &l.db).unwrap();
    // A checkout gives the fixture the umask's mode; a ledger is private.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&l.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    l
}

/// A real schema 1 ledger (no `measure.settled_on`), written by the last
/// rectify with schema 1 (`tests/fixtures/make-schema1.sh` says how), is
/// upgraded in place by the first command that opens it: the column is
/// filled from the history as today's rectify fills it, the history and
/// its fingerprint are untouched, it verifies, and the report gives the
/// figures the schema 1 rectify gave.
#[test]
fn a_schema_1_ledger_is_upgraded_in_place() {
    // `log --head` and `report campaign --as-of 2023-06-20`'s measures, as
    // the schema 1 rectify printed them for the fixture.
    const HEAD: &str = "de1836e77bd8c41ebb43e0989ff8520947a57c784021a2388efda441b63f501b";
    const MEASURES: &str = r#"{"closed":2,"due_soon":0,"extended":1,"late":1,"ongoing":1,"on_time":1,"open":3,"overdue":1,"total":6}"#;
    let l = from_fixture("schema1.db", "2023-07-26");
    let has_settled_on = |l: &Ledger| {
        let conn = rusqlite::Connection::open(&l.db).unwrap();
        let stmt = conn.prepare("SELECT * FROM measure").unwrap();
        let names = stmt.column_names();
        names.contains(&"settled_on")
    };
    let before = l.dump();
    assert!(before.starts_with("user_version Ok(1)"), "{before}");
    assert!(!has_settled_on(&l));

    l.ok(&["list"]);
    let after = l.dump();
    assert!(after.starts_with("user_version Ok(6)"), "{after}");
    assert!(has_settled_on(&l));
    assert_eq!(l.ok(&["log", "--head"]).trim(), HEAD);
    // The same history written by today's rectify settles the same days.
    assert_eq!(
        crate::reports::settled_on(&l),
        crate::reports::settled_on(&crate::reports::mixed_out_of_order())
    );
    let report: serde_json::Value = serde_json::from_str(&l.ok(&[
        "report",
        "campaign",
        "--format",
        "json",
        "--as-of",
        "2023-06-20",
    ]))
    .unwrap();
    let measures: serde_json::Value = serde_json::from_str(MEASURES).unwrap();
    for (key, value) in measures.as_object().unwrap() {
        assert_eq!(&report["measures"][key], value, "measures.{key}");
    }
    assert!(l.ok(&["verify"]).starts_with("ok: 17 events"));
}

/// New UUIDs are version 7 and sort in the order the items were added, so
/// a large import appends to the uuid indexes.
#[test]
fn new_uuids_sort_in_the_order_items_were_added() {
    let l = crate::harness::zt2023_campaign();
    let mut args = vec!["add", "problem", "调查研究不够深入"];
    for _ in 0..40 {
        args.extend(["--measure", "措施"]);
    }
    l.ok(&args);
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let uuids: Vec<String> = conn
        .prepare("SELECT uuid FROM problem UNION ALL SELECT uuid FROM measure")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(uuids.len(), 41);
    assert!(uuids.iter().all(|u| u.as_bytes()[14] == b'7'), "{uuids:?}");
    assert!(uuids.windows(2).all(|w| w[0] < w[1]), "{uuids:?}");
}

/// A real schema 2 ledger, written by rectify before schema 3 (the
/// previous release's binary made `tests/fixtures/schema2.db`), is upgraded
/// in place by the first command: its history and fingerprint unchanged,
/// the wider event kinds and actions usable, the unused view gone.
#[test]
fn a_schema_2_ledger_is_upgraded_in_place() {
    const HEAD: &str = "66cf8065fc18ef20514d61776d5a99e8c4a33eb589a0ebecb516f059c1e30965";
    let l = from_fixture("schema2.db", "2023-06-20");
    let events_before = crate::harness::dump(&l.db);
    assert!(
        events_before.starts_with("user_version Ok(2)"),
        "{events_before}"
    );

    assert_eq!(l.ok(&["log", "--head"]).trim(), HEAD);
    let after = l.dump();
    assert!(after.starts_with("user_version Ok(6)"), "{after}");
    // Every row, events included, is as it was, but for the columns later
    // schemas add last, empty: 4's `extra` on problems and measures, 5's
    // `voided_on` on both, `accepted_on` and `accepted_by` on measures and
    // `acceptance` on campaigns.
    assert_eq!(
        events_before.replacen("user_version Ok(2)", "", 1),
        after
            .replacen("user_version Ok(6)", "", 1)
            .replace("|Text(\"\")|Null|Null|Text(\"\")\n", "\n")
            .replace("|Text(\"\")|Null\n", "\n")
            .replace("|Integer(0)\n", "\n")
    );
    assert!(l.ok(&["verify"]).starts_with("ok: 6 events"));
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let views: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'view'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(views, 0);
    drop(conn);
    // The widened CHECK takes a ledger-wide event, and verify holds.
    l.ok(&["init", "--lang", "zh"]);
    assert!(l.ok(&["verify"]).contains("7 条历史记录"));
}

/// `init --lang zh` records the office's language in the ledger: later
/// commands speak it with no environment (as under cron), `RECTIFY_LANG`
/// and `--lang` still win for their run, and the setting is history.
#[test]
fn the_ledgers_language_is_recorded_and_used() {
    let l = crate::harness::small_campaign();
    assert_eq!(l.ok(&["check"]).trim(), "nothing overdue or due soon");
    let said = l.ok(&["init", "--lang", "zh"]);
    assert!(said.contains("台账界面语言已设为中文"), "{said}");
    assert_eq!(l.ok(&["check"]).trim(), "无逾期或即将到期事项");
    assert_eq!(
        l.ok(&["--lang", "en", "check"]).trim(),
        "nothing overdue or due soon"
    );
    let mut cmd = l.command(&["check"]);
    cmd.env("RECTIFY_LANG", "en");
    assert_eq!(
        l.run_cmd(cmd, &["check"]).stdout.trim(),
        "nothing overdue or due soon"
    );
    // Still zh: --lang on another command changed only that run.
    assert_eq!(l.ok(&["check"]).trim(), "无逾期或即将到期事项");
    assert!(l.ok(&["log"]).contains("界面语言"));
    assert!(l.ok(&["verify"]).starts_with("一致"));
    // A write goes on with the connection that read the language, and its
    // refusals speak it too.
    assert!(l
        .ok(&["add", "measure", "新措施", "--problem", "P1"])
        .starts_with('M'));
    let refused = l.run(&["close", "M999"]);
    assert_eq!(refused.code, Some(3), "{}", refused.stderr);
    assert_eq!(refused.stderr.trim(), "error: 未找到 M999");
    // Saying it again records nothing.
    let head = l.ok(&["log", "--head"]);
    l.ok(&["init", "--lang", "zh"]);
    assert_eq!(head, l.ok(&["log", "--head"]));
}

/// Schema 5 stored its CHECK constraints' lists as IN lists, which SQLite
/// checked through a temporary index on every write. A schema 5 ledger is
/// upgraded in place: the same rows and history, the lists written as
/// comparisons that still refuse what they refused.
#[test]
fn a_schema_5_ledgers_checks_become_comparisons() {
    let l = crate::harness::small_campaign();
    let head = l.ok(&["log", "--head"]);
    let before = l.dump();
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let stored = |name: &str| -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Put back schema 5's definitions, as schema 5 wrote them.
    let span = |sql: &str, from: &str, to: &str| -> (usize, usize) {
        let start = sql.find(from).unwrap();
        (start, start + sql[start..].find(to).unwrap() + to.len())
    };
    let swap = |sql: String, from: &str, to: &str, old: &str| -> String {
        let (a, b) = span(&sql, from, to);
        format!("{}{old}{}", &sql[..a], &sql[b..])
    };
    let measure = swap(
        stored("measure"),
        "CHECK (status =",
        "'closed')",
        "CHECK (status IN ('open', 'ongoing', 'closed'))",
    );
    let event = swap(
        stored("event"),
        "CHECK (kind =",
        "'measure')",
        "CHECK (kind IN ('ledger', 'campaign', 'problem', 'measure'))",
    );
    let event = swap(
        event,
        "CHECK (action =",
        "'accept')",
        "CHECK (action IN\n                   ('add', 'assign', 'extend', 'note', 'close', 'ongoing', 'reopen', 'campaign',\n                    'language', 'edit', 'void', 'accept'))",
    );
    let version: i64 = conn
        .query_row("PRAGMA schema_version", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
    for (name, sql) in [("measure", &measure), ("event", &event)] {
        conn.execute(
            "UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = ?2",
            [sql, name],
        )
        .unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA schema_version = {}; PRAGMA writable_schema = RESET;
         DROP INDEX event_ongoing; DROP INDEX measure_by_problem;
         CREATE INDEX measure_by_problem ON measure (problem_id);
         PRAGMA user_version = 5;",
        version + 1
    ))
    .unwrap();
    drop(conn);
    assert!(l.dump().starts_with("user_version Ok(5)"));

    assert_eq!(l.ok(&["log", "--head"]), head);
    assert_eq!(l.dump(), before, "rows or version differ after the upgrade");
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    for (name, list) in [
        ("measure", "status IN"),
        ("event", "kind IN"),
        ("event", "action IN"),
    ] {
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!sql.contains(list), "{sql}");
    }
    let refused = conn.execute("UPDATE measure SET status = 'done' WHERE id = 1", []);
    assert!(refused.is_err(), "the status check no longer holds");
    drop(conn);
    assert!(l.ok(&["verify"]).starts_with("ok: "));
    l.ok(&["close", "M1", "--ongoing"]);
    assert!(l.ok(&["verify"]).starts_with("ok: "));
}

/// After every command `ledger.db` alone is the whole ledger, with nothing
/// of it left in the `-wal` file: a clerk who copies just that file takes
/// every change, and one who restores a backup by copying it over
/// `ledger.db` gets exactly the backup. A WAL left holding the last writes
/// would fail both: the copy would lack them, and SQLite would lay the
/// leftover pages over the restored file (the benchmark, which moves a
/// ledger file over another, found it "malformed").
#[test]
fn the_ledger_file_alone_is_whole_after_every_command() {
    let l = small_campaign();
    let backup = l.path("备份.db");
    l.ok(&["backup", backup.to_str().unwrap()]);
    let backed_up = l.ok(&["log", "--head"]);

    l.ok(&["note", "M1", "备份之后的进展"]);
    let copy = Ledger::empty();
    std::fs::copy(&l.db, &copy.db).unwrap();
    assert!(copy.ok(&["show", "M1"]).contains("备份之后的进展"));
    assert_eq!(copy.ok(&["log", "--head"]), l.ok(&["log", "--head"]));
    copy.ok(&["verify"]);

    l.ok(&["note", "M1", "恢复前的最后一次写入"]);
    std::fs::copy(&backup, &l.db).unwrap();
    l.ok(&["verify"]);
    assert_eq!(l.ok(&["log", "--head"]), backed_up);
    assert!(!l.ok(&["show", "M1"]).contains("备份之后的进展"));
}

/// A write's commit is put on disk by the checkpoint that follows it; where
/// a reader's older snapshot keeps that checkpoint from copying the new
/// pages, rectify syncs the WAL itself (`make_durable`). The write goes
/// through, the reader keeps its snapshot, and once the reader is done the
/// next command leaves `ledger.db` whole again.
#[test]
fn a_write_under_a_readers_snapshot_goes_through_and_ends_up_in_the_file() {
    let l = small_campaign();
    let reader = rusqlite::Connection::open(&l.db).unwrap();
    let notes = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM event WHERE action = 'note'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    reader.execute_batch("BEGIN").unwrap();
    let seen = notes(&reader);

    l.ok(&["note", "M1", "读者在读时的进展"]);
    assert_eq!(notes(&reader), seen, "the reader's snapshot moved");
    let fresh = rusqlite::Connection::open(&l.db).unwrap();
    assert_eq!(notes(&fresh), seen + 1, "the note is not in the ledger");
    drop(fresh);
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);

    l.ok(&["note", "M1", "读者走后的进展"]);
    let copy = Ledger::empty();
    std::fs::copy(&l.db, &copy.db).unwrap();
    let shown = copy.ok(&["show", "M1"]);
    assert!(shown.contains("读者在读时的进展"), "{shown}");
    assert!(shown.contains("读者走后的进展"), "{shown}");
    assert!(l.ok(&["verify"]).starts_with("ok: "));
}

/// SQLite empties the kept `-wal` as the last connection closes. rectify
/// clears its header instead of truncating it, so the next write reuses
/// its blocks (`src/ledger/wal.rs`). The file keeps its size but holds
/// nothing: whoever opens the ledger next reads exactly the ledger file,
/// and the frames left behind a new header never come back. A WAL that a
/// large import grew past 4 MiB is truncated as before.
#[test]
fn the_wal_is_emptied_in_place_up_to_4_mib() {
    let l = zt2023_campaign();
    let wal = l.path("ledger.db-wal");
    let emptied_in_place = || {
        let bytes = std::fs::read(&wal).unwrap();
        assert!(
            bytes.len() > 32,
            "the -wal was truncated to {}",
            bytes.len()
        );
        assert_eq!(bytes[..32], [0u8; 32], "the -wal's header is not cleared");
        bytes.len()
    };
    // As SQLite sees it: no frames in the WAL, and a sound ledger file.
    let frames_left_and_integrity = || -> (i64, String) {
        let conn = rusqlite::Connection::open(&l.db).unwrap();
        let frames = conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .unwrap();
        let integrity = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        (frames, integrity)
    };

    // A write of many pages, then smaller ones over the start of its frames.
    let sheet = l.path("表.csv");
    write_sheet(&sheet, 0, 60);
    l.ok(&["import", sheet.to_str().unwrap()]);
    let kept = emptied_in_place();
    l.ok(&["add", "measure", "--problem", "P1", "补充措施"]);
    l.ok(&["close", "M1", "--on", "2023-07-26"]);
    l.ok(&["note", "M2", "进展顺利"]);
    assert_eq!(emptied_in_place(), kept);
    let shown = l.ok(&["show", "P1"]);
    assert!(shown.contains("补充措施"), "{shown}");
    assert!(l.ok(&["show", "M2"]).contains("进展顺利"));
    assert!(l.ok(&["verify"]).starts_with("ok: "));
    // Last, since this connection, not told to keep them, deletes the
    // -wal and -shm as it closes.
    assert_eq!(frames_left_and_integrity(), (0, "ok".to_string()));

    // Past 4 MiB the file is truncated; below it, kept again.
    write_sheet(&sheet, 60, 8_000);
    l.ok(&["import", sheet.to_str().unwrap()]);
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
    l.ok(&["note", "M2", "导入之后"]);
    emptied_in_place();
    assert!(l.ok(&["verify"]).starts_with("ok: "));
    assert_eq!(frames_left_and_integrity(), (0, "ok".to_string()));
}

/// A sheet of the ZT2023 campaign's measures `from..to`, three to a problem.
fn write_sheet(path: &Path, from: usize, to: usize) {
    let mut sheet = String::from(
        "campaign,problem_id,problem,scope,measure,department,owner,due_original,status\n",
    );
    for row in from..to {
        let p = row / 3 + 1;
        sheet.push_str(&format!(
            "ZT2023,P{p},问题{p}：学用结合不紧,班子,措施{row}：健全制度并督促检查,部门{},人员{},2023-08-{:02},正在整改\n",
            row % 7,
            row % 30,
            row % 28 + 1,
        ));
    }
    std::fs::write(path, sheet).unwrap();
}

/// The files `args` opens, writes, syncs and deletes, in order, each descriptor
/// shown with its path (`strace -y`), with the ledger at `db`.
fn file_calls(l: &Ledger, db: &Path, args: &[&str]) -> Vec<String> {
    Command::new("strace")
        .arg("-V")
        .output()
        .expect("strace is needed to see which files a command syncs; .ci/run installs it");
    let log = l.path("strace.log");
    let plain = l.command(args);
    let mut cmd = Command::new("strace");
    cmd.args([
        "-f",
        "-y",
        "-qq",
        "-e",
        "trace=openat,pwrite64,fsync,fdatasync,unlink",
        "-o",
    ])
    .arg(&log)
    .arg(plain.get_program())
    .args(args)
    .env_clear()
    .current_dir(l.dir.path())
    .stdin(Stdio::null());
    for (key, value) in plain.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    cmd.env("RECTIFY_DB", db);
    let run = l.run_cmd(cmd, args);
    assert_eq!(run.code, Some(0), "{run}");
    std::fs::read_to_string(&log)
        .expect("strace's log")
        .lines()
        .filter(|line| !line.contains("ENOENT"))
        .map(str::to_string)
        .collect()
}

/// Where `call` (say `fsync(`) was made on `path`, by index into `calls`.
fn calls_on(calls: &[String], call: &str, path: &Path) -> Vec<usize> {
    let on = format!("<{}>", path.display());
    (0..calls.len())
        .filter(|&i| calls[i].contains(call) && calls[i].contains(&on))
        .collect()
}

/// Whether, once `made` is opened, its directory is synced before the
/// first write to `written`.
fn synced_before_written(calls: &[String], made: &Path, written: &Path) -> bool {
    let opened = format!("\"{}\"", made.display());
    let Some(made_at) = calls.iter().position(|c| c.contains(&opened)) else {
        return false;
    };
    let first_after = |call: &str, path: &Path| {
        calls_on(calls, call, path)
            .into_iter()
            .find(|&i| i > made_at)
    };
    let dir = made.parent().expect("a file in a directory");
    matches!(
        (first_after("fsync(", dir), first_after("pwrite64(", written)),
        (Some(synced), Some(write)) if synced < write
    )
}

/// SQLite is built not to sync a directory itself (it did so on every
/// write, for a `-wal` that is kept for the ledger's life). rectify syncs
/// it when a file has just been made there: the ledger and the directories
/// made for it, the `-wal` (before the first write to it, also where a
/// reader made it), and the rollback journal of a backup copied into place
/// as it is switched to WAL mode.
#[test]
fn a_directory_is_synced_when_a_file_is_made_in_it_and_only_then() {
    let l = Ledger::empty();
    let dir = l.path("ledgers/2023");
    let db = dir.join("ledger.db");
    let wal = dir.join("ledger.db-wal");
    let calls = file_calls(
        &l,
        &db,
        &[
            "campaign",
            "new",
            "C1",
            "--name",
            "专项",
            "--start",
            "2023-05-01",
        ],
    );
    let shown = calls.join("\n");
    for made in [l.dir.path().to_path_buf(), l.path("ledgers"), dir.clone()] {
        assert!(
            !calls_on(&calls, "fsync(", &made).is_empty(),
            "{} not synced:\n{shown}",
            made.display()
        );
    }
    assert!(
        synced_before_written(&calls, &wal, &wal),
        "the directory is not synced between the -wal's making and its first write:\n{shown}"
    );

    // Every write after that, and every read, leaves the directory alone.
    let sheet = l.path("表.csv");
    std::fs::write(&sheet, "campaign,problem,measure\nC1,问题二,措施二\n").unwrap();
    for args in [
        &["add", "problem", "--campaign", "C1", "问题"][..],
        &["add", "measure", "--problem", "P1", "措施"],
        &["close", "M1"],
        &["import", sheet.to_str().unwrap()],
        &["list"],
    ] {
        let calls = file_calls(&l, &db, args);
        assert_eq!(
            calls_on(&calls, "fsync(", &dir),
            Vec::<usize>::new(),
            "{args:?}:\n{}",
            calls.join("\n")
        );
    }

    // A reader that makes the -wal syncs the directory, or the writer after
    // it would take the file for settled.
    std::fs::remove_file(&wal).unwrap();
    let calls = file_calls(&l, &db, &["list"]);
    assert!(wal.exists());
    assert!(
        !calls_on(&calls, "fsync(", &dir).is_empty(),
        "{}",
        calls.join("\n")
    );

    // A backup is one rollback-mode file. Copied into place, it is switched
    // to WAL mode through a journal whose name is on disk first.
    let backup = l.path("备份.db");
    let mut cmd = l.command(&["backup", backup.to_str().unwrap()]);
    cmd.env("RECTIFY_DB", &db);
    let run = l.run_cmd(cmd, &["backup"]);
    assert_eq!(run.code, Some(0), "{run}");
    for side in ["-wal", "-shm"] {
        std::fs::remove_file(dir.join(format!("ledger.db{side}"))).unwrap();
    }
    std::fs::copy(&backup, &db).unwrap();
    let calls = file_calls(&l, &db, &["note", "M1", "恢复之后"]);
    let shown = calls.join("\n");
    let journal = dir.join("ledger.db-journal");
    assert!(
        synced_before_written(&calls, &journal, &db),
        "the journal's name is not on disk before the ledger file is written:\n{shown}"
    );
    assert!(!dir.join("ledger.db-journal").exists());
    let mut cmd = l.command(&["verify"]);
    cmd.env("RECTIFY_DB", &db);
    let run = l.run_cmd(cmd, &["verify"]);
    assert_eq!(run.code, Some(0), "{run}");
}
