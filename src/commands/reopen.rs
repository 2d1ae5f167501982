use std::io::Write;

use super::Context;
use crate::cli::ReopenArgs;
use crate::error::Result;
use crate::ledger::OpenMode;
use crate::words::{say, W};

pub fn run(args: ReopenArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let reopened = ctx.write(&mut ledger, |w| {
        let id = w.resolve(&args.id)?;
        w.reopen(id, &args.reason)
    })?;
    for id in reopened {
        writeln!(
            out,
            "{}",
            say(ctx.lang, W::SaidReopened, &[("id", id.to_string())])
        )?;
    }
    Ok(0)
}
