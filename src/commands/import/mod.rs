//! `rectify import`: a spreadsheet into the ledger, all or nothing.
//!
//! Three seams: `source` reads the bytes (a CSV in either encoding, or a
//! workbook), `layout` finds the table in the sheet (header, headings,
//! merged cells), `apply` applies its rows to the ledger. The whole file
//! is applied inside one transaction through the same operations the
//! commands use, so every rule holds and every item gets its history. Any
//! bad row rolls everything back; up to 20 problems are reported at once
//! so a clerk can fix a sheet in one pass.

mod apply;
mod layout;
mod source;
mod update;

pub use layout::{Options, SheetReader};
pub use source::Source;

use std::io::Write;

use chrono::NaiveDate;

use super::Context;
use crate::cli::ImportArgs;
use crate::error::{Input, Result};
use crate::header_names::parse_map;
use crate::ledger::{Ledger, OpenMode, Stamp, Writer};
use crate::progress::Progress;
use crate::words::{say, Lang, W};

pub fn run(args: ImportArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    // The encoding and the header are checked before the ledger is opened,
    // so a sheet that cannot be read never creates a ledger file.
    let map = args
        .map
        .iter()
        .map(|m| {
            parse_map(m).ok_or_else(|| Input::BadMap {
                value: m.to_string(),
            })
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let options = Options {
        sheet: args.sheet.clone(),
        map,
        fill_down: args.fill_down,
        update: args.update,
        skip_conflicts: args.skip_conflicts,
        lang: ctx.lang,
    };
    // The sheet is opened before the ledger, and could be the ledger file
    // itself: close main's peek at it first (`ledger::Peek`).
    drop(ctx.peeked.take());
    let mut sheet = SheetReader::prepare(Source::open(&args.file)?, &options)?;
    let (name, encoding) = (sheet.name.clone(), sheet.format);
    let mut ledger = if args.dry_run && !ctx.db.exists() {
        // Rehearse against an empty ledger rather than create a file.
        Ledger::scratch()?
    } else {
        ctx.open(if args.dry_run {
            OpenMode::Existing
        } else {
            OpenMode::Create
        })?
    };
    ledger.widen_cache()?;
    let counts = import(
        &mut ledger,
        &ctx.stamp,
        &mut sheet,
        args.campaign.as_deref(),
        !args.dry_run,
        ctx.progress,
    );
    if args.dry_run {
        // How the sheet was read comes first, even when its rows fail.
        show_how_read(out, &sheet, ctx.lang)?;
    }
    let counts = counts?;
    let word = if args.dry_run {
        W::SaidWouldImport
    } else {
        W::SaidImported
    };
    let figures = [
        ("problems", counts.problems.to_string()),
        ("measures", counts.measures.to_string()),
        ("file", name.clone()),
        ("encoding", encoding.to_string()),
        ("skipped", counts.skipped.to_string()),
    ];
    if args.update {
        let lang = ctx.lang;
        let said = |word: W, c: &update::Change| {
            let args = [
                ("item", c.item.to_string()),
                ("header", c.header.clone()),
                ("before", format!("{:?}", c.before)),
                ("after", format!("{:?}", c.after)),
            ];
            say(lang, word, &args)
        };
        if args.dry_run {
            for change in &counts.changes {
                writeln!(out, "{}", said(W::SaidChange, change))?;
            }
        }
        for change in &counts.newer {
            writeln!(out, "{}", said(W::SaidLedgerNewer, change))?;
        }
        for (line, changes) in &counts.skipped_conflicts {
            for change in changes {
                let text = said(W::SaidConflictSkipped, change);
                writeln!(out, "{name}:{line}: {text}")?;
            }
        }
        let updated = [("n", counts.updated.to_string())];
        writeln!(out, "{}", say(lang, W::SaidUpdated, &updated))?;
    }
    writeln!(out, "{}", say(ctx.lang, word, &figures))?;
    if !sheet.extra.is_empty() {
        let names: Vec<String> = sheet.extra.iter().map(|(_, h)| format!("{h:?}")).collect();
        let args = [("columns", names.join(", "))];
        writeln!(out, "{}", say(ctx.lang, W::SaidKeptExtra, &args))?;
    }
    if let (Some(on), false) = (counts.dated_on, counts.dated.is_empty()) {
        let dated = [
            ("n", counts.dated.len().to_string()),
            ("on", on.to_string()),
        ];
        writeln!(out, "{}", say(ctx.lang, W::SaidDatedDone, &dated))?;
    }
    if args.dry_run {
        writeln!(out, "{}", ctx.lang.t(W::SaidNothingWritten))?;
    }
    Ok(0)
}

/// Import a sheet in one transaction, committed only when `commit` is set
/// and every row is good. Rows are read as they are applied, so memory does
/// not grow with the file.
pub fn import(
    ledger: &mut Ledger,
    stamp: &Stamp,
    sheet: &mut SheetReader,
    campaign: Option<&str>,
    commit: bool,
    show_progress: bool,
) -> Result<Counts> {
    let name = sheet.name.clone();
    let run = |w: &mut Writer<'_>| {
        w.set_via(&format!("import:{name}"));
        let mut import = apply::Import::new(sheet, campaign, w.today());
        let mut progress = Progress::rows(show_progress, "import");
        import.apply(w, sheet, &mut progress)
    };
    if commit {
        ledger.write(stamp, run)
    } else {
        ledger.rehearse(stamp, run)
    }
}

/// `--dry-run`'s account of the layout: the header, each column's field,
/// the rows passed over, and the scopes heading rows gave.
fn show_how_read(out: &mut dyn Write, sheet: &SheetReader, lang: Lang) -> Result<()> {
    let read = &sheet.read;
    let (line, second) = read.header_lines;
    let word = match second {
        Some(_) => W::SaidReadHeaders,
        None => W::SaidReadHeader,
    };
    let lines = [
        ("line", line.to_string()),
        ("next", second.unwrap_or_default().to_string()),
    ];
    writeln!(out, "{}", say(lang, word, &lines))?;
    for (i, (header, column)) in read.columns.iter().enumerate() {
        let field = match column {
            Some(c) => c.header(lang).to_string(),
            None if header.is_empty() => lang.t(W::SaidReadIgnored).to_string(),
            None => lang.t(W::SaidReadExtra).to_string(),
        };
        let args = [
            ("col", column_letters(i)),
            ("header", format!("{header:?}")),
            ("field", field),
        ];
        writeln!(out, "{}", say(lang, W::SaidReadColumn, &args))?;
    }
    if !read.above.is_empty() {
        let lines: Vec<String> = read.above.iter().map(u64::to_string).collect();
        let args = [("lines", lines.join(", "))];
        writeln!(out, "{}", say(lang, W::SaidReadAbove, &args))?;
    }
    if let Some(on) = sheet.as_of {
        writeln!(
            out,
            "{}",
            say(lang, W::SaidReadAsOf, &[("on", on.to_string())])
        )?;
    }
    for (line, text, scope) in &read.headings {
        let mut args = vec![("line", line.to_string()), ("text", text.clone())];
        let word = match scope {
            Some(s) => {
                args.push(("scope", s.word(lang).to_string()));
                W::SaidReadHeading
            }
            None => W::SaidReadHeadingPlain,
        };
        writeln!(out, "{}", say(lang, word, &args))?;
    }
    Ok(())
}

/// A spreadsheet's name for a column: A, B, … Z, AA, AB, …
fn column_letters(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.iter().rev().collect()
}

#[derive(Default)]
pub struct Counts {
    /// Rows `--update` applied, the cells they changed, the cells where
    /// the ledger is newer, and the conflicts `--skip-conflicts` passed by.
    updated: u64,
    changes: Vec<update::Change>,
    newer: Vec<update::Change>,
    skipped_conflicts: Vec<(u64, Vec<update::Change>)>,
    problems: u64,
    measures: u64,
    skipped: u64,
    /// Rows marked done without a completion date, and the date they got.
    dated: Vec<u64>,
    dated_on: Option<NaiveDate>,
}
