use std::io::Write;

use serde::Serialize;

use super::Context;
use crate::cli::{CampaignCommand, ItemFormat};
use crate::error::Result;
use crate::ledger::model::Campaign;
use crate::ledger::{NewCampaign, OpenMode};
use crate::output;
use crate::words::W;

#[derive(Serialize)]
struct CampaignView<'a> {
    #[serde(flatten)]
    campaign: &'a Campaign,
    problems: i64,
    measures: i64,
}

pub fn run(cmd: CampaignCommand, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    match cmd {
        CampaignCommand::New {
            code,
            name,
            start,
            days,
            source,
            acceptance,
            ..
        } => {
            let mut ledger = ctx.open(OpenMode::Create)?;
            let campaign = ctx.write(&mut ledger, |w| {
                w.new_campaign(NewCampaign {
                    code,
                    name,
                    start,
                    days,
                    source,
                    acceptance,
                })
            })?;
            writeln!(out, "{}", campaign.code)?;
        }
        CampaignCommand::List { format } => {
            let ledger = ctx.read()?;
            let mut views = Vec::new();
            let campaigns = ledger.campaigns()?;
            for c in &campaigns {
                let (problems, measures) = ledger.campaign_counts(&c.code)?;
                views.push(CampaignView {
                    campaign: c,
                    problems,
                    measures,
                });
            }
            print(out, ctx, &views, format)?;
        }
        CampaignCommand::Show { code, format } => {
            let ledger = ctx.read()?;
            let c = ledger.campaign(&code)?;
            let (problems, measures) = ledger.campaign_counts(&c.code)?;
            let view = CampaignView {
                campaign: &c,
                problems,
                measures,
            };
            match format {
                ItemFormat::Json => output::print_json(out, &view)?,
                ItemFormat::Table => {
                    let l = ctx.lang;
                    let lines = [
                        (W::HCode, c.code.clone()),
                        (W::HName, c.name.clone()),
                        (W::HSource, c.source.clone()),
                        (W::HStart, c.start.to_string()),
                        (W::HEnd, c.end.to_string()),
                        (W::HDays, c.days.to_string()),
                        (W::HProblems, problems.to_string()),
                        (W::HMeasures, measures.to_string()),
                    ];
                    let acceptance = c
                        .acceptance
                        .then(|| (W::HAcceptance, l.t(W::AcceptanceRequired).to_string()));
                    let lines = lines.into_iter().chain(acceptance);
                    let rows = lines
                        .into_iter()
                        .map(|(label, value)| (l.t(label).to_string(), value))
                        .collect();
                    output::print_table(out, &output::key_value_table(rows))?;
                }
            }
        }
    }
    Ok(0)
}

fn print(
    out: &mut dyn Write,
    ctx: &Context,
    views: &[CampaignView<'_>],
    format: ItemFormat,
) -> Result<()> {
    if format == ItemFormat::Json {
        return output::print_json(out, views);
    }
    let l = ctx.lang;
    let mut t = output::table(&[
        l.t(W::HCode),
        l.t(W::HName),
        l.t(W::HStart),
        l.t(W::HEnd),
        l.t(W::HDays),
        l.t(W::HProblems),
        l.t(W::HMeasures),
    ]);
    for v in views {
        let c = v.campaign;
        t.add_row(vec![
            c.code.clone(),
            c.name.clone(),
            c.start.to_string(),
            c.end.to_string(),
            c.days.to_string(),
            v.problems.to_string(),
            v.measures.to_string(),
        ]);
    }
    output::right_align(&mut t, &[4, 5, 6]);
    output::print_table(out, &t)
}
