use std::io::Write;
use std::path::{Path, PathBuf};

use super::Context;
use crate::cli::{ExportArgs, ExportFormat, SheetLayout};
use crate::csvio::{self, Column, COLUMNS};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, OpenMode, SheetRow};
use crate::words::Lang;

pub fn run(args: ExportArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.open(OpenMode::Existing)?;
    if let Some(code) = &args.filter.campaign {
        ledger.campaign(code)?;
    }
    let headers = args.headers.unwrap_or(ctx.lang);
    match args.out.as_deref() {
        None | Some("-") => write_sheet(&ledger, &args, ctx, headers, out),
        Some(path) => write_atomically(Path::new(path), |file| {
            write_sheet(&ledger, &args, ctx, headers, file)
        }),
    }?;
    Ok(0)
}

/// Write to a temp file beside `path` and rename it into place at the end,
/// so an interrupted export never leaves a truncated file under that name.
fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".rectify-export-")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    {
        let mut buffered = std::io::BufWriter::new(temp.as_file_mut());
        write(&mut buffered).map_err(|e| match e {
            Error::Io { source, .. } => Error::io(path, source),
            other => other,
        })?;
        buffered.flush().map_err(|e| Error::io(path, e))?;
    }
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

fn write_sheet(
    ledger: &Ledger,
    args: &ExportArgs,
    ctx: &Context,
    headers: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    let filter = args.filter.to_filter();
    let today = ctx.today();
    let lang = ctx.lang;
    match args.format {
        ExportFormat::Csv => {
            let mut w = csvio::writer(&mut *out, !args.no_bom)?;
            w.write_record(COLUMNS.iter().map(|c| c.header(headers)))
                .map_err(csv_io)?;
            let mut seq = 0;
            each_row(ledger, &filter, today, args.by, lang, |cells| {
                seq += 1;
                let cells = with_seq(cells, seq);
                let record: Vec<std::borrow::Cow<'_, str>> = COLUMNS
                    .iter()
                    .zip(&cells)
                    .map(|(c, v)| {
                        if c.is_free_text() {
                            csvio::defuse(v)
                        } else {
                            v.into()
                        }
                    })
                    .collect();
                w.write_record(record.iter().map(|c| c.as_bytes()))
                    .map_err(csv_io)
            })?;
            w.flush()?;
        }
        ExportFormat::Json => {
            writeln!(out, "[")?;
            let mut seq = 0;
            each_row(ledger, &filter, today, args.by, lang, |cells| {
                seq += 1;
                let cells = with_seq(cells, seq);
                let object: serde_json::Map<String, serde_json::Value> = COLUMNS
                    .iter()
                    .zip(cells)
                    .map(|(c, v)| (c.header(Lang::En).to_string(), v.into()))
                    .collect();
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

fn with_seq(mut cells: Vec<String>, seq: u64) -> Vec<String> {
    cells[0] = seq.to_string();
    cells
}

fn csv_io(err: csv::Error) -> Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => Error::invalid(format!("csv: {other:?}")),
    }
}

/// Rows in sheet order; with `--by problem`, one row per problem with its
/// measures joined in one multi-line cell.
fn each_row(
    ledger: &Ledger,
    filter: &crate::ledger::ItemFilter,
    today: chrono::NaiveDate,
    layout: SheetLayout,
    lang: Lang,
    mut emit: impl FnMut(Vec<String>) -> Result<()>,
) -> Result<()> {
    match layout {
        SheetLayout::Measure => ledger.each_sheet_row(filter, today, |row| {
            emit(csvio::sheet_cells(&row, 0, today, lang))
        }),
        SheetLayout::Problem => {
            let mut pending: Option<(SheetRow, Vec<String>)> = None;
            let flush = |pending: Option<(SheetRow, Vec<String>)>,
                         emit: &mut dyn FnMut(Vec<String>) -> Result<()>|
             -> Result<()> {
                if let Some((row, measures)) = pending {
                    let problem_only = SheetRow {
                        problem: row.problem,
                        measure: None,
                    };
                    let mut cells = csvio::sheet_cells(&problem_only, 0, today, lang);
                    let at = |c: Column| COLUMNS.iter().position(|x| *x == c).expect("column");
                    cells[at(Column::Measure)] = measures.join("\n");
                    emit(cells)?;
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
                        pending = Some((row, line.into_iter().collect()));
                    }
                }
                Ok(())
            })?;
            flush(pending, &mut emit)
        }
    }
}
