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
        "noclose.csv",
        "问题描述,整改措施,状态\n问题,措施,已完成\n".as_bytes(),
    );
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
        (vec!["import", "noclose.csv"], 2),
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
}

#[test]
fn broken_ledger_files_are_refused() {
    let l = small_campaign();
    let good = std::fs::read(&l.db).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("text.db", b"not a database at all\n".to_vec()),
        ("truncated.db", good[..good.len().min(4096) / 2].to_vec()),
        ("zeros.db", vec![0u8; 8192]),
    ];
    for (name, bytes) in cases {
        let path = l.path(name);
        std::fs::write(&path, &bytes).unwrap();
        for args in [&["list"][..], &["add", "problem", "x"], &["verify"]] {
            let mut cmd = l.command(args);
            cmd.env("RECTIFY_DB", &path);
            let run = l.run_cmd(cmd, args);
            assert_eq!(run.code, Some(5), "{name}\n{run}");
            crate::harness::assert_one_error(&run);
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was changed");
        }
    }
    // A missing parent directory on a read command.
    let mut cmd = l.command(&["check"]);
    cmd.env("RECTIFY_DB", l.path("missing/dir/ledger.db"));
    assert_eq!(l.run_cmd(cmd, &["check"]).code, Some(5));
}

/// A user who may only read the ledger (it is 0644, theirs is not the
/// owner's account) is refused a write with exit 5, and can still read.
#[test]
fn a_read_only_ledger_refuses_writes() {
    let l = crate::honest::shared_ledger(0o755);
    let before = l.dump();
    let run = crate::honest::as_other(&l, &["close", "M1"]);
    assert_eq!(run.code, Some(5), "{run}");
    crate::harness::assert_one_error(&run);
    assert!(run.stderr.contains("read-only"), "{run}");
    assert_eq!(before, l.dump());
    assert_eq!(crate::honest::as_other(&l, &["list"]).code, Some(0));
}

/// Usage errors keep their detail on the one `error:` line, in both
/// languages: clap lists missing arguments on lines the house format cuts.
#[test]
fn usage_errors_name_what_is_wrong_in_both_languages() {
    let l = small_campaign();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["extend", "M2", "--to", "2023-09-01"],
            "error: the following required arguments were not provided: --reason <REASON>",
            "error: 缺少必需的参数：--reason <REASON>",
        ),
        (
            &["list", "--bogus"],
            "error: unexpected argument '--bogus' found",
            "error: 无法识别的参数：--bogus",
        ),
        (
            &["lst"],
            "error: unrecognized subcommand 'lst'",
            "error: 无法识别的命令：lst",
        ),
        (
            &["list", "--format", "xml"],
            "error: invalid value 'xml' for '--format <FORMAT>' (possible values: table, json)",
            "error: --format <FORMAT> 的值 'xml' 无效（可选值：table, json）",
        ),
        (
            &["list", "--status"],
            "error: a value is required for '--status <STATUS>' but none was supplied",
            "error: --status <STATUS> 需要一个值",
        ),
    ];
    for (args, en, zh) in cases {
        for (lang, want) in [("en", en), ("zh", zh)] {
            let mut cmd = l.command(args);
            cmd.env("RECTIFY_LANG", lang);
            let run = l.run_cmd(cmd, args);
            assert_eq!(run.code, Some(2), "{run}");
            crate::harness::assert_one_error(&run);
            assert_eq!(run.stderr.lines().next(), Some(*want), "{run}");
        }
    }
}
