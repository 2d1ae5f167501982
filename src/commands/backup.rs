use std::io::Write;

use super::Context;
use crate::cli::BackupArgs;
use crate::error::Result;
use crate::words::{say, W};

pub fn run(args: BackupArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let report = ledger.backup_to(&args.file)?;
    let figures = [
        ("events", report.events.to_string()),
        ("path", args.file.display().to_string()),
        ("hash", report.fingerprint),
    ];
    writeln!(out, "{}", say(ctx.lang, W::SaidBackedUp, &figures))?;
    Ok(0)
}
