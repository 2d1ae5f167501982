use std::io::Write;

use super::Context;
use crate::cli::NoteArgs;
use crate::error::Result;
use crate::ledger::OpenMode;
use crate::words::{say, W};

pub fn run(args: NoteArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let id = ctx.write(&mut ledger, |w| {
        let id = w.resolve(&args.id)?;
        w.note(id, &args.text)?;
        Ok(id)
    })?;
    writeln!(
        out,
        "{}",
        say(ctx.lang, W::SaidNoted, &[("id", id.to_string())])
    )?;
    Ok(0)
}
