//! Table-driven: every bad input exits with its documented code, prints one
//! `error:` line, and leaves the ledger (tables and fingerprint) as it was.

use crate::harness::{small_campaign, Ledger};

/// Files the import cases read, made in the ledger's temp dir.
fn write_sheets(l: &Ledger) {
    let put = |name: &str, bytes: &[u8]| std::fs::write(l.path(name), bytes).unwrap();
    put("unequal.csv", b"problem,measure\nx,y,z\n");
    put("headers.csv", "名称,颜色\n问题,红\n".as_bytes());
    put("noproblem.csv", "整改措施\n措施\n".as_bytes());
    let mut mixed = "\u{feff}problem\n中文\n".as_bytes().to_vec();
    mixed.extend(encoding_rs::GBK.encode("中文\n").0.iter());
    put("mixed.csv", &mixed);
    put("truncated.csv", b"problem,due_original\nx,\"2023-06");
    put("nul.csv", b"problem\nbad\0title\n");
    put(
        "huge.csv",
        format!("problem\n{}\n", "长".repeat(1 << 20)).as_bytes(),
    );
    put("status.csv", "问题描述,状态\n问题,差不多\n".as_bytes());
    put(
        "before.csv",
        "问题描述,提出时间,整改时限\n问题,2023-05-09,2023-05-01\n".as_bytes(),
    );
    put(
        "sameid.csv",
        "问题编号,问题描述,整改措施\nP1,问题甲,措施一\nP1,问题乙,措施二\n".as_bytes(),
    );
    put("pdf.csv", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n");
    put("noyear.csv", "问题描述,整改时限\n问题,6月30日\n".as_bytes());
    put(
        "future.csv",
        "问题描述,提出时间\n问题,2030-01-01\n".as_bytes(),
    );
    put("binary.csv", &[0xff, 0xfe, 0x00, 0x81, 0x30, 0x81]);
    put("dupcol.csv", "problem,问题描述\nx,y\n".as_bytes());
    put("badcampaign.csv", "problem,campaign\nx,NOPE\n".as_bytes());
    let mut bomless = "问题描述\n调查研究\n".as_bytes().to_vec();
    bomless.extend(encoding_rs::GBK.encode("学习不够\n").0.iter());
    put("bomless-mixed.csv", &bomless);
    let wide: Vec<String> = (0..1001).map(|i| format!("c{i}")).collect();
    put("wide.csv", (wide.join(",") + "\n").as_bytes());
}

#[test]
fn bad_inputs_are_refused_cleanly() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    l.ok(&["close", "M1", "--on", "2023-06-01"]);
    l.ok(&["add", "problem", "已销号问题", "--measure", "唯一措施"]);
    l.ok(&["close", "M3", "P2"]);
    write_sheets(&l);
    let long_title = "长".repeat(12_000);
    let cases: Vec<(Vec<&str>, i32)> = vec![
        // Dates.
        (vec!["add", "problem", "x", "--due", "2023-02-30"], 2),
        (vec!["add", "problem", "x", "--due", "1900-01-01"], 2),
        (vec!["add", "problem", "x", "--due", "2999-12-31"], 2),
        (vec!["add", "problem", "x", "--raised", "2023-13-01"], 2),
        (vec!["add", "problem", "x", "--raised", "2023-07-01"], 2),
        (vec!["--today", "2023-02-29", "list"], 2),
        (vec!["add", "problem", "x", "--due", "tomorrow"], 2),
        (vec!["report", "month", "2023-13"], 2),
        // Titles and text.
        (vec!["add", "problem", ""], 2),
        (vec!["add", "problem", "   \t "], 2),
        (vec!["add", "problem", &long_title], 2),
        (vec!["add", "problem", "响铃\u{7}标题"], 2),
        (vec!["add", "measure", "  ", "--problem", "P1"], 2),
        (vec!["note", "M2", " "], 2),
        (
            vec!["extend", "M2", "--to", "2023-08-01", "--reason", ""],
            2,
        ),
        (vec!["close", "M2", "--by", "坏\u{1b}名字"], 2),
        (vec!["add", "problem", "\u{200B}\u{FEFF}"], 2),
        (vec!["close", "M2", "--by", "张\u{202E}三"], 2),
        (vec!["add", "problem", "标题\u{202E}反向"], 2),
        (vec!["note", "M2", "\u{2060} "], 2),
        // Ids.
        (vec!["show", "M999"], 3),
        (vec!["close", "P999"], 3),
        (vec!["show", "X1"], 2),
        (vec!["show", "M0"], 2),
        (vec!["add", "measure", "x", "--problem", "M1"], 2),
        (vec!["show", "6f9619ff-8b86-d011-b42d-00c04fc964ff"], 3),
        // Flags that conflict or are missing.
        (vec!["log", "M1", "--head"], 2),
        (vec!["extend", "M2", "--to", "2023-08-01"], 2),
        (vec!["assign", "M2"], 2),
        (vec!["close", "P1", "--ongoing"], 2),
        (vec!["check", "--within", "-1"], 2),
        (vec!["check", "--within", "96000000"], 2),
        (vec!["verify", "--expect", "not-a-hash"], 2),
        (vec!["--lang", "fr", "list"], 2),
        (vec!["man", "--lang", "fr"], 2),
        (vec!["completions", "bash", "--lang", "fr"], 2),
        (vec!["init", "--lang", "fr"], 2),
        (vec!["report", "by", "dept", "--format", "text"], 2),
        (vec!["list", "--status", "半完成"], 2),
        // State rules.
        (vec!["close", "M1"], 4),
        (vec!["close", "P1"], 4),
        (vec!["add", "measure", "x", "--problem", "P2"], 4),
        (
            vec!["extend", "M2", "--to", "2023-06-01", "--reason", "r"],
            2,
        ),
        (
            vec!["extend", "M1", "--to", "2023-09-01", "--reason", "r"],
            4,
        ),
        (vec!["reopen", "M2", "--reason", "r"], 4),
        (vec!["close", "M2", "--on", "2023-06-21"], 2),
        (vec!["close", "M2", "--on", "2023-05-01"], 2),
        (
            vec![
                "campaign",
                "new",
                "ZT2023",
                "--name",
                "again",
                "--start",
                "2023-01-01",
            ],
            4,
        ),
        (
            vec![
                "campaign",
                "new",
                "bad code!",
                "--name",
                "x",
                "--start",
                "2023-01-01",
            ],
            2,
        ),
        (vec!["list", "--campaign", "NOPE"], 3),
        (
            vec![
                "campaign",
                "new",
                "zt2023",
                "--name",
                "大小写不同",
                "--start",
                "2023-01-01",
            ],
            4,
        ),
        (
            vec![
                "campaign",
                "new",
                "LATE",
                "--name",
                "x",
                "--start",
                "2100-12-31",
                "--days",
                "3660",
            ],
            2,
        ),
        // Corrections, voiding, acceptance, reminders.
        (vec!["edit", "M2", "--reason", "r"], 2),
        (vec!["edit", "M2", "--title", "x"], 2),
        (vec!["edit", "M2", "--title", "x", "--reason", " "], 2),
        (vec!["edit", "M2", "--scope", "个人", "--reason", "r"], 2),
        (
            vec!["edit", "M2", "--raised", "2023-07-01", "--reason", "r"],
            2,
        ),
        (
            vec!["edit", "M2", "--due", "2023-05-01", "--reason", "r"],
            2,
        ),
        (
            vec!["edit", "P1", "--raised", "2023-06-25", "--reason", "r"],
            2,
        ),
        (vec!["edit", "M3", "--title", "x", "--reason", "r"], 4),
        (vec!["edit", "M999", "--title", "x", "--reason", "r"], 3),
        (vec!["void", "M2"], 2),
        (vec!["void", "M1", "--reason", "r"], 4),
        (vec!["void", "P2", "--reason", "r"], 4),
        (vec!["void", "--undo", "M2", "--reason", "r"], 4),
        (vec!["accept", "M1"], 4),
        (vec!["accept", "P1"], 2),
        (vec!["remind", "--levels", "30,7"], 2),
        (vec!["remind", "--levels", "七天"], 2),
        (vec!["remind", "--campaign", "NOPE"], 3),
        (vec!["remind", "--per", "科室"], 2),
        (vec!["remind", "--format", "docx"], 2),
        (vec!["report", "by", "dept", "--format", "docx"], 2),
        // Sheets.
        (vec!["import", "unequal.csv"], 2),
        (vec!["import", "headers.csv"], 2),
        (vec!["import", "noproblem.csv"], 2),
        (vec!["import", "mixed.csv"], 2),
        (vec!["import", "truncated.csv"], 2),
        (vec!["import", "nul.csv"], 2),
        (vec!["import", "huge.csv"], 2),
        (vec!["import", "status.csv"], 2),
        (vec!["import", "before.csv"], 2),
        (vec!["import", "sameid.csv"], 2),
        (vec!["import", "pdf.csv"], 2),
        (vec!["import", "noyear.csv"], 2),
        (vec!["import", "sameid.csv", "--map", "问题"], 2),
        (vec!["import", "sameid.csv", "--sheet", "Sheet9"], 2),
        (vec!["import", "future.csv"], 2),
        (vec!["import", "binary.csv"], 2),
        (vec!["import", "dupcol.csv"], 2),
        (vec!["import", "badcampaign.csv"], 2),
        (vec!["import", "bomless-mixed.csv"], 2),
        (vec!["import", "wide.csv"], 2),
        (vec!["import", "/dev/zero"], 2),
        (vec!["import", "missing.csv"], 5),
        (vec!["export", "--out", "no/such/dir/out.csv"], 5),
    ];
    assert!(cases.len() >= 40);
    let fingerprint = l.ok(&["log", "--head"]);
    for (args, code) in &cases {
        let stderr = l.fails(args, *code);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert_eq!(fingerprint, l.ok(&["log", "--head"]));

    // The same refusals in Chinese: list every English word left (ids,
    // flags, file names, format names and the product name are allowed).
    let mut english = Vec::new();
    for (args, code) in &cases {
        let mut cmd = l.command(args);
        cmd.env("RECTIFY_LANG", "zh");
        let run = l.run_cmd(cmd, args);
        assert_eq!(run.code, Some(*code), "{run}");
        let words = english_words(&run.stderr);
        if !words.is_empty() {
            english.push(format!("{args:?}: {words:?}\n  {}", run.stderr.trim_end()));
        }
    }
    assert!(
        english.is_empty(),
        "English left in {} of {} Chinese errors:\n{}",
        english.len(),
        cases.len(),
        english.join("\n")
    );
}

/// Words of two or more ASCII letters that are not a flag, a command, an
/// id, a file or format name, the product name, the `error:`/`hint:`
/// prefixes, or the user's own input echoed in quotes or backquotes.
pub fn english_words(text: &str) -> Vec<String> {
    const ALLOWED: &[&str] = &[
        "error",
        "hint",
        "rectify",
        "csv",
        "xlsx",
        "docx",
        "json",
        "table",
        "markdown",
        "text",
        "db",
        "UTF",
        "GBK",
        "GB",
        "BOM",
        "UUID",
        "uuid",
        "MiB",
        "YYYY",
        "MM",
        "DD",
        "CSV",
        "RFC",
        "RECTIFY_DB",
        "RECTIFY",
        "NOW",
        "HOME",
        "zh",
        "en",
        "reopen",
        "close",
        "ongoing",
        "problem",
        "measure",
        // Values typed for an option, listed when one is not.
        "dept",
        "owner",
        // A sheet's own headers and file names, echoed as the clerk wrote them.
        "due_original",
        "campaign",
        "zero",
    ];
    // Drop what is quoted: "…", '…', `…` and “…” echo input or commands.
    let mut plain = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' | '`' => closing = Some(c),
                '“' => closing = Some('”'),
                _ => plain.push(c),
            },
        }
    }
    let mut out = Vec::new();
    for raw in plain.split_whitespace() {
        // Flags, paths and file names stay as typed.
        // Ids, dates, codes and hashes carry digits.
        if raw.contains("--")
            || raw.contains('/')
            || raw.contains('.')
            || raw.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        for word in raw.split(|c: char| !c.is_ascii_alphabetic() && c != '_') {
            if word.len() >= 2 && !ALLOWED.contains(&word) && !word.starts_with("RECTIFY") {
                out.push(word.to_string());
            }
        }
    }
    out
}
