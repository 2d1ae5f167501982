use std::io::Write;

use serde_json::json;

use super::Context;
use crate::cli::{CheckArgs, ItemFormat};
use crate::error::Result;
use crate::ledger::model::{Item, StatusFilter};
use crate::ledger::{ItemFilter, OpenMode};
use crate::output::{self, ItemView};
use crate::words::W;

pub fn run(args: CheckArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.open(OpenMode::Existing)?;
    if let Some(code) = &args.campaign {
        ledger.campaign(code)?;
    }
    let today = ctx.today();
    let lang = ctx.lang;
    let query = |status| ItemFilter {
        campaign: args.campaign.clone(),
        status: Some(status),
        within: args.within,
        ..ItemFilter::default()
    };
    let overdue = ledger.items(&query(StatusFilter::Overdue), today)?;
    let due_soon = ledger.items(&query(StatusFilter::DueSoon), today)?;
    let code = if overdue.is_empty() {
        0
    } else {
        crate::error::exit::OVERDUE
    };

    if args.format == ItemFormat::Json {
        let view = |items: &[Item]| -> Vec<serde_json::Value> {
            items
                .iter()
                .map(|i| serde_json::to_value(ItemView::new(i, today)).unwrap_or_default())
                .collect()
        };
        output::print_json(
            out,
            &json!({
                "today": today,
                "within": args.within,
                "overdue": view(&overdue),
                "due_soon": view(&due_soon),
            }),
        )?;
        return Ok(code);
    }

    if overdue.is_empty() && due_soon.is_empty() {
        writeln!(out, "{}", lang.t(W::CheckNothing))?;
        return Ok(code);
    }
    if !overdue.is_empty() {
        writeln!(out, "{} ({})", lang.t(W::CheckOverdue), overdue.len())?;
        let mut t = output::table(&[
            lang.t(W::HId),
            lang.t(W::HDue),
            lang.t(W::HDaysLate),
            lang.t(W::HOwner),
            lang.t(W::HDept),
            lang.t(W::HTitle),
        ]);
        ctx.paint.apply(&mut t);
        let red = |text: String| ctx.paint.cell(text, output::Urgency::Overdue);
        for i in &overdue {
            t.add_row(vec![
                red(i.id.to_string()),
                red(output::date(i.due_current)),
                red(i.days_overdue(today).to_string()),
                comfy_table::Cell::new(&i.owner),
                comfy_table::Cell::new(&i.department),
                comfy_table::Cell::new(&i.title),
            ]);
        }
        output::right_align(&mut t, &[2]);
        output::print_table(out, &t)?;
    }
    if !due_soon.is_empty() {
        if !overdue.is_empty() {
            writeln!(out)?;
        }
        let heading = match lang {
            crate::words::Lang::En => format!(
                "{} {} {}",
                lang.t(W::CheckDueSoon),
                args.within,
                lang.t(W::Days)
            ),
            crate::words::Lang::Zh => format!("{}{}", args.within, lang.t(W::CheckDueSoon)),
        };
        writeln!(out, "{heading} ({})", due_soon.len())?;
        output::print_table(out, &output::items_table(&due_soon, today, lang, ctx.paint))?;
    }
    Ok(code)
}
