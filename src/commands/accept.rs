use std::io::Write;

use super::{resolve_all, Context};
use crate::cli::AcceptArgs;
use crate::error::Result;
use crate::ledger::{Acceptance, OpenMode};
use crate::words::{say, W};

pub fn run(args: AcceptArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let request = Acceptance {
        on: args.on,
        note: args.note,
        by: None,
    };
    let ids = ctx.write(&mut ledger, |w| {
        let ids = resolve_all(w, &args.ids)?;
        for &id in &ids {
            w.accept(id, &request)?;
        }
        Ok(ids)
    })?;
    let on = args.on.unwrap_or(ctx.today()).to_string();
    for id in ids {
        let args = [("id", id.to_string()), ("on", on.clone())];
        writeln!(out, "{}", say(ctx.lang, W::SaidAccepted, &args))?;
    }
    Ok(0)
}
