use std::io::Write;

use super::Context;
use crate::cli::{ItemFormat, LogArgs};
use crate::error::Result;
use crate::output;

pub fn run(args: LogArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    if args.head {
        let (_, hash) = ledger.head()?;
        writeln!(out, "{hash}")?;
        return Ok(0);
    }
    let events = match &args.id {
        Some(r) => ledger.events_of(ledger.resolve(r)?)?,
        None => {
            let mut all = Vec::new();
            ledger.each_event(|e| {
                all.push(e);
                Ok(())
            })?;
            all
        }
    };
    match args.format {
        ItemFormat::Json => output::print_json(out, &events)?,
        ItemFormat::Table => output::print_table(
            out,
            &output::events_table(&events, ctx.lang, args.id.is_none(), ctx.zone()),
        )?,
    }
    Ok(0)
}
