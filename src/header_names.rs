//! The names offices give a sheet's columns, beside the catalogue: the
//! import knows each column by its export headers (`words.rs`, both
//! languages) and by every name listed here.

use crate::csvio::{Column, COLUMNS};

/// Other headers a column goes by in offices' own ledgers.
pub fn aliases(column: Column) -> &'static [&'static str] {
    match column {
        Column::Problem => &[
            "存在问题",
            "具体问题",
            "具体问题表述",
            "问题内容",
            "问题表现",
            "问题清单",
            "主要问题",
        ],
        Column::Measure => &["细化的整改措施", "整改要求", "具体措施", "具体整改措施"],
        Column::Department => &[
            "责任单位",
            "牵头部门",
            "牵头单位",
            "具体责任单位",
            "责任科室",
        ],
        Column::Leader => &["分管领导", "牵头领导", "整改第一责任人", "责任领导人"],
        Column::Owner => &["具体责任人", "主办人", "经办人"],
        Column::DueOriginal => &["完成时限", "截止时间", "完成期限", "整改期限"],
        Column::Progress => &["进展情况", "整改情况", "已采取的整改措施", "整改进度"],
        Column::Status => &["完成情况", "整改状态", "是否完成", "是否已完成整改"],
        Column::RaisedOn => &["提出日期", "发现时间", "问题提出时间"],
        Column::ProblemId => &["编号"],
        Column::Source => &["来源"],
        Column::ClosedOn => &["完成日期", "办结时间"],
        Column::ExtendReason => &["调整原因", "延期理由"],
        Column::Acceptor => &["验收责任人", "验收人员"],
        Column::AcceptedOn => &["验收时间"],
        _ => &[],
    }
}

/// A header as compared: no spaces or line breaks (a wrapped header cell
/// holds some), full-width letters and digits as half-width, ASCII in
/// lower case, and no `*` marking a required column.
pub fn normalized(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}' && *c != '*' && *c != '＊')
        .map(half_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A full-width letter, digit or sign as its half-width self; the
/// ideographic space as a space.
fn half_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Text as `list --grep` compares it: half-width and lower case, so
/// `ＡＢＣ`, `abc` and `ABC` are the same.
pub fn folded(text: &str) -> String {
    text.chars()
        .map(half_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a header names, by its export header in either language or
/// by an alias; `mapped` (from `--map`) comes first.
pub fn column_of(header: &str, mapped: &[(String, Column)]) -> Option<Column> {
    let h = normalized(header);
    if h.is_empty() {
        return None;
    }
    if let Some((_, c)) = mapped.iter().find(|(name, _)| *name == h) {
        return Some(*c);
    }
    COLUMNS
        .into_iter()
        .chain([
            Column::Version,
            Column::ExtendReason,
            Column::Acceptor,
            Column::AcceptedOn,
        ])
        .find(|c| {
            let w = c.word();
            normalized(w.zh()) == h
                || normalized(w.en()) == h
                || aliases(*c).iter().any(|a| normalized(a) == h)
        })
}

/// `--map '表头=字段'`: the header, normalized, and the column it names.
pub fn parse_map(text: &str) -> Option<(String, Column)> {
    let (header, field) = text.split_once('=')?;
    let header = normalized(header);
    let column = column_of(field, &[])?;
    (!header.is_empty()).then_some((header, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_their_spacing_and_width() {
        for (header, column) in [
            ("问题描述", Column::Problem),
            (" 存在\n问题 ", Column::Problem),
            ("*具体问题", Column::Problem),
            ("Problem", Column::Problem),
            ("ｍｅａｓｕｒｅ", Column::Measure),
            ("责任单位", Column::Department),
            ("完成时限", Column::DueOriginal),
            ("编号", Column::ProblemId),
            ("提出日期", Column::RaisedOn),
        ] {
            assert_eq!(column_of(header, &[]), Some(column), "{header:?}");
        }
        assert_eq!(column_of("联系电话", &[]), None);
        assert_eq!(column_of("", &[]), None);
    }

    #[test]
    fn every_alias_names_one_column() {
        for c in COLUMNS {
            for alias in aliases(c) {
                let owners: Vec<Column> = COLUMNS
                    .into_iter()
                    .filter(|o| aliases(*o).contains(alias) || o.word().zh() == *alias)
                    .collect();
                assert_eq!(owners, [c], "{alias}");
            }
        }
    }

    #[test]
    fn a_map_names_a_column() {
        let map = parse_map("问题表述=问题描述").unwrap();
        assert_eq!(map, ("问题表述".to_string(), Column::Problem));
        assert_eq!(column_of("问题表述", &[map]), Some(Column::Problem));
        assert!(parse_map("问题表述").is_none());
        assert!(parse_map("问题表述=颜色").is_none());
    }
}
