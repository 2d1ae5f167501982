use std::io::Write;

use super::{resolve_all, Context};
use crate::cli::VoidArgs;
use crate::error::Result;
use crate::ledger::OpenMode;
use crate::words::{say, W};

pub fn run(args: VoidArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let changed = ctx.write(&mut ledger, |w| {
        let mut changed = Vec::new();
        for id in resolve_all(w, &args.ids)? {
            changed.extend(if args.undo {
                w.unvoid(id, &args.reason)?
            } else {
                w.void(id, &args.reason)?
            });
        }
        Ok(changed)
    })?;
    let word = if args.undo {
        W::SaidRestored
    } else {
        W::SaidVoided
    };
    for id in changed {
        writeln!(out, "{}", say(ctx.lang, word, &[("id", id.to_string())]))?;
    }
    Ok(0)
}
