use std::io::Write;

use super::Context;
use crate::cli::{ItemFormat, ListArgs};
use crate::error::Result;
use crate::header_names::folded;
use crate::ledger::model::Item;
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
    // A search reads every field it looks in; a plain listing only what
    // the table shows.
    let needle = args.grep.as_deref().map(folded);
    let found = |item: &Item| match &needle {
        None => true,
        Some(needle) => [
            &item.title,
            &item.cause,
            &item.subject,
            &item.progress,
            &item.close_note,
        ]
        .iter()
        .any(|text| folded(text).contains(needle.as_str())),
    };
    let detail = match needle {
        Some(_) => Detail::Full,
        None => Detail::Listing,
    };
    match args.format {
        ItemFormat::Table => {
            let mut grid = output::items_grid(ctx.lang);
            ledger.each_item(&filter, today, detail, |item| {
                if found(&item) {
                    output::push_item(&mut grid, &item, today, ctx.lang);
                }
                Ok(())
            })?;
            grid.print(out, ctx.paint)?;
        }
        ItemFormat::Json => {
            // Streamed, so a large ledger is never held in memory at once.
            writeln!(out, "[")?;
            let mut first = true;
            ledger.each_item(&filter, today, Detail::Full, |item| {
                if !found(&item) {
                    return Ok(());
                }
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
