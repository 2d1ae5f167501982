use std::io::Write;

use super::Context;
use crate::error::Result;
use crate::ledger::OpenMode;
use crate::words::{say, W};

/// Create the ledger; with `--lang`, record the office's language in it,
/// as an event, so every later command (cron's too) speaks it.
pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let existed = ctx.db.exists();
    let mut ledger = ctx.open(OpenMode::Create)?;
    let word = if existed {
        W::SaidLedgerExists
    } else {
        W::SaidInitialized
    };
    let path = ledger.path().display().to_string();
    let language = match ctx.lang_flag {
        Some(lang) => ctx.write(&mut ledger, |w| w.set_language(&lang.to_string()))?,
        None => false,
    };
    writeln!(out, "{}", say(ctx.lang, word, &[("path", path)]))?;
    if language {
        writeln!(out, "{}", ctx.lang.t(W::SaidLanguageSet))?;
    }
    Ok(0)
}
