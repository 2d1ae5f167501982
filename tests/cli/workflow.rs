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
