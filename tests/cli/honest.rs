//! Nothing false, nothing lost: reads are one snapshot under load, rules
//! that keep figures true, bounded and honestly decoded input, exit codes
//! that tell the truth, files that neither leak nor lock anyone out, and a
//! `verify` that says what it can and cannot catch.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::harness::{assert_one_error, bin, dump, small_campaign, Ledger, Run, NOW};

fn sqlite(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// Run a shell script with the test's environment (for `umask`).
fn sh(l: &Ledger, script: &str) -> Run {
    let mut cmd = Command::new("sh");
    cmd.env_clear()
        .env("RECTIFY_DB", &l.db)
        .env("RECTIFY_TODAY", &l.today)
        .env("RECTIFY_NOW", NOW)
        .env("RECTIFY_USER", "tester")
        .current_dir(l.dir.path())
        .args(["-c", script])
        .stdin(Stdio::null());
    l.run_cmd(cmd, &[script])
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

// ---------------------------------------------------------------------
// One snapshot per read.

/// A nightly verify on a ledger in use must never accuse a healthy ledger:
/// the event table and the item tables are read in one snapshot.
#[test]
fn verify_never_accuses_a_ledger_being_written() {
    let l = small_campaign();
    let writing = AtomicBool::new(true);
    let notes = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut n = 0;
            while writing.load(Ordering::Relaxed) && n < 5000 {
                l.ok(&["note", "M1", &format!("n{n}")]);
                n += 1;
            }
            n
        });
        for _ in 0..100 {
            let run = l.run(&["verify"]);
            assert_eq!(run.code, Some(0), "verify accused a healthy ledger\n{run}");
        }
        writing.store(false, Ordering::Relaxed);
        writer.join().unwrap()
    });
    assert!(notes >= 10, "the writer only wrote {notes} notes");
    l.ok(&["verify"]);
}

/// Reports taken while problems are added with two measures each: every
/// figure and the footer's fingerprint come from one moment.
#[test]
fn each_report_is_one_snapshot() {
    let l = crate::harness::zt2023_campaign();
    l.ok(&[
        "add",
        "problem",
        "起点",
        "--measure",
        "甲",
        "--measure",
        "乙",
    ]);
    let writing = AtomicBool::new(true);
    let reports: Vec<serde_json::Value> = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut n = 0;
            while writing.load(Ordering::Relaxed) && n < 3000 {
                l.ok(&[
                    "add",
                    "problem",
                    &format!("问题{n}"),
                    "--measure",
                    "措施一",
                    "--measure",
                    "措施二",
                ]);
                n += 1;
            }
        });
        let reports = (0..100)
            .map(|_| json(&l.ok(&["report", "campaign", "--format", "json"])))
            .collect();
        writing.store(false, Ordering::Relaxed);
        writer.join().unwrap();
        reports
    });
    // The ledger's history: the campaign, then three events per problem.
    let events = json(&l.ok(&["log", "--format", "json"]));
    let hash_at = |seq: i64| -> String {
        let event = &events[usize::try_from(seq - 1).unwrap()];
        assert_eq!(event["seq"], seq);
        event["hash"].as_str().unwrap().to_string()
    };
    let mut sizes = Vec::new();
    for r in &reports {
        let problems = r["problems"]["total"].as_i64().unwrap();
        let measures = r["measures"]["total"].as_i64().unwrap();
        assert_eq!(measures, 2 * problems, "figures from two moments: {r}");
        assert_eq!(
            r["fingerprint"].as_str().unwrap(),
            hash_at(1 + 3 * problems),
            "the footer is not the head of a ledger holding {problems} problems"
        );
        sizes.push(problems);
    }
    assert!(
        sizes.first() < sizes.last(),
        "the reports never overlapped a write: {sizes:?}"
    );
}

// ---------------------------------------------------------------------
// Rules that keep figures true.

#[test]
fn a_problem_is_not_closed_out_before_its_measures_were_done() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    l.ok(&["close", "M1", "--on", "2023-06-01"]);
    l.ok(&["close", "M2", "--on", "2023-06-09"]);
    let e = l.fails(&["close", "P1", "--on", "2023-05-15"], 2);
    assert!(e.contains("M2") && e.contains("2023-06-09"), "{e}");
    let e = l.fails(&["close", "P1", "--on", "2023-06-08"], 2);
    assert!(e.contains("M2"), "{e}");
    // Before its raised date, too.
    l.fails(&["close", "P1", "--on", "2023-05-01"], 2);
    l.ok(&["close", "P1", "--on", "2023-06-09"]);
    // An ongoing mark, dated the day it is recorded, does not bound it.
    l.ok(&["add", "problem", "长期问题", "--measure", "长期措施"]);
    l.at("2023-06-25");
    l.ok(&["close", "M3", "--ongoing"]);
    l.ok(&["close", "P2", "--on", "2023-06-21"]);
}

#[test]
fn invisible_and_bidirectional_text_is_refused() {
    let l = small_campaign();
    for args in [
        vec!["add", "problem", "\u{200B}\u{FEFF} \u{2060}"],
        vec!["note", "M1", "\u{200D}"],
        vec!["extend", "M1", "--to", "2023-08-01", "--reason", "\u{FEFF}"],
        vec!["add", "problem", "报告\u{202E}txt.exe"],
        vec!["add", "problem", "问题", "--owner", "张\u{2067}三"],
        vec!["note", "M1", "进展\u{202A}"],
    ] {
        let e = l.fails(&args, 2);
        assert!(!e.contains("panicked"), "{e}");
    }
    // Zero-width joiners inside real text are text.
    l.ok(&["note", "M1", "完成\u{200D}初稿"]);
}

#[test]
fn campaign_codes_are_one_namespace_whatever_their_case() {
    let l = small_campaign();
    let e = l.fails(
        &[
            "campaign",
            "new",
            "zt2023",
            "--name",
            "另一个",
            "--start",
            "2023-01-01",
        ],
        4,
    );
    assert!(e.contains("ZT2023"), "{e}");
    let listed = l.ok(&["list", "--campaign", "zt2023"]);
    assert!(listed.contains("调查研究不够深入"), "{listed}");
    let report = json(&l.ok(&["report", "campaign", "Zt2023", "--format", "json"]));
    assert_eq!(report["campaign"]["code"], "ZT2023");
    l.ok(&["check", "--campaign", "zT2023"]);
}

// ---------------------------------------------------------------------
// Sheets that are not what they seem.

#[test]
fn a_sheet_that_mixes_encodings_is_refused_with_its_line() {
    let l = crate::harness::zt2023_campaign();
    let mut mixed = "问题描述,整改措施\n调查研究,制定计划\n".as_bytes().to_vec();
    mixed.extend(encoding_rs::GBK.encode("学习不够,加强学习\n").0.iter());
    mixed.extend("作风问题,改进作风\n".as_bytes());
    std::fs::write(l.path("mixed.csv"), &mixed).unwrap();
    let e = l.fails(&["import", "mixed.csv", "--campaign", "ZT2023"], 2);
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("UTF-8") && e.contains("GBK"), "{e}");

    // All GBK, and all UTF-8, still import, and read the same.
    let text = "问题描述,整改措施\n调查研究不够深入,制定调研计划\n";
    std::fs::write(l.path("gbk.csv"), encoding_rs::GBK.encode(text).0).unwrap();
    let out = l.ok(&["import", "gbk.csv", "--campaign", "ZT2023"]);
    assert!(out.contains("GB18030"), "{out}");
    assert!(l.ok(&["show", "P1"]).contains("调查研究不够深入"));
}

#[test]
fn endless_and_enormous_input_is_refused_quickly() {
    let l = Ledger::new();
    let before = l.dump();
    let run = l.run(&["import", "/dev/zero"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert_one_error(&run);
    assert!(run.stderr.contains("not a CSV or spreadsheet"), "{run}");
    // A text line that never ends is cut at 1 MiB.
    let endless = format!("问题描述\n{}", "长".repeat(400_000));
    std::fs::write(l.path("endless.csv"), endless).unwrap();
    let run = l.run(&["import", "endless.csv"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert_one_error(&run);
    assert!(run.stderr.contains("1 MiB"), "{run}");

    let header: Vec<String> = (0..1001).map(|i| format!("c{i}")).collect();
    std::fs::write(l.path("wide.csv"), header.join(",") + "\n").unwrap();
    let run = l.run(&["import", "wide.csv"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert_one_error(&run);
    assert!(run.stderr.len() < 300, "a long error line\n{run}");
    assert_eq!(before, l.dump());
}

#[test]
fn a_fifo_and_stdin_are_read_as_streams() {
    let l = crate::harness::zt2023_campaign();
    let sheet = "问题描述,整改措施\n管道问题,管道措施\n";
    let fifo = l.path("sheet.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let out = std::thread::scope(|s| {
        let feeder = s.spawn(|| std::fs::write(&fifo, sheet).unwrap());
        let out = l.ok(&["import", "sheet.fifo", "--campaign", "ZT2023"]);
        feeder.join().unwrap();
        out
    });
    assert!(out.contains("1 problems and 1 measures"), "{out}");

    let mut cmd = l.command(&["import", "-", "--campaign", "ZT2023"]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("问题描述,整改措施\n标准输入,措施\n".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(l.ok(&["list"]).contains("标准输入"));
}

// ---------------------------------------------------------------------
// Exit codes that tell the truth, and no panics.

#[test]
fn a_committed_change_whose_output_is_lost_still_exits_0() {
    let l = small_campaign();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let mut cmd = l.command(&["note", "M1", "已完成初稿"]);
    cmd.stdout(full);
    let run = l.run_cmd(cmd, &["note", "M1", "已完成初稿", ">/dev/full"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stderr
            .starts_with("warning: the change was recorded, but its output could not be written"),
        "{run}"
    );
    let log = l.ok(&["log", "M1"]);
    assert_eq!(log.matches("已完成初稿").count(), 1, "{log}");

    // A read that cannot print has failed.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut cmd = l.command(&["list"]);
    cmd.stdout(full);
    let run = l.run_cmd(cmd, &["list", ">/dev/full"]);
    assert_eq!(run.code, Some(5), "{run}");
}

/// A write the file system refuses says so, and leaves the ledger as it
/// was. (`ulimit -f` with SIGXFSZ ignored makes every write past the limit
/// fail, as a full disk does.)
#[test]
fn a_refused_write_names_the_write() {
    let l = Ledger::new();
    let mut sheet = String::from("问题描述,整改措施\n");
    for i in 0..3000 {
        sheet.push_str(&format!("问题{i}{0},措施{i}{0}\n", "长".repeat(50)));
    }
    std::fs::write(l.path("big.csv"), sheet).unwrap();
    let before = l.dump();
    let run = sh(
        &l,
        &format!(
            "ulimit -f 400; trap '' XFSZ; exec {} import big.csv",
            bin().display()
        ),
    );
    assert_eq!(run.code, Some(5), "{run}");
    assert_one_error(&run);
    assert!(
        run.stderr.starts_with(&format!(
            "error: cannot write to the ledger {}: ",
            l.db.display()
        )),
        "{run}"
    );
    assert_eq!(before, l.dump());
    l.ok(&["verify"]);
}

#[test]
fn dates_never_overflow() {
    let l = small_campaign();
    for within in ["96000000", "3661", "-1", "x"] {
        l.fails(&["check", "--within", within], 2);
    }
    assert!(matches!(
        l.run(&["check", "--within", "3660"]).code,
        Some(0 | 1)
    ));
    for (start, days) in [
        ("2100-12-31", "3660"),
        ("2100-12-31", "2"),
        ("2023-01-01", "0"),
        ("2023-01-01", "3661"),
        ("2023-01-01", "3000000000"),
    ] {
        l.fails(
            &[
                "campaign", "new", "LONG", "--name", "长", "--start", start, "--days", days,
            ],
            2,
        );
    }
    l.ok(&[
        "campaign",
        "new",
        "LAST",
        "--name",
        "最后",
        "--start",
        "2100-12-31",
        "--days",
        "1",
    ]);
}

/// A ledger edited by hand to hold values no command accepts gives exit 5
/// with a message, never a panic.
#[test]
fn out_of_range_stored_values_are_storage_errors() {
    let l = small_campaign();
    sqlite(&l.db, "UPDATE campaign SET days = 3000000000");
    for args in [
        &["campaign", "list"][..],
        &["report", "campaign"],
        &["add", "problem", "新问题", "--campaign", "ZT2023"],
        &[
            "export",
            "--format",
            "xlsx",
            "--campaign",
            "ZT2023",
            "--out",
            "x.xlsx",
        ],
    ] {
        let run = l.run(args);
        assert!(matches!(run.code, Some(5 | 6)), "{run}");
        assert_one_error(&run);
        assert!(run.stderr.contains("out of range"), "{run}");
    }
}

// ---------------------------------------------------------------------
// Files that leak or block.

#[test]
fn backup_writes_privately_and_never_through_a_link() {
    let l = small_campaign();
    // A dangling link: the copy must not be written through it.
    let target = l.path("elsewhere.db");
    std::os::unix::fs::symlink(&target, l.path("link.db")).unwrap();
    l.fails(&["backup", "link.db"], 4);
    assert!(!target.exists());
    // An existing file is never replaced.
    std::fs::write(l.path("taken.db"), b"keep me").unwrap();
    l.fails(&["backup", "taken.db"], 4);
    assert_eq!(std::fs::read(l.path("taken.db")).unwrap(), b"keep me");
    // Private whatever the umask, self-contained, and no temp file left.
    let run = sh(
        &l,
        &format!("umask 000; exec {} backup copy.db", bin().display()),
    );
    assert_eq!(run.code, Some(0), "{run}");
    let copy = l.path("copy.db");
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(dump(&l.db), dump(&copy));
    let names: Vec<String> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with(".rectify-") || n.starts_with("copy.db-")),
        "left behind: {names:?}"
    );
}

/// A backup killed at any moment leaves nothing under its name, or a
/// whole copy that verifies; a retry then succeeds.
#[test]
fn a_killed_backup_never_blocks_a_retry() {
    let l = small_campaign();
    for i in 0..20 {
        l.ok(&["add", "measure", "--problem", "P1", &format!("措施{i}")]);
    }
    for trial in 0u64..20 {
        let name = format!("killed{trial}.db");
        let mut child = l
            .command(&["backup", &name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(trial * 3 % 40));
        let _ = child.kill();
        let _ = child.wait();
        let copy = l.path(&name);
        if copy.exists() {
            let mut cmd = l.command(&["verify"]);
            cmd.env("RECTIFY_DB", &copy);
            let run = l.run_cmd(cmd, &["verify", &name]);
            assert_eq!(run.code, Some(0), "a partial backup under its name\n{run}");
        } else {
            l.ok(&["backup", &name]);
        }
    }
}

#[test]
fn exports_follow_the_umask_and_keep_a_replaced_files_mode() {
    let l = small_campaign();
    let rectify = bin();
    let sh = |script: &str| sh(&l, script);
    let mode = |name: &str| {
        std::fs::metadata(l.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let run = sh(&format!(
        "umask 022; {0} export --out a.csv && {0} export --format xlsx --out a.xlsx",
        rectify.display()
    ));
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(mode("a.csv"), 0o644);
    assert_eq!(mode("a.xlsx"), 0o644);
    std::fs::set_permissions(l.path("a.csv"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = sh(&format!(
        "umask 022; {} export --out a.csv",
        rectify.display()
    ));
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(mode("a.csv"), 0o640, "a replaced file keeps its mode");
    assert_eq!(mode("ledger.db"), 0o600, "the ledger stays private");
}

/// A SQLite file of another application is left exactly as it was by a
/// read command: no WAL switch, no `-wal` beside it.
#[test]
fn another_applications_database_is_not_touched() {
    let l = Ledger::empty();
    let other = l.path("other.db");
    sqlite(&other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    let bytes = std::fs::read(&other).unwrap();
    for args in [
        &["list"][..],
        &["verify"],
        &["report", "campaign"],
        &["note", "M1", "x"],
    ] {
        let mut cmd = l.command(args);
        cmd.env("RECTIFY_DB", &other);
        let run = l.run_cmd(cmd, args);
        assert_eq!(run.code, Some(5), "{run}");
        assert!(run.stderr.contains("not a rectify ledger"), "{run}");
        assert_eq!(std::fs::read(&other).unwrap(), bytes, "{args:?} changed it");
        assert!(!l.path("other.db-wal").exists(), "{args:?} left a -wal");
    }
}

/// The unprivileged user the other-user tests run as.
const OTHER: &str = "nobody";

/// Run rectify as another user, with the test's environment.
pub fn as_other(l: &Ledger, args: &[&str]) -> Run {
    let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("runuser (util-linux) is needed to test another user's reads; .ci/run installs it");
    let mut cmd = Command::new(runuser);
    cmd.env_clear()
        .current_dir("/")
        .args(["-u", OTHER, "--", "/usr/bin/env"])
        .arg(format!("RECTIFY_DB={}", l.db.display()))
        .arg(format!("RECTIFY_TODAY={}", l.today))
        .arg(format!("RECTIFY_NOW={NOW}"))
        .arg("RECTIFY_USER=colleague")
        .arg(bin())
        .args(args)
        .stdin(Stdio::null());
    l.run_cmd(cmd, args)
}

fn files_in(dir: &Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::MetadataExt;
    let mut files: Vec<(String, u32)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().uid(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A ledger the owner shares read-only with colleagues (0644 in a 0755
/// directory), for tests run as root that switch to another user.
pub fn shared_ledger(dir_mode: u32) -> Ledger {
    // The binary must be reachable by the other user.
    let mut dir = bin();
    while dir.pop() {
        let Ok(meta) = std::fs::metadata(&dir) else {
            break;
        };
        assert!(
            meta.permissions().mode() & 0o001 != 0,
            "{} is not searchable by {OTHER}: the other-user tests cannot run",
            dir.display()
        );
    }
    let l = small_campaign();
    std::fs::set_permissions(l.dir.path(), std::fs::Permissions::from_mode(dir_mode)).unwrap();
    std::fs::set_permissions(&l.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Any command of the owner's brings the -wal and -shm to the ledger's mode.
    owner(&l, &["log", "--head"]);
    l
}

/// The owner's command on a shared ledger: it succeeds, with at most the
/// warning that others can read the ledger. Returns stdout.
#[track_caller]
fn owner(l: &Ledger, args: &[&str]) -> String {
    let run = l.run(args);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stderr.is_empty() || run.stderr.contains("is readable by other users"),
        "{run}"
    );
    run.stdout
}

#[test]
fn a_colleague_reads_without_locking_the_owner_out() {
    let l = shared_ledger(0o755);
    let before = files_in(l.dir.path());
    assert!(
        before.iter().any(|(n, _)| n == "ledger.db-shm"),
        "{before:?}"
    );
    for args in [
        &["list"][..],
        &["check"],
        &["show", "P1"],
        &["log"],
        &["verify"],
        &["report", "campaign"],
        &["export"],
    ] {
        let run = as_other(&l, args);
        assert!(matches!(run.code, Some(0 | 1)), "{run}");
        assert!(run.stderr.is_empty(), "{run}");
        assert_eq!(before, files_in(l.dir.path()), "{args:?} left a file");
    }
    // A colleague cannot write: the message names the cause.
    let head = owner(&l, &["log", "--head"]);
    let run = as_other(&l, &["note", "M1", "他人修改"]);
    assert_eq!(run.code, Some(5), "{run}");
    assert_one_error(&run);
    assert!(run.stderr.contains("read-only"), "{run}");
    assert_eq!(head, owner(&l, &["log", "--head"]));
    // The owner writes on.
    owner(&l, &["note", "M1", "本人修改"]);
    owner(&l, &["verify"]);
}

#[test]
fn a_colleague_is_refused_where_reading_would_leave_a_file() {
    // In a directory anyone may write to, with the -wal and -shm gone (a
    // ledger last used by an older rectify), SQLite would create them
    // owned by the colleague.
    for dir_mode in [0o777, 0o755] {
        let l = shared_ledger(dir_mode);
        for side in ["-wal", "-shm"] {
            std::fs::remove_file(l.path(&format!("ledger.db{side}"))).unwrap();
        }
        let before = files_in(l.dir.path());
        let run = as_other(&l, &["list"]);
        assert_eq!(run.code, Some(5), "{run}");
        assert_one_error(&run);
        assert!(run.stderr.contains("-wal file is missing"), "{run}");
        assert_eq!(before, files_in(l.dir.path()), "a file was left behind");
        // Once the owner has used it, the colleague can read.
        owner(&l, &["list"]);
        assert_eq!(as_other(&l, &["list"]).code, Some(0));
        owner(&l, &["note", "M1", "仍可写入"]);
    }
}

// ---------------------------------------------------------------------
// An honest verify.

#[test]
fn a_saved_fingerprint_catches_a_history_cut_short_or_rebuilt() {
    let l = small_campaign();
    let published = owner(&l, &["log", "--head"]).trim().to_string();
    owner(&l, &["note", "M1", "最新进展"]);
    owner(&l, &["verify", "--expect", &published]);

    // The newest event deleted, its effect undone, the trigger put back:
    // the chain alone still holds, but the saved fingerprint does not
    // survive a cut at or before it.
    let deleted = small_campaign();
    let head = deleted.ok(&["log", "--head"]).trim().to_string();
    deleted.ok(&["note", "M1", "要删除的进展"]);
    let newest = deleted.ok(&["log", "--head"]).trim().to_string();
    sqlite(
        &deleted.db,
        "DROP TRIGGER event_no_delete;
         DELETE FROM event WHERE seq = (SELECT max(seq) FROM event);
         UPDATE measure SET progress = '' WHERE id = 1;
         CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;",
    );
    deleted.ok(&["verify"]);
    deleted.ok(&["verify", "--expect", &head]);
    let run = deleted.run(&["verify", "--expect", &newest]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(run.stdout.contains(&newest), "{run}");

    // The whole chain recomputed after an edit: every hash changes.
    let rebuilt = small_campaign();
    let first = rebuilt.ok(&["log", "--head"]).trim().to_string();
    sqlite(
        &rebuilt.db,
        "DROP TRIGGER event_no_update;
         UPDATE event SET hash = 'f' || substr(hash, 2);",
    );
    let run = rebuilt.run(&["verify", "--expect", &first]);
    assert_eq!(run.code, Some(6), "{run}");

    // A fingerprint that is not one.
    l.fails(&["verify", "--expect", "abc"], 2);
}

#[test]
fn verify_checks_the_append_only_triggers() {
    let l = small_campaign();
    sqlite(&l.db, "DROP TRIGGER event_no_update;");
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(
        run.stdout.contains("trigger event_no_update is missing"),
        "{run}"
    );

    let l = small_campaign();
    sqlite(
        &l.db,
        "DROP TRIGGER event_no_delete;
         CREATE TRIGGER event_no_delete BEFORE DELETE ON event WHEN 0
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;",
    );
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(
        run.stdout.contains("trigger event_no_delete differs"),
        "{run}"
    );
}

#[test]
fn verify_late_shows_a_clock_set_back() {
    let l = small_campaign();
    let mut cmd = l.command(&["note", "M1", "回拨"]);
    cmd.env("RECTIFY_NOW", "2023-05-01T00:00:00Z");
    assert_eq!(l.run_cmd(cmd, &["note"]).code, Some(0));
    let out = owner(&l, &["verify", "--late", "30"]);
    assert!(
        out.contains("clock: event 5 M1 note was recorded 2023-05-01T00:00:00Z, before the event ahead of it (2023-05-10T01:02:03Z)"),
        "{out}"
    );
    assert!(!owner(&l, &["verify"]).contains("clock:"));
    let report = json(&owner(&l, &["verify", "--late", "30", "--format", "json"]));
    assert_eq!(report["report"]["clock_back"][0]["seq"], 5);
}
