use std::io::Write;

use chrono::Datelike;

use super::Context;
use crate::cli::ReportCommand;
use crate::dates;
use crate::error::Result;
use crate::report;

pub fn run(cmd: ReportCommand, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let today = ctx.today();
    match cmd {
        ReportCommand::Campaign {
            code,
            as_of,
            format,
            chart,
        } => {
            let campaign = report::pick_campaign(&ledger, code.as_deref())?;
            // A finished campaign is reported as it stood at its end.
            let as_of = as_of.unwrap_or(today.min(campaign.end));
            let r = report::campaign_report(&ledger, &campaign, as_of, chart)?;
            report::render(out, &r, format, ctx.lang)?;
        }
        ReportCommand::Month {
            month,
            campaign,
            format,
        } => {
            let first = match month {
                Some(text) => dates::parse_month(&text)?,
                None => last_complete_month(today),
            };
            if let Some(code) = &campaign {
                ledger.campaign(code)?;
            }
            let r = report::month_report(&ledger, first, campaign.as_deref())?;
            report::render(out, &r, format, ctx.lang)?;
        }
        ReportCommand::By {
            group,
            campaign,
            as_of,
            format,
            sort,
        } => {
            if let Some(code) = &campaign {
                ledger.campaign(code)?;
            }
            let rows = report::by_report(
                &ledger,
                group,
                campaign.as_deref(),
                as_of.unwrap_or(today),
                sort,
            )?;
            report::render_by(out, &rows, group, format, ctx.lang)?;
        }
    }
    Ok(0)
}

/// The first day of the month before today's: a cron job on the 1st needs
/// no date arithmetic.
fn last_complete_month(today: chrono::NaiveDate) -> chrono::NaiveDate {
    today
        .with_day(1)
        .and_then(|first| first.pred_opt())
        .and_then(|last| last.with_day(1))
        .unwrap_or(today)
}
