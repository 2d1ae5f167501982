//! XLSX export: real date cells, a bold frozen header with autofilter,
//! column widths fitted to CJK text, overdue rows highlighted, and a summary
//! sheet when a campaign is selected. Both sheets print on A4: landscape,
//! one page wide, thin borders, long text wrapped, the header row repeated
//! on every page, the campaign and date at the top and page numbers below.
//!
//! The ledger sheet is written in rust_xlsxwriter's constant-memory mode, so
//! a million-row export streams rows to a temp file instead of holding them.

use std::io::{Seek, Write};

use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::csvio::{Column, COLUMNS};
use crate::dates::ymd;
use crate::error::{Error, Input, Result};
use crate::report::SummarySheet;
use crate::words::{say, Lang, W};

/// Excel's last row is 1,048,576; one goes to the header.
pub const MAX_DATA_ROWS: u32 = 1_048_575;

const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Text,
    Wrapped,
    Date,
    Number,
}

impl CellKind {
    fn of(column: Column, value: &str) -> CellKind {
        match column {
            Column::RaisedOn | Column::DueOriginal | Column::DueCurrent | Column::ClosedOn => {
                CellKind::Date
            }
            Column::Seq | Column::DaysOverdue => CellKind::Number,
            _ if value.contains('\n') || wrap_width(column).is_some() => CellKind::Wrapped,
            _ => CellKind::Text,
        }
    }
}

/// The long-text columns, wrapped at a width that leaves room on a
/// landscape page for the rest.
fn wrap_width(column: Column) -> Option<usize> {
    match column {
        Column::Problem | Column::Measure => Some(30),
        Column::Progress => Some(24),
        Column::Cause | Column::Evidence | Column::Note => Some(16),
        _ => None,
    }
}

/// A4 (Excel's paper size 9), landscape or not, every column on one page
/// wide and as many pages down as it takes.
fn print_on_a4(sheet: &mut Worksheet, landscape: bool, header: &str, footer: &str) {
    sheet.set_paper_size(9);
    if landscape {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_header(header);
    sheet.set_footer(footer);
}

/// Text for a page header or footer, where `&` starts a code.
fn header_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// Formats by cell kind, plain and overdue. Excel's own "light red fill with
/// dark red text" marks an overdue row, as a clerk would colour it by hand.
struct Formats {
    header: Format,
    plain: [Format; 4],
    overdue: [Format; 4],
}

impl Formats {
    fn new() -> Self {
        let cell = || Format::new().set_border(FormatBorder::Thin);
        let base = [
            cell().set_align(FormatAlign::Top),
            cell().set_text_wrap().set_align(FormatAlign::Top),
            cell()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            cell().set_align(FormatAlign::Top),
        ];
        let overdue = base.clone().map(|f| {
            f.set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006))
        });
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9E1F2)),
            plain: base,
            overdue,
        }
    }

    fn get(&self, kind: CellKind, overdue: bool) -> &Format {
        let set = if overdue { &self.overdue } else { &self.plain };
        &set[kind as usize]
    }
}

/// Display width in Excel's units, which count a CJK character as two.
fn width_of(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

pub struct LedgerBook {
    workbook: Workbook,
    formats: Formats,
    widths: Vec<usize>,
    /// The most a column is widened to: the wrapped ones stay narrower.
    caps: Vec<usize>,
    rows: u32,
    lang: Lang,
    /// The page header: the campaign and the date, escaped.
    page_header: String,
}

impl LedgerBook {
    /// `header_of` names each column in the header row; `extra` are the
    /// extra fields' headers, after the known columns. `scope` (the
    /// campaign, or all) and `as_of` head every printed page.
    pub fn new(
        header_of: impl Fn(Column) -> &'static str,
        extra: &[String],
        lang: Lang,
        scope: &str,
        as_of: NaiveDate,
    ) -> Result<Self> {
        let mut workbook = Workbook::new();
        let formats = Formats::new();
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name(lang.t(W::SheetLedger)).map_err(xlsx)?;
        let mut widths = Vec::with_capacity(COLUMNS.len());
        let mut caps: Vec<usize> = COLUMNS
            .iter()
            .map(|c| wrap_width(*c).unwrap_or(MAX_WIDTH))
            .collect();
        caps.resize(COLUMNS.len() + extra.len(), MAX_WIDTH);
        for (col, column) in COLUMNS.iter().enumerate() {
            let header = header_of(*column);
            sheet
                .write_string_with_format(0, col as u16, header, &formats.header)
                .map_err(xlsx)?;
            // Room for the autofilter's drop-down button.
            widths.push(width_of(header) + 3);
        }
        for (i, header) in extra.iter().enumerate() {
            let col = (COLUMNS.len() + i) as u16;
            sheet
                .write_string_with_format(0, col, header, &formats.header)
                .map_err(xlsx)?;
            widths.push(width_of(header) + 3);
        }
        let page_header = format!(
            "&C{}",
            header_text(&say(
                lang,
                W::XlsxPageHeader,
                &[("scope", scope.to_string()), ("date", ymd(as_of))]
            ))
        );
        Ok(LedgerBook {
            workbook,
            formats,
            widths,
            caps,
            rows: 0,
            lang,
            page_header,
        })
    }

    fn ledger_sheet(&mut self) -> &mut Worksheet {
        self.workbook
            .worksheets_mut()
            .first_mut()
            .expect("ledger sheet")
    }

    /// One row of cells in `COLUMNS` order, as `csvio::sheet_cells` gives
    /// it, then the extra fields' cells.
    pub fn add_row(&mut self, cells: &[String]) -> Result<()> {
        if self.rows == MAX_DATA_ROWS {
            return Err(Input::TooManyRows { max: MAX_DATA_ROWS }.into());
        }
        self.rows += 1;
        let row = self.rows;
        let overdue = cells
            .iter()
            .zip(COLUMNS)
            .any(|(v, c)| c == Column::DaysOverdue && !v.is_empty());
        for (col, (value, column)) in cells.iter().zip(COLUMNS).enumerate() {
            let kind = CellKind::of(column, value);
            let width = match kind {
                CellKind::Date => 10,
                _ => width_of(value),
            };
            self.widths[col] = self.widths[col].max(width);
            let col = col as u16;
            let format = self.formats.get(kind, overdue).clone();
            let sheet = self.ledger_sheet();
            let written = if value.is_empty() {
                // Keep the highlight continuous across empty cells.
                sheet.write_blank(row, col, &format)
            } else {
                match kind {
                    CellKind::Date => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                        Ok(date) => sheet.write_datetime_with_format(row, col, date, &format),
                        Err(_) => sheet.write_string_with_format(row, col, value, &format),
                    },
                    CellKind::Number => match value.parse::<f64>() {
                        Ok(n) => sheet.write_number_with_format(row, col, n, &format),
                        Err(_) => sheet.write_string_with_format(row, col, value, &format),
                    },
                    // A string cell is never run as a formula, so xlsx needs
                    // none of the CSV defusing.
                    CellKind::Text | CellKind::Wrapped => {
                        sheet.write_string_with_format(row, col, value, &format)
                    }
                }
            };
            written.map_err(xlsx)?;
        }
        let text = self.formats.get(CellKind::Text, overdue).clone();
        for (i, value) in cells.iter().enumerate().skip(COLUMNS.len()) {
            self.widths[i] = self.widths[i].max(width_of(value));
            let sheet = self.ledger_sheet();
            let written = if value.is_empty() {
                sheet.write_blank(row, i as u16, &text)
            } else {
                sheet.write_string_with_format(row, i as u16, value, &text)
            };
            written.map_err(xlsx)?;
        }
        Ok(())
    }

    /// A second sheet with the campaign summary.
    pub fn add_summary(&mut self, summary: &SummarySheet) -> Result<()> {
        let name = self.lang.t(W::SheetSummary);
        let bold = Format::new().set_bold();
        let header = self.formats.header.clone();
        let sheet = self.workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx)?;
        print_on_a4(sheet, false, &self.page_header, &footer(self.lang));
        let last_col = summary.dept_headers.len() as u16 - 1;
        let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let bold_wrapped = wrapped.clone().set_bold();
        // The sentences wrap inside a cell merged across the table's width,
        // each row tall enough for its lines, so none is cut at a page edge.
        let across = SUMMARY_KEY_WIDTH + SUMMARY_FIGURE_WIDTH * usize::from(last_col);
        let mut row = 0;
        for (i, line) in summary.lines.iter().enumerate() {
            let format = if i == 0 { &bold_wrapped } else { &wrapped };
            sheet
                .merge_range(row, 0, row, last_col, line, format)
                .map_err(xlsx)?;
            let lines = width_of(line)
                .div_ceil(across.saturating_sub(2).max(1))
                .max(1);
            sheet
                .set_row_height(row, 15.0 * lines as f64)
                .map_err(xlsx)?;
            row += 1;
        }
        row += 1;
        sheet
            .write_string_with_format(row, 0, summary.dept_title, &bold)
            .map_err(xlsx)?;
        row += 1;
        sheet.set_repeat_rows(row, row).map_err(xlsx)?;
        for (col, text) in summary.dept_headers.iter().enumerate() {
            sheet
                .write_string_with_format(row, col as u16, *text, &header)
                .map_err(xlsx)?;
        }
        let cell = Format::new().set_border(FormatBorder::Thin);
        for (key, figures) in &summary.dept_rows {
            row += 1;
            sheet
                .write_string_with_format(row, 0, key, &cell)
                .map_err(xlsx)?;
            for (col, n) in figures.iter().enumerate() {
                sheet
                    .write_number_with_format(row, col as u16 + 1, *n as f64, &cell)
                    .map_err(xlsx)?;
            }
        }
        row += 2;
        sheet
            .merge_range(row, 0, row, last_col, &summary.fingerprint, &wrapped)
            .map_err(xlsx)?;
        sheet.set_row_height(row, 30.0).map_err(xlsx)?;
        sheet
            .set_column_width(0, SUMMARY_KEY_WIDTH as f64)
            .map_err(xlsx)?;
        for col in 1..=last_col {
            sheet
                .set_column_width(col, SUMMARY_FIGURE_WIDTH as f64)
                .map_err(xlsx)?;
        }
        Ok(())
    }

    pub fn save<Out: Write + Seek + Send>(mut self, out: Out) -> Result<()> {
        let last_row = self.rows;
        let widths = std::mem::take(&mut self.widths);
        let caps = std::mem::take(&mut self.caps);
        let last_col = widths.len() as u16 - 1;
        let (header, footer) = (self.page_header.clone(), footer(self.lang));
        let sheet = self.ledger_sheet();
        for (col, (w, cap)) in widths.iter().zip(&caps).enumerate() {
            sheet
                .set_column_width(col as u16, (*w).clamp(MIN_WIDTH, *cap) as f64 + 1.0)
                .map_err(xlsx)?;
        }
        // The UUIDs and the 版本 are for the import, not for people: hidden,
        // so the page is not spent on them, and kept for the round trip.
        for (col, column) in COLUMNS.iter().enumerate() {
            if matches!(column, Column::ProblemUuid | Column::MeasureUuid) {
                sheet.set_column_hidden(col as u16).map_err(xlsx)?;
            }
        }
        sheet
            .set_column_hidden(COLUMNS.len() as u16)
            .map_err(xlsx)?;
        print_on_a4(sheet, true, &header, &footer);
        sheet.set_repeat_rows(0, 0).map_err(xlsx)?;
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        sheet.autofilter(0, 0, last_row, last_col).map_err(xlsx)?;
        self.workbook.save_to_writer(out).map_err(xlsx)
    }
}

/// The summary sheet's columns: the department, then the figures.
const SUMMARY_KEY_WIDTH: usize = 16;
const SUMMARY_FIGURE_WIDTH: usize = 10;

/// "第 &P 页 共 &N 页": the page number and count, as Excel codes them.
fn footer(lang: Lang) -> String {
    format!("&C{}", lang.t(W::XlsxPageFooter))
}

fn xlsx(err: XlsxError) -> Error {
    match err {
        XlsxError::IoError(io) => io.into(),
        other => Input::Xlsx {
            why: other.to_string(),
        }
        .into(),
    }
}
