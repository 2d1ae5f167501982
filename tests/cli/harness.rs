//! Runs the real binary on a real ledger in a per-test temp dir, with a
//! cleared environment and a fixed clock. A failed expectation prints the
//! command, its status, stdout and stderr.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const TODAY: &str = "2023-05-10";
pub const NOW: &str = "2023-05-10T01:02:03Z";

pub struct Ledger {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub today: String,
}

pub struct Run {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: rectify {}", self.args.join(" "))?;
        writeln!(f, "status: {:?}", self.code)?;
        writeln!(f, "--- stdout\n{}", self.stdout)?;
        write!(f, "--- stderr\n{}", self.stderr)
    }
}

impl Run {
    /// stdout, stderr and exit status together, for snapshots.
    pub fn snapshot(&self) -> String {
        redact_uuids(&format!(
            "status: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        ))
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rectify"))
}

impl Ledger {
    /// A fresh temp dir; the ledger file does not exist yet.
    pub fn empty() -> Ledger {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ledger.db");
        Ledger {
            dir,
            db,
            today: TODAY.to_string(),
        }
    }

    /// An initialised ledger.
    pub fn new() -> Ledger {
        let l = Ledger::empty();
        l.ok(&["init"]);
        l
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.env_clear()
            .env("TZ", "UTC")
            .env("RECTIFY_DB", &self.db)
            .env("RECTIFY_TODAY", &self.today)
            .env("RECTIFY_NOW", NOW)
            .env("RECTIFY_USER", "tester")
            .current_dir(self.dir.path())
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(self.command(args), args)
    }

    pub fn run_cmd(&self, mut cmd: Command, args: &[&str]) -> Run {
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run rectify");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Run and expect exit 0 with nothing on stderr; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            run.code == Some(0) && run.stderr.is_empty(),
            "expected success\n{run}"
        );
        run.stdout
    }

    /// Run and expect `code`, one `error:` line (plus an optional hint) and
    /// an unchanged ledger. Returns stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let before = self.dump();
        let run = self.run(args);
        assert_eq!(run.code, Some(code), "wrong exit code\n{run}");
        assert_one_error(&run);
        assert_eq!(
            before,
            self.dump(),
            "ledger changed by a refused command\n{run}"
        );
        run.stderr
    }

    pub fn at(&mut self, today: &str) -> &mut Self {
        self.today = today.to_string();
        self
    }

    /// Every table, row by row, plus the schema version: two dumps are
    /// equal exactly when the ledger's content is.
    pub fn dump(&self) -> String {
        dump(&self.db)
    }
}

#[track_caller]
pub fn assert_one_error(run: &Run) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let shape_ok = match lines.as_slice() {
        [e] => e.starts_with("error: "),
        [e, h] => e.starts_with("error: ") && h.starts_with("hint: "),
        _ => false,
    };
    assert!(
        shape_ok,
        "expected one `error:` line and at most one `hint:`\n{run}"
    );
    assert!(!run.stderr.contains("panicked"), "panic\n{run}");
}

pub fn dump(db: &Path) -> String {
    if !db.exists() {
        return "<no ledger>".into();
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, flags) else {
        return format!(
            "<unreadable: {} bytes>",
            std::fs::metadata(db).map(|m| m.len()).unwrap_or(0)
        );
    };
    let mut out = String::new();
    let version: rusqlite::Result<i64> = conn.query_row("PRAGMA user_version", [], |r| r.get(0));
    out.push_str(&format!("user_version {version:?}\n"));
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    for table in tables {
        out.push_str(&format!("== {table}\n"));
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                Ok(cells.join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// UUIDs are random; snapshots show them as a placeholder.
pub fn redact_uuids(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let shape = |w: &[char]| {
        w.len() == 36
            && w.iter().enumerate().all(|(i, c)| {
                if [8, 13, 18, 23].contains(&i) {
                    *c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if i + 36 <= bytes.len() && shape(&bytes[i..i + 36]) {
            out.push_str("[uuid]");
            i += 36;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// One campaign (ZT2023, 80 days from 2023-05-08) with one problem P1 and
/// its measures M1 and M2, as seen on 2023-05-10.
pub fn small_campaign() -> Ledger {
    let l = Ledger::new();
    l.ok(&[
        "campaign",
        "new",
        "ZT2023",
        "--name",
        "主题教育检视问题整改",
        "--start",
        "2023-05-08",
    ]);
    l.ok(&[
        "add",
        "problem",
        "调查研究不够深入",
        "--scope",
        "班子",
        "--source",
        "征求意见",
        "--leader",
        "王五",
        "--dept",
        "办公室",
        "--owner",
        "张三",
        "--due",
        "2023-06-30",
        "--measure",
        "制定调研计划",
        "--measure",
        "形成调研报告",
    ]);
    l
}

/// An initialised ledger on 2023-07-26 holding the empty ZT2023 campaign.
pub fn zt2023_campaign() -> Ledger {
    let mut l = Ledger::new();
    l.at("2023-07-26");
    l.ok(&[
        "campaign",
        "new",
        "ZT2023",
        "--name",
        "主题教育检视问题整改",
        "--start",
        "2023-05-08",
    ]);
    l
}
