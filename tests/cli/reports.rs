use serde_json::{json, Value};

use crate::harness::{zt2023_campaign, Ledger};

pub fn example_csv() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/zt2023.csv")
}

/// The shipped example: 17 + 39 problems, 310 measures, all done on time.
pub fn seed() -> Ledger {
    let l = zt2023_campaign();
    let out = l.ok(&["import", example_csv().to_str().unwrap()]);
    assert!(
        out.starts_with("imported 56 problems and 310 measures"),
        "{out}"
    );
    l
}

fn report(l: &Ledger, args: &[&str]) -> Value {
    let mut full = vec!["report", "campaign", "--format", "json"];
    full.extend_from_slice(args);
    serde_json::from_str(&l.ok(&full)).unwrap()
}

#[test]
fn seed_campaign_reproduces_the_headline() {
    let mut l = seed();
    l.at("2023-09-01");
    let r = report(&l, &[]);
    assert_eq!(
        r["campaign"],
        json!({"code": "ZT2023", "name": "主题教育检视问题整改", "start": "2023-05-08", "end": "2023-07-26", "days": 80})
    );
    // A finished campaign is reported as of its end.
    assert_eq!(r["as_of"], "2023-07-26");
    assert_eq!(r["day"], 80);
    assert_eq!(
        r["problems"],
        json!({"total": 56, "closed": 56, "open": 0, "by_scope": {"group": 17, "individual": 39, "unscoped": 0},
               "awaiting_close_out": 0, "voided": 0})
    );
    assert_eq!(
        r["measures"],
        json!({"total": 310, "closed": 310, "on_time": 310, "late": 0, "ongoing": 0, "open": 0,
               "overdue": 0, "due_soon": 0, "extended": 0,
               "accepted": 0, "awaiting_acceptance": 0, "voided": 0})
    );
    assert_eq!(r["completion_rate"], 1.0);
    assert_eq!(r["on_time_rate"], 1.0);
    assert_eq!(r["all_closed"], true);
    assert_eq!(
        r["ageing"],
        json!({"0-30": 0, "31-60": 0, "61-90": 0, "over-90": 0})
    );
    assert_eq!(r["overdue"], json!([]));
    let depts: i64 = r["by_department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["total"].as_i64().unwrap())
        .sum();
    assert_eq!(depts, 310);
    assert_eq!(
        r["fingerprint"].as_str().unwrap(),
        l.ok(&["log", "--head"]).trim()
    );

    let zh = l.ok(&["--lang", "zh", "report", "campaign", "--format", "text"]);
    assert_eq!(
        zh.lines().next().unwrap(),
        "经过80天集中整治，56个问题（班子问题17个、个人问题39个）共制定整改措施310项，已完成310项，其中按期完成310项，完成率100%，问题全部销号归零。"
    );
    let en = l.ok(&["report", "campaign", "--format", "text"]);
    assert!(en.starts_with("After 80 days of focused rectification, 56 problems (17 in leadership groups, 39 of individuals) were broken into 310 rectification measures, of which 310 are done, 310 of them on schedule, a completion rate of 100%. All problems are closed out"), "{en}");
    // Mid-campaign the same ledger tells the story so far.
    let mid = report(&l, &["--as-of", "2023-06-30"]);
    assert_eq!(mid["day"], 54);
    assert_eq!(mid["all_closed"], false);
    check_invariants(&mid);
}

#[test]
fn report_forms_snapshots() {
    let l = seed();
    let chart = l.ok(&["report", "campaign", "--chart", "--as-of", "2023-07-01"]);
    assert!(chart.contains('#') && chart.contains('*'), "{chart}");
    // Every character is ASCII or Chinese, whose width is never in doubt.
    assert!(
        chart
            .chars()
            .all(|c| c.is_ascii() || unicode_width::UnicodeWidthChar::width(c) == Some(2)),
        "{chart}"
    );
    let json: serde_json::Value = serde_json::from_str(&l.ok(&[
        "report",
        "campaign",
        "--chart",
        "--as-of",
        "2023-07-01",
        "--format",
        "json",
    ]))
    .unwrap();
    let days = json["burndown"].as_array().unwrap();
    assert_eq!(days.len(), 55, "2023-05-08 to 2023-07-01");
    assert_eq!(days[0]["date"], "2023-05-08");
    assert_eq!(days[54]["date"], "2023-07-01");
    assert!(days.iter().all(|d| d["open"].as_i64().is_some()), "{json}");
    let plain = report(&l, &[]);
    assert!(plain.get("burndown").is_none(), "only with --chart");
    // In Chinese, at 80 columns, the chart and its title do not run over.
    let zh = l.ok(&[
        "--lang",
        "zh",
        "report",
        "campaign",
        "--chart",
        "--as-of",
        "2023-07-01",
    ]);
    let chart_lines: Vec<&str> = zh
        .lines()
        .skip_while(|l| !l.contains("理想进度"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(chart_lines.len(), 13, "title, 10 rows, axis, dates\n{zh}");
    for line in chart_lines {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "{line:?} is wider than 80 columns\n{zh}"
        );
    }
    insta::assert_snapshot!("seed_table_en", l.run(&["report", "campaign"]).snapshot());
    insta::assert_snapshot!(
        "seed_table_zh",
        l.run(&[
            "--lang",
            "zh",
            "report",
            "campaign",
            "--as-of",
            "2023-06-30"
        ])
        .snapshot()
    );
    insta::assert_snapshot!(
        "seed_markdown_en",
        l.run(&[
            "report",
            "campaign",
            "--format",
            "markdown",
            "--as-of",
            "2023-07-01"
        ])
        .snapshot()
    );
    insta::assert_snapshot!(
        "seed_markdown_zh",
        l.run(&["--lang", "zh", "report", "campaign", "--format", "markdown"])
            .snapshot()
    );
    insta::assert_snapshot!(
        "seed_text_en_mid",
        l.run(&[
            "report",
            "campaign",
            "--format",
            "text",
            "--as-of",
            "2023-06-30"
        ])
        .snapshot()
    );
    insta::assert_snapshot!(
        "seed_text_zh_mid",
        l.run(&[
            "--lang",
            "zh",
            "report",
            "campaign",
            "--format",
            "text",
            "--as-of",
            "2023-06-30"
        ])
        .snapshot()
    );
    insta::assert_snapshot!("seed_chart", chart);
    insta::assert_snapshot!(
        "seed_month_zh",
        l.run(&["--lang", "zh", "report", "month", "2023-06"])
            .snapshot()
    );
    insta::assert_snapshot!(
        "seed_csv",
        l.run(&["report", "campaign", "--format", "csv"]).snapshot()
    );
}

/// The invariants every as-of report must satisfy.
pub fn check_invariants(r: &Value) {
    let m = &r["measures"];
    let n = |k: &str| m[k].as_i64().unwrap();
    assert_eq!(n("closed") + n("ongoing") + n("open"), n("total"), "{r}");
    assert_eq!(n("on_time") + n("late"), n("closed"), "{r}");
    assert!(n("overdue") <= n("open"), "{r}");
    let ageing: i64 = r["ageing"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(ageing, n("open"), "{r}");
    assert_eq!(
        r["overdue"].as_array().unwrap().len() as i64,
        n("overdue"),
        "{r}"
    );
}

/// Late closures, an extension, ongoing, a reopen and overdue measures.
fn mixed() -> Ledger {
    let mut l = Ledger::new();
    l.at("2023-05-08");
    l.ok(&[
        "campaign",
        "new",
        "MIX",
        "--name",
        "混合专项",
        "--start",
        "2023-05-08",
    ]);
    l.ok(&[
        "add",
        "problem",
        "班子问题",
        "--scope",
        "班子",
        "--dept",
        "办公室",
        "--owner",
        "张三",
    ]);
    for (title, due) in [
        ("措施一", "2023-06-01"),
        ("措施二", "2023-06-10"),
        ("措施三", "2023-06-30"),
        ("措施四", "2023-07-10"),
    ] {
        l.ok(&["add", "measure", title, "--problem", "P1", "--due", due]);
    }
    l.ok(&[
        "add",
        "problem",
        "个人问题",
        "--scope",
        "个人",
        "--dept",
        "组织科",
        "--owner",
        "李四",
    ]);
    l.ok(&[
        "add",
        "measure",
        "措施五",
        "--problem",
        "P2",
        "--due",
        "2023-05-20",
    ]);
    l.ok(&[
        "add",
        "measure",
        "措施六",
        "--problem",
        "P2",
        "--due",
        "2023-07-26",
    ]);
    l.at("2023-05-30")
        .ok(&["close", "M1", "--on", "2023-05-25"]);
    l.at("2023-06-05").ok(&[
        "extend",
        "M2",
        "--to",
        "2023-06-20",
        "--reason",
        "跨部门协调",
    ]);
    l.at("2023-06-15").ok(&["close", "M3", "--ongoing"]);
    l.at("2023-06-25")
        .ok(&["close", "M2", "--on", "2023-06-18"]);
    l.at("2023-06-28")
        .ok(&["reopen", "M1", "--reason", "佐证材料不全"]);
    l.at("2023-07-01")
        .ok(&["close", "M5", "--on", "2023-06-30"]);
    l.at("2023-07-26");
    l
}

#[test]
fn mixed_campaign_definitions() {
    let l = mixed();
    let figures = |as_of: &str| {
        let r = report(&l, &["--as-of", as_of]);
        check_invariants(&r);
        r
    };
    let m = |r: &Value| r["measures"].clone();

    let end = figures("2023-07-26");
    assert_eq!(
        m(&end),
        json!({"total": 6, "closed": 2, "on_time": 0, "late": 2, "ongoing": 1, "open": 3, "overdue": 2, "due_soon": 1, "extended": 1,
               "accepted": 0, "awaiting_acceptance": 0, "voided": 0})
    );
    let overdue: Vec<&str> = end["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["M1", "M4"]);
    assert_eq!(end["overdue"][0]["days_overdue"], 55);
    assert_eq!(end["problems"]["closed"], 0);
    assert_eq!(end["all_closed"], false);
    assert_eq!(end["completion_rate"], 2.0 / 6.0);

    // Before the reopen of M1 (06-28): M1 still counts as done on time.
    let before_reopen = figures("2023-06-27");
    assert_eq!(
        m(&before_reopen),
        json!({"total": 6, "closed": 2, "on_time": 1, "late": 1, "ongoing": 1, "open": 3, "overdue": 1, "due_soon": 0, "extended": 1,
               "accepted": 0, "awaiting_acceptance": 0, "voided": 0})
    );
    let after_reopen = figures("2023-06-28");
    assert_eq!(after_reopen["measures"]["closed"], 1);
    let ids: Vec<&str> = after_reopen["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["M5", "M1"], "oldest deadline first");

    // Before the extension of M2 (06-05) nothing is extended; after it, M2's
    // deadline in force is 06-20, so on 06-12 it is not overdue.
    assert_eq!(figures("2023-06-04")["measures"]["extended"], 0);
    let after_extension = figures("2023-06-12");
    assert_eq!(after_extension["measures"]["extended"], 1);
    let ids: Vec<&str> = after_extension["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["M5"]);
    assert_eq!(figures("2023-06-03")["measures"]["due_soon"], 1);

    // The back-dated closure of M2 (recorded 06-25, effective 06-18) counts at 06-20.
    assert_eq!(figures("2023-06-20")["measures"]["closed"], 2);
    assert_eq!(figures("2023-06-17")["measures"]["closed"], 1);
    // Ongoing from 06-15.
    assert_eq!(figures("2023-06-14")["measures"]["ongoing"], 0);
    assert_eq!(figures("2023-06-15")["measures"]["ongoing"], 1);

    let text = l.ok(&["--lang", "zh", "report", "campaign", "--format", "text"]);
    assert!(text.contains("尚有3项未完成，其中逾期2项"), "{text}");
    assert!(text.contains("长期坚持1项"), "{text}");
}

#[test]
fn past_reports_are_reproducible() {
    let mut l = mixed();
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("fingerprint");
        v
    };
    let first = strip(report(&l, &["--as-of", "2023-06-20"]));
    l.at("2023-07-26").ok(&["note", "M4", "进行中"]);
    l.ok(&["extend", "M6", "--to", "2023-08-10", "--reason", "延期"]);
    assert_eq!(first, strip(report(&l, &["--as-of", "2023-06-20"])));
}

#[test]
fn month_report() {
    let l = mixed();
    let v: Value =
        serde_json::from_str(&l.ok(&["report", "month", "2023-06", "--format", "json"])).unwrap();
    assert_eq!(v["raised"], 0);
    assert_eq!(v["closed"], 2, "M2 (06-18) and M5 (06-30)");
    assert_eq!(v["closed_on_time"], 0);
    assert_eq!(v["closed_late"], 2);
    assert_eq!(v["extensions"], 1);
    assert_eq!(v["open_at_end"], 3);
    assert_eq!(v["overdue_at_end"], 1);
    let may: Value =
        serde_json::from_str(&l.ok(&["report", "month", "2023-05", "--format", "json"])).unwrap();
    assert_eq!(may["raised"], 6);
    assert_eq!(may["closed"], 1);
    // Without a month: the last complete month before today (2023-07-26 -> June).
    let default: Value =
        serde_json::from_str(&l.ok(&["report", "month", "--format", "json"])).unwrap();
    assert_eq!(default["month"], "2023-06");
    let table = l.ok(&["report", "month", "2023-06"]);
    assert!(
        table
            .trim_end()
            .ends_with(&format!("fingerprint: {}", l.ok(&["log", "--head"]).trim())),
        "{table}"
    );
}

#[test]
fn report_by_and_sorting() {
    let l = mixed();
    let rows = |args: &[&str]| -> Value {
        let mut full = vec!["report", "by"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--format", "json"]);
        serde_json::from_str(&l.ok(&full)).unwrap()
    };
    let owners = rows(&["owner", "--sort", "total"]);
    assert_eq!(owners[0]["owner"], "张三");
    assert_eq!(owners[0]["total"], 4);
    assert_eq!(owners[1]["total"], 2);
    let scopes = rows(&["scope", "--sort", "overdue"]);
    assert_eq!(scopes[0]["scope"], "group");
    assert_eq!(scopes[0]["overdue"], 2);
    let csv = l.ok(&["report", "by", "dept", "--format", "csv"]);
    assert!(
        csv.starts_with("\u{feff}DEPARTMENT,TOTAL,CLOSED,ON TIME,LATE,ONGOING,OPEN,OVERDUE\r\n"),
        "{csv:?}"
    );
}

#[test]
fn report_campaign_picks_the_only_campaign() {
    let l = mixed();
    l.ok(&[
        "campaign",
        "new",
        "OTHER",
        "--name",
        "其他",
        "--start",
        "2023-01-01",
    ]);
    let e = l.fails(&["report", "campaign"], 2);
    assert!(
        e.contains("2 campaigns (OTHER, MIX)") || e.contains("(MIX, OTHER)"),
        "{e}"
    );
    l.ok(&["report", "campaign", "MIX"]);
    l.fails(&["report", "campaign", "NOPE"], 3);
    l.fails(&["report", "month", "2023-13"], 2);
}

/// `mixed()` plus a closure back-dated before an extension recorded earlier:
/// M4's history is then out of date order, and it can never be read from its
/// columns.
pub fn mixed_out_of_order() -> Ledger {
    let mut l = mixed();
    l.at("2023-07-20")
        .ok(&["extend", "M4", "--to", "2023-07-25", "--reason", "等待审批"]);
    l.at("2023-07-22")
        .ok(&["close", "M4", "--on", "2023-07-15"]);
    l.at("2023-07-26");
    l
}

pub fn settled_on(l: &Ledger) -> Vec<(i64, Option<String>)> {
    let conn = rusqlite::Connection::open(&l.db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, settled_on FROM measure ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    rows
}

/// Reports read a measure settled by the as-of date from its columns and
/// look the rest up in the history. Forcing every measure through the
/// lookup must not change a single figure on any day of the campaign.
#[test]
fn as_of_reports_read_from_columns_agree_with_the_history() {
    let l = mixed_out_of_order();
    // A measure marked ongoing, then done: never reopened, yet not open
    // until its completion, so its columns alone cannot say how it stood.
    l.ok(&["close", "M6", "--ongoing", "--on", "2023-07-10"]);
    l.ok(&["close", "M6", "--on", "2023-07-20"]);
    let settled = settled_on(&l);
    let on = |id: i64| settled.iter().find(|(m, _)| *m == id).unwrap().1.clone();
    assert_eq!(on(1).as_deref(), Some("2023-06-28"), "M1: reopened last");
    assert_eq!(
        on(2).as_deref(),
        Some("2023-06-18"),
        "M2: extended, then closed"
    );
    assert_eq!(
        on(4).as_deref(),
        Some("9999-12-31"),
        "M4: out of date order"
    );
    assert_eq!(
        on(6).as_deref(),
        Some("2023-07-20"),
        "M6: ongoing, then closed"
    );

    let days: Vec<String> = (0..=80)
        .map(|d| {
            (chrono::NaiveDate::from_ymd_opt(2023, 5, 8).unwrap() + chrono::Days::new(d))
                .to_string()
        })
        .collect();
    let reports = |l: &Ledger| -> Vec<String> {
        let mut out: Vec<String> = days
            .iter()
            .map(|d| l.ok(&["report", "campaign", "--format", "json", "--as-of", d]))
            .collect();
        for month in ["2023-05", "2023-06", "2023-07"] {
            out.push(l.ok(&["report", "month", month, "--format", "json"]));
        }
        out
    };
    let from_columns = reports(&l);

    let conn = rusqlite::Connection::open(&l.db).unwrap();
    conn.execute("UPDATE measure SET settled_on = '9999-12-31'", [])
        .unwrap();
    drop(conn);
    let from_history = reports(&l);
    for (i, (a, b)) in from_columns.iter().zip(&from_history).enumerate() {
        assert_eq!(a, b, "report {i} differs");
    }
    // And verify notices the column no longer follows the history.
    let run = l.run(&["verify"]);
    assert_eq!(run.code, Some(6), "{run}");
    assert!(run.stdout.contains("M1: settled_on is"), "{run}");
}

/// Wherever a word is typed, either language is accepted.
#[test]
fn report_by_takes_chinese_words() {
    let l = crate::harness::small_campaign();
    for (zh, en) in [
        (
            &["report", "by", "部门", "--sort", "逾期"][..],
            &["report", "by", "dept", "--sort", "overdue"][..],
        ),
        (
            &["report", "by", "责任人", "--sort", "按期"],
            &["report", "by", "owner", "--sort", "on-time"],
        ),
        (&["report", "by", "来源"], &["report", "by", "source"]),
        (
            &["report", "by", "类型", "--format", "json"],
            &["report", "by", "scope", "--format", "json"],
        ),
    ] {
        assert_eq!(l.ok(zh), l.ok(en), "{zh:?}");
    }
}

#[test]
fn report_csv_starts_with_every_figure_then_the_department_table() {
    let l = seed();
    let csv = l.ok(&["--lang", "zh", "report", "campaign", "--format", "csv"]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "\u{feff}指标,数值");
    assert!(lines.contains(&"problems.total,56"), "{csv}");
    assert!(lines.contains(&"measures.on_time,310"), "{csv}");
    let blank = lines.iter().position(|l| l.is_empty()).unwrap();
    let fingerprint = l.ok(&["log", "--head"]);
    assert_eq!(
        lines[blank - 1],
        format!("fingerprint,{}", fingerprint.trim()),
        "{csv}"
    );
    assert!(lines[blank + 1].starts_with("责任部门,措施总数"), "{csv}");
    // Every figure the JSON has, under the JSON's own key.
    let json = report(&l, &[]);
    assert_eq!(
        lines[1..blank].iter().find(|l| l.starts_with("day,")),
        Some(&format!("day,{}", json["day"]).as_str())
    );
}

#[test]
fn month_report_counts_problems_and_says_its_period() {
    let l = seed();
    let month = |m: &str| -> Value {
        serde_json::from_str(&l.ok(&["report", "month", m, "--format", "json"])).unwrap()
    };
    let may = month("2023-05");
    assert_eq!(may["problems"]["raised"], 56);
    let june = month("2023-06");
    let july = month("2023-07");
    assert_eq!(june["problems"]["raised"], 0);
    // Every problem is closed out by the campaign's end, some in each month.
    let closed: i64 = [&may, &june, &july]
        .iter()
        .map(|m| m["problems"]["closed_out"].as_i64().unwrap())
        .sum();
    assert_eq!(closed, 56);
    assert_eq!(july["problems"]["open_at_end"], 0);
    assert_eq!(
        june["problems"]["open_at_end"],
        56 - may["problems"]["closed_out"].as_i64().unwrap()
            - june["problems"]["closed_out"].as_i64().unwrap()
    );
    let zh = l.ok(&["--lang", "zh", "report", "month", "2023-06"]);
    assert!(
        zh.starts_with("2023年6月整改工作月报  2023年6月1日至6月30日\n"),
        "{zh}"
    );
    assert!(zh.contains("分部门情况（累计至月末）"), "{zh}");
    let en = l.ok(&["report", "month", "2023-06"]);
    assert!(en.contains("1–30 June 2023"), "{en}");
}

#[test]
fn problems_without_a_scope_make_the_sentence_add_up() {
    let mut l = crate::harness::zt2023_campaign();
    l.at("2023-05-10");
    l.ok(&[
        "add",
        "problem",
        "班子的",
        "--scope",
        "班子",
        "--measure",
        "措施",
    ]);
    l.ok(&[
        "add",
        "problem",
        "个人的",
        "--scope",
        "个人",
        "--measure",
        "措施",
    ]);
    l.ok(&["add", "problem", "未分类的", "--measure", "措施"]);
    let r = report(&l, &[]);
    assert_eq!(
        r["problems"]["by_scope"],
        json!({"group": 1, "individual": 1, "unscoped": 1})
    );
    let table = l.ok(&["--lang", "zh", "report", "campaign"]);
    assert!(
        table.contains("问题：3个（班子问题1个、个人问题1个、未分类1个）"),
        "{table}"
    );
    let text = l.ok(&["--lang", "zh", "report", "campaign", "--format", "text"]);
    assert!(
        text.contains("3个问题（班子问题1个、个人问题1个、未分类1个）"),
        "{text}"
    );
}

/// The campaign report in Chinese as a Word document at `path`; what it
/// printed.
fn word_report(l: &Ledger, path: &std::path::Path) -> String {
    l.ok(&[
        "--lang",
        "zh",
        "report",
        "campaign",
        "--format",
        "docx",
        "--out",
        path.to_str().unwrap(),
    ])
}

/// A zipped part of an Office document, as text.
fn zip_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_word_report_is_laid_out_as_an_official_document() {
    let l = seed();
    let path = l.path("整改情况报告.docx");
    let out = word_report(&l, &path);
    assert_eq!(out, "", "written to the file, nothing printed");
    let bytes = std::fs::read(&path).unwrap();
    let doc = zip_part(&bytes, "word/document.xml");
    // A4, GB/T 9704's margins, page numbers at the foot.
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#), "A4");
    assert!(
        doc.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#),
        "margins"
    );
    let footer = zip_part(&bytes, "word/footer1.xml");
    assert!(
        footer.contains(" PAGE ") && footer.contains("— "),
        "{footer}"
    );
    // The title, the headings and the body in their faces.
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"] {
        assert!(doc.contains(&format!(r#"w:eastAsia="{font}""#)), "{font}");
    }
    let fonts = zip_part(&bytes, "word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
    assert!(doc.contains("关于主题教育检视问题整改情况的报告"));
    assert!(doc.contains("（截至2023年7月26日）"));
    assert!(doc.contains("一、总体情况") && doc.contains("三、分部门情况"));
    assert!(doc.contains("经过80天集中整治，56个问题"), "the narrative");
    // The department table: a real table, its header repeated.
    assert!(doc.contains("<w:tbl>") && doc.contains("<w:tblHeader/>"));
    for dept in ["办公室", "组织人事科", "财务科"] {
        assert!(doc.contains(&format!(">{dept}</w:t>")), "{dept}");
    }
    // The fingerprint last, in small type.
    let fingerprint = l.ok(&["log", "--head"]);
    let last = doc.rfind("<w:p>").unwrap();
    assert!(doc[last..].contains(fingerprint.trim()), "fingerprint last");
    assert!(
        doc[last..].contains(r#"<w:sz w:val="18"/>"#),
        "in small type"
    );
    // The same report gives the same bytes: a snapshot of what Word reads.
    insta::assert_snapshot!("seed_docx_zh", doc.replace("</w:p>", "</w:p>\n"));

    // In English, the same structure in Times New Roman and Arial; the
    // monthly report too; and `report by` has no document.
    let en = l.path("report.docx");
    l.ok(&[
        "report",
        "month",
        "2023-06",
        "--format",
        "docx",
        "--out",
        en.to_str().unwrap(),
    ]);
    let month = zip_part(&std::fs::read(&en).unwrap(), "word/document.xml");
    assert!(month.contains(r#"w:ascii="Times New Roman""#) && month.contains(r#"w:ascii="Arial""#));
    assert!(month.contains("1–30 June 2023") && month.contains("<w:tblHeader/>"));
    l.fails(&["report", "by", "dept", "--format", "docx"], 2);
}

/// Opt-in (LibreOffice is a large install and slow to start):
/// `cargo test --test cli -- --ignored prints_through_libreoffice`.
/// The Word report and the workbook convert to A4 PDFs of a sensible
/// length: the report on two pages, the ledger fitted one page wide.
#[test]
#[ignore]
fn prints_through_libreoffice() {
    let l = seed();
    let docx = l.path("report.docx");
    let xlsx = l.path("ledger.xlsx");
    word_report(&l, &docx);
    l.ok(&[
        "--lang",
        "zh",
        "export",
        "--format",
        "xlsx",
        "--campaign",
        "ZT2023",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    for (file, pages) in [(&docx, 1..=3), (&xlsx, 1..=8)] {
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(l.path(""))
            .arg(file)
            .status()
            .expect("soffice (LibreOffice) is needed for this opt-in test");
        assert!(status.success());
        let pdf = std::fs::read(file.with_extension("pdf")).unwrap();
        // Page objects, not the page tree (/Type/Pages).
        let count = pdf
            .windows(11)
            .filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's')
            .count();
        assert!(pages.contains(&count), "{}: {count} pages", file.display());
    }
}

/// A problem closed out and reopened stands as the history says at each
/// date; one never reopened, as its columns say.
#[test]
fn a_reopened_problem_counts_as_its_history_says() {
    let mut l = crate::harness::zt2023_campaign();
    l.at("2023-05-10");
    l.ok(&["add", "problem", "甲", "--measure", "甲措施"]);
    l.ok(&["add", "problem", "乙", "--measure", "乙措施"]);
    l.at("2023-06-20");
    l.ok(&["close", "M1", "M2", "--on", "2023-06-15"]);
    l.ok(&["close", "P1", "P2", "--on", "2023-06-20"]);
    l.at("2023-06-25");
    l.ok(&["reopen", "M1", "--reason", "佐证材料不全"]);
    let closed = |as_of: &str| report(&l, &["--as-of", as_of])["problems"]["closed"].clone();
    assert_eq!(closed("2023-06-19"), 0);
    assert_eq!(closed("2023-06-22"), 2);
    assert_eq!(closed("2023-06-26"), 1, "P1 was reopened on 06-25");
    let june: Value =
        serde_json::from_str(&l.ok(&["report", "month", "2023-06", "--format", "json"])).unwrap();
    assert_eq!(june["problems"]["closed_out"], 1);
    assert_eq!(june["problems"]["open_at_end"], 1);
}
