//! The office's daily work: a morning `check` that counts as the reports
//! count, and is silent for cron on a clean day.

use crate::harness::zt2023_campaign;

fn report_overdue(l: &crate::harness::Ledger) -> u64 {
    let r: serde_json::Value =
        serde_json::from_str(&l.ok(&["report", "campaign", "--format", "json"])).unwrap();
    r["measures"]["overdue"].as_u64().unwrap()
}

/// The ids of a JSON array of items.
fn ids_of(items: &serde_json::Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn check_agrees_with_the_report() {
    let mut l = zt2023_campaign();
    l.at("2023-05-10");
    // A problem due 06-01 whose measure was extended past it.
    l.ok(&[
        "add",
        "problem",
        "甲问题",
        "--due",
        "2023-06-01",
        "--measure",
        "甲措施",
    ]);
    l.ok(&["extend", "M1", "--to", "2023-07-01", "--reason", "等待批复"]);
    // A problem whose measures are all done, not yet closed out.
    l.ok(&[
        "add",
        "problem",
        "乙问题",
        "--due",
        "2023-06-01",
        "--measure",
        "乙措施",
    ]);
    // A problem without measures, past its own deadline.
    l.ok(&["add", "problem", "丙问题", "--due", "2023-06-05"]);
    // A measure due in three days.
    l.ok(&[
        "add",
        "problem",
        "丁问题",
        "--due",
        "2023-06-18",
        "--measure",
        "丁措施",
    ]);
    l.at("2023-06-10");
    l.ok(&["close", "M2", "--on", "2023-05-30"]);
    l.at("2023-06-15");

    let run = l.run(&["check", "--lang", "zh"]);
    assert_eq!(run.code, Some(1), "{run}");
    let out = &run.stdout;
    // Only P3 is late: P1's lateness is its measure's, which was extended,
    // and P2's measure is done.
    assert!(
        out.contains("逾期整改措施0项，无整改措施的问题1个"),
        "{run}"
    );
    assert!(out.lines().any(|l| l.starts_with("P3")), "{run}");
    assert!(
        !out.lines()
            .any(|l| l.starts_with("P1") || l.starts_with("M1")),
        "{run}"
    );
    assert_eq!(
        report_overdue(&l),
        0,
        "the report agrees: no measure is overdue"
    );
    // Due soon shows the days left.
    assert!(out.contains("7天内到期1项"), "{run}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("M3") && l.contains("还剩3天")),
        "{run}"
    );
    // 待销号 is its own section.
    assert!(out.contains("已整改完成尚未销号的问题1个"), "{run}");
    assert!(out.lines().any(|l| l.starts_with("P2")), "{run}");

    let run = l.run(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ids = |key: &str| ids_of(&json[key]);
    assert_eq!(ids("overdue"), ["P3"]);
    assert_eq!(ids("due_soon"), ["M3"]);
    assert_eq!(ids("awaiting_close_out"), ["P2"]);
}

#[test]
fn a_quiet_check_says_nothing_on_a_clean_day() {
    let mut l = zt2023_campaign();
    l.at("2023-05-10");
    l.ok(&[
        "add",
        "problem",
        "甲问题",
        "--due",
        "2023-07-01",
        "--measure",
        "甲措施",
    ]);
    assert_eq!(l.ok(&["check", "--quiet"]), "");
    assert_eq!(l.ok(&["check"]).trim(), "nothing overdue or due soon");
    l.at("2023-06-28");
    let out = l.ok(&["check", "--quiet"]);
    assert!(out.contains("M1") && out.contains("3 days left"), "{out}");
    l.at("2023-07-02");
    let run = l.run(&["check", "--quiet"]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stdout.contains("overdue measures (1)"), "{run}");
}

#[test]
fn list_grep_finds_text_whatever_its_case_and_width() {
    let mut l = zt2023_campaign();
    l.at("2023-05-10");
    l.ok(&[
        "add",
        "problem",
        "ＷＰＳ表格填报不规范",
        "--cause",
        "培训不足",
        "--measure",
        "组织wps培训",
    ]);
    l.ok(&["add", "problem", "会议记录不全", "--measure", "补齐记录"]);
    l.ok(&["note", "M2", "已补齐ＭＡＹ份"]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--format", "json"];
        all.extend(args);
        ids_of(&serde_json::from_str(&l.ok(&all)).unwrap())
    };
    // Full-width ＷＰＳ in a title, half-width wps in a measure.
    assert_eq!(ids(&["--grep", "Wps"]), ["P1", "M1"]);
    // The cause is the problem's, and its measures'.
    assert_eq!(ids(&["--grep", "培训不足"]), ["P1", "M1"]);
    // Progress.
    assert_eq!(ids(&["--grep", "may"]), ["M2"]);
    assert!(ids(&["--grep", "无此文字"]).is_empty());
    let table = l.ok(&["list", "--grep", "补齐"]);
    assert!(table.contains("M2") && !table.contains("P1"), "{table}");
}

/// The campaign report as JSON.
fn campaign_json(l: &crate::harness::Ledger, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["report", "campaign", "--format", "json"];
    args.extend(extra);
    serde_json::from_str(&l.ok(&args)).unwrap()
}

fn verified(l: &crate::harness::Ledger) {
    let out = l.ok(&["verify"]);
    assert!(out.starts_with("ok: "), "{out}");
}

/// Run with the Chinese interface.
fn zh(l: &crate::harness::Ledger, args: &[&str]) -> crate::harness::Run {
    let mut cmd = l.command(args);
    cmd.env("RECTIFY_LANG", "zh");
    l.run_cmd(cmd, args)
}

#[test]
fn edit_corrects_a_deadline_and_the_reports_say_so() {
    let mut l = zt2023_campaign();
    l.at("2023-05-10");
    l.ok(&[
        "add",
        "problem",
        "学习贯彻不够深人",
        "--due",
        "2023-06-30",
        "--measure",
        "制定学习计划",
    ]);
    l.at("2023-06-25");
    l.ok(&["close", "M1", "--on", "2023-06-25"]);
    let before = campaign_json(&l, &["--as-of", "2023-06-25"]);
    assert_eq!(before["measures"]["on_time"], 1);
    assert_eq!(before["deadlines_corrected"], 0);

    // The deadline was typed wrong: it was 06-20, so M1 was done late.
    l.ok(&[
        "edit",
        "M1",
        "--due",
        "2023-06-20",
        "--reason",
        "原定时限录错",
    ]);
    let after = campaign_json(&l, &["--as-of", "2023-06-25"]);
    assert_eq!(after["measures"]["on_time"], 0);
    assert_eq!(after["measures"]["late"], 1);
    assert_eq!(after["deadlines_corrected"], 1);
    let text = zh(&l, &["report", "campaign", "--format", "text"]);
    assert!(
        text.stdout.contains("注：1项整改时限经更正（见 log）"),
        "{text}"
    );
    let table = zh(&l, &["report", "campaign"]);
    assert!(
        table.stdout.contains("注：1项整改时限经更正（见 log）"),
        "{table}"
    );
    let show = zh(&l, &["show", "M1"]);
    assert!(show.stdout.contains("2023-06-20"), "{show}");
    let log = zh(&l, &["log", "M1"]);
    assert!(
        log.stdout.contains("更正") && log.stdout.contains("2023-06-30 → 2023-06-20"),
        "{log}"
    );
    assert!(log.stdout.contains("（原定时限录错）"), "{log}");
    verified(&l);

    // A typo in the title; the history keeps the old text.
    l.ok(&[
        "edit",
        "P1",
        "--title",
        "学习贯彻不够深入",
        "--reason",
        "错字",
    ]);
    let p1: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "P1", "--format", "json"])).unwrap();
    assert_eq!(p1["item"]["title"], "学习贯彻不够深入");
    let edit = &p1["history"].as_array().unwrap().last().unwrap()["payload"];
    assert_eq!(edit["before"]["title"], "学习贯彻不够深人");
    assert_eq!(edit["reason"], "错字");
    verified(&l);

    // Nothing to correct, a problem's field on a measure, no reason.
    l.fails(&["edit", "M1", "--reason", "r"], 2);
    l.fails(&["edit", "M1", "--scope", "班子", "--reason", "r"], 2);
    l.fails(&["edit", "M1", "--title", "x"], 2);
    l.fails(
        &["edit", "M1", "--raised", "2023-06-26", "--reason", "r"],
        2,
    );
    // Closed out: reopen first.
    l.ok(&["close", "P1"]);
    let refused = zh(&l, &["edit", "M1", "--title", "另一个", "--reason", "r"]);
    assert_eq!(refused.code, Some(4), "{refused}");
    assert!(refused.stderr.contains("已于 2023-06-25 销号"), "{refused}");
    l.ok(&["reopen", "M1", "--reason", "补正"]);
    l.ok(&["edit", "M1", "--title", "另一个", "--reason", "r"]);
    verified(&l);
}

#[test]
fn a_voided_item_is_left_out_of_everything_until_restored() {
    let mut l = zt2023_campaign();
    l.at("2023-05-10");
    l.ok(&[
        "add",
        "problem",
        "真问题",
        "--dept",
        "办公室",
        "--due",
        "2023-06-01",
        "--measure",
        "措施一",
    ]);
    l.ok(&[
        "add",
        "problem",
        "重复录入",
        "--dept",
        "办公室",
        "--due",
        "2023-06-01",
        "--measure",
        "措施二",
    ]);
    l.at("2023-06-10");
    let before = campaign_json(&l, &[]);
    assert_eq!(before["measures"]["total"], 2);
    assert_eq!(before["measures"]["overdue"], 2);

    let out = l.ok(&["void", "P2", "--reason", "重复录入"]);
    assert_eq!(out, "voided P2\nvoided M2\n");
    let after = campaign_json(&l, &[]);
    assert_eq!(after["problems"]["total"], 1);
    assert_eq!(after["problems"]["voided"], 1);
    assert_eq!(after["measures"]["total"], 1);
    assert_eq!(after["measures"]["overdue"], 1);
    assert_eq!(after["measures"]["voided"], 1);
    let listed = l.ok(&["list", "--format", "json"]);
    assert_eq!(
        ids_of(&serde_json::from_str(&listed).unwrap()),
        ["P1", "M1"]
    );
    let voided = l.ok(&["list", "--status", "void", "--format", "json"]);
    assert_eq!(
        ids_of(&serde_json::from_str(&voided).unwrap()),
        ["P2", "M2"]
    );
    let check: serde_json::Value =
        serde_json::from_str(&l.run(&["check", "--format", "json"]).stdout).unwrap();
    assert_eq!(ids_of(&check["overdue"]), ["M1"]);
    let export = l.ok(&["export", "--headers", "en"]);
    assert!(
        !export.contains("重复录入") && export.contains("真问题"),
        "{export}"
    );
    let show = zh(&l, &["show", "P2"]);
    assert!(show.stdout.contains("已作废"), "{show}");
    let by_dept = l.ok(&["report", "by", "dept", "--format", "json"]);
    assert!(by_dept.contains("\"total\": 1"), "{by_dept}");
    verified(&l);

    // Nothing is done to a voided item but restoring it.
    l.fails(&["close", "M2"], 4);
    l.fails(&["void", "P2", "--reason", "again"], 4);
    l.fails(&["void", "--undo", "M2", "--reason", "r"], 4);
    l.fails(&["void", "--undo", "P1", "--reason", "r"], 4);
    l.fails(&["void", "P2"], 2);
    // A closed item is not voided.
    l.ok(&["close", "M1", "--on", "2023-06-05"]);
    l.fails(&["void", "M1", "--reason", "r"], 4);
    l.fails(&["void", "P1", "--reason", "r"], 4);

    let out = l.ok(&["void", "--undo", "P2", "--reason", "误作废"]);
    assert_eq!(out, "restored P2\nrestored M2\n");
    let restored = campaign_json(&l, &[]);
    assert_eq!(restored["measures"]["total"], 2);
    assert_eq!(restored["measures"]["voided"], 0);
    let log = zh(&l, &["log", "M2"]);
    assert!(
        log.stdout.contains("作废") && log.stdout.contains("恢复"),
        "{log}"
    );
    verified(&l);
}

/// An empty ledger on `today` with one campaign that asks for acceptance.
fn acceptance_campaign(today: &str) -> crate::harness::Ledger {
    let mut l = crate::harness::Ledger::new();
    l.at(today);
    l.ok(&[
        "campaign",
        "new",
        "XC2023",
        "--name",
        "巡察整改",
        "--start",
        "2023-05-08",
        "--acceptance",
    ]);
    l
}

#[test]
fn acceptance_comes_from_someone_else_and_gates_close_out() {
    let mut l = acceptance_campaign("2023-05-10");
    l.ok(&[
        "add",
        "problem",
        "制度不健全",
        "--dept",
        "办公室",
        "--due",
        "2023-06-30",
        "--measure",
        "修订制度",
        "--measure",
        "组织培训",
    ]);
    l.at("2023-06-10");
    l.ok(&["close", "M1", "--on", "2023-06-08", "--by", "张三"]);

    // Nobody accepts their own work, nor work not done.
    let own = zh(&l, &["accept", "M1", "--by", "张三"]);
    assert_eq!(own.code, Some(4), "{own}");
    assert!(own.stderr.contains("不能验收自己办结的整改措施"), "{own}");
    l.fails(&["accept", "M2", "--by", "李四"], 4);
    l.fails(&["accept", "P1", "--by", "李四"], 2);
    l.fails(&["accept", "M1", "--by", "李四", "--on", "2023-06-07"], 2);
    l.fails(&["accept", "M1", "--by", "李四", "--on", "2023-06-11"], 2);

    l.ok(&["close", "M2", "--on", "2023-06-09", "--by", "张三"]);
    let refused = zh(&l, &["close", "P1"]);
    assert_eq!(refused.code, Some(4), "{refused}");
    assert!(refused.stderr.contains("待验收"), "{refused}");
    let check = zh(&l, &["check"]);
    assert!(
        check.stdout.contains("已完成待验收的整改措施2项"),
        "{check}"
    );
    let list = zh(&l, &["list", "--kind", "measure"]);
    let waiting = list.stdout.lines().filter(|l| l.contains("待验收")).count();
    assert_eq!(waiting, 2, "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&l.ok(&["check", "--format", "json"])).unwrap();
    assert_eq!(ids_of(&json["awaiting_acceptance"]), ["M1", "M2"]);
    assert_eq!(ids_of(&json["awaiting_close_out"]), Vec::<String>::new());
    let r = campaign_json(&l, &[]);
    assert_eq!(r["measures"]["accepted"], 0);
    assert_eq!(r["measures"]["awaiting_acceptance"], 2);
    assert_eq!(r["problems"]["awaiting_close_out"], 0);

    l.ok(&["accept", "M1", "--by", "李四", "--on", "2023-06-09"]);
    l.ok(&["accept", "M2", "--by", "李四", "--note", "材料齐全"]);
    l.fails(&["accept", "M2", "--by", "王五"], 4);
    let r = campaign_json(&l, &[]);
    assert_eq!(r["measures"]["accepted"], 2);
    assert_eq!(r["measures"]["awaiting_acceptance"], 0);
    // On time by the owner's date, not the acceptance's.
    assert_eq!(r["measures"]["on_time"], 2);
    assert_eq!(r["problems"]["awaiting_close_out"], 1);
    // As of a day before the second acceptance, one still waited.
    let earlier = campaign_json(&l, &["--as-of", "2023-06-09"]);
    assert_eq!(earlier["measures"]["accepted"], 1);
    assert_eq!(earlier["measures"]["awaiting_acceptance"], 1);
    let text = zh(&l, &["report", "campaign", "--format", "text"]);
    assert!(
        text.stdout.contains("已完成2项（已验收2项、待验收0项）"),
        "{text}"
    );
    let table = zh(&l, &["report", "campaign"]);
    assert!(table.stdout.contains("已整改完成尚未销号1个"), "{table}");

    // Not closed out before the last acceptance.
    l.fails(&["close", "P1", "--on", "2023-06-09"], 2);
    l.ok(&["close", "P1"]);
    assert_eq!(campaign_json(&l, &[])["problems"]["closed"], 1);
    verified(&l);

    // The sheet carries 验收人 and 验收日期, and a fresh ledger reads
    // them back to the same sheet.
    let sheet = l.ok(&["export", "--lang", "zh"]);
    let header = sheet.lines().next().unwrap();
    assert!(header.ends_with("版本,验收人,验收日期"), "{header}");
    assert!(sheet.contains(",李四,2023-06-09"), "{sheet}");
    let sheet_path = l.path("sheet.csv").display().to_string();
    std::fs::write(&sheet_path, &sheet).unwrap();
    let copy = acceptance_campaign("2023-06-10");
    copy.ok(&["import", &sheet_path]);
    assert_eq!(copy.ok(&["export", "--lang", "zh"]), sheet);
    verified(&copy);

    // A rejected measure is no longer accepted.
    l.ok(&["reopen", "M1", "--reason", "材料不全"]);
    let m1: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M1", "--format", "json"])).unwrap();
    assert!(m1["item"].get("accepted_on").is_none(), "{m1}");
    assert_eq!(m1["problem"]["status"], "open");
    verified(&l);
}

#[test]
fn remind_writes_one_notice_per_department_with_levels() {
    let mut l = zt2023_campaign();
    l.at("2023-05-10");
    for (title, dept, due) in [
        ("三天", "办公室", "2023-06-27"),
        ("二十天", "办公室", "2023-06-10"),
        ("四十天", "办公室", "2023-05-21"),
        ("将到期", "组织部", "2023-07-03"),
        ("不急", "宣传部", "2023-07-26"),
    ] {
        l.ok(&[
            "add",
            "problem",
            title,
            "--dept",
            dept,
            "--owner",
            "张三",
            "--due",
            due,
            "--measure",
            title,
        ]);
    }
    l.at("2023-06-30");
    let run = zh(&l, &["remind"]);
    assert_eq!(run.code, Some(0), "{run}");
    let notices: Vec<&str> = run.stdout.split('\u{c}').collect();
    assert_eq!(notices.len(), 2, "{run}");
    let office = notices[0];
    assert!(
        office.starts_with("关于办公室整改事项的提醒\n专项：全部\n日期：2023-06-30\n"),
        "{office}"
    );
    for (id, level) in [("M1", "提醒"), ("M2", "督办"), ("M3", "问责")] {
        let line = office.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(line.trim_end().ends_with(level), "{line}");
    }
    assert!(
        office.contains("共逾期3项（提醒1项、督办1项、问责1项），即将到期0项。"),
        "{office}"
    );
    assert!(notices[1].contains("关于组织部整改事项的提醒"), "{run}");
    assert!(notices[1].contains("还剩3天"), "{run}");
    assert!(!run.stdout.contains("宣传部"), "{run}");

    // Other levels move the bounds.
    let run = l.ok(&["remind", "--levels", "1,50", "--campaign", "ZT2023"]);
    assert!(
        run.contains("campaign: 主题教育检视问题整改 (ZT2023)"),
        "{run}"
    );
    assert!(
        run.contains("3 overdue (0 reminders, 3 follow-ups, 0 escalations)"),
        "{run}"
    );

    // One file per unit, named after it.
    let dir = l.path("提醒");
    let dir_arg = dir.display().to_string();
    let out = zh(
        &l,
        &[
            "remind",
            "--per",
            "owner",
            "--format",
            "markdown",
            "--out-dir",
            &dir_arg,
        ],
    );
    assert_eq!(out.code, Some(0), "{out}");
    assert_eq!(out.stdout.trim(), dir.join("张三.md").display().to_string());
    let page = std::fs::read_to_string(dir.join("张三.md")).unwrap();
    assert!(page.starts_with("# 关于张三整改事项的提醒\n"), "{page}");
    assert!(
        page.contains("| M3 | 四十天 | 张三 | 2023-05-21 | 40 | 问责 |"),
        "{page}"
    );
    l.fails(&["remind", "--levels", "30,7"], 2);
}
