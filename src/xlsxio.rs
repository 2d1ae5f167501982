//! XLSX export: real date cells, a bold frozen header with autofilter,
//! column widths fitted to CJK text, overdue rows highlighted, and a summary
//! sheet when a campaign is selected.
//!
//! The ledger sheet is written in rust_xlsxwriter's constant-memory mode, so
//! a million-row export streams rows to a temp file instead of holding them.

use std::io::{Seek, Write};

use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::csvio::{Column, COLUMNS};
use crate::error::{Error, Input, Result};
use crate::report::SummarySheet;
use crate::words::{Lang, W};

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
            _ if value.contains('\n') => CellKind::Wrapped,
            _ => CellKind::Text,
        }
    }
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
        let base = [
            Format::new(),
            Format::new().set_text_wrap().set_align(FormatAlign::Top),
            Format::new().set_num_format("yyyy-mm-dd"),
            Format::new(),
        ];
        let overdue = base.clone().map(|f| {
            f.set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006))
        });
        Formats {
            header: Format::new()
                .set_bold()
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
    rows: u32,
    lang: Lang,
}

impl LedgerBook {
    /// `header_of` names each column in the header row; `extra` are the
    /// extra fields' headers, after the known columns.
    pub fn new(
        header_of: impl Fn(Column) -> &'static str,
        extra: &[String],
        lang: Lang,
    ) -> Result<Self> {
        let mut workbook = Workbook::new();
        let formats = Formats::new();
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name(lang.t(W::SheetLedger)).map_err(xlsx)?;
        let mut widths = Vec::with_capacity(COLUMNS.len());
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
        Ok(LedgerBook {
            workbook,
            formats,
            widths,
            rows: 0,
            lang,
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
        let mut row = 0;
        for (i, line) in summary.lines.iter().enumerate() {
            let written = if i == 0 {
                sheet.write_string_with_format(row, 0, line, &bold)
            } else {
                sheet.write_string(row, 0, line)
            };
            written.map_err(xlsx)?;
            row += 1;
        }
        row += 1;
        sheet
            .write_string_with_format(row, 0, summary.dept_title, &bold)
            .map_err(xlsx)?;
        row += 1;
        let mut widths: Vec<usize> = summary.dept_headers.iter().map(|h| width_of(h)).collect();
        for (col, text) in summary.dept_headers.iter().enumerate() {
            sheet
                .write_string_with_format(row, col as u16, *text, &header)
                .map_err(xlsx)?;
        }
        for (key, figures) in &summary.dept_rows {
            row += 1;
            widths[0] = widths[0].max(width_of(key));
            sheet.write_string(row, 0, key).map_err(xlsx)?;
            for (col, n) in figures.iter().enumerate() {
                sheet
                    .write_number(row, col as u16 + 1, *n as f64)
                    .map_err(xlsx)?;
            }
        }
        row += 2;
        sheet
            .write_string(row, 0, &summary.fingerprint)
            .map_err(xlsx)?;
        for (col, w) in widths.iter().enumerate() {
            sheet
                .set_column_width(col as u16, (*w).clamp(MIN_WIDTH, MAX_WIDTH) as f64 + 2.0)
                .map_err(xlsx)?;
        }
        Ok(())
    }

    pub fn save<Out: Write + Seek + Send>(mut self, out: Out) -> Result<()> {
        let last_row = self.rows;
        let widths = std::mem::take(&mut self.widths);
        let last_col = widths.len() as u16 - 1;
        let sheet = self.ledger_sheet();
        for (col, w) in widths.iter().enumerate() {
            sheet
                .set_column_width(col as u16, (*w).clamp(MIN_WIDTH, MAX_WIDTH) as f64 + 1.0)
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        sheet.autofilter(0, 0, last_row, last_col).map_err(xlsx)?;
        self.workbook.save_to_writer(out).map_err(xlsx)
    }
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
