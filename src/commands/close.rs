use std::io::Write;

use super::{resolve_all, Context};
use crate::cli::CloseArgs;
use crate::error::Result;
use crate::ledger::{CloseRequest, OpenMode};
use crate::words::{say, W};

pub fn run(args: CloseArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let request = CloseRequest {
        on: args.on,
        note: args.note,
        evidence: args.evidence,
        ongoing: args.ongoing,
    };
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let ids = ctx.write(&mut ledger, |w| {
        let ids = resolve_all(w, &args.ids)?;
        for &id in &ids {
            w.close(id, &request)?;
        }
        Ok(ids)
    })?;
    let on = request.on.unwrap_or(ctx.today());
    for id in ids {
        let word = if request.ongoing {
            W::SaidOngoing
        } else {
            W::SaidClosed
        };
        let args = [("id", id.to_string()), ("on", on.to_string())];
        writeln!(out, "{}", say(ctx.lang, word, &args))?;
    }
    Ok(0)
}
