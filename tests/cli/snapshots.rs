//! stdout, stderr and exit status together, as users see them.

use crate::harness::small_campaign;

fn setup() -> crate::harness::Ledger {
    let mut l = small_campaign();
    l.ok(&[
        "add",
        "problem",
        "个别党员干部作风不够扎实，服务群众“最后一公里”打通不够",
        "--scope",
        "个人",
        "--owner",
        "李四",
        "--dept",
        "组织人事科",
        "--due",
        "2023-05-20",
        "--measure",
        "开展谈心谈话",
        "--measure",
        "建立联系群众工作台账，逐月更新",
    ]);
    l.at("2023-05-25");
    l.ok(&[
        "close",
        "M3",
        "--on",
        "2023-05-18",
        "--evidence",
        "谈话记录",
    ]);
    l
}

#[test]
fn list_in_both_languages() {
    let mut l = setup();
    insta::assert_snapshot!("list_en", l.run(&["list"]).snapshot());
    insta::assert_snapshot!("list_zh", l.run(&["--lang", "zh", "list"]).snapshot());
    l.at("2023-05-25");
    insta::assert_snapshot!("check_en", l.run(&["check"]).snapshot());
    insta::assert_snapshot!("check_zh", l.run(&["check", "--lang", "zh"]).snapshot());
}

#[test]
fn show_a_problem() {
    let l = setup();
    insta::assert_snapshot!("show_p2_en", l.run(&["show", "P2"]).snapshot());
    insta::assert_snapshot!(
        "show_p2_zh",
        l.run(&["show", "P2", "--lang", "zh"]).snapshot()
    );
}

#[test]
fn common_errors() {
    let l = setup();
    insta::assert_snapshot!("error_not_found", l.run(&["close", "M42"]).snapshot());
    insta::assert_snapshot!(
        "error_bad_date",
        l.run(&["extend", "M1", "--to", "2023-02-30", "--reason", "x"])
            .snapshot()
    );
    insta::assert_snapshot!("error_open_measures", l.run(&["close", "P2"]).snapshot());
}

#[test]
fn common_errors_in_chinese() {
    let l = setup();
    let zh = |args: &[&str]| {
        let mut full = vec!["--lang", "zh"];
        full.extend_from_slice(args);
        l.run(&full).snapshot()
    };
    insta::assert_snapshot!("error_not_found_zh", zh(&["close", "M42"]));
    insta::assert_snapshot!(
        "error_bad_date_zh",
        zh(&["extend", "M1", "--to", "2023-02-30", "--reason", "x"])
    );
    insta::assert_snapshot!("error_open_measures_zh", zh(&["close", "P2"]));
    let mut missing = crate::harness::Ledger::empty();
    missing.db = missing.path("无此台账.db");
    let mut run = missing.run(&["--lang", "zh", "list"]);
    run.stderr = run
        .stderr
        .replace(missing.dir.path().to_str().unwrap(), "<tmp>");
    insta::assert_snapshot!("error_no_ledger_zh", run.snapshot());
}

#[test]
fn help_in_chinese() {
    let l = setup();
    let help = l.ok(&["--lang", "zh", "close", "--help"]);
    insta::assert_snapshot!("help_close_zh", help);
}
