use std::io::Write;

use super::Context;
use crate::cli::{ItemFormat, ListArgs};
use crate::error::Result;
use crate::ledger::Detail;
use crate::output::{self, ItemView};

pub fn run(args: ListArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let mut filter = args.filter.to_filter();
    filter.kind = args.kind;
    if let Some(code) = &filter.campaign {
        ledger.campaign(code)?;
    }
    let today = ctx.today();
    match args.format {
        ItemFormat::Table => {
            let mut grid = output::items_grid(ctx.lang);
            ledger.each_item(&filter, today, Detail::Listing, |item| {
                output::push_item(&mut grid, &item, today, ctx.lang);
                Ok(())
            })?;
            grid.print(out, ctx.paint)?;
        }
        ItemFormat::Json => {
            // Streamed, so a large ledger is never held in memory at once.
            writeln!(out, "[")?;
            let mut first = true;
            ledger.each_item(&filter, today, Detail::Full, |item| {
                if !first {
                    writeln!(out, ",")?;
                }
                first = false;
                let text = serde_json::to_string(&ItemView::new(&item, today))
                    .map_err(std::io::Error::from)?;
                write!(out, "  {text}")?;
                Ok(())
            })?;
            if !first {
                writeln!(out)?;
            }
            writeln!(out, "]")?;
        }
    }
    Ok(0)
}
