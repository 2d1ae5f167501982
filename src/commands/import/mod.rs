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
use crate::words::{say, W};

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
    };
    let sheet = SheetReader::prepare(Source::open(&args.file)?, &options)?;
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
        sheet,
        args.campaign.as_deref(),
        !args.dry_run,
        ctx.progress,
    )?;
    let word = if args.dry_run {
        W::SaidWouldImport
    } else {
        W::SaidImported
    };
    let figures = [
        ("problems", counts.problems.to_string()),
        ("measures", counts.measures.to_string()),
        ("file", name),
        ("encoding", encoding.to_string()),
        ("skipped", counts.skipped.to_string()),
    ];
    writeln!(out, "{}", say(ctx.lang, word, &figures))?;
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
    mut sheet: SheetReader,
    campaign: Option<&str>,
    commit: bool,
    show_progress: bool,
) -> Result<Counts> {
    let name = sheet.name.clone();
    let run = |w: &mut Writer<'_>| {
        w.set_via(&format!("import:{name}"));
        let mut import = apply::Import::new(&sheet, campaign, w.today());
        let mut progress = Progress::rows(show_progress, "import");
        import.apply(w, &mut sheet, &mut progress)
    };
    if commit {
        ledger.write(stamp, run)
    } else {
        ledger.rehearse(stamp, run)
    }
}

#[derive(Default)]
pub struct Counts {
    problems: u64,
    measures: u64,
    skipped: u64,
    /// Rows marked done without a completion date, and the date they got.
    dated: Vec<u64>,
    dated_on: Option<NaiveDate>,
}
