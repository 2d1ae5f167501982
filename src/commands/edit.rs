use std::io::Write;

use super::Context;
use crate::cli::EditArgs;
use crate::error::Result;
use crate::ledger::{Correction, OpenMode};
use crate::words::{say, W};

pub fn run(args: EditArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let fix = Correction {
        title: args.title,
        scope: args.scope,
        source: args.source,
        subject: args.subject,
        cause: args.cause,
        raised: args.raised,
        due: args.due,
    };
    let (id, changed) = ctx.write(&mut ledger, |w| {
        let id = w.resolve(&args.id)?;
        Ok((id, w.edit(id, &fix, &args.reason)?))
    })?;
    let word = if changed {
        W::SaidEdited
    } else {
        W::SaidEditUnchanged
    };
    writeln!(out, "{}", say(ctx.lang, word, &[("id", id.to_string())]))?;
    Ok(0)
}
