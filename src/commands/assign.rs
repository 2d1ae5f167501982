use std::io::Write;

use super::{resolve_all, Context};
use crate::cli::AssignArgs;
use crate::error::{Input, Result};
use crate::ledger::{AssignFields, OpenMode};
use crate::words::{say, W};

pub fn run(args: AssignArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let r = args.responsible;
    if r.leader.is_none() && r.dept.is_none() && r.owner.is_none() {
        return Err(Input::NothingToAssign.into());
    }
    let fields = AssignFields {
        leader: r.leader,
        department: r.dept,
        owner: r.owner,
        note: args.note,
    };
    let mut ledger = ctx.open(OpenMode::Existing)?;
    let changed = ctx.write(&mut ledger, |w| {
        let mut changed = Vec::new();
        for id in resolve_all(w, &args.ids)? {
            if w.assign(id, &fields)? {
                changed.push(id);
            }
        }
        Ok(changed)
    })?;
    for id in changed {
        writeln!(
            out,
            "{}",
            say(ctx.lang, W::SaidAssigned, &[("id", id.to_string())])
        )?;
    }
    Ok(0)
}
