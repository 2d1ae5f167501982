use std::io::{IsTerminal, Write};
use std::path::Path;

use chrono::Datelike;

use super::Context;
use crate::cli::ReportCommand;
use crate::dates;
use crate::error::{Input, Result};
use crate::report::{self, ReportFormat};

pub fn run(cmd: ReportCommand, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let today = ctx.today();
    match cmd {
        ReportCommand::Campaign {
            code,
            as_of,
            format,
            chart,
            out: file,
        } => {
            let campaign = report::pick_campaign(&ledger, code.as_deref())?;
            // A finished campaign is reported as it stood at its end.
            let as_of = as_of.unwrap_or(today.min(campaign.end));
            let r = report::campaign_report(&ledger, &campaign, as_of, chart)?;
            emit(out, file.as_deref(), format, |w| {
                report::render(w, &r, format, ctx.lang)
            })?;
        }
        ReportCommand::Month {
            month,
            campaign,
            format,
            out: file,
        } => {
            let first = match month {
                Some(text) => dates::parse_month(&text)?,
                None => last_complete_month(today),
            };
            if let Some(code) = &campaign {
                ledger.campaign(code)?;
            }
            let r = report::month_report(&ledger, first, campaign.as_deref())?;
            emit(out, file.as_deref(), format, |w| {
                report::render(w, &r, format, ctx.lang)
            })?;
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

/// Print a report, or with `--out` write it to a file atomically. A Word
/// document is not printed on a terminal.
fn emit(
    out: &mut dyn Write,
    file: Option<&Path>,
    format: ReportFormat,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match file {
        Some(path) => crate::outfile::write_atomically(path, |file| {
            let mut buffered = std::io::BufWriter::new(file);
            render(&mut buffered)?;
            buffered.flush()?;
            Ok(())
        }),
        None if format == ReportFormat::Docx && std::io::stdout().is_terminal() => {
            Err(Input::DocxToTerminal.into())
        }
        None => render(out),
    }
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
