use std::io::Write;

use super::Context;
use crate::cli::BackupArgs;
use crate::error::{Error, Result};
use crate::ledger::{verify, Ledger, OpenMode};

pub fn run(args: BackupArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.open(OpenMode::Existing)?;
    ledger.backup_to(&args.file)?;
    let copy = Ledger::open(&args.file, OpenMode::Existing)?;
    let report = verify::verify(&copy, None)?;
    if !report.ok() {
        return Err(Error::Tampered(format!(
            "the backup at {} does not verify: {}",
            args.file.display(),
            report.problems.join("; ")
        )));
    }
    writeln!(
        out,
        "backed up {} events to {}; verified; fingerprint {}",
        report.events,
        args.file.display(),
        report.fingerprint
    )?;
    Ok(0)
}
