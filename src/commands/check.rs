use std::io::Write;

use serde_json::json;

use super::Context;
use crate::cli::{CheckArgs, ItemFormat};
use crate::error::Result;
use crate::ledger::model::{Item, StatusFilter};
use crate::ledger::{Detail, ItemFilter};
use crate::output::{self, Day, Grid, ItemView, Urgency};
use crate::words::W;

pub fn run(args: CheckArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
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
    if args.format == ItemFormat::Json {
        let overdue = ledger.items(&query(StatusFilter::Overdue), today)?;
        let due_soon = ledger.items(&query(StatusFilter::DueSoon), today)?;
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
        return Ok(exit_code(overdue.is_empty()));
    }

    let mut overdue = Grid::new(
        &[
            lang.t(W::HId),
            lang.t(W::HDue),
            lang.t(W::HDaysLate),
            lang.t(W::HOwner),
            lang.t(W::HDept),
            lang.t(W::HTitle),
        ],
        3,
    )
    .right_align(&[2]);
    ledger.each_item(&query(StatusFilter::Overdue), today, Detail::Listing, |i| {
        overdue.push(
            Urgency::Overdue,
            &[
                &i.id,
                &Day(i.due_current),
                &i.days_overdue(today),
                &i.owner,
                &i.department,
                &i.title,
            ],
        );
        Ok(())
    })?;
    let mut due_soon = output::items_grid(lang);
    ledger.each_item(&query(StatusFilter::DueSoon), today, Detail::Listing, |i| {
        output::push_item(&mut due_soon, &i, today, lang);
        Ok(())
    })?;
    let code = exit_code(overdue.is_empty());

    if overdue.is_empty() && due_soon.is_empty() {
        writeln!(out, "{}", lang.t(W::CheckNothing))?;
        return Ok(code);
    }
    if !overdue.is_empty() {
        writeln!(out, "{} ({})", lang.t(W::CheckOverdue), overdue.len())?;
        overdue.print(out, ctx.paint)?;
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
        due_soon.print(out, ctx.paint)?;
    }
    Ok(code)
}

/// Exit 1 when anything is overdue, so cron can mail on it.
fn exit_code(nothing_overdue: bool) -> u8 {
    if nothing_overdue {
        0
    } else {
        crate::error::exit::OVERDUE
    }
}
