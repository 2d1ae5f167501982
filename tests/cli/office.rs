//! The sheets offices really keep: a title, a 填报单位/截至 line, a grouped
//! two-row header, heading rows, problem cells merged over their measures,
//! header names of their own, date cells and dates typed as text.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::harness::{redact_uuids, zt2023_campaign, Ledger};

const TITLE: &str = "2023年主题教育检视问题整改台账";
const FILED_BY: &str = "填报单位：办公室（盖章）        截至2023年6月30日";

/// The office's ledger as its clerk built it in Excel.
fn office_xlsx(path: &std::path::Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    let day = Format::new().set_num_format("yyyy年m月d日");
    sheet.merge_range(0, 0, 0, 7, TITLE, &plain).unwrap();
    sheet.merge_range(1, 0, 1, 7, FILED_BY, &plain).unwrap();
    // Two header rows: 序号, 存在问题 and 完成时限 span both; two groups
    // span three and two columns.
    sheet.merge_range(2, 0, 3, 0, "序号", &plain).unwrap();
    sheet.merge_range(2, 1, 3, 1, "存在问题", &plain).unwrap();
    sheet
        .merge_range(2, 2, 2, 4, "整改措施及责任", &plain)
        .unwrap();
    sheet.merge_range(2, 5, 3, 5, "完成\n时限", &plain).unwrap();
    sheet.merge_range(2, 6, 2, 7, "整改情况", &plain).unwrap();
    for (col, text) in [(2, "整改措施"), (3, "责任单位"), (4, "具体责任人")] {
        sheet.write(3, col, text).unwrap();
    }
    sheet.write(3, 6, "进展情况").unwrap();
    sheet.write(3, 7, "是否完成").unwrap();
    sheet
        .merge_range(4, 0, 4, 7, "一、班子问题", &plain)
        .unwrap();
    // One problem over two measure rows.
    sheet.merge_range(5, 0, 6, 0, "", &plain).unwrap();
    sheet.write_number(5, 0, 1).unwrap();
    sheet
        .merge_range(5, 1, 6, 1, "学习贯彻不够深入", &plain)
        .unwrap();
    let date = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap();
    sheet.write(5, 2, "制定学习计划").unwrap();
    sheet.write(5, 3, "办公室").unwrap();
    sheet.write(5, 4, "张三").unwrap();
    sheet
        .write_datetime_with_format(5, 5, date(2023, 6, 15), &day)
        .unwrap();
    sheet.write(5, 6, "已制定").unwrap();
    sheet.write(5, 7, "已办结").unwrap();
    sheet.write(6, 2, "开展专题研讨").unwrap();
    sheet.write(6, 3, "办公室").unwrap();
    sheet.write(6, 4, "李四").unwrap();
    sheet.write(6, 5, "2023年7月31日").unwrap();
    sheet.write(6, 6, "正在推进").unwrap();
    sheet.write(6, 7, "推进中").unwrap();
    sheet
        .merge_range(7, 0, 7, 7, "二、个人问题", &plain)
        .unwrap();
    sheet.write_number(8, 0, 2).unwrap();
    sheet.write(8, 1, "联系群众不够紧密").unwrap();
    sheet.write(8, 2, "建立联系点").unwrap();
    sheet.write(8, 3, "组织人事科").unwrap();
    sheet.write(8, 4, "王五").unwrap();
    sheet
        .write_datetime_with_format(8, 5, date(2023, 7, 15), &day)
        .unwrap();
    sheet.write(8, 7, "未完成").unwrap();
    book.save(path).unwrap();
}

/// The same sheet saved as CSV by a Chinese Excel: GBK, and merged cells
/// blank but for their first one.
fn office_gbk_csv(path: &std::path::Path) {
    let text = format!(
        "{TITLE},,,,,,,\r\n{FILED_BY},,,,,,,\r\n\
         序号,存在问题,整改措施及责任,,,\"完成\n时限\",整改情况,\r\n\
         ,,整改措施,责任单位,具体责任人,,进展情况,是否完成\r\n\
         一、班子问题,,,,,,,\r\n\
         1,学习贯彻不够深入,制定学习计划,办公室,张三,2023年6月15日,已制定,已办结\r\n\
         ,,开展专题研讨,办公室,李四,2023年7月31日,正在推进,推进中\r\n\
         二、个人问题,,,,,,,\r\n\
         2,联系群众不够紧密,建立联系点,组织人事科,王五,2023/7/15 0:00,,未完成\r\n\
         ,,,,,,,\r\n"
    );
    std::fs::write(path, encoding_rs::GBK.encode(&text).0).unwrap();
}

fn items(l: &Ledger) -> serde_json::Value {
    serde_json::from_str(&l.ok(&["list", "--format", "json"])).unwrap()
}

fn check_office_ledger(l: &Ledger) {
    let show = |id: &str| -> serde_json::Value {
        serde_json::from_str(&l.ok(&["show", id, "--format", "json"])).unwrap()
    };
    let all = items(l);
    assert_eq!(all.as_array().unwrap().len(), 5, "{all:#}");
    let p1 = show("P1");
    assert_eq!(p1["item"]["title"], "学习贯彻不够深入");
    assert_eq!(p1["item"]["scope"], "group");
    assert_eq!(p1["measures"].as_array().unwrap().len(), 2);
    let m1 = show("M1");
    assert_eq!(m1["item"]["department"], "办公室");
    assert_eq!(m1["item"]["owner"], "张三");
    assert_eq!(m1["item"]["due_original"], "2023-06-15");
    assert_eq!(m1["item"]["status"], "closed");
    // 已办结 with no completion date: the sheet's 截至 date.
    assert_eq!(m1["item"]["closed_on"], "2023-06-30");
    assert_eq!(m1["item"]["progress"], "已制定");
    let m2 = show("M2");
    assert_eq!(m2["item"]["due_original"], "2023-07-31");
    assert_eq!(m2["item"]["status"], "open");
    let p2 = show("P2");
    assert_eq!(p2["item"]["scope"], "individual");
    let m3 = show("M3");
    assert_eq!(m3["item"]["title"], "建立联系点");
    assert_eq!(m3["item"]["due_original"], "2023-07-15");
    assert_eq!(m3["item"]["problem"], "P2");
}

#[test]
fn an_office_workbook_imports_as_the_office_reads_it() {
    let l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    let out = l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    assert!(
        out.contains("imported 2 problems and 3 measures from 台账.xlsx (XLSX)"),
        "{out}"
    );
    assert!(
        out.contains("1 rows marked done had no completion date; they were dated 2023-06-30"),
        "{out}"
    );
    check_office_ledger(&l);
    assert!(l.ok(&["verify"]).starts_with("ok:"));
}

#[test]
fn the_same_sheet_as_gbk_csv_needs_fill_down_for_its_merged_cells() {
    let l = zt2023_campaign();
    office_gbk_csv(&l.path("台账.csv"));
    let before = l.dump();
    let mut cmd = l.command(&["import", "台账.csv", "--campaign", "ZT2023"]);
    cmd.env("RECTIFY_LANG", "zh");
    let run = l.run_cmd(cmd, &["import"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("台账.csv:8: 存在问题为空"), "{run}");
    assert!(run.stderr.contains("--fill-down"), "{run}");
    assert_eq!(before, l.dump(), "a refused import changed the ledger");

    let out = l.ok(&["import", "台账.csv", "--campaign", "ZT2023", "--fill-down"]);
    assert!(out.contains("2 problems and 3 measures"), "{out}");
    assert!(out.contains("(GB18030)"), "{out}");
    check_office_ledger(&l);

    // Read from the workbook or from its CSV, the ledger is the same.
    let other = zt2023_campaign();
    office_xlsx(&other.path("台账.xlsx"));
    other.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    // (Each ledger has its own UUIDs, which 版本 covers too.)
    let sheet = |l: &Ledger| {
        let csv = redact_uuids(&l.ok(&["export", "--format", "csv"]));
        csv.lines()
            .map(|line| {
                line.rsplit_once(',')
                    .map_or(line, |(rest, _)| rest)
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(sheet(&l), sheet(&other));
}

#[test]
fn a_sheet_names_its_columns_its_own_way() {
    let l = zt2023_campaign();
    let sheet = "编号,问题表述,整改要求,牵头部门,主办人,完成期限,完成情况,完成时间\n\
                 1,问题一,措施甲,办公室,张三,2023.6.30,已整改到位,2023-06-20\n\
                 1,问题一,措施乙,办公室,李四,2023-06-30 00:00:00,持续整改,\n";
    std::fs::write(l.path("own.csv"), sheet).unwrap();
    // 问题表述 is no name the tool knows; --map names it.
    let e = l.fails(&["import", "own.csv", "--campaign", "ZT2023"], 2);
    assert!(e.contains("no 问题描述 (problem) column"), "{e}");
    assert!(e.contains("--map"), "{e}");
    l.ok(&[
        "import",
        "own.csv",
        "--campaign",
        "ZT2023",
        "--map",
        "问题表述=问题描述",
    ]);
    let all = items(&l);
    let status: Vec<(&str, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [("P1", "open"), ("M1", "closed"), ("M2", "ongoing")]
    );
}

#[test]
fn other_files_and_missing_sheets_are_refused() {
    let l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    let e = l.fails(&["import", "台账.xlsx", "--sheet", "第二页"], 2);
    assert!(e.contains("no sheet \"第二页\"; its sheets: Sheet1"), "{e}");
    std::fs::write(l.path("报告.pdf"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let e = l.fails(&["import", "报告.pdf"], 2);
    assert!(e.contains("报告.pdf: not a CSV or spreadsheet file"), "{e}");
    // A Word file is a compound file, as an XLS is, but holds no workbook.
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.resize(4096, 0);
    std::fs::write(l.path("通知.doc"), doc).unwrap();
    let e = l.fails(&["import", "通知.doc"], 2);
    assert!(e.contains("not a CSV or spreadsheet file"), "{e}");
    // A day without its year is not guessed at.
    std::fs::write(l.path("noyear.csv"), "问题描述,完成时限\n问题,6月30日\n").unwrap();
    let e = l.fails(&["import", "noyear.csv", "--campaign", "ZT2023"], 2);
    assert!(e.contains("完成时限: \"6月30日\" has no year"), "{e}");
    // A campaign the ledger lacks is said once, with the command to run.
    let rows: String = (0..20).map(|i| format!("XC2023,问题{i}\n")).collect();
    std::fs::write(l.path("xc.csv"), format!("所属专项,问题描述\n{rows}")).unwrap();
    let e = l.fails(&["import", "xc.csv"], 2);
    assert_eq!(e.matches("XC2023").count(), 2, "{e}");
    assert!(e.contains("`rectify campaign new XC2023"), "{e}");
}

#[test]
fn importing_the_same_sheet_again_adds_nothing() {
    let l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    let before = l.dump();
    let out = l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    assert!(
        out.contains("imported 0 problems and 0 measures")
            && out.contains("3 identical rows skipped"),
        "{out}"
    );
    assert_eq!(before, l.dump());

    // An export without its UUID columns matches by 问题编号 and 措施编号.
    let csv = l.ok(&["export", "--format", "csv"]);
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let keep: Vec<usize> = (0..headers.len())
        .filter(|i| !headers[*i].contains("UUID"))
        .collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(keep.iter().map(|i| &headers[*i])).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        out.write_record(keep.iter().map(|i| &record[*i])).unwrap();
    }
    std::fs::write(l.path("no-uuid.csv"), out.into_inner().unwrap()).unwrap();
    let said = l.ok(&["import", "no-uuid.csv"]);
    assert!(
        said.contains("imported 0 problems and 0 measures")
            && said.contains("3 identical rows skipped"),
        "{said}"
    );
    assert_eq!(before, l.dump());

    // A row that says something else of a known item is refused.
    let edited = std::fs::read_to_string(l.path("no-uuid.csv"))
        .unwrap()
        .replace("李四", "赵六");
    std::fs::write(l.path("edited.csv"), edited).unwrap();
    let e = l.fails(&["import", "edited.csv"], 2);
    assert!(
        e.contains("\"赵六\" was changed in the sheet since its export (\"李四\" in the ledger)"),
        "{e}"
    );
    assert!(e.contains("--update"), "{e}");
    assert_eq!(before, l.dump());
    // Without its 版本 column, the same edit is simply not the ledger's.
    let no_version: String = std::fs::read_to_string(l.path("edited.csv"))
        .unwrap()
        .lines()
        .map(|line| {
            line.rsplit_once(',')
                .map_or(line, |(rest, _)| rest)
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(l.path("edited.csv"), no_version).unwrap();
    let e = l.fails(&["import", "edited.csv"], 2);
    assert!(
        e.contains("\"赵六\" differs from the ledger (\"李四\")"),
        "{e}"
    );
}

#[test]
fn a_sheet_listed_per_problem_is_refused_not_misread() {
    let l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    let before = l.dump();
    for lang in ["zh", "en"] {
        let sheet = l.ok(&["export", "--by", "problem", "--headers", lang]);
        std::fs::write(l.path("by-problem.csv"), sheet).unwrap();
        let e = l.fails(&["import", "by-problem.csv"], 2);
        assert!(e.contains("lists measures per problem for reading"), "{e}");
    }
    assert_eq!(before, l.dump());
}

#[test]
fn a_dry_run_shows_how_the_sheet_was_read() {
    let l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    let before = l.dump();
    let mut cmd = l.command(&["import", "台账.xlsx", "--campaign", "ZT2023", "--dry-run"]);
    cmd.env("RECTIFY_LANG", "zh");
    let run = l.run_cmd(cmd, &["import", "--dry-run"]);
    assert_eq!(run.code, Some(0), "{run}");
    for line in [
        "表头：第 3 行和第 4 行",
        "  第 A 列 \"序号\" → 序号",
        "  第 B 列 \"存在问题\" → 问题描述",
        "  第 E 列 \"具体责任人\" → 责任人",
        "  第 F 列 \"完成\\n时限\" → 整改时限",
        "  第 H 列 \"是否完成\" → 状态",
        "表头以上跳过的行：1, 2",
        "截至日期：2023-06-30（取自表头以上）",
        "第 5 行 一、班子问题：标题行，以下各行问题类型为班子",
        "第 8 行 二、个人问题：标题行，以下各行问题类型为个人",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "{line:?} missing\n{run}"
        );
    }
    assert!(run.stdout.contains("导入问题2个、整改措施3项"), "{run}");
    assert_eq!(before, l.dump());
}

#[test]
fn columns_the_tool_has_no_field_for_are_kept() {
    let l = zt2023_campaign();
    let sheet = "问题描述,问题类别,整改措施,联系电话,,整改目标\n\
                 学习不深入,学习教育,制定计划,0571-1234,,年底前完成\n\
                 学习不深入,学习教育,开展研讨,0571-5678,,\n";
    std::fs::write(l.path("extra.csv"), sheet).unwrap();
    let out = l.ok(&["import", "extra.csv", "--campaign", "ZT2023"]);
    assert!(
        out.contains("columns kept as extra fields: \"问题类别\", \"联系电话\", \"整改目标\""),
        "{out}"
    );
    let show = l.ok(&["show", "M1"]);
    for line in ["联系电话", "0571-1234", "整改目标", "年底前完成"] {
        assert!(show.contains(line), "{line} missing from\n{show}");
    }
    let m2: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M2", "--format", "json"])).unwrap();
    assert_eq!(
        m2["item"]["extra"],
        serde_json::json!({"问题类别": "学习教育", "联系电话": "0571-5678"})
    );
    // Export: after the known columns, sorted; in JSON under `extra`.
    let csv = l.ok(&["export", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with("measure_uuid,version,整改目标,联系电话,问题类别"),
        "{header}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&l.ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(json[0]["extra"]["整改目标"], "年底前完成");
    // Nothing typed is lost on the way round, and a re-import adds nothing.
    crate::sheets::round_trip(&l);
    let before = l.dump();
    let again = l.ok(&["import", "extra.csv", "--campaign", "ZT2023"]);
    assert!(again.contains("2 identical rows skipped"), "{again}");
    assert_eq!(before, l.dump());
    let changed = sheet.replace("0571-5678", "0571-0000");
    std::fs::write(l.path("changed.csv"), changed).unwrap();
    let e = l.fails(&["import", "changed.csv", "--campaign", "ZT2023"], 2);
    assert!(
        e.contains("联系电话: \"0571-0000\" differs from the ledger (\"0571-5678\")"),
        "{e}"
    );
    assert!(l.ok(&["verify"]).starts_with("ok:"));
}

#[test]
fn an_untouched_row_of_an_older_export_is_skipped() {
    let mut l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    l.ok(&["export", "--out", "last-week.csv"]);
    // The ledger moves on after the export.
    l.at("2023-07-10");
    l.ok(&["note", "M2", "研讨已开两次"]);
    l.ok(&["assign", "M3", "--owner", "赵六"]);
    let before = l.dump();
    let out = l.ok(&["import", "last-week.csv"]);
    assert!(
        out.contains("imported 0 problems and 0 measures")
            && out.contains("3 identical rows skipped"),
        "{out}"
    );
    assert_eq!(before, l.dump());
    // Excel re-saving it (no BOM, dates as 2023/6/15, CRLF) changes no 版本.
    let resaved = std::fs::read_to_string(l.path("last-week.csv"))
        .unwrap()
        .trim_start_matches('\u{feff}')
        .replace("2023-06-15", "2023/6/15")
        .replace("\r\n", "\n");
    std::fs::write(l.path("resaved.csv"), resaved).unwrap();
    let out = l.ok(&["import", "resaved.csv"]);
    assert!(out.contains("3 identical rows skipped"), "{out}");
    assert_eq!(before, l.dump());
}

/// The office exports its sheet; a department fills in its rows.
type Edit<'a> = &'a dyn Fn(&mut Vec<Vec<String>>, &dyn Fn(&str) -> usize);

fn department_edits(l: &Ledger, from: &str, to: &str, edit: Edit<'_>) {
    let text = std::fs::read_to_string(l.path(from)).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let header = rows[0].clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    edit(&mut rows, &at);
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row).unwrap();
    }
    std::fs::write(l.path(to), out.into_inner().unwrap()).unwrap();
}

#[test]
fn departments_report_back_through_the_sheet() {
    let mut l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    l.ok(&["export", "--out", "sent.csv", "--headers", "zh"]);
    l.at("2023-07-10");
    department_edits(&l, "sent.csv", "back.csv", &|rows, at| {
        rows[2][at("整改进展")] = "已开展两次研讨".into();
        rows[2][at("状态")] = "已完成".into();
        rows[2][at("完成时间")] = "2023-07-08".into();
        rows[3][at("责任人")] = "赵六".into();
        rows[3][at("调整后时限")] = "2023-08-15".into();
        rows[3].push("等待上级批复".into());
        rows[0].push("延期原因".into());
        for row in rows.iter_mut().skip(1).filter(|r| r.len() < 26) {
            row.push(String::new());
        }
    });
    let before = l.dump();
    let mut dry = l.command(&["import", "back.csv", "--update", "--dry-run"]);
    dry.env("RECTIFY_LANG", "zh");
    let run = l.run_cmd(dry, &["import", "--update", "--dry-run"]);
    assert_eq!(run.code, Some(0), "{run}");
    for line in [
        "M2 整改进展：\"正在推进\" → \"已开展两次研讨\"",
        "M2 状态：\"正在整改\" → \"已完成\"",
        "M3 责任人：\"王五\" → \"赵六\"",
        "M3 调整后时限：\"2023-07-15\" → \"2023-08-15\"",
        "更新了 2 行",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "{line:?} missing\n{run}"
        );
    }
    assert_eq!(before, l.dump(), "a dry run wrote");

    let out = l.ok(&["import", "back.csv", "--update"]);
    assert!(out.contains("updated 2 rows"), "{out}");
    let log = l.ok(&["log", "--format", "json"]);
    let events: serde_json::Value = serde_json::from_str(&log).unwrap();
    let done: Vec<(String, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["payload"]["via"] == "import:back.csv")
        .map(|e| {
            (
                e["item"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = done.iter().map(|(i, a)| (i.as_str(), a.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("M2", "note"),
            ("M2", "close"),
            ("M3", "extend"),
            ("M3", "assign")
        ]
    );
    let m2: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M2", "--format", "json"])).unwrap();
    assert_eq!(m2["item"]["closed_on"], "2023-07-08");
    assert!(l.ok(&["verify"]).starts_with("ok:"));
    // Sent again, nothing more happens.
    let again = l.dump();
    let out = l.ok(&["import", "back.csv", "--update"]);
    assert!(out.contains("updated 0 rows"), "{out}");
    assert_eq!(again, l.dump());
}

#[test]
fn a_row_changed_in_the_ledger_too_is_a_conflict() {
    let mut l = zt2023_campaign();
    office_xlsx(&l.path("台账.xlsx"));
    l.ok(&["import", "台账.xlsx", "--campaign", "ZT2023"]);
    l.ok(&["export", "--out", "sent.csv", "--headers", "zh"]);
    l.at("2023-07-10");
    // The office reassigns M3 after sending the sheet out.
    l.ok(&["assign", "M3", "--owner", "钱七"]);
    department_edits(&l, "sent.csv", "back.csv", &|rows, at| {
        rows[2][at("整改进展")] = "已开展两次研讨".into();
        rows[3][at("责任人")] = "赵六".into();
        // A department's older word for a done measure is never applied.
        rows[1][at("状态")] = "正在整改".into();
    });
    let before = l.dump();
    let e = l.fails(&["import", "back.csv", "--update"], 2);
    assert!(
        e.contains("M3 was changed both in the sheet and in the ledger since the export: 责任人 sheet \"赵六\", ledger \"钱七\""),
        "{e}"
    );
    assert_eq!(before, l.dump(), "a conflict changed the ledger");

    let out = l.ok(&["import", "back.csv", "--update", "--skip-conflicts"]);
    assert!(
        out.contains("skipped, changed in the ledger too since the export: M3 责任人"),
        "{out}"
    );
    assert!(
        out.contains("the ledger is newer, not applied: M1 状态"),
        "{out}"
    );
    assert!(out.contains("updated 1 rows"), "{out}");
    let m3: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M3", "--format", "json"])).unwrap();
    assert_eq!(m3["item"]["owner"], "钱七");
    let m1: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M1", "--format", "json"])).unwrap();
    assert_eq!(m1["item"]["status"], "closed");
}
