//! Shell conventions: completions, man pages, colour only on a terminal,
//! and the cron recipe.

use std::path::Path;
use std::process::Command;

use crate::harness::{bin, small_campaign, Ledger};

const RED: &str = "\u{1b}[38;5;9m";

#[test]
fn completions_for_every_shell() {
    let l = Ledger::empty();
    for (shell, marker) in [
        ("bash", "_rectify()"),
        ("zsh", "#compdef rectify"),
        ("fish", "complete -c rectify"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = l.ok(&["completions", shell]);
        assert!(out.contains(marker), "{shell}: {marker} missing");
        assert!(out.contains("import") && out.contains("report"), "{shell}");
    }
    assert!(!l.db.exists(), "completions need no ledger");
    l.fails(&["completions", "tcsh"], 2);
}

#[test]
fn man_pages_to_stdout_and_to_a_directory() {
    let l = Ledger::empty();
    let page = l.ok(&["man"]);
    assert!(page.contains(".TH rectify 1"), "{page}");
    assert!(page.contains("整改台账"));
    let dir = l.path("man1");
    std::fs::create_dir(&dir).unwrap();
    l.ok(&["man", "--dir", dir.to_str().unwrap()]);
    for name in ["rectify.1", "rectify-import.1", "rectify-report-month.1"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(text.starts_with(".ie"), "{name}");
    }
    l.fails(&["man", "--dir", l.path("missing").to_str().unwrap()], 2);
}

fn overdue_ledger() -> Ledger {
    let mut l = small_campaign();
    l.at("2023-07-05");
    l
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let l = overdue_ledger();
    let piped = l.run(&["list"]);
    assert_eq!(piped.code, Some(0), "{piped}");
    assert!(
        piped.stdout.contains("overdue") && !piped.stdout.contains('\u{1b}'),
        "{piped}"
    );
    let forced = l.ok(&["--color", "always", "list"]);
    assert!(forced.contains(RED), "{forced:?}");
    let check = l.run(&["check", "--color", "always"]);
    assert!(check.stdout.contains(RED), "{check}");
    // Colour never changes what the columns say.
    let strip = |s: &str| s.replace(RED, "").replace("\u{1b}[39m", "");
    assert_eq!(strip(&forced), piped.stdout);
}

/// Run under a pseudo-terminal with util-linux `script`, as a clerk's shell
/// would. Without `script` the test fails: `.ci/run` installs it.
fn in_terminal(l: &Ledger, extra_env: &[(&str, &str)], args: &str) -> Option<String> {
    in_terminal_of_width(l, extra_env, args, 120)
}

fn in_terminal_of_width(
    l: &Ledger,
    extra_env: &[(&str, &str)],
    args: &str,
    cols: u16,
) -> Option<String> {
    assert!(
        Path::new("/usr/bin/script").exists(),
        "/usr/bin/script (util-linux) is needed to test rectify on a terminal"
    );
    let mut cmd = Command::new("/usr/bin/script");
    cmd.env_clear()
        .env("RECTIFY_DB", &l.db)
        .env("RECTIFY_TODAY", &l.today)
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "xterm")
        .args([
            "-qec",
            &format!("stty cols {cols}; {} {args}", bin().display()),
            "/dev/null",
        ]);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_colour_unless_no_color_or_never() {
    let l = overdue_ledger();
    let Some(tty) = in_terminal(&l, &[], "list") else {
        return;
    };
    assert!(tty.contains(RED), "{tty:?}");
    let no_color = in_terminal(&l, &[("NO_COLOR", "1")], "list").unwrap();
    assert!(
        no_color.contains("overdue") && !no_color.contains('\u{1b}'),
        "{no_color:?}"
    );
    let never = in_terminal(&l, &[], "--color never list").unwrap();
    assert!(
        never.contains("overdue") && !never.contains('\u{1b}'),
        "{never:?}"
    );
    // A workbook is binary: not for a terminal.
    let xlsx = in_terminal(&l, &[], "export --format xlsx").unwrap();
    assert!(xlsx.contains("error: a workbook is binary"), "{xlsx:?}");
    let docx = in_terminal(&l, &[], "report campaign --format docx").unwrap();
    assert!(
        docx.contains("error: a Word document is binary"),
        "{docx:?}"
    );
}

#[test]
fn the_cron_recipe_writes_last_months_report_and_alerts_on_overdue() {
    let mut l = small_campaign();
    l.at("2023-07-01");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/monthly-report.sh");
    let outdir = l.path("月报");
    let run_script = |l: &Ledger| {
        Command::new("/bin/sh")
            .arg(&script)
            .arg(&outdir)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("RECTIFY", bin())
            .env("RECTIFY_DB", &l.db)
            .env("RECTIFY_TODAY", &l.today)
            .env("RECTIFY_NOW", crate::harness::NOW)
            .output()
            .unwrap()
    };
    let out = run_script(&l);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "overdue alerts: {stdout}");
    assert!(stdout.contains("逾期"), "{stdout}");
    let md = std::fs::read_to_string(outdir.join("rectify-2023-06.md")).unwrap();
    assert!(md.starts_with("# 2023年6月整改工作月报"), "{md}");
    let csv = std::fs::read_to_string(outdir.join("rectify-2023-06.csv")).unwrap();
    assert!(csv.contains("办公室"), "{csv}");
    assert!(!outdir.join("rectify-2023-06.md.tmp").exists());

    l.ok(&["close", "M1", "M2", "--on", "2023-06-30"]);
    l.ok(&["close", "P1", "--on", "2023-06-30"]);
    let out = run_script(&l);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing overdue"));
}

/// Long Chinese titles wrap inside their column on a narrow terminal, and
/// every line stays within the terminal's width counted in display cells
/// (a CJK character takes two).
#[test]
fn long_chinese_titles_wrap_and_stay_aligned() {
    use unicode_width::UnicodeWidthStr;

    let l = small_campaign();
    l.ok(&[
        "add",
        "measure",
        "--problem",
        "P1",
        "--owner",
        "欧阳丽娜",
        "--dept",
        "组织人事科",
        "围绕“学思想、强党性、重实践、建新功”总要求，制定专题学习计划，每月集中学习不少于一次，并形成学习记录……",
    ]);
    let Some(out) = in_terminal_of_width(&l, &[], "--color never list", 80) else {
        return;
    };
    let out = out.replace('\r', "");
    let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        lines.len() > 5,
        "the long title wraps onto several lines:\n{out}"
    );
    for line in &lines {
        assert!(line.width() <= 80, "{} cells: {line}", line.width());
    }
    // The title column starts at the same display offset on every line.
    let header = lines[0];
    let title_at = header.find("TITLE").map(|i| header[..i].width()).unwrap();
    for line in &lines[2..] {
        let cells: Vec<char> = line.chars().collect();
        let mut width = 0;
        let mut at = None;
        for (i, c) in cells.iter().enumerate() {
            if width == title_at {
                at = Some(i);
                break;
            }
            width += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
        }
        let at = at.unwrap_or_else(|| panic!("line shorter than the title column: {line:?}"));
        assert!(
            cells[at] != ' ' && (at == 0 || cells[at - 1] == ' '),
            "title column misaligned: {line:?}"
        );
    }
}

/// The JSON shapes README documents as a stable contract: the keys of each
/// command's objects, exactly.
#[test]
fn json_shapes_match_the_documented_contract() {
    use serde_json::Value;

    let mut l = small_campaign();
    l.at("2023-07-05");
    let json = |args: &[&str]| -> Value {
        let mut full = args.to_vec();
        full.extend(["--format", "json"]);
        let run = l.run(&full);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run}"))
    };
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let sorted = |names: &[&str]| -> Vec<String> {
        let mut k: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    };
    let item = [
        "id",
        "kind",
        "uuid",
        "campaign",
        "title",
        "scope",
        "source",
        "subject",
        "cause",
        "leader",
        "department",
        "owner",
        "raised_on",
        "due_original",
        "due_current",
        "status",
        "closed_on",
        "close_note",
        "evidence",
        "progress",
        "recorded_at",
        "overdue",
        "days_overdue",
    ];
    let list = json(&["list"]);
    assert_eq!(keys(&list[0]), sorted(&item), "a problem");
    let mut measure = item.to_vec();
    measure.push("problem");
    assert_eq!(keys(&list[1]), sorted(&measure), "a measure");
    assert_eq!(
        keys(&json(&["show", "M1"])),
        sorted(&["item", "problem", "measures", "history"])
    );
    assert_eq!(
        keys(&json(&["check"])),
        sorted(&[
            "today",
            "within",
            "overdue",
            "due_soon",
            "awaiting_close_out",
            "awaiting_acceptance"
        ])
    );
    assert_eq!(
        keys(&json(&["log"])[0]),
        sorted(&[
            "seq",
            "recorded_at",
            "actor",
            "item",
            "action",
            "effective_on",
            "payload",
            "prev_hash",
            "hash"
        ])
    );
    let campaign = json(&["report", "campaign"]);
    assert_eq!(
        keys(&campaign),
        sorted(&[
            "campaign",
            "as_of",
            "day",
            "problems",
            "measures",
            "completion_rate",
            "on_time_rate",
            "all_closed",
            "ageing",
            "by_department",
            "overdue",
            "deadlines_corrected",
            "fingerprint"
        ])
    );
    assert_eq!(
        keys(&campaign["measures"]),
        sorted(&[
            "total",
            "closed",
            "on_time",
            "late",
            "ongoing",
            "open",
            "overdue",
            "due_soon",
            "extended",
            "accepted",
            "awaiting_acceptance",
            "voided"
        ])
    );
    assert_eq!(
        keys(&campaign["problems"]),
        sorted(&[
            "total",
            "closed",
            "open",
            "by_scope",
            "awaiting_close_out",
            "voided"
        ])
    );
    let month = json(&["report", "month", "2023-06"]);
    assert_eq!(
        keys(&month),
        sorted(&[
            "month",
            "first",
            "last",
            "campaign",
            "problems",
            "raised",
            "closed",
            "closed_on_time",
            "closed_late",
            "extensions",
            "open_at_end",
            "overdue_at_end",
            "completion_rate",
            "measures",
            "by_department",
            "deadlines_corrected",
            "fingerprint"
        ])
    );
    let verify = json(&["verify"]);
    assert_eq!(keys(&verify), sorted(&["ok", "report"]));
    assert_eq!(
        keys(&verify["report"]),
        sorted(&[
            "events",
            "problems",
            "late",
            "clock_back",
            "expected",
            "fingerprint"
        ])
    );
}

/// A long import shows a row counter on a terminal's stderr, and nothing
/// when stderr is a pipe.
#[test]
fn progress_only_on_a_terminal() {
    use std::fmt::Write as _;

    let l = crate::harness::zt2023_campaign();
    let mut sheet = String::from("campaign,problem,measure\n");
    for i in 0..12_000 {
        writeln!(sheet, "ZT2023,问题{},措施{i}", i / 4).unwrap();
    }
    std::fs::write(l.path("big.csv"), sheet).unwrap();
    let copy = l.path("copy.db");
    l.ok(&["backup", copy.to_str().unwrap()]);

    // Piped: `ok` insists on an empty stderr.
    l.ok(&["import", "big.csv"]);

    let mut tty = Ledger::empty();
    tty.db = copy;
    tty.at(&l.today);
    let Some(out) = in_terminal(
        &tty,
        &[],
        &format!("import {}", l.path("big.csv").display()),
    ) else {
        return;
    };
    assert!(out.contains("import: ") && out.contains("rows"), "{out:?}");
    // Four rows a problem, its text repeated: one problem each.
    assert!(out.contains("imported 3000 problems"), "{out:?}");
}

/// A clerk working in Chinese reads every confirmation and summary in
/// Chinese: no English word is left, only ids, dates, paths, the encoding
/// and the fingerprint.
#[test]
fn confirmations_and_summaries_speak_chinese() {
    let mut l = crate::harness::small_campaign();
    l.at("2023-06-20");
    std::fs::write(l.path("s.csv"), "问题描述,整改措施\n新问题,新措施\n").unwrap();
    let steps: &[&[&str]] = &[
        &["init"],
        &["note", "M1", "已完成初稿"],
        &["assign", "M1", "--owner", "李四"],
        &["extend", "M2", "--to", "2023-08-01", "--reason", "需协调"],
        &["close", "M1", "--on", "2023-06-01"],
        &["close", "M2", "--ongoing"],
        &["reopen", "M1", "--reason", "材料不全"],
        &["import", "s.csv", "--campaign", "ZT2023", "--dry-run"],
        &["import", "s.csv", "--campaign", "ZT2023"],
        &["backup", "copy.db"],
        &["verify"],
    ];
    for args in steps {
        let mut cmd = l.command(args);
        cmd.env("RECTIFY_LANG", "zh");
        let run = l.run_cmd(cmd, args);
        assert_eq!(run.code, Some(0), "{run}");
        let mut words = String::new();
        for token in run.stdout.split(|c: char| !c.is_ascii_alphabetic()) {
            let allowed = token.len() <= 1
                || ["UTF", "GB", "db", "tmp", "csv"].contains(&token)
                || l.db.to_string_lossy().contains(token)
                || token == "copy"
                || token.chars().all(|c| c.is_ascii_hexdigit());
            if !allowed {
                words.push_str(token);
                words.push(' ');
            }
        }
        assert!(words.is_empty(), "English left: {words}\n{run}");
        assert!(
            run.stdout
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{run}"
        );
    }
}

/// `--help` of every command, in Chinese, leaves no English word: only
/// flags, value names, command and value names, and the example command
/// lines themselves.
#[test]
fn every_help_page_speaks_chinese() {
    fn paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        out.push(prefix.to_vec());
        for sub in cmd.get_subcommands() {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_string());
            paths(sub, &path, out);
        }
    }
    let top = rectify::cli::whole_command();
    let mut all = Vec::new();
    paths(&top, &[], &mut all);
    let mut allowed: Vec<String> = Vec::new();
    fn names(cmd: &clap::Command, allowed: &mut Vec<String>) {
        allowed.push(cmd.get_name().to_string());
        for arg in cmd.get_arguments() {
            for v in arg.get_possible_values() {
                allowed.push(v.get_name().to_string());
            }
        }
        for sub in cmd.get_subcommands() {
            names(sub, allowed);
        }
    }
    names(&top, &mut allowed);
    // Hyphenated values (on-time) are split into words below.
    let parts: Vec<String> = allowed
        .iter()
        .flat_map(|v| v.split('-').map(String::from).collect::<Vec<_>>())
        .collect();
    allowed.extend(parts);
    // Product, format and tool names, and the English values a clerk may
    // also type (group / individual).
    allowed.extend(
        [
            "help",
            "NO_COLOR",
            "USER",
            "LOGNAME",
            "cron",
            "XLSX",
            "XLS",
            "ODS",
            "roff",
            "man",
            "RECTIFY_LANG",
            "Excel",
            "WPS",
            "XLSX",
            "JSON",
            "crontab",
            "group",
            "individual",
        ]
        .map(String::from),
    );
    let l = Ledger::new();
    let mut english = Vec::new();
    for path in &all {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let mut cmd = l.command(&args);
        cmd.env("RECTIFY_LANG", "zh");
        let run = l.run_cmd(cmd, &args);
        assert_eq!(run.code, Some(0), "{run}");
        let text: String = run
            .stdout
            .lines()
            // Example command lines are commands, the same in both languages.
            .filter(|line| {
                let t = line.trim_start();
                !(t.starts_with("rectify ")
                    || t.starts_with("id=$(")
                    || t.starts_with("0 8 *")
                    || t.starts_with("--leader"))
            })
            .collect::<Vec<_>>()
            .join("\n");
        // Value names in angle brackets are placeholders, as typed.
        let mut plain = String::new();
        let mut depth = 0;
        for c in text.chars() {
            match c {
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                _ if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        let words: Vec<String> = crate::bad_input::english_words(&plain)
            .into_iter()
            .filter(|w| !allowed.contains(w))
            .collect();
        if !words.is_empty() {
            english.push(format!("rectify {}: {words:?}", args.join(" ")));
        }
    }
    assert!(
        english.is_empty(),
        "English left in help:\n{}",
        english.join("\n")
    );
}

/// `rectify man --lang zh` writes Chinese pages: clap_mangen's section
/// names and notes are replaced, to stdout and into a directory.
#[test]
fn man_pages_in_chinese() {
    let l = Ledger::empty();
    let page = l.ok(&["man", "--lang", "zh"]);
    for section in ["名称", "用法", "说明", "选项", "命令", "示例"] {
        assert!(
            page.contains(&format!(".SH {section}\n")),
            "{section}\n{page}"
        );
    }
    for english in [
        ".SH NAME",
        ".SH OPTIONS",
        "Possible values",
        "[default:",
        "May also be specified",
        "Print help",
        "[OPTIONS]",
    ] {
        assert!(!page.contains(english), "{english} left in\n{page}");
    }
    let dir = l.path("man1");
    std::fs::create_dir(&dir).unwrap();
    let said = l.ok(&["--lang", "zh", "man", "--dir", dir.to_str().unwrap()]);
    assert!(said.starts_with("已将 man 手册写入"), "{said}");
    let close = std::fs::read_to_string(dir.join("rectify-close.1")).unwrap();
    assert!(
        close.contains(".SH 选项") && close.contains("完成时间"),
        "{close}"
    );
    // English stays English.
    assert!(l.ok(&["man"]).contains(".SH OPTIONS"));
}

/// History reads in the clerk's words and time zone: 责任人：张三 → 李四,
/// a problem's closing as 销号, times local (`TZ`) in `log` and `show`,
/// JSON still UTC.
#[test]
fn history_in_chinese_and_local_time() {
    let mut l = crate::harness::small_campaign();
    l.at("2023-06-30");
    l.ok(&["assign", "M1", "--owner", "李四"]);
    l.ok(&["close", "M1", "M2", "P1"]);
    let mut cmd = l.command(&["log"]);
    cmd.env("RECTIFY_LANG", "zh").env("TZ", "Asia/Shanghai");
    let run = l.run_cmd(cmd, &["log"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stdout.contains("责任人：张三 → 李四"), "{run}");
    assert!(run.stdout.contains("2023-05-10 09:02 +08:00"), "{run}");
    let closing_p1 = run
        .stdout
        .lines()
        .find(|line| line.contains(" P1 ") && line.contains("销号"));
    assert!(closing_p1.is_some(), "{run}");
    assert!(!run.stdout.contains("owner"), "{run}");
    // `show` prints an item's history in the same zone.
    let mut cmd = l.command(&["show", "M1"]);
    cmd.env("TZ", "Asia/Shanghai");
    let run = l.run_cmd(cmd, &["show", "M1"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stdout.contains("2023-05-10 09:02 +08:00"), "{run}");
    let json = l.ok(&["log", "--format", "json"]);
    assert!(
        json.contains("\"recorded_at\": \"2023-05-10T01:02:03Z\""),
        "{json}"
    );
}

/// `verify`'s findings are worded in the interface language; JSON keeps
/// the English lines of its contract.
#[test]
fn verify_findings_in_chinese() {
    let l = crate::harness::small_campaign();
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    conn.execute_batch(
        "UPDATE measure SET owner = '王五' WHERE id = 1; DROP TRIGGER event_no_update;",
    )
    .unwrap();
    drop(conn);
    let mut cmd = l.command(&["verify"]);
    cmd.env("RECTIFY_LANG", "zh");
    let run = l.run_cmd(cmd, &["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(
        run.stdout
            .contains("M1：owner 在台账中为 \"王五\"，按历史应为 \"张三\""),
        "{run}"
    );
    assert!(
        run.stdout.contains("台账缺少触发器 event_no_update"),
        "{run}"
    );
    assert!(
        run.stderr.starts_with("error: 台账与其历史记录不一致"),
        "{run}"
    );
    let json = l.run(&["verify", "--format", "json"]);
    assert!(
        json.stdout
            .contains("M1: owner is \\\"王五\\\" in the ledger"),
        "{json}"
    );
}
