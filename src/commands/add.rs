use std::io::Write;

use serde_json::json;

use super::{print_ids, Context};
use crate::cli::{AddCommand, ItemFormat};
use crate::error::Result;
use crate::ledger::{NewMeasure, NewProblem, OpenMode, ProblemDefaults};
use crate::output;

pub fn run(cmd: AddCommand, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    match cmd {
        AddCommand::Problem {
            title,
            campaign,
            scope,
            source,
            subject,
            cause,
            responsible,
            due,
            raised,
            measures,
            format,
            ..
        } => {
            let mut ledger = ctx.open(OpenMode::Create)?;
            let ids = ctx.write(&mut ledger, |w| {
                w.add_problem(NewProblem {
                    uuid: None,
                    campaign,
                    infer_campaign: true,
                    title,
                    scope,
                    source,
                    subject,
                    cause,
                    assignee: ProblemDefaults {
                        leader: responsible.leader,
                        department: responsible.dept,
                        owner: responsible.owner,
                        due,
                    },
                    raised,
                    measures,
                    extra: Default::default(),
                })
            })?;
            match format {
                ItemFormat::Table => print_ids(out, &ids)?,
                ItemFormat::Json => {
                    output::print_json(out, &json!({ "problem": ids[0], "measures": &ids[1..] }))?
                }
            }
        }
        AddCommand::Measure {
            title,
            problem,
            responsible,
            due,
            raised,
            format,
            ..
        } => {
            let mut ledger = ctx.open(OpenMode::Existing)?;
            let (problem, id) = ctx.write(&mut ledger, |w| {
                let problem = w.measure_parent(&problem)?;
                let id = w.add_measure(NewMeasure {
                    uuid: None,
                    problem,
                    title,
                    assignee: ProblemDefaults {
                        leader: responsible.leader,
                        department: responsible.dept,
                        owner: responsible.owner,
                        due,
                    },
                    raised,
                    extra: Default::default(),
                })?;
                Ok((problem, id))
            })?;
            match format {
                ItemFormat::Table => print_ids(out, &[id])?,
                ItemFormat::Json => {
                    output::print_json(out, &json!({ "measure": id, "problem": problem }))?
                }
            }
        }
    }
    Ok(0)
}
