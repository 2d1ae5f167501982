use std::io::Write;

use super::Context;
use crate::error::Result;
use crate::ledger::OpenMode;
use crate::words::{say, W};

pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let existed = ctx.db.exists();
    let ledger = ctx.open(OpenMode::Create)?;
    let word = if existed {
        W::SaidLedgerExists
    } else {
        W::SaidInitialized
    };
    let path = ledger.path().display().to_string();
    writeln!(out, "{}", say(ctx.lang, word, &[("path", path)]))?;
    Ok(0)
}
