use crate::harness::{zt2023_campaign, Ledger};
use crate::reports::{example_csv, seed};

#[track_caller]
pub fn round_trip(l: &Ledger) {
    let first = l.path("first.csv");
    l.ok(&["export", "--out", first.to_str().unwrap()]);
    let other = zt2023_campaign();
    other.ok(&["import", first.to_str().unwrap()]);
    let second = other.path("second.csv");
    other.ok(&["export", "--out", second.to_str().unwrap()]);
    let (a, b) = (
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap(),
    );
    assert!(
        a == b,
        "round trip changed the sheet:\n{}\n---\n{}",
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b)
    );
    assert!(other.ok(&["verify"]).starts_with("ok:"));
}

#[test]
fn example_campaign_round_trips_byte_for_byte() {
    let l = seed();
    round_trip(&l);
    let sheet = std::fs::read(l.path("first.csv")).unwrap();
    assert!(sheet.starts_with("\u{feff}seq,campaign,problem_id".as_bytes()));
    let zh = l.ok(&["--lang", "zh", "export"]);
    assert!(zh.starts_with("\u{feff}序号,所属专项,问题编号"), "{zh}");
    assert!(
        zh.contains(",已销号,"),
        "status words follow the interface language"
    );
    assert!(sheet.windows(2).any(|w| w == b"\r\n"));
    // A re-import is harmless: every row is identical, so all are skipped.
    let before = l.dump();
    let out = l.ok(&["import", example_csv().to_str().unwrap()]);
    assert!(
        out.contains("imported 0 problems and 0 measures")
            && out.contains("310 identical rows skipped"),
        "{out}"
    );
    assert_eq!(before, l.dump());
}

#[test]
fn nasty_cells_round_trip() {
    let l = zt2023_campaign();
    let nasty = [
        "=HYPERLINK(\"http://x\",\"点我\")",
        "+1+1",
        "-2",
        "@SUM(A1)",
        "＝全角等号",
        "含\"引号\"和,逗号",
        "多行\n第二行\n第三行",
        "emoji 🎉 和 𠮷",
        "'已有引号",
        "'=引号加等号",
    ];
    for (i, title) in nasty.iter().enumerate() {
        let owner = if i % 2 == 0 { "" } else { "=owner" };
        let measure = format!("--measure={title}");
        let owner = format!("--owner={owner}");
        l.ok(&[
            "add",
            "problem",
            "--cause=-原因",
            &owner,
            &measure,
            "--source",
            "@来源",
            "--",
            title,
        ]);
    }
    l.ok(&["add", "problem", "没有措施的问题"]);
    round_trip(&l);
    let sheet = String::from_utf8(std::fs::read(l.path("first.csv")).unwrap()).unwrap();
    assert!(
        sheet.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""),
        "{sheet}"
    );
    assert!(sheet.contains(",'+1+1,"), "{sheet}");
    assert!(sheet.contains(",'@来源,"), "{sheet}");
    assert!(sheet.contains("'＝全角等号"), "{sheet}");
    assert!(sheet.contains("\"多行\n第二行\n第三行\""), "{sheet}");
    let v: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "P1", "--format", "json"])).unwrap();
    assert_eq!(v["item"]["title"], nasty[0]);
}

#[test]
fn gbk_sheets_import_with_the_right_text() {
    let l = zt2023_campaign();
    let text = "问题描述,整改措施,责任部门,整改时限,所属专项\r\n学习不够深入,制定学习计划,办公室,2023-06-30,ZT2023\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let file = l.path("gbk.csv");
    std::fs::write(&file, &bytes).unwrap();
    let out = l.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("(GB18030)"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M1", "--format", "json"])).unwrap();
    assert_eq!(v["item"]["title"], "制定学习计划");
    assert_eq!(v["item"]["department"], "办公室");
    assert_eq!(v["problem"]["title"], "学习不够深入");
    // Raised date defaults to the campaign's start.
    assert_eq!(v["item"]["raised_on"], "2023-05-08");
}

#[test]
fn excel_style_dates_crlf_and_bom_import_cleanly() {
    let l = zt2023_campaign();
    let text = "\u{feff}问题描述,整改措施,提出时间,整改时限,状态,完成时间\r\n问题甲,措施甲,2023/5/8,2023/6/30,已完成,2023/6/1\r\n问题乙,措施乙,2023-5-9,2023-7-1,正在整改,\r\n";
    let file = l.path("excel.csv");
    std::fs::write(&file, text).unwrap();
    l.ok(&["import", file.to_str().unwrap(), "--campaign", "ZT2023"]);
    let v: serde_json::Value =
        serde_json::from_str(&l.ok(&["show", "M1", "--format", "json"])).unwrap();
    assert_eq!(v["item"]["due_original"], "2023-06-30");
    assert_eq!(v["item"]["closed_on"], "2023-06-01");
    assert_eq!(v["item"]["status"], "closed");
    assert_eq!(v["item"]["campaign"], "ZT2023");
    let actions: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["add", "close"]);
    assert_eq!(v["history"][1]["effective_on"], "2023-06-01");
    assert_eq!(v["history"][0]["payload"]["via"], "import:excel.csv");
}

#[test]
fn bad_rows_are_all_reported_and_nothing_changes() {
    let l = zt2023_campaign();
    let mut text = String::from("问题描述,整改措施,整改时限,状态\n");
    for line in 2..=20 {
        let cells = match line {
            5 => "问题五,措施,2023-02-30,".to_string(),
            17 => "问题十七,措施,2023-08-30,半完成".to_string(),
            _ => format!("问题{line},措施,2023-08-30,"),
        };
        text.push_str(&cells);
        text.push('\n');
    }
    let file = l.path("plan.csv");
    std::fs::write(&file, text).unwrap();
    let before = l.dump();
    let run = l.run(&["import", file.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{run}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[0], "error: plan.csv:5: 整改时限: \"2023-02-30\" is not a date",
        "{run}"
    );
    assert_eq!(
        lines[1], "error: plan.csv:17: 状态: \"半完成\" is not a status word",
        "{run}"
    );
    assert!(lines[2].starts_with("hint: nothing was imported"), "{run}");
    assert_eq!(before, l.dump());
    // --dry-run reports the same and also writes nothing.
    assert_eq!(
        l.run(&["import", file.to_str().unwrap(), "--dry-run"]).code,
        Some(2)
    );
    assert_eq!(before, l.dump());
}

#[test]
fn dry_run_and_unknown_columns() {
    let l = zt2023_campaign();
    let file = l.path("ok.csv");
    std::fs::write(&file, "problem,measure\n问题,措施\n").unwrap();
    let before = l.dump();
    let out = l.ok(&["import", file.to_str().unwrap(), "--dry-run"]);
    // How the sheet was read, then what would be added.
    assert!(out.starts_with("header: row 1\n"), "{out}");
    assert!(out.contains("  column B \"measure\" -> measure\n"), "{out}");
    assert!(
        out.contains("\ndry run: would import 1 problems and 1 measures"),
        "{out}"
    );
    assert_eq!(before, l.dump());
    // Columns the tool has no field for are kept as extra fields.
    std::fs::write(&file, "问题描述,颜色,Priority\n问题,红,高\n").unwrap();
    let out = l.ok(&["import", file.to_str().unwrap(), "--campaign", "ZT2023"]);
    assert!(
        out.contains("columns kept as extra fields: \"颜色\", \"Priority\""),
        "{out}"
    );
    assert!(
        l.ok(&["show", "P1"]).contains("颜色"),
        "the extra field in show"
    );
    // A dry run against a ledger that does not exist creates nothing.
    let empty = Ledger::empty();
    std::fs::write(empty.path("ok.csv"), "problem\nx\n").unwrap();
    empty.ok(&["import", "ok.csv", "--dry-run"]);
    assert!(!empty.db.exists());
}

#[test]
fn export_filters_headers_json_and_by_problem() {
    let l = seed();
    let en = l.ok(&["export", "--headers", "en", "--no-bom", "--dept", "办公室"]);
    assert!(
        en.starts_with("seq,campaign,problem_id,source,scope"),
        "{en}"
    );
    assert_eq!(en.lines().count(), 1 + 33);
    let json: serde_json::Value =
        serde_json::from_str(&l.ok(&["export", "--format", "json", "--owner", "孙丽"])).unwrap();
    let rows = json.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["owner"] == "孙丽"));
    let by_problem = l.ok(&["export", "--by", "problem", "--no-bom"]);
    let mut reader = csv::Reader::from_reader(by_problem.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 56);
    assert_eq!(
        records[0][10].lines().count(),
        6,
        "six measures in one cell"
    );
    // An export to a file is complete or absent, never truncated.
    let out = l.path("台账.csv");
    l.ok(&["export", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 311);
    let leftovers: Vec<_> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".rectify-export")
        })
        .collect();
    assert!(leftovers.is_empty());
    l.fails(
        &[
            "export",
            "--out",
            l.path("no/such/dir/x.csv").to_str().unwrap(),
        ],
        5,
    );
}

/// Open the workbook with an independent reader and check what a clerk
/// would see: the header, real date cells, numbers, Chinese text, the
/// summary sheet, and an overdue row.
#[test]
fn xlsx_export_opens_with_dates_header_and_summary() {
    use calamine::{open_workbook, Data, DataType, Reader, Xlsx};

    let mut l = seed();
    l.at("2023-07-20");
    l.ok(&[
        "add",
        "problem",
        "--campaign",
        "ZT2023",
        "--scope",
        "group",
        "--raised",
        "2023-07-01",
        "迟到的问题",
    ]);
    l.ok(&[
        "add",
        "measure",
        "--problem",
        "P57",
        "--raised",
        "2023-07-01",
        "--due",
        "2023-07-10",
        "--owner",
        "张三",
        "逾期未完成的措施",
    ]);
    let path = l.path("台账.xlsx");
    l.ok(&[
        "--lang",
        "zh",
        "export",
        "--format",
        "xlsx",
        "--campaign",
        "ZT2023",
        "--out",
        path.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&path).expect("a workbook calamine can open");
    assert_eq!(book.sheet_names(), vec!["整改台账", "汇总"]);

    let sheet = book.worksheet_range("整改台账").unwrap();
    assert_eq!(sheet.height(), 1 + 311, "a header and one row per measure");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header.len(), 25);
    assert_eq!(&header[..3], ["序号", "所属专项", "问题编号"]);
    assert_eq!(header[14], "整改时限");
    assert_eq!(header[23], "措施UUID");
    assert_eq!(header[24], "版本");

    let first = &sheet.rows().nth(1).unwrap();
    assert_eq!(first[0].as_f64(), Some(1.0), "seq is a number");
    assert_eq!(first[2], Data::String("P1".into()));
    assert!(
        first[8].is_datetime(),
        "raised_on is a date cell: {:?}",
        first[8]
    );
    assert_eq!(
        first[8].as_date(),
        Some(chrono::NaiveDate::from_ymd_opt(2023, 5, 9).unwrap())
    );
    assert_eq!(first[17], Data::String("已销号".into()));

    let last = sheet.rows().next_back().unwrap();
    assert_eq!(last[10], Data::String("逾期未完成的措施".into()));
    assert_eq!(
        last[15].as_date(),
        Some(chrono::NaiveDate::from_ymd_opt(2023, 7, 10).unwrap())
    );
    assert_eq!(
        last[20].as_f64(),
        Some(10.0),
        "days overdue as of 2023-07-20"
    );
    assert_eq!(last[18], Data::Empty, "no closing date");

    let summary = book.worksheet_range("汇总").unwrap();
    let cells: Vec<String> = summary.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("问题：57个（班子问题18个、个人问题39个）")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c == "分部门情况"), "{cells:?}");
    assert!(cells.iter().any(|c| c.starts_with("台账指纹")), "{cells:?}");

    // The styles mark overdue rows: the light-red fill is in the workbook.
    let styles = unzip_entry(&path, "xl/styles.xml");
    assert!(styles.contains("FFC7CE"), "overdue fill missing");
    let xml = unzip_entry(&path, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"state="frozen""#) && xml.contains(r#"<autoFilter ref="A1:Y312"/>"#));

    // It prints: A4 landscape, one page wide, the header row on every page,
    // thin borders, the campaign and date above and page numbers below.
    assert!(
        xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
        "fit to page"
    );
    assert!(
        xml.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
        "A4 landscape, one page wide"
    );
    assert!(
        xml.contains("<oddHeader>&amp;C主题教育检视问题整改  截至2023-07-20</oddHeader>"),
        "page header"
    );
    assert!(
        xml.contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"),
        "page footer"
    );
    let workbook = unzip_entry(&path, "xl/workbook.xml");
    assert!(
        workbook.contains(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">整改台账!$1:$1</definedName>"#
        ),
        "{workbook}"
    );
    assert!(
        workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="1">"#),
        "{workbook}"
    );
    assert!(styles.contains(r#"<left style="thin">"#), "thin borders");
    // The long text columns wrap at a width that fits the page.
    assert!(
        xml.contains(r#"<col min="7" max="7" width="31.7109375" customWidth="1"/>"#),
        "问题描述 is wrapped at 30 characters: {}",
        &xml[..xml.find("<sheetData").unwrap_or(0)]
    );
    // The summary's sentences wrap in cells merged across the table.
    let summary_xml = unzip_entry(&path, "xl/worksheets/sheet2.xml");
    assert!(
        summary_xml.contains(r#"<mergeCell ref="A1:H1"/>"#),
        "{summary_xml}"
    );
}

#[test]
fn xlsx_without_a_campaign_has_one_sheet_and_pipes() {
    use calamine::{open_workbook, Reader, Xlsx};

    let l = seed();
    // Piped to a file, the workbook is written as-is.
    let out = l.path("piped.xlsx");
    let run = l.run_cmd(
        {
            let mut cmd = l.command(&["export", "--format", "xlsx"]);
            cmd.stdout(std::fs::File::create(&out).unwrap());
            cmd
        },
        &["export", "--format", "xlsx"],
    );
    assert_eq!(run.code, Some(0), "{run}");
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), vec!["Ledger"]);
    let sheet = book.worksheet_range("Ledger").unwrap();
    assert_eq!(sheet.get((0, 0)).unwrap().to_string(), "seq");
}

fn unzip_entry(path: &std::path::Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}
