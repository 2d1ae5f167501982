use std::io::Write;

use serde_json::json;

use super::{days_left, deadline_filter, Context};
use crate::cli::{CheckArgs, ItemFormat};
use crate::error::Result;
use crate::ledger::model::{Item, Kind, StatusFilter};
use crate::ledger::Detail;
use crate::output::{self, Day, Grid, ItemView, Urgency};
use crate::words::{say, W};

/// The morning check, counted as the reports count: overdue measures,
/// and problems with no measures past their own deadline (a problem with
/// measures is late through them, never itself); then what falls due
/// soon, with the days left; then problems whose measures are all settled
/// but which are not closed out (待销号), and, where a campaign asks for
/// acceptance, measures done and awaiting it (待验收); neither changes the
/// exit code.
pub fn run(args: CheckArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    if let Some(code) = &args.campaign {
        ledger.campaign(code)?;
    }
    let today = ctx.today();
    let lang = ctx.lang;
    let query = |status| deadline_filter(args.campaign.as_deref(), args.within, status);
    // The table shows what a listing reads; JSON gives every field.
    let detail = match args.format {
        ItemFormat::Json => Detail::Full,
        _ => Detail::Listing,
    };
    let waiting = ledger.awaiting_close_out(args.campaign.as_deref(), detail)?;
    // Looked for only where a campaign asks for acceptance: the test reads
    // every done measure.
    let unaccepted = if ledger.any_acceptance()? {
        ledger.items(&query(StatusFilter::AwaitingAcceptance), today)?
    } else {
        Vec::new()
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
                "awaiting_close_out": view(&waiting),
                "awaiting_acceptance": view(&unaccepted),
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
    let (mut late_measures, mut late_problems) = (0, 0);
    ledger.each_item(&query(StatusFilter::Overdue), today, Detail::Listing, |i| {
        match i.kind {
            Kind::Measure => late_measures += 1,
            Kind::Problem => late_problems += 1,
        }
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
    let mut due_soon = Grid::new(
        &[
            lang.t(W::HId),
            lang.t(W::HDue),
            lang.t(W::HDaysLeft),
            lang.t(W::HOwner),
            lang.t(W::HDept),
            lang.t(W::HTitle),
        ],
        3,
    );
    ledger.each_item(&query(StatusFilter::DueSoon), today, Detail::Listing, |i| {
        let left = days_left(&i, today, lang);
        due_soon.push(
            Urgency::DueSoon,
            &[
                &i.id,
                &Day(i.due_current),
                &left,
                &i.owner,
                &i.department,
                &i.title,
            ],
        );
        Ok(())
    })?;
    let code = exit_code(overdue.is_empty());

    let mut sections = 0;
    if overdue.is_empty() && due_soon.is_empty() {
        // Cron mails what a job prints: with --quiet a clean day is silent.
        if args.quiet {
            return Ok(code);
        }
        writeln!(out, "{}", lang.t(W::CheckNothing))?;
        sections += 1;
    }
    let mut gap = |out: &mut dyn Write| -> std::io::Result<()> {
        sections += 1;
        if sections > 1 {
            writeln!(out)?;
        }
        Ok(())
    };
    if !overdue.is_empty() {
        gap(out)?;
        let word = if late_problems == 0 {
            W::CheckOverdueMeasures
        } else {
            W::CheckOverdueBoth
        };
        let counts = [
            ("measures", late_measures.to_string()),
            ("problems", late_problems.to_string()),
        ];
        writeln!(out, "{}", say(lang, word, &counts))?;
        overdue.print(out, ctx.paint)?;
    }
    if !due_soon.is_empty() {
        gap(out)?;
        let heading = [
            ("days", args.within.to_string()),
            ("n", due_soon.len().to_string()),
        ];
        writeln!(out, "{}", say(lang, W::CheckDueSoonHead, &heading))?;
        due_soon.print(out, ctx.paint)?;
    }
    for (items, heading) in [
        (&unaccepted, W::CheckAwaitingAcceptance),
        (&waiting, W::CheckAwaitingCloseOut),
    ] {
        if items.is_empty() {
            continue;
        }
        gap(out)?;
        let n = [("n", items.len().to_string())];
        writeln!(out, "{}", say(lang, heading, &n))?;
        let mut grid = output::items_grid(lang);
        for item in items {
            output::push_item(&mut grid, item, today, lang);
        }
        grid.print(out, ctx.paint)?;
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
