use std::io::Write;

use super::Context;
use crate::cli::BackupArgs;
use crate::error::Result;

pub fn run(args: BackupArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let report = ledger.backup_to(&args.file)?;
    writeln!(
        out,
        "backed up {} events to {}; verified; fingerprint {}",
        report.events,
        args.file.display(),
        report.fingerprint
    )?;
    Ok(0)
}
