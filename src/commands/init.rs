use std::io::Write;

use super::Context;
use crate::error::Result;
use crate::ledger::OpenMode;

pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let existed = ctx.db.exists();
    let ledger = ctx.open(OpenMode::Create)?;
    let verb = if existed {
        "ledger already exists at"
    } else {
        "initialized ledger at"
    };
    writeln!(out, "{verb} {}", ledger.path().display())?;
    Ok(0)
}
