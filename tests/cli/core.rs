use crate::harness::{small_campaign, Ledger};

#[test]
fn add_prints_only_the_new_ids() {
    let l = Ledger::new();
    l.ok(&[
        "campaign",
        "new",
        "ZT2023",
        "--name",
        "主题教育",
        "--start",
        "2023-05-08",
    ]);
    let out = l.ok(&[
        "add",
        "problem",
        "问题甲",
        "--measure",
        "措施一",
        "--measure",
        "措施二",
    ]);
    assert_eq!(out, "P1\nM1\nM2\n");
    let out = l.ok(&[
        "add",
        "measure",
        "措施三",
        "--problem",
        "p1",
        "--owner",
        "李四",
    ]);
    assert_eq!(out, "M3\n");
    let json = l.ok(&[
        "add",
        "problem",
        "问题乙",
        "--measure",
        "措施",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["problem"], "P2");
    assert_eq!(v["measures"], serde_json::json!(["M4"]));
}

#[test]
fn a_problem_joins_the_one_running_campaign() {
    let l = Ledger::new();
    l.ok(&[
        "campaign",
        "new",
        "A",
        "--name",
        "甲",
        "--start",
        "2023-05-08",
    ]);
    l.ok(&["add", "problem", "问题"]);
    let v = show_json(&l, "P1");
    assert_eq!(v["item"]["campaign"], "A");
    // The campaign's end (start + 80 - 1) is the default deadline.
    assert_eq!(v["item"]["due_current"], "2023-07-26");

    // Two running campaigns: no guess.
    l.ok(&[
        "campaign",
        "new",
        "B",
        "--name",
        "乙",
        "--start",
        "2023-05-01",
    ]);
    l.ok(&["add", "problem", "问题二"]);
    assert_eq!(
        show_json(&l, "P2")["item"]["campaign"],
        serde_json::Value::Null
    );
    // Named explicitly.
    l.ok(&["add", "problem", "问题三", "--campaign", "B"]);
    assert_eq!(show_json(&l, "P3")["item"]["campaign"], "B");
}

#[test]
fn measures_inherit_from_their_problem() {
    let l = small_campaign();
    let m = show_json(&l, "M1");
    assert_eq!(m["item"]["owner"], "张三");
    assert_eq!(m["item"]["department"], "办公室");
    assert_eq!(m["item"]["leader"], "王五");
    assert_eq!(m["item"]["due_current"], "2023-06-30");
    assert_eq!(m["item"]["problem"], "P1");
    l.ok(&[
        "add",
        "measure",
        "建立台账",
        "--problem",
        "P1",
        "--owner",
        "李四",
        "--due",
        "2023-06-01",
    ]);
    let m = show_json(&l, "M3");
    assert_eq!(m["item"]["owner"], "李四");
    assert_eq!(m["item"]["department"], "办公室");
    assert_eq!(m["item"]["due_original"], "2023-06-01");
}

#[test]
fn scope_is_stored_canonically_and_text_trimmed() {
    let l = Ledger::new();
    l.ok(&[
        "add",
        "problem",
        "  个人问题一  ",
        "--scope",
        "个人",
        "--owner",
        " 张三 ",
    ]);
    let v = show_json(&l, "P1");
    assert_eq!(v["item"]["scope"], "individual");
    assert_eq!(v["item"]["title"], "个人问题一");
    assert_eq!(v["item"]["owner"], "张三");
}

#[test]
fn ids_are_case_insensitive() {
    let l = small_campaign();
    for id in ["m1", "M1", "M-1", "m-1"] {
        let v = show_json(&l, id);
        assert_eq!(v["item"]["id"], "M1");
    }
}

#[test]
fn dates_accept_the_spreadsheet_spellings() {
    let l = Ledger::new();
    l.ok(&[
        "add", "problem", "甲", "--raised", "2023/5/8", "--due", "2023-6-1",
    ]);
    let v = show_json(&l, "P1");
    assert_eq!(v["item"]["raised_on"], "2023-05-08");
    assert_eq!(v["item"]["due_current"], "2023-06-01");
}

#[test]
fn assign_extend_note_and_their_history() {
    let l = small_campaign();
    assert_eq!(
        l.ok(&[
            "assign",
            "M1",
            "M2",
            "--owner",
            "李四",
            "--note",
            "分工调整"
        ]),
        "assigned M1\nassigned M2\n"
    );
    l.ok(&[
        "extend",
        "M1",
        "--to",
        "2023-07-15",
        "--reason",
        "涉及跨部门协调",
    ]);
    l.ok(&["note", "M1", "已完成初稿"]);
    let v = show_json(&l, "M1");
    assert_eq!(v["item"]["owner"], "李四");
    assert_eq!(v["item"]["due_original"], "2023-06-30");
    assert_eq!(v["item"]["due_current"], "2023-07-15");
    assert_eq!(v["item"]["progress"], "已完成初稿");
    let actions: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["add", "assign", "extend", "note"]);
    let assign = &v["history"][1];
    assert_eq!(assign["payload"]["before"]["owner"], "张三");
    assert_eq!(assign["payload"]["after"]["owner"], "李四");
    assert_eq!(assign["actor"], "tester");
    let extend = &v["history"][2];
    assert_eq!(extend["payload"]["reason"], "涉及跨部门协调");
    assert_eq!(extend["payload"]["before"]["due_current"], "2023-06-30");
}

#[test]
fn actor_comes_from_by_then_rectify_user() {
    let l = small_campaign();
    l.ok(&["--by", "王科长", "note", "M1", "进展"]);
    let v = show_json(&l, "M1");
    assert_eq!(v["history"][1]["actor"], "王科长");
    assert_eq!(v["history"][0]["actor"], "tester");

    // Then USER, then LOGNAME; with none (as under some crons) the
    // account's number, never an English word.
    let by = |vars: &[(&str, &str)], text: &str| {
        let args = ["note", "M1", text];
        let mut cmd = l.command(&args);
        cmd.env_remove("RECTIFY_USER");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let run = l.run_cmd(cmd, &args);
        assert_eq!(run.code, Some(0), "{run}");
        let v = show_json(&l, "M1");
        let history = v["history"].as_array().unwrap();
        history.last().unwrap()["actor"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(by(&[("USER", "li"), ("LOGNAME", "wang")], "a"), "li");
    assert_eq!(by(&[("LOGNAME", "wang")], "b"), "wang");
    let uid = by(&[], "c");
    assert!(
        uid.strip_prefix("uid:")
            .is_some_and(|n| n.parse::<u32>().is_ok()),
        "{uid}"
    );
}

#[test]
fn close_ongoing_and_close_out_a_problem() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    assert_eq!(
        l.ok(&[
            "close",
            "M1",
            "--on",
            "2023-06-18",
            "--note",
            "已印发",
            "--evidence",
            "学习计划.pdf"
        ]),
        "closed M1 on 2023-06-18\n"
    );
    l.ok(&["close", "M2", "--ongoing", "--note", "长期坚持"]);
    let v = show_json(&l, "M2");
    assert_eq!(v["item"]["status"], "ongoing");
    // Ongoing measures do not block closing the problem (销号).
    l.ok(&["close", "P1"]);
    let v = show_json(&l, "P1");
    assert_eq!(v["item"]["status"], "closed");
    assert_eq!(v["item"]["closed_on"], "2023-06-20");
    let m1 = show_json(&l, "M1");
    assert_eq!(m1["item"]["closed_on"], "2023-06-18");
    assert_eq!(m1["item"]["evidence"], "学习计划.pdf");
}

#[test]
fn reopening_a_measure_reopens_its_closed_problem() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    l.ok(&["close", "M1", "M2", "P1"]);
    l.at("2023-06-25");
    assert_eq!(
        l.ok(&["reopen", "M2", "--reason", "佐证材料不全"]),
        "reopened M2\nreopened P1\n"
    );
    let p = show_json(&l, "P1");
    assert_eq!(p["item"]["status"], "open");
    assert_eq!(p["item"]["closed_on"], serde_json::Value::Null);
    let last = p["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "reopen");
    assert_eq!(last["effective_on"], "2023-06-25");
    // The problem's history names the measure, worded in each language.
    assert_eq!(last["payload"]["reason"], "佐证材料不全");
    assert_eq!(last["payload"]["measure"], "M2");
    assert!(l.ok(&["log", "P1"]).contains("M2 reopened: 佐证材料不全"));
    assert!(l
        .ok(&["log", "P1", "--lang", "zh"])
        .contains("因 M2 被驳回：佐证材料不全"));
    let m = show_json(&l, "M2");
    assert_eq!(m["item"]["status"], "open");
    // M1 stays closed.
    assert_eq!(show_json(&l, "M1")["item"]["status"], "closed");
    // A closure cannot now be back-dated before the reopen.
    l.fails(&["close", "M2", "--on", "2023-06-24"], 2);
    l.ok(&["close", "M2", "--on", "2023-06-25"]);
}

#[test]
fn list_filters() {
    let l = small_campaign();
    l.ok(&[
        "add",
        "problem",
        "个人问题",
        "--scope",
        "individual",
        "--owner",
        "李四",
        "--dept",
        "组织科",
        "--source",
        "巡察",
        "--measure",
        "谈心谈话",
        "--due",
        "2023-05-15",
    ]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["list", "--format", "json"];
        full.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&l.ok(&full)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&[]), ["P1", "M1", "M2", "P2", "M3"]);
    assert_eq!(ids(&["--kind", "measure"]), ["M1", "M2", "M3"]);
    assert_eq!(ids(&["--kind", "problem", "--scope", "班子"]), ["P1"]);
    assert_eq!(ids(&["--owner", "李四"]), ["P2", "M3"]);
    assert_eq!(
        ids(&["--dept", "办公室", "--kind", "measure"]),
        ["M1", "M2"]
    );
    assert_eq!(ids(&["--source", "巡察"]), ["P2", "M3"]);
    assert_eq!(ids(&["--due-before", "2023-06-01"]), ["P2", "M3"]);
    // P2 falls due through its measure M3, not itself.
    assert_eq!(ids(&["--status", "due-soon"]), ["M3"]);
    assert_eq!(
        ids(&[
            "--campaign",
            "ZT2023",
            "--status",
            "open",
            "--kind",
            "problem"
        ]),
        ["P1", "P2"]
    );
    let mut l2 = l;
    l2.at("2023-05-20");
    let v: serde_json::Value =
        serde_json::from_str(&l2.ok(&["list", "--status", "逾期", "--format", "json"])).unwrap();
    let overdue: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    // P2 is past its own deadline too, but it has measures: it is late
    // through them, never itself (as `check` and the reports count).
    assert_eq!(overdue, ["M3"]);
    assert_eq!(v[0]["days_overdue"], 5);
}

#[test]
fn check_exits_1_only_when_something_is_overdue() {
    let mut l = small_campaign();
    l.ok(&[
        "add",
        "measure",
        "建立制度",
        "--problem",
        "P1",
        "--due",
        "2023-05-20",
    ]);
    l.at("2023-05-15");
    let out = l.ok(&["check"]);
    assert!(out.contains("due within 7 days (1)"), "{out}");
    assert!(out.contains("M3"), "{out}");
    l.at("2023-05-22");
    let run = l.run(&["check"]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stdout.contains("overdue measures (1)"), "{run}");
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("M3") && line.contains(" 2 ")),
        "{run}"
    );
    // Ongoing and closed items are never overdue.
    l.ok(&["close", "M3", "--ongoing"]);
    assert_eq!(l.run(&["check"]).code, Some(0));
    let run = l.run(&["check", "--format", "json", "--within", "60"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["overdue"].as_array().unwrap().len(), 0);
    // The two open measures; their problem falls due through them.
    let soon: Vec<&str> = v["due_soon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(soon, ["M1", "M2"], "{run}");
}

#[test]
fn campaign_list_and_show() {
    let l = small_campaign();
    let out = l.ok(&["campaign", "list"]);
    assert!(
        out.lines()
            .nth(2)
            .unwrap()
            .starts_with("ZT2023  主题教育检视问题整改  2023-05-08  2023-07-26"),
        "{out}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&l.ok(&["campaign", "show", "ZT2023", "--format", "json"])).unwrap();
    assert_eq!(v["end"], "2023-07-26");
    assert_eq!(v["days"], 80);
    assert_eq!(v["problems"], 1);
    assert_eq!(v["measures"], 2);
}

#[test]
fn log_shows_history_and_head_is_the_newest_hash() {
    let l = small_campaign();
    let v: serde_json::Value = serde_json::from_str(&l.ok(&["log", "--format", "json"])).unwrap();
    let events = v.as_array().unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0]["action"], "campaign");
    assert_eq!(events[1]["item"], "P1");
    let head = l.ok(&["log", "--head"]);
    assert_eq!(head.trim(), events[3]["hash"].as_str().unwrap());
    assert_eq!(events[3]["prev_hash"], events[2]["hash"]);
    let one: serde_json::Value =
        serde_json::from_str(&l.ok(&["log", "M2", "--format", "json"])).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert!(l.ok(&["verify"]).starts_with("ok: 4 events"));
}

#[test]
fn rules_refuse_and_leave_the_ledger_unchanged() {
    let mut l = small_campaign();
    l.at("2023-06-20");
    l.ok(&["close", "M1", "--on", "2023-06-01"]);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["add", "problem", "x", "--due", "2023-02-30"],
            2,
            "not a date",
        ),
        (
            &[
                "add",
                "problem",
                "x",
                "--raised",
                "2023-06-01",
                "--due",
                "2023-05-01",
            ],
            2,
            "before the raised date",
        ),
        (
            &[
                "add",
                "measure",
                "x",
                "--problem",
                "P1",
                "--due",
                "2023-01-01",
            ],
            2,
            "before the raised date",
        ),
        (&["close", "M2", "--on", "2023-06-21"], 2, "after today"),
        (
            &["close", "M2", "--on", "2023-05-01"],
            2,
            "before M2 was raised",
        ),
        (&["close", "M1"], 4, "already closed (closed on 2023-06-01)"),
        (&["close", "P1"], 4, "open measures: M2"),
        (
            &["extend", "M2", "--to", "2023-06-30", "--reason", "r"],
            2,
            "not later than",
        ),
        (
            &["extend", "M2", "--to", "2023-06-01", "--reason", "r"],
            2,
            "not later than",
        ),
        (
            &["extend", "M1", "--to", "2023-08-01", "--reason", "r"],
            4,
            "closed",
        ),
        (&["close", "M9"], 3, "M9 not found"),
        (&["show", "P7"], 3, "P7 not found"),
        (
            &["list", "--campaign", "NOPE"],
            3,
            "campaign \"NOPE\" not found",
        ),
        (
            &["add", "problem", "x", "--campaign", "NOPE"],
            3,
            "not found",
        ),
        (
            &[
                "campaign",
                "new",
                "ZT2023",
                "--name",
                "again",
                "--start",
                "2023-01-01",
            ],
            4,
            "already exists",
        ),
        (&["reopen", "M2", "--reason", "r"], 4, "not closed"),
        (&["add", "problem", "   "], 2, "empty"),
        (&["add", "measure", "x", "--problem", "M1"], 2, "problem id"),
        (&["close", "P1", "--ongoing"], 2, "only measures"),
        (&["assign", "M2"], 2, "nothing to assign"),
        (&["close", "M2", "M99"], 3, "M99"),
        (&["list", "--status", "half-done"], 2, "unknown status"),
        (
            &["add", "problem", "x", "--scope", "team"],
            2,
            "unknown scope",
        ),
        (&["show", "Q12"], 2, "not an item id"),
        (&["frobnicate"], 2, "frobnicate"),
    ];
    for (args, code, needle) in cases {
        let stderr = l.fails(args, *code);
        assert!(
            stderr.contains(needle),
            "{args:?}: {stderr:?} lacks {needle:?}"
        );
    }
    // Closing several at once is all or nothing.
    l.ok(&["add", "problem", "第二个问题", "--measure", "措施"]);
    l.fails(&["close", "M3", "M1"], 4);
    assert_eq!(show_json(&l, "M3")["item"]["status"], "open");
    // Adding a measure to a closed problem.
    l.ok(&["close", "M3", "P2"]);
    let e = l.fails(&["add", "measure", "x", "--problem", "P2"], 4);
    assert!(e.contains("P2 is closed"), "{e}");
}

#[test]
fn broken_pipe_exits_quietly() {
    let l = Ledger::new();
    let measures: Vec<String> = (0..400)
        .map(|i| format!("措施第{i}项，内容较长以便填满管道缓冲区"))
        .collect();
    let mut args = vec!["add".to_string(), "problem".into(), "问题".into()];
    for m in &measures {
        args.push("--measure".into());
        args.push(m.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    l.ok(&args);
    for _ in 0..3 {
        let mut child = l
            .command(&["list"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    }
}

pub fn show_json(l: &Ledger, id: &str) -> serde_json::Value {
    serde_json::from_str(&l.ok(&["show", id, "--format", "json"])).unwrap()
}
