use std::io::Write;

use super::{resolve_all, Context};
use crate::cli::ExtendArgs;
use crate::error::Result;
use crate::ledger::OpenMode;
use crate::words::{say, W};

pub fn run(args: ExtendArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let ids = ctx.write(&mut ledger, |w| {
        let ids = resolve_all(w, &args.ids)?;
        for &id in &ids {
            w.extend(id, args.to, &args.reason)?;
        }
        Ok(ids)
    })?;
    for id in ids {
        writeln!(
            out,
            "{}",
            say(
                ctx.lang,
                W::SaidExtended,
                &[("id", id.to_string()), ("to", args.to.to_string())]
            )
        )?;
    }
    Ok(0)
}
