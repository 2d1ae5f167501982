//! One module per subcommand. Each takes its parsed arguments, the context
//! resolved in `main`, and the stream to print to, and returns the exit code.

mod accept;
mod add;
mod assign;
mod backup;
mod campaign;
mod check;
mod close;
mod completions;
mod edit;
mod export;
mod extend;
pub mod import;
mod init;
mod list;
mod log;
mod man;
mod note;
mod remind;
mod reopen;
mod report;
mod show;
mod verify;
mod void;

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{Command, FilterArgs};
use crate::error::{Access, Result};
use crate::ledger::model::{ItemId, ItemRef, StatusFilter};
use crate::ledger::{ItemFilter, Ledger, OpenMode, Stamp};
use crate::words::{say, Lang, W};

/// Everything resolved once in `main`: the ledger path, the clock, the
/// actor, the language. Nothing below reads the environment or the clock.
#[derive(Debug)]
pub struct Context {
    pub db: PathBuf,
    pub stamp: Stamp,
    pub lang: Lang,
    pub paint: crate::output::Paint,
    /// Show progress of long imports and exports: stderr is a terminal.
    pub progress: bool,
    /// Set once a change is committed: from then on, a failure to print
    /// its confirmation must not make the command look failed.
    pub committed: std::cell::Cell<bool>,
    /// `--lang` as given on this command line, if it was.
    pub lang_flag: Option<Lang>,
    /// The reader's time zone, for showing history times; looked up only
    /// for the commands that show them (`Command::shows_event_times`).
    pub zone: Option<chrono::FixedOffset>,
    /// The ledger as `main` opened it to learn its language; the first
    /// open below goes on with it.
    pub peeked: std::cell::RefCell<Option<crate::ledger::Peek>>,
}

impl Context {
    pub fn today(&self) -> NaiveDate {
        self.stamp.today
    }

    /// The reader's time zone. A command that shows the history's times
    /// without saying so in `Command::shows_event_times` would show them in
    /// UTC; the debug builds the tests run stop it there.
    pub fn zone(&self) -> chrono::FixedOffset {
        use chrono::Offset;
        debug_assert!(
            self.zone.is_some(),
            "the command shows event times: list it in Command::shows_event_times"
        );
        self.zone.unwrap_or_else(|| chrono::Utc.fix())
    }

    /// The ledger, to change it.
    pub fn open(&self, mode: OpenMode) -> Result<Ledger> {
        let ledger = Ledger::open_from(self.peeked.take(), &self.db, mode)?;
        warn_if_shared(&ledger, self.lang);
        Ok(ledger)
    }

    /// The ledger as one snapshot, for a command that only reads.
    pub fn read(&self) -> Result<Ledger> {
        let ledger = Ledger::open_snapshot_from(self.peeked.take(), &self.db)?;
        warn_if_shared(&ledger, self.lang);
        Ok(ledger)
    }

    /// Make one change, in one immediate transaction, and remember that it
    /// was committed.
    pub fn write<T>(
        &self,
        ledger: &mut Ledger,
        change: impl FnOnce(&mut crate::ledger::Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let out = ledger.write(&self.stamp, change)?;
        self.committed.set(true);
        Ok(out)
    }
}

fn warn_if_shared(ledger: &Ledger, lang: Lang) {
    if let Some(mode) = ledger.shared_mode {
        let args = [
            ("path", ledger.path().display().to_string()),
            ("mode", format!("{mode:o}")),
        ];
        eprintln!("warning: {}", say(lang, W::WarnReadable, &args));
    }
}

pub fn run(command: Command, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    // Writes name their failures inside the transaction; anything else
    // SQLite refuses happened while reading.
    dispatch(command, ctx, out).map_err(|e| e.at_ledger(&ctx.db, Access::Read))
}

fn dispatch(command: Command, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    match command {
        Command::Init => init::run(ctx, out),
        Command::Campaign(cmd) => campaign::run(cmd, ctx, out),
        Command::Add(cmd) => add::run(cmd, ctx, out),
        Command::Assign(args) => assign::run(args, ctx, out),
        Command::Extend(args) => extend::run(args, ctx, out),
        Command::Note(args) => note::run(args, ctx, out),
        Command::Close(args) => close::run(args, ctx, out),
        Command::Reopen(args) => reopen::run(args, ctx, out),
        Command::Edit(args) => edit::run(args, ctx, out),
        Command::Void(args) => void::run(args, ctx, out),
        Command::Accept(args) => accept::run(args, ctx, out),
        Command::Remind(args) => remind::run(args, ctx, out),
        Command::List(args) => list::run(args, ctx, out),
        Command::Show(args) => show::run(args, ctx, out),
        Command::Check(args) => check::run(args, ctx, out),
        Command::Log(args) => log::run(args, ctx, out),
        Command::Report(cmd) => report::run(cmd, ctx, out),
        Command::Export(args) => export::run(args, ctx, out),
        Command::Import(args) => import::run(args, ctx, out),
        Command::Backup(args) => backup::run(args, ctx, out),
        Command::Verify(args) => verify::run(args, ctx, out),
        Command::Completions { shell } => completions::run(shell, out),
        Command::Man { dir } => man::run(dir.as_deref(), ctx.lang, out),
    }
}

/// Commands that need no ledger, clock or user: they run before any of
/// that is resolved, so they work with an empty environment.
pub fn run_without_ledger(
    command: &Command,
    lang: Lang,
    out: &mut dyn Write,
) -> Option<Result<u8>> {
    match command {
        Command::Completions { shell } => Some(completions::run(*shell, out)),
        Command::Man { dir } => Some(man::run(dir.as_deref(), lang, out)),
        _ => None,
    }
}

impl FilterArgs {
    pub fn to_filter(&self) -> ItemFilter {
        ItemFilter {
            campaign: self.campaign.clone(),
            status: self.status,
            owner: self.owner.clone(),
            department: self.dept.clone(),
            scope: self.scope,
            source: self.source.clone(),
            due_before: self.due_before,
            within: crate::ledger::rules::DUE_SOON_DAYS,
            ..ItemFilter::default()
        }
    }
}

/// The items in one deadline state (overdue, due soon within `within`
/// days), in one campaign or all: what `check` and `remind` list.
fn deadline_filter(campaign: Option<&str>, within: u32, status: StatusFilter) -> ItemFilter {
    ItemFilter {
        campaign: campaign.map(str::to_string),
        status: Some(status),
        within,
        ..ItemFilter::default()
    }
}

/// `还剩3天`, or `今天到期` on the day itself.
fn days_left(item: &crate::ledger::model::Item, today: NaiveDate, lang: Lang) -> String {
    match item.due_current.map_or(0, |d| (d - today).num_days()) {
        0 => lang.t(W::DueToday).to_string(),
        n => say(lang, W::DaysLeft, &[("n", n.to_string())]),
    }
}

/// Resolve every id before changing anything, so a typo in the third id
/// does not leave the first two changed.
fn resolve_all(w: &crate::ledger::Writer<'_>, refs: &[ItemRef]) -> Result<Vec<ItemId>> {
    let mut ids = Vec::with_capacity(refs.len());
    for r in refs {
        let id = w.resolve(r)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Print ids one per line: what scripts capture with `$(…)`.
fn print_ids(out: &mut dyn Write, ids: &[ItemId]) -> Result<()> {
    for id in ids {
        writeln!(out, "{id}")?;
    }
    Ok(())
}
