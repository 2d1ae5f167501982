use std::borrow::Cow;
use std::io::{IsTerminal, Seek, SeekFrom, Write};
use std::path::Path;

use super::Context;
use crate::cli::{ExportArgs, ExportFormat, SheetLayout};
use crate::csvio::{self, Column, COLUMNS};
use crate::error::{Error, Input, Result};
use crate::ledger::{Ledger, SheetRow};
use crate::progress::Progress;
use crate::report;
use crate::words::{Lang, W};
use crate::xlsxio::LedgerBook;

pub fn run(args: ExportArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    if let Some(code) = &args.filter.campaign {
        ledger.campaign(code)?;
    }
    let headers = args.headers.unwrap_or(ctx.lang);
    let to_stdout = matches!(args.out.as_deref(), None | Some("-"));
    if args.format == ExportFormat::Xlsx {
        if to_stdout && std::io::stdout().is_terminal() {
            return Err(Input::BinaryToTerminal.into());
        }
        if let Some(path) = args.out.as_deref().filter(|_| !to_stdout) {
            let book = xlsx_book(&ledger, &args, ctx, headers)?;
            crate::outfile::write_atomically(Path::new(path), |file| book.save(file))?;
            return Ok(0);
        }
    }
    match args.out.as_deref() {
        None | Some("-") => write_sheet(&ledger, &args, ctx, headers, out),
        Some(path) => crate::outfile::write_atomically(Path::new(path), |file| {
            let mut buffered = std::io::BufWriter::new(file);
            write_sheet(&ledger, &args, ctx, headers, &mut buffered)?;
            buffered.flush()?;
            Ok(())
        }),
    }?;
    Ok(0)
}

/// A column's header. Listed per problem, the measures column gets a name
/// of its own: the import knows it and refuses the sheet, whose measures
/// are one cell of text, rather than read them as one measure.
fn header_of(column: Column, lang: Lang, by: SheetLayout) -> &'static str {
    match (column, by) {
        (Column::Measure, SheetLayout::Problem) => lang.t(W::CMeasuresListed),
        _ => column.header(lang),
    }
}

fn xlsx_book(
    ledger: &Ledger,
    args: &ExportArgs,
    ctx: &Context,
    headers: Lang,
) -> Result<LedgerBook> {
    let extra = ledger.extra_headers()?;
    let accepting = acceptance_columns(ledger)?;
    // 版本, the acceptance, then the extra fields, after the known columns.
    let mut after = vec![Column::Version.header(headers).to_string()];
    after.extend(accepting.iter().map(|c| c.header(headers).to_string()));
    after.extend(extra.iter().cloned());
    let campaign = args
        .filter
        .campaign
        .as_deref()
        .map(|code| ledger.campaign(code))
        .transpose()?;
    let (scope, as_of) = match &campaign {
        Some(c) => (c.name.clone(), ctx.today().min(c.end)),
        None => (ctx.lang.t(W::AllCampaigns).to_string(), ctx.today()),
    };
    let mut book = LedgerBook::new(
        |c| header_of(c, headers, args.by),
        &after,
        ctx.lang,
        &scope,
        as_of,
    )?;
    each_row(ledger, args, ctx, |seq, cells| {
        let mut row = cells.to_vec(seq, ctx.today(), ctx.lang);
        row.push(cells.version(ctx.today()));
        row.extend(cells.after_cells(accepting, ctx.today(), ctx.lang));
        row.extend(cells.extra_cells(&extra));
        book.add_row(&row)
    })?;
    if let Some(campaign) = &campaign {
        let r = report::campaign_report(ledger, campaign, as_of, false)?;
        book.add_summary(&report::summary_sheet(&r, ctx.lang))?;
    }
    Ok(book)
}

fn write_sheet(
    ledger: &Ledger,
    args: &ExportArgs,
    ctx: &Context,
    headers: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    match args.format {
        ExportFormat::Csv => {
            let mut w = csvio::writer(&mut *out, !args.no_bom)?;
            let extra = ledger.extra_headers()?;
            let accepting = acceptance_columns(ledger)?;
            let known = COLUMNS.iter().map(|c| header_of(*c, headers, args.by));
            let version = std::iter::once(Column::Version.header(headers));
            let acceptance = accepting.iter().map(|c| c.header(headers));
            w.write_record(
                known
                    .chain(version)
                    .chain(acceptance)
                    .chain(extra.iter().map(String::as_str)),
            )
            .map_err(csv_io)?;
            let (today, lang) = (ctx.today(), ctx.lang);
            each_row(ledger, args, ctx, |seq, cells| {
                // Borrowed from the row where they can be: the 版本 is
                // hashed from the same cells that are written.
                let values: Vec<Cow<'_, str>> = COLUMNS
                    .iter()
                    .enumerate()
                    .map(|(at, &c)| match c {
                        Column::Seq => seq.to_string().into(),
                        _ => cells.cell(at, c, today, lang),
                    })
                    .collect();
                for (value, &c) in values.iter().zip(COLUMNS.iter()) {
                    let defused;
                    let text: &str = if c.is_free_text() {
                        defused = csvio::defuse(value);
                        &defused
                    } else {
                        value
                    };
                    w.write_field(text.as_bytes()).map_err(csv_io)?;
                }
                let version = match cells {
                    Cells::Sheet(_) => csvio::version(
                        COLUMNS
                            .iter()
                            .copied()
                            .zip(values.iter().map(|v| v.as_ref())),
                        &cells.extra(),
                    ),
                    Cells::Built(_) => String::new(),
                };
                w.write_field(version.as_bytes()).map_err(csv_io)?;
                for value in cells.after_cells(accepting, today, lang) {
                    w.write_field(csvio::defuse(&value).as_bytes())
                        .map_err(csv_io)?;
                }
                for value in cells.extra_cells(&extra) {
                    w.write_field(csvio::defuse(&value).as_bytes())
                        .map_err(csv_io)?;
                }
                w.write_record(None::<&[u8]>).map_err(csv_io)
            })?;
            w.flush()?;
        }
        ExportFormat::Xlsx => {
            // The zip writer needs to seek, which a pipe cannot: spool first.
            let book = xlsx_book(ledger, args, ctx, headers)?;
            let mut spool = tempfile::tempfile().map_err(|e| Error::io("temp file", e))?;
            book.save(&mut spool)?;
            spool.seek(SeekFrom::Start(0))?;
            std::io::copy(&mut spool, out)?;
        }
        ExportFormat::Json => {
            let accepting = acceptance_columns(ledger)?;
            writeln!(out, "[")?;
            let mut seq = 0;
            each_row(ledger, args, ctx, |n, cells| {
                let extra = cells.extra();
                let version = cells.version(ctx.today());
                let acceptance = cells.after_cells(accepting, ctx.today(), ctx.lang);
                let cells = cells.to_vec(n, ctx.today(), ctx.lang);
                seq += 1;
                let mut object: serde_json::Map<String, serde_json::Value> = COLUMNS
                    .iter()
                    .zip(cells)
                    .map(|(c, v)| (c.header(Lang::En).to_string(), v.into()))
                    .collect();
                object.insert(Column::Version.header(Lang::En).into(), version.into());
                for (c, value) in accepting.iter().zip(acceptance) {
                    object.insert(c.header(Lang::En).into(), value.into());
                }
                // JSON keys stay English: an office's own headers go under
                // `extra`.
                if !extra.is_empty() {
                    object.insert("extra".into(), serde_json::json!(extra));
                }
                if seq > 1 {
                    writeln!(out, ",")?;
                }
                let text = serde_json::to_string(&object).map_err(std::io::Error::from)?;
                write!(out, "  {text}")?;
                Ok(())
            })?;
            if seq > 0 {
                writeln!(out)?;
            }
            writeln!(out, "]")?;
        }
    }
    Ok(())
}

/// 验收人 and 验收日期, where a campaign asks for acceptance; a ledger
/// without one exports as it always has.
fn acceptance_columns(ledger: &Ledger) -> Result<&'static [Column]> {
    const ACCEPTANCE: [Column; 2] = [Column::Acceptor, Column::AcceptedOn];
    Ok(if ledger.any_acceptance()? {
        &ACCEPTANCE
    } else {
        &[]
    })
}

fn csv_io(err: csv::Error) -> Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => Input::Csv {
            why: format!("{other:?}"),
        }
        .into(),
    }
}

/// One exported row: borrowed from the ledger's row where it can be, or
/// built (a problem with its measures joined, `--by problem`).
enum Cells<'r> {
    Sheet(&'r SheetRow),
    Built(Vec<String>),
}

impl Cells<'_> {
    /// Cell `at`, which is column `c` of `COLUMNS`.
    fn cell(&self, at: usize, c: Column, today: chrono::NaiveDate, lang: Lang) -> Cow<'_, str> {
        match self {
            Cells::Sheet(row) => csvio::sheet_cell(row, c, today, lang),
            Cells::Built(cells) => Cow::Borrowed(&cells[at]),
        }
    }

    /// The row's 版本; none for a problem with its measures listed.
    fn version(&self, today: chrono::NaiveDate) -> String {
        match self {
            Cells::Sheet(row) => csvio::version_of_row(row, today),
            Cells::Built(_) => String::new(),
        }
    }

    /// The row's extra fields: the problem's, and the measure's over them.
    fn extra(&self) -> crate::ledger::Extra {
        match self {
            Cells::Sheet(row) => {
                let mut fields = row.problem.extra_fields();
                if let Some(m) = &row.measure {
                    fields.extend(m.extra_fields());
                }
                fields
            }
            Cells::Built(_) => crate::ledger::Extra::new(),
        }
    }

    /// The cells of `columns`, which follow 版本; blank for a problem with
    /// its measures listed.
    fn after_cells(&self, columns: &[Column], today: chrono::NaiveDate, lang: Lang) -> Vec<String> {
        columns
            .iter()
            .map(|&c| match self {
                Cells::Sheet(row) => csvio::sheet_cell(row, c, today, lang).into_owned(),
                Cells::Built(_) => String::new(),
            })
            .collect()
    }

    /// The cells under `headers`, the ledger's extra fields; none are
    /// looked up when it has none.
    fn extra_cells(&self, headers: &[String]) -> Vec<String> {
        if headers.is_empty() {
            return Vec::new();
        }
        let fields = self.extra();
        headers
            .iter()
            .map(|h| fields.get(h).cloned().unwrap_or_default())
            .collect()
    }

    fn to_vec(&self, seq: u64, today: chrono::NaiveDate, lang: Lang) -> Vec<String> {
        match self {
            Cells::Sheet(row) => csvio::sheet_cells(row, seq, today, lang),
            Cells::Built(cells) => {
                let mut cells = cells.clone();
                cells[0] = seq.to_string();
                cells
            }
        }
    }
}

/// Rows in sheet order, numbered from 1; with `--by problem`, one row per
/// problem with its measures joined in one multi-line cell.
fn each_row(
    ledger: &Ledger,
    args: &ExportArgs,
    ctx: &Context,
    mut emit: impl FnMut(u64, Cells<'_>) -> Result<()>,
) -> Result<()> {
    let filter = &args.filter.to_filter();
    let (today, lang) = (ctx.today(), ctx.lang);
    let mut seq = 0u64;
    let mut progress = Progress::rows(ctx.progress, "export");
    let mut emit = move |cells: Cells<'_>| {
        seq += 1;
        progress.row();
        emit(seq, cells)
    };
    match args.by {
        SheetLayout::Measure => ledger.each_sheet_row(filter, today, |row| emit(Cells::Sheet(row))),
        SheetLayout::Problem => {
            let mut pending: Option<(SheetRow, Vec<String>)> = None;
            let flush = |pending: Option<(SheetRow, Vec<String>)>,
                         emit: &mut dyn FnMut(Cells<'_>) -> Result<()>|
             -> Result<()> {
                if let Some((row, measures)) = pending {
                    let problem_only = SheetRow {
                        problem: row.problem,
                        measure: None,
                    };
                    let mut cells = csvio::sheet_cells(&problem_only, 0, today, lang);
                    let at = |c: Column| COLUMNS.iter().position(|x| *x == c).expect("column");
                    cells[at(Column::Measure)] = measures.join("\n");
                    emit(Cells::Built(cells))?;
                }
                Ok(())
            };
            ledger.each_sheet_row(filter, today, |row| {
                let line = row
                    .measure
                    .as_ref()
                    .map(|m| format!("{} {}", m.id, m.title));
                match &mut pending {
                    Some((current, measures)) if current.problem.id == row.problem.id => {
                        measures.extend(line);
                    }
                    _ => {
                        flush(pending.take(), &mut emit)?;
                        pending = Some((row.clone(), line.into_iter().collect()));
                    }
                }
                Ok(())
            })?;
            flush(pending, &mut emit)
        }
    }
}
