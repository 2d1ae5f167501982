//! How a sheet is laid out: which row is its header (below a title, a
//! 填报单位 line or a 截至 date), a second, grouped header row below it,
//! which column holds which field, heading rows (一、班子问题) that set the
//! scope of the rows under them, and problem cells left blank under their
//! problem.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;

use super::source::{Format, RawRow, Rows, Source};
use crate::csvio::{clean_cell, Column};
use crate::dates::parse_date;
use crate::error::{Error, Input, Result};
use crate::header_names::{column_of, normalized};
use crate::ledger::model::Scope;
use crate::ledger::Extra;
use crate::words::{Lang, W};

/// How many rows from the top may hold the header.
const HEADER_SEARCH: usize = 10;

/// The widest sheet read. Real ledgers have a few dozen columns.
pub const MAX_COLUMNS: usize = 1000;

/// The columns that say which problem a row belongs to: a sheet merges
/// them over the problem's measure rows.
const PROBLEM_COLUMNS: &[Column] = &[
    Column::Seq,
    Column::Campaign,
    Column::ProblemId,
    Column::Source,
    Column::Scope,
    Column::Subject,
    Column::Problem,
    Column::Cause,
    Column::ProblemUuid,
];

/// How to read the sheet, from the command line.
#[derive(Default)]
pub struct Options {
    pub sheet: Option<String>,
    /// `--map`: headers the names table does not know.
    pub map: Vec<(String, Column)>,
    /// `--fill-down`: a row with a measure and no problem continues the
    /// problem above, as merged cells saved as CSV leave it.
    pub fill_down: bool,
    /// `--update`, and `--skip-conflicts` with it.
    pub update: bool,
    pub skip_conflicts: bool,
    /// The language the ledger's values are shown in beside the sheet's.
    pub lang: Lang,
}

/// A row's cells by field: a slot per field, looked up by its place
/// rather than hashed, a dozen times a row.
#[derive(Debug, Default)]
pub struct Cells([Option<String>; Column::COUNT]);

impl Cells {
    pub fn get(&self, c: Column) -> Option<&String> {
        self.0[c as usize].as_ref()
    }

    pub fn insert(&mut self, c: Column, value: String) {
        self.0[c as usize] = Some(value);
    }

    fn blank(&self, c: Column) -> bool {
        self.get(c).is_none_or(|v| v.is_empty())
    }
}

impl FromIterator<(Column, String)> for Cells {
    fn from_iter<I: IntoIterator<Item = (Column, String)>>(iter: I) -> Cells {
        let mut cells = Cells::default();
        for (c, value) in iter {
            cells.insert(c, value);
        }
        cells
    }
}

/// One row of the table, its cells by field.
pub struct Row {
    pub line: u64,
    pub cells: Cells,
    /// It has a measure but no problem, under a row that had one: what a
    /// merged problem cell saved as CSV looks like (see `--fill-down`).
    pub continues: bool,
    /// The row's non-empty cells in columns kept as extra fields.
    pub extra: Extra,
}

impl Row {
    pub fn text(&self, c: Column) -> Option<&str> {
        self.cells
            .get(c)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The sheet's layout, then its rows one at a time.
pub struct SheetReader {
    pub name: String,
    pub format: Format,
    /// The field each column holds, by position; `None` for a column
    /// with a blank header.
    columns: Vec<Option<Column>>,
    /// Each field's header as the sheet writes it, for messages.
    pub headers: HashMap<Column, String>,
    /// Columns kept as extra fields: position and header.
    pub extra: Vec<(usize, String)>,
    /// The sheet's 截至 date, from the rows above its header.
    pub as_of: Option<NaiveDate>,
    rows: Rows,
    pending: VecDeque<RawRow>,
    heading_scope: Option<Scope>,
    fill_down: bool,
    /// The problem columns of the last row that named a problem.
    last_problem: Option<Vec<(Column, String)>>,
    /// How the sheet was read, for `--dry-run` to show.
    pub read: HowRead,
    pub update: bool,
    pub skip_conflicts: bool,
    pub lang: Lang,
}

/// How a sheet was read: what `import --dry-run` shows before its counts.
#[derive(Debug, Default)]
pub struct HowRead {
    /// The header row, and the second header row below it if any.
    pub header_lines: (u64, Option<u64>),
    /// Each column's header as read, and the field it holds.
    pub columns: Vec<(String, Option<Column>)>,
    /// Rows above the header that were passed over (a title, 填报单位).
    pub above: Vec<u64>,
    /// Heading rows, and the scope each gave the rows below it.
    pub headings: Vec<(u64, String, Option<Scope>)>,
}

impl SheetReader {
    pub fn prepare(source: Source, options: &Options) -> Result<SheetReader> {
        let name = source.name.clone();
        let (mut rows, format) = source.rows(options.sheet.as_deref())?;
        let mut top: Vec<RawRow> = Vec::new();
        let mut header_at = None;
        while top.len() < HEADER_SEARCH {
            let Some(row) = rows.next_row() else { break };
            let row = row?;
            let first = top.iter().all(RawRow::is_blank);
            top.push(row);
            if is_header(&top[top.len() - 1], first, &options.map) {
                header_at = Some(top.len() - 1);
                break;
            }
        }
        let Some(at) = header_at else {
            return Err(Input::NoHeader {
                file: name,
                rows: HEADER_SEARCH,
            }
            .into());
        };
        let as_of = top[..at]
            .iter()
            .flat_map(|r| r.cells.iter())
            .find_map(|cell| as_of_in(cell));
        let above: Vec<u64> = top[..at]
            .iter()
            .filter(|r| !r.is_blank())
            .map(|r| r.line)
            .collect();
        let header = top.swap_remove(at);
        let mut header_lines = (header.line, None);
        if header.cells.len() > MAX_COLUMNS {
            return Err(Input::TooManyColumns {
                file: name,
                n: header.cells.len(),
                max: MAX_COLUMNS,
            }
            .into());
        }
        let mut pending = VecDeque::new();
        let mut names = header.cells.clone();
        if let Some(next) = rows.next_row() {
            let next = next?;
            if is_second_header(&next, &options.map) {
                header_lines.1 = Some(next.line);
                for (i, lower) in next.cells.iter().enumerate() {
                    if column_of(lower, &options.map).is_some() {
                        if i >= names.len() {
                            names.resize(i + 1, String::new());
                        }
                        names[i] = lower.clone();
                    }
                }
            } else {
                pending.push_back(next);
            }
        }
        let (columns, headers, extra) = columns_of(&names, &name, &options.map)?;
        let read_as = names
            .iter()
            .map(|n| n.trim().to_string())
            .zip(columns.iter().copied())
            .collect();
        Ok(SheetReader {
            name,
            format,
            columns,
            headers,
            extra,
            as_of,
            rows,
            pending,
            heading_scope: None,
            update: options.update,
            skip_conflicts: options.skip_conflicts,
            lang: options.lang,
            read: HowRead {
                header_lines,
                columns: read_as,
                above,
                headings: Vec::new(),
            },
            fill_down: options.fill_down,
            last_problem: None,
        })
    }

    /// The next row of the table: blank rows and heading rows are passed
    /// over, a heading's scope given to the rows below it.
    pub fn next_row(&mut self) -> Option<Result<Row>> {
        loop {
            let raw = match self.pending.pop_front() {
                Some(raw) => raw,
                None => match self.rows.next_row()? {
                    Ok(raw) => raw,
                    Err(e) => return Some(Err(e)),
                },
            };
            if raw.is_blank() {
                continue;
            }
            if raw.cells.len() > self.columns.len()
                && raw.cells[self.columns.len()..]
                    .iter()
                    .any(|c| !c.trim().is_empty())
            {
                return Some(Err(Error::from(Input::CsvUnequal {
                    file: self.name.clone(),
                    line: raw.line,
                    n: raw.cells.len() as u64,
                    header: self.columns.len() as u64,
                })));
            }
            if let Some(scope) = heading(&raw) {
                self.heading_scope = scope;
                let text = raw.cells.iter().find(|c| !c.trim().is_empty());
                let text = text.map(|t| t.trim().to_string()).unwrap_or_default();
                self.read.headings.push((raw.line, text, scope));
                continue;
            }
            return Some(Ok(self.shape(raw)));
        }
    }

    fn shape(&mut self, raw: RawRow) -> Row {
        let mut cells: Cells = self
            .columns
            .iter()
            .zip(raw.cells.iter().chain(std::iter::repeat(&String::new())))
            .filter_map(|(c, text)| c.map(|c| (c, clean_cell(c, text))))
            .collect();
        if let Some(scope) = self.heading_scope {
            if cells.blank(Column::Scope) {
                cells.insert(Column::Scope, scope.as_str().to_string());
            }
        }
        let mut continues = false;
        if cells.blank(Column::Problem) && !cells.blank(Column::Measure) {
            if let Some(last) = &self.last_problem {
                if self.fill_down {
                    for (c, v) in last {
                        if cells.blank(*c) {
                            cells.insert(*c, v.clone());
                        }
                    }
                } else {
                    continues = true;
                }
            }
        } else if !cells.blank(Column::Problem) {
            self.last_problem = Some(
                PROBLEM_COLUMNS
                    .iter()
                    .filter_map(|c| cells.get(*c).map(|v| (*c, v.clone())))
                    .collect(),
            );
        }
        let extra = self
            .extra
            .iter()
            .filter_map(|(at, header)| {
                let value = raw.cells.get(*at)?.trim();
                (!value.is_empty()).then(|| (header.clone(), value.replace("\r\n", "\n")))
            })
            .collect();
        Row {
            line: raw.line,
            cells,
            continues,
            extra,
        }
    }
}

/// The header: a row naming a problem or measure column and another known
/// column, or the first row of the file when it names a problem or
/// measure column (a sheet of one column, or with unknown columns).
fn is_header(row: &RawRow, first: bool, map: &[(String, Column)]) -> bool {
    let known: Vec<Column> = row.cells.iter().filter_map(|c| column_of(c, map)).collect();
    let core = known
        .iter()
        .any(|c| matches!(c, Column::Problem | Column::Measure));
    core && (known.len() >= 2 || first)
}

/// The row under a header is a second header row when each of its cells
/// names a known column, and none is a date or a number.
fn is_second_header(row: &RawRow, map: &[(String, Column)]) -> bool {
    let filled: Vec<&String> = row.cells.iter().filter(|c| !c.trim().is_empty()).collect();
    !filled.is_empty()
        && filled.iter().all(|c| {
            column_of(c, map).is_some()
                && parse_date(c).is_err()
                && c.trim().parse::<f64>().is_err()
        })
}

/// The field of each column by position, each field's header, and the
/// columns kept as extra fields (position, header).
type Columns = (
    Vec<Option<Column>>,
    HashMap<Column, String>,
    Vec<(usize, String)>,
);

fn columns_of(names: &[String], file: &str, map: &[(String, Column)]) -> Result<Columns> {
    let mut columns = Vec::with_capacity(names.len());
    let mut headers = HashMap::new();
    let mut extra = Vec::new();
    for (at, name) in names.iter().enumerate() {
        if is_listed_measures(name) {
            return Err(Input::ByProblemSheet {
                file: file.to_string(),
            }
            .into());
        }
        let column = column_of(name, map);
        match column {
            Some(c) if headers.contains_key(&c) => {
                return Err(Input::ColumnTwice {
                    file: file.to_string(),
                    header: name.trim().to_string(),
                }
                .into())
            }
            Some(c) => {
                headers.insert(c, name.trim().to_string());
            }
            None if name.trim().is_empty() => {}
            // A column rectify has no field for: kept as an extra field.
            None if extra.iter().any(|(_, h)| h == name.trim()) => {
                return Err(Input::ColumnTwice {
                    file: file.to_string(),
                    header: name.trim().to_string(),
                }
                .into())
            }
            None => extra.push((at, name.trim().to_string())),
        }
        columns.push(column);
    }
    if !headers.contains_key(&Column::Problem) {
        return Err(Input::NoProblemColumn {
            file: file.to_string(),
        }
        .into());
    }
    Ok((columns, headers, extra))
}

/// The header `export --by problem` gives its measures column.
fn is_listed_measures(header: &str) -> bool {
    let h = normalized(header);
    let w = W::CMeasuresListed;
    !h.is_empty() && (h == normalized(w.en()) || h == normalized(w.zh()))
}

/// A row whose only cell is a heading (一、班子问题, （二）…): the scope it
/// names, if any.
fn heading(row: &RawRow) -> Option<Option<Scope>> {
    let mut filled = row.cells.iter().filter(|c| !c.trim().is_empty());
    let text = filled.next()?.trim();
    if filled.next().is_some() || !is_numbered_heading(text) {
        return None;
    }
    Some(if text.contains("班子") || text.contains("集体") {
        Some(Scope::Group)
    } else if text.contains("个人") || text.contains("党员") {
        Some(Scope::Individual)
    } else {
        None
    })
}

fn is_numbered_heading(text: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral = |s: &str| -> Option<usize> {
        let n = s.chars().take_while(|c| NUMERALS.contains(*c)).count();
        (n > 0).then(|| s.char_indices().nth(n).map_or(s.len(), |(i, _)| i))
    };
    if let Some(end) = numeral(text) {
        return text[end..].starts_with('、');
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            if let Some(end) = numeral(rest) {
                return rest[end..].starts_with(close);
            }
        }
    }
    false
}

/// `截至2023年6月30日` (or 截止) in a line above the header.
fn as_of_in(cell: &str) -> Option<NaiveDate> {
    let at = cell.find("截至").or_else(|| cell.find("截止"))?;
    let rest = cell[at + "截至".len()..].trim_start_matches([':', '：', ' ']);
    let date: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || "年月日.-/".contains(*c))
        .collect();
    parse_date(&date).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text: &str, fill_down: bool) -> Result<(SheetReader, Vec<Row>)> {
        let source = Source::from_bytes(text.as_bytes(), "t.csv")?;
        let options = Options {
            fill_down,
            ..Options::default()
        };
        let mut reader = SheetReader::prepare(source, &options)?;
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row() {
            rows.push(row?);
        }
        Ok((reader, rows))
    }

    #[test]
    fn the_header_is_found_under_a_title_and_a_date_line() {
        let text = "整改台账\n填报单位：办公室  截至2023年6月30日,,\n序号,存在问题,整改措施\n1,学习不深入,制定计划\n";
        let (reader, rows) = sheet(text, false).unwrap();
        assert_eq!(reader.as_of, NaiveDate::from_ymd_opt(2023, 6, 30));
        assert_eq!(reader.headers[&Column::Problem], "存在问题");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[0].text(Column::Seq), Some("1"));
    }

    #[test]
    fn a_grouped_header_reads_the_lower_cell_where_it_names_a_column() {
        let text = "序号,存在问题,整改情况,,\n,,整改措施,责任单位,完成时限\n1,问题,措施,办公室,2023-06-30\n";
        let (reader, rows) = sheet(text, false).unwrap();
        assert_eq!(reader.headers[&Column::Seq], "序号");
        assert_eq!(reader.headers[&Column::Measure], "整改措施");
        assert!(!reader.headers.contains_key(&Column::Progress));
        assert_eq!(rows[0].text(Column::Department), Some("办公室"));
    }

    #[test]
    fn heading_rows_set_the_scope_and_blank_problem_cells_continue() {
        let text = "存在问题,整改措施\n一、班子问题,\n问题甲,措施一\n,措施二\n二、个人问题,\n问题乙,措施三\n";
        let (_, rows) = sheet(text, false).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].text(Column::Scope), Some("group"));
        assert!(rows[1].continues);
        assert_eq!(rows[1].text(Column::Problem), None);
        assert_eq!(rows[2].text(Column::Scope), Some("individual"));
        let (_, filled) = sheet(text, true).unwrap();
        assert!(!filled[1].continues);
        assert_eq!(filled[1].text(Column::Problem), Some("问题甲"));
    }

    #[test]
    fn headings_are_numbered() {
        for yes in ["一、班子问题", "十二、其他", "（一）学习方面", "(二)作风"]
        {
            assert!(is_numbered_heading(yes), "{yes}");
        }
        for no in ["一些问题", "问题一、", "（甲）", ""] {
            assert!(!is_numbered_heading(no), "{no}");
        }
    }

    #[test]
    fn no_header_in_the_first_rows_is_refused() {
        let err = sheet("名称,颜色\n问题,红\n", false).err().unwrap();
        assert!(
            matches!(err, Error::Invalid(Input::NoHeader { .. })),
            "{err:?}"
        );
    }
}
