//! The command line, as clap sees it. Parsing only: the work is in
//! `commands/`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::ledger::model::{ItemRef, Kind, Scope, StatusFilter};
use crate::report::{GroupBy, ReportFormat, SortKey};
use crate::words::Lang;

const ABOUT: &str =
    "A ledger for rectification work (整改台账): problems, measures, deadlines, reports.";

const AFTER_HELP: &str = "\
Examples:
  rectify init
  rectify campaign new ZT2023 --name 主题教育检视问题整改 --start 2023-05-08
  id=$(rectify add problem '学习贯彻不够深入' --scope 班子 --owner 张三 --measure '制定学习计划')
  rectify close M1 --on 2023-06-01 --evidence 学习计划.pdf
  rectify check || echo 'something is overdue'
  rectify list --status overdue --dept 办公室

Exit codes: 0 ok, 1 `check` found overdue items, 2 invalid input, 3 not found,
4 refused by a ledger rule, 5 ledger/storage error, 6 `verify` found tampering.";

#[derive(Debug, Parser)]
#[command(name = "rectify", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// The ledger file.
    #[arg(
        long,
        global = true,
        env = "RECTIFY_DB",
        hide_env_values = true,
        value_name = "PATH",
        display_order = 900
    )]
    pub db: Option<PathBuf>,

    /// Treat DATE as today (deadlines, defaults, reports).
    #[arg(long, global = true, env = "RECTIFY_TODAY", hide_env_values = true, value_name = "DATE", value_parser = date_arg, display_order = 901)]
    pub today: Option<NaiveDate>,

    /// Who is making the change, for the history (else RECTIFY_USER, USER, LOGNAME).
    /// Also accepted after a command that writes.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// Interface language: en or zh (else RECTIFY_LANG, else the locale).
    #[arg(long, global = true, value_name = "LANG", display_order = 902)]
    pub lang: Option<String>,

    /// Colour overdue items red and due-soon items yellow: auto (only on a
    /// terminal, and not when NO_COLOR is set), always, or never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t,
        value_name = "WHEN",
        display_order = 903
    )]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// The whole command tree, every subcommand's arguments made, for what
/// reads the tree rather than parses one command line: the Chinese help,
/// completions, man pages. Parsing makes only the arguments of the
/// subcommand it meets (the enums below are `defer`red).
pub fn whole_command() -> clap::Command {
    use clap::CommandFactory;
    with_arguments(Cli::command())
}

/// A command with its own arguments made, and its subcommands', in the
/// order clap makes them when it parses one. A built copy has them; the
/// command takes those it lacks (not clap's own `--help`) in place of its
/// deferral.
fn with_arguments(cmd: clap::Command) -> clap::Command {
    let mut built = cmd.clone();
    built.build();
    let args: Vec<clap::Arg> = built
        .get_arguments()
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .filter(|a| cmd.get_arguments().all(|own| own.get_id() != a.get_id()))
        .cloned()
        .collect();
    let groups: Vec<clap::ArgGroup> = built
        .get_groups()
        .filter(|g| cmd.get_groups().all(|own| own.get_id() != g.get_id()))
        .cloned()
        .collect();
    let mut cmd = cmd.defer(|made| made).args(args).groups(groups);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    // mut_subcommand moves each to the end: in turn, they keep their order.
    for name in names {
        cmd = cmd.mut_subcommand(name, with_arguments);
    }
    cmd
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ItemFormat {
    #[default]
    Table,
    Json,
}

// Every subcommand enum is `defer`red: clap makes a subcommand's
// arguments only when that subcommand is parsed. Making all of them, and
// a copy of each global option for every one, was a fifth of a one-row
// `add`'s instructions and a quarter of its page faults.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create an empty ledger.
    #[command(after_help = "Example:\n  rectify --db ~/整改/2023.db init")]
    Init,

    /// Create, list and show campaigns (专项).
    #[command(subcommand)]
    Campaign(CampaignCommand),

    /// Record a problem (with inline measures) or a measure.
    #[command(subcommand)]
    Add(AddCommand),

    /// Change who is responsible for items.
    #[command(
        after_help = "Examples:\n  rectify assign M3 M4 --owner 李四 --dept 办公室\n  rectify assign P2 --leader 王五 --note '分工调整'"
    )]
    Assign(AssignArgs),

    /// Grant an extension: move the deadline later, with a reason.
    #[command(
        after_help = "Example:\n  rectify extend M7 --to 2023-08-15 --reason '涉及跨部门协调'"
    )]
    Extend(ExtendArgs),

    /// Record progress (整改进展) on an item.
    #[command(after_help = "Example:\n  rectify note M7 '已完成初稿，待审核'")]
    Note(NoteArgs),

    /// Close items: a measure when done, a problem when none of its measures is open (销号).
    #[command(
        after_help = "Examples:\n  rectify close M3 --on 2023-06-20 --evidence 会议纪要.pdf\n  rectify close M4 --ongoing --note '长期坚持'\n  rectify close P1"
    )]
    Close(CloseArgs),

    /// Reopen a closed or ongoing item whose closure was rejected (驳回).
    #[command(after_help = "Example:\n  rectify reopen M3 --reason '佐证材料不全'")]
    Reopen(ReopenArgs),

    /// Correct what was entered by mistake (更正); the history keeps the old values.
    #[command(
        after_help = "Examples:\n  rectify edit P3 --title '理论学习不够深入' --reason '录入错字'\n  rectify edit M7 --due 2023-06-30 --reason '原定时限录错'"
    )]
    Edit(EditArgs),

    /// Void (作废) items entered by mistake, or restore them with --undo.
    #[command(
        after_help = "Examples:\n  rectify void P9 --reason '重复录入'\n  rectify void --undo P9 --reason '误作废'"
    )]
    Void(VoidArgs),

    /// Accept (验收) done measures, where the campaign asks for it.
    #[command(
        after_help = "Example:\n  rectify accept M3 M4 --on 2023-06-25 --note '材料齐全' --by 王五"
    )]
    Accept(AcceptArgs),

    /// Write one notice per department (or owner) of its overdue and due-soon measures.
    #[command(
        after_help = "Examples:\n  rectify remind\n  rectify remind --per owner --levels 7,30 --format markdown --out-dir 提醒"
    )]
    Remind(RemindArgs),

    /// List problems and measures.
    #[command(
        after_help = "Examples:\n  rectify list --status overdue\n  rectify list --kind measure --owner 张三 --format json | jq length"
    )]
    List(ListArgs),

    /// Show one item with its measures (or its problem) and its history.
    #[command(after_help = "Example:\n  rectify show P3")]
    Show(ShowArgs),

    /// The deadline check: overdue and due-soon items. Exits 1 when anything is overdue.
    #[command(
        after_help = "Example (crontab; cron mails what a job prints):\n  MAILTO=office@example.org\n  0 8 * * * rectify check --quiet --within 3"
    )]
    Check(CheckArgs),

    /// The history of the ledger, or of one item.
    #[command(after_help = "Examples:\n  rectify log\n  rectify log M3\n  rectify log --head")]
    Log(LogArgs),

    /// Reports: the campaign summary, the monthly report, breakdowns.
    #[command(subcommand)]
    Report(ReportCommand),

    /// Export the ledger for Excel and WPS (CSV with BOM, or JSON).
    #[command(
        after_help = "Examples:\n  rectify export --out 整改台账.csv\n  rectify export --campaign ZT2023 --status overdue --headers en --no-bom | csvlook\n  rectify export --by problem --out 问题清单.csv"
    )]
    Export(ExportArgs),

    /// Import a spreadsheet (CSV, UTF-8 or GBK) in one all-or-nothing transaction.
    #[command(
        after_help = "Examples:\n  rectify import 整改台账.csv --dry-run\n  rectify import 整改台账.csv --campaign ZT2023"
    )]
    Import(ImportArgs),

    /// Write a consistent copy of the ledger (safe while others write), then verify it.
    #[command(after_help = "Example:\n  rectify backup ~/备份/ledger-$(date +%F).db")]
    Backup(BackupArgs),

    /// Check the history chain and that every table matches its history.
    #[command(
        after_help = "Exit codes: 0 all holds, 6 tampered, 5 unreadable.\n\nOn its own, verify catches an edited or deleted event anywhere but at the\nnewest end, and any table that disagrees with the history. A history cut\nshort or rebuilt whole is caught only against a fingerprint saved elsewhere.\n\nExamples:\n  rectify verify --late 30\n  rectify verify --expect \"$(cat 2023-06-fingerprint.txt)\""
    )]
    Verify(VerifyArgs),

    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  rectify completions bash > ~/.local/share/bash-completion/completions/rectify\n  rectify completions zsh > ~/.zfunc/_rectify\n  rectify completions fish > ~/.config/fish/completions/rectify.fish"
    )]
    Completions {
        /// bash, zsh, fish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Write roff man pages: rectify(1) to stdout, or one page per command into DIR.
    #[command(
        after_help = "Examples:\n  rectify man | man -l -\n  rectify man --dir ~/.local/share/man/man1"
    )]
    Man {
        /// Write rectify.1 and rectify-<command>.1 into DIR.
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ReportCommand {
    /// The campaign summary: problems, measures, rates, 销号归零, by department, overdue.
    #[command(
        after_help = "Examples:\n  rectify report campaign ZT2023\n  rectify report campaign --as-of 2023-06-30 --chart\n  rectify --lang zh report campaign --format text\n  rectify --lang zh report campaign --format docx --out 整改情况报告.docx"
    )]
    Campaign {
        /// Campaign code (default: the only campaign).
        code: Option<String>,
        /// Report as of DATE (default: today, or the end of a finished campaign).
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Output format: table, json, csv, markdown, text or docx.
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
        /// Add a burndown chart of open measures.
        #[arg(long)]
        chart: bool,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The monthly report, as of the month's last day.
    #[command(
        after_help = "Examples:\n  rectify report month              # last complete month\n  rectify report month 2023-06 --format markdown > 2023-06.md"
    )]
    Month {
        /// YYYY-MM (default: the last complete month before today).
        month: Option<String>,
        /// Only this campaign.
        #[arg(long, value_name = "CODE")]
        campaign: Option<String>,
        /// Output format: table, json, csv, markdown, text or docx.
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// One row per department, owner, source or scope.
    #[command(
        after_help = "Examples:\n  rectify report by dept --sort overdue\n  rectify report by owner --campaign ZT2023 --format csv > owners.csv"
    )]
    By {
        /// What to group by: dept, owner, source or scope.
        #[arg(value_enum)]
        group: GroupBy,
        /// Only this campaign.
        #[arg(long, value_name = "CODE")]
        campaign: Option<String>,
        /// Figures as of DATE (default: today).
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Output format: table, json, csv, markdown or text.
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
        /// Sort by a column: figures largest first, key alphabetically.
        #[arg(long, value_enum)]
        sort: Option<SortKey>,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum CampaignCommand {
    /// Create a campaign.
    #[command(
        after_help = "Example:\n  rectify campaign new ZT2023 --name 主题教育检视问题整改 --start 2023-05-08 --days 80"
    )]
    New {
        /// Short code: letters, digits, '-' or '_'.
        code: String,
        /// Full name, as reports print it.
        #[arg(long)]
        name: String,
        /// First day.
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        start: NaiveDate,
        /// Length in days; the campaign ends on start + days - 1.
        #[arg(long, default_value_t = 80)]
        days: u32,
        /// Where its problems come from (走流程, 巡察, 信访 …).
        #[arg(long)]
        source: Option<String>,
        /// Done measures must be accepted (验收) by someone other than who
        /// closed them before their problem can be closed out (销号).
        #[arg(long)]
        acceptance: bool,
        #[command(flatten)]
        actor: Actor,
    },
    /// List campaigns.
    List {
        /// Output format: table or json.
        #[arg(long, value_enum, default_value_t)]
        format: ItemFormat,
    },
    /// Show one campaign.
    Show {
        /// Campaign code.
        code: String,
        /// Output format: table or json.
        #[arg(long, value_enum, default_value_t)]
        format: ItemFormat,
    },
}

// `--by NAME` after a command that writes. (`export --by` is its layout.)
// Not a doc comment: clap would make it the about line of every command
// that flattens this in, once their arguments are deferred.
#[derive(Debug, Args, Default, Clone)]
pub struct Actor {
    /// Who is making the change, for the history.
    #[arg(long = "by", value_name = "NAME")]
    pub by: Option<String>,
}

impl Command {
    /// Whether the command shows the history's times, written in the
    /// reader's zone: only then does `main` look the zone up, which reads
    /// and parses /etc/localtime (six system calls).
    pub fn shows_event_times(&self) -> bool {
        matches!(self, Command::Log(_) | Command::Show(_))
    }

    /// The `--by NAME` given after the command, if it writes and one was given.
    pub fn actor(&self) -> Option<&str> {
        let actor = match self {
            Command::Campaign(CampaignCommand::New { actor, .. }) => actor,
            Command::Add(AddCommand::Problem { actor, .. })
            | Command::Add(AddCommand::Measure { actor, .. }) => actor,
            Command::Assign(a) => &a.actor,
            Command::Extend(a) => &a.actor,
            Command::Note(a) => &a.actor,
            Command::Close(a) => &a.actor,
            Command::Reopen(a) => &a.actor,
            Command::Edit(a) => &a.actor,
            Command::Void(a) => &a.actor,
            Command::Accept(a) => &a.actor,
            Command::Import(a) => &a.actor,
            _ => return None,
        };
        actor.by.as_deref()
    }
}

#[derive(Debug, Args, Default, Clone)]
pub struct Responsible {
    /// Responsible leader (责任领导).
    #[arg(long)]
    pub leader: Option<String>,
    /// Responsible department (责任部门).
    #[arg(long = "dept", value_name = "DEPT")]
    pub dept: Option<String>,
    /// Responsible person (责任人).
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum AddCommand {
    /// Record a problem; prints its id, then the ids of its inline measures.
    #[command(
        after_help = "Example:\n  rectify add problem '调查研究不够深入' --scope 班子 --source 征求意见 \\\n      --leader 王五 --dept 办公室 --owner 张三 --due 2023-07-26 \\\n      --measure '制定调研计划' --measure '形成调研报告'"
    )]
    Problem {
        /// The text of the problem or measure.
        title: String,
        /// Campaign code (default: the one campaign running today, if exactly one).
        #[arg(long)]
        campaign: Option<String>,
        /// group (班子) or individual (个人).
        #[arg(long, value_parser = scope_arg)]
        scope: Option<Scope>,
        /// Where the problem came from (征求意见, 走流程, 巡察, 信访 …).
        #[arg(long)]
        source: Option<String>,
        /// The person or body it concerns (责任对象).
        #[arg(long)]
        subject: Option<String>,
        /// Root cause (原因分析).
        #[arg(long)]
        cause: Option<String>,
        #[command(flatten)]
        responsible: Responsible,
        /// Deadline (default: the campaign's end).
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        due: Option<NaiveDate>,
        /// When it was raised (default: today).
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        raised: Option<NaiveDate>,
        /// A measure to add with it; repeat for several.
        #[arg(long = "measure", value_name = "TEXT")]
        measures: Vec<String>,
        /// Output format: table or json.
        #[arg(long, value_enum, default_value_t)]
        format: ItemFormat,
        #[command(flatten)]
        actor: Actor,
    },
    /// Add a measure to a problem.
    #[command(
        after_help = "Example:\n  rectify add measure '完善制度' --problem P3 --owner 李四 --due 2023-07-01"
    )]
    Measure {
        /// The text of the problem or measure.
        title: String,
        /// The problem it belongs to (P3).
        #[arg(long, value_parser = item_arg, value_name = "P<n>")]
        problem: ItemRef,
        #[command(flatten)]
        responsible: Responsible,
        /// Deadline (default: the problem's).
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        due: Option<NaiveDate>,
        /// When it was raised (default: today).
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        raised: Option<NaiveDate>,
        /// Output format: table or json.
        #[arg(long, value_enum, default_value_t)]
        format: ItemFormat,
        #[command(flatten)]
        actor: Actor,
    },
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// Problem or measure ids (P3, M7); several at once.
    #[arg(required = true, value_parser = item_arg, value_name = "ID")]
    pub ids: Vec<ItemRef>,
    #[command(flatten)]
    pub responsible: Responsible,
    /// Why, for the history.
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct ExtendArgs {
    /// Problem or measure ids (P3, M7); several at once.
    #[arg(required = true, value_parser = item_arg, value_name = "ID")]
    pub ids: Vec<ItemRef>,
    /// The new deadline; must be later than the current one.
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub to: NaiveDate,
    /// Why; recorded in the history.
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// A problem or measure id (P3, M7), or a UUID.
    #[arg(value_parser = item_arg, value_name = "ID")]
    pub id: ItemRef,
    /// The progress to record (整改进展).
    pub text: String,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Problem or measure ids (P3, M7); several at once.
    #[arg(required = true, value_parser = item_arg, value_name = "ID")]
    pub ids: Vec<ItemRef>,
    /// The day it was done (default: today; never in the future).
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub on: Option<NaiveDate>,
    /// A note, recorded in the history.
    #[arg(long)]
    pub note: Option<String>,
    /// Evidence (佐证材料): a file name, a document number.
    #[arg(long)]
    pub evidence: Option<String>,
    /// Mark measures 长期坚持 (ongoing) instead of done.
    #[arg(long)]
    pub ongoing: bool,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// A problem or measure id (P3, M7), or a UUID.
    #[arg(value_parser = item_arg, value_name = "ID")]
    pub id: ItemRef,
    /// Why; recorded in the history.
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// A problem or measure id (P3, M7), or a UUID.
    #[arg(value_parser = item_arg, value_name = "ID")]
    pub id: ItemRef,
    /// The corrected text of the problem or measure.
    #[arg(long)]
    pub title: Option<String>,
    /// The corrected scope: group (班子) or individual (个人). Problems only.
    #[arg(long, value_parser = scope_arg)]
    pub scope: Option<Scope>,
    /// The corrected source. Problems only.
    #[arg(long)]
    pub source: Option<String>,
    /// The corrected subject (责任对象). Problems only.
    #[arg(long)]
    pub subject: Option<String>,
    /// The corrected root cause (原因分析). Problems only.
    #[arg(long)]
    pub cause: Option<String>,
    /// The corrected raised date.
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub raised: Option<NaiveDate>,
    /// The corrected original deadline; on-time is judged by it. Unlike
    /// `extend`, it may be earlier.
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub due: Option<NaiveDate>,
    /// Why; recorded in the history.
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    /// Problem or measure ids (P3, M7); several at once. Voiding a problem
    /// voids its measures.
    #[arg(required = true, value_parser = item_arg, value_name = "ID")]
    pub ids: Vec<ItemRef>,
    /// Restore voided items instead (a problem with its measures).
    #[arg(long)]
    pub undo: bool,
    /// Why; recorded in the history.
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// Measure ids (M3, M7); several at once.
    #[arg(required = true, value_parser = item_arg, value_name = "ID")]
    pub ids: Vec<ItemRef>,
    /// The day of the acceptance (default: today; not before the measure
    /// was done, never in the future).
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub on: Option<NaiveDate>,
    /// A note, recorded in the history.
    #[arg(long)]
    pub note: Option<String>,
    /// Who accepts; not the one who recorded the closing.
    #[command(flatten)]
    pub actor: Actor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RemindPer {
    #[default]
    #[value(alias = "department", alias = "部门", alias = "责任部门")]
    Dept,
    #[value(alias = "责任人")]
    Owner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RemindFormat {
    #[default]
    Text,
    Markdown,
    /// A Word document per unit, in the official layout (with --out-dir).
    Docx,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Only this campaign.
    #[arg(long, value_name = "CODE")]
    pub campaign: Option<String>,
    /// How many days ahead counts as due soon (0 to 3660).
    #[arg(long, default_value_t = crate::ledger::rules::DUE_SOON_DAYS, value_name = "DAYS", value_parser = within_arg)]
    pub within: u32,
    /// One notice per department or per owner.
    #[arg(long, value_enum, default_value_t)]
    pub per: RemindPer,
    /// A,B: overdue up to A days is a reminder (提醒), up to B days a
    /// follow-up (督办), beyond B an escalation (问责).
    #[arg(long, value_name = "A,B", default_value = "7,30", value_parser = levels_arg)]
    pub levels: (u32, u32),
    /// Output format: text, markdown or docx (docx needs --out-dir).
    #[arg(long, value_enum, default_value_t)]
    pub format: RemindFormat,
    /// Write one file per unit here (created if missing), instead of
    /// printing the notices separated by form feeds.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Args, Default, Clone)]
pub struct FilterArgs {
    /// Only this campaign.
    #[arg(long, value_name = "CODE")]
    pub campaign: Option<String>,
    /// open, ongoing, closed, overdue, due-soon, awaiting-acceptance or void
    /// (or 正在整改, 长期坚持, 已完成, 逾期, 即将到期, 待验收, 作废).
    #[arg(long, value_parser = status_arg)]
    pub status: Option<StatusFilter>,
    /// Only items of this responsible person.
    #[arg(long)]
    pub owner: Option<String>,
    /// Only items of this department.
    #[arg(long = "dept", value_name = "DEPT")]
    pub dept: Option<String>,
    /// Only this scope: group (班子) or individual (个人).
    #[arg(long, value_parser = scope_arg)]
    pub scope: Option<Scope>,
    /// Only problems from this source.
    #[arg(long)]
    pub source: Option<String>,
    /// Only items due before DATE.
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub due_before: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// problem or measure (default: both).
    #[arg(long, value_parser = kind_arg)]
    pub kind: Option<Kind>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Only items whose title, cause, subject, progress or notes contain
    /// TEXT, whatever its case or full-width/half-width letters.
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: ItemFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A problem or measure id (P3, M7), or a UUID.
    #[arg(value_parser = item_arg, value_name = "ID")]
    pub id: ItemRef,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: ItemFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only this campaign.
    #[arg(long, value_name = "CODE")]
    pub campaign: Option<String>,
    /// How many days ahead counts as due soon (0 to 3660).
    #[arg(long, default_value_t = crate::ledger::rules::DUE_SOON_DAYS, value_name = "DAYS", value_parser = within_arg)]
    pub within: u32,
    /// Print nothing when nothing is overdue or due soon (for cron, which
    /// mails whatever a job prints).
    #[arg(long)]
    pub quiet: bool,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: ItemFormat,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this problem or measure.
    #[arg(value_parser = item_arg, value_name = "ID")]
    pub id: Option<ItemRef>,
    /// Print only the fingerprint: the hash of the newest event.
    #[arg(long, conflicts_with = "id")]
    pub head: bool,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: ItemFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExportFormat {
    #[default]
    Csv,
    /// An Excel workbook: date cells, frozen header, filters, overdue rows
    /// in red, and a summary sheet with --campaign.
    Xlsx,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SheetLayout {
    /// One row per measure, its problem's fields repeated.
    #[default]
    Measure,
    /// One row per problem, its measures in one multi-line cell.
    Problem,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to FILE (atomically) instead of stdout; `-` is stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
    /// File format: csv (default), xlsx or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: ExportFormat,
    /// Header language: zh or en (default: the interface language).
    #[arg(long, value_parser = lang_arg, value_name = "zh|en")]
    pub headers: Option<Lang>,
    /// Leave out the UTF-8 byte-order mark (Excel and WPS need it to read Chinese).
    #[arg(long)]
    pub no_bom: bool,
    /// One row per measure (default), or one per problem with its measures in one cell.
    #[arg(
        long = "by",
        value_enum,
        default_value_t,
        value_name = "measure|problem"
    )]
    pub by: SheetLayout,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sheet: CSV (UTF-8 or GBK), XLSX, XLS or ODS; `-` for stdin.
    pub file: String,
    /// Campaign for rows whose campaign column is empty.
    #[arg(long, value_name = "CODE")]
    pub campaign: Option<String>,
    /// The workbook's sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Name a column the tool does not know: HEADER=FIELD, FIELD a header
    /// of `rectify export`; repeat for several.
    #[arg(long, value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    /// A row with a measure but no problem continues the problem above (a
    /// merged problem cell saved as CSV).
    #[arg(long)]
    pub fill_down: bool,
    /// Apply the edits of a sheet sent back by a department: progress,
    /// status and completion, evidence, notes, who is responsible, and a
    /// later deadline with its 延期原因.
    #[arg(long)]
    pub update: bool,
    /// With --update: apply the rest when rows conflict, and list those.
    #[arg(long, requires = "update")]
    pub skip_conflicts: bool,
    /// Check everything and report what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub actor: Actor,
}

fn lang_arg(s: &str) -> Result<Lang, crate::error::Error> {
    Lang::parse(s).ok_or_else(|| {
        crate::error::Input::BadLang {
            value: s.to_string(),
        }
        .into()
    })
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy; must not exist yet.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also list closures recorded more than DAYS after the date they claim,
    /// and events recorded at an earlier time than the event before them.
    #[arg(long, value_name = "DAYS")]
    pub late: Option<u32>,
    /// A fingerprint saved elsewhere (a report's footer, a mail, a printed
    /// page): exit 6 unless it is the hash of an event in the history.
    /// Repeatable.
    #[arg(long, value_name = "FINGERPRINT", value_parser = fingerprint_arg)]
    pub expect: Vec<String>,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: ItemFormat,
}

// Parsers keep rectify's own error, so main can word it in Chinese.
fn within_arg(s: &str) -> Result<u32, crate::error::Error> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= crate::ledger::MAX_CAMPAIGN_DAYS)
        .ok_or_else(|| {
            crate::error::Error::from(crate::error::Input::BadDays {
                value: s.to_string(),
                max: crate::ledger::MAX_CAMPAIGN_DAYS,
            })
        })
}

/// `7,30`: two day counts, the first below the second.
fn levels_arg(s: &str) -> Result<(u32, u32), crate::error::Error> {
    let bad = || {
        crate::error::Error::from(crate::error::Input::BadLevels {
            value: s.to_string(),
        })
    };
    let (a, b) = s.split_once([',', '，']).ok_or_else(bad)?;
    let day = |t: &str| t.trim().parse::<u32>().ok();
    match (day(a), day(b)) {
        (Some(a), Some(b)) if a < b && b <= crate::ledger::MAX_CAMPAIGN_DAYS => Ok((a, b)),
        _ => Err(bad()),
    }
}

fn fingerprint_arg(s: &str) -> Result<String, crate::error::Error> {
    let hex = s.trim().to_ascii_lowercase();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(crate::error::Input::BadFingerprint {
            value: s.to_string(),
        }
        .into())
    }
}

fn date_arg(s: &str) -> Result<NaiveDate, crate::error::Error> {
    crate::dates::parse_date(s)
}

fn item_arg(s: &str) -> Result<ItemRef, crate::error::Error> {
    s.parse()
}

fn scope_arg(s: &str) -> Result<Scope, crate::error::Error> {
    s.parse()
}

fn status_arg(s: &str) -> Result<StatusFilter, crate::error::Error> {
    s.parse()
}

fn kind_arg(s: &str) -> Result<Kind, crate::error::Error> {
    s.parse()
}

// How the report's choices are typed. The report module knows nothing of
// clap; here each value gets its Chinese spelling as an alias, so a clerk
// may type `report by 部门 --sort 逾期`. Format names stay English.
fn choice(name: &'static str, aliases: &[&'static str]) -> clap::builder::PossibleValue {
    clap::builder::PossibleValue::new(name).aliases(aliases.iter().copied())
}

impl clap::ValueEnum for GroupBy {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            GroupBy::Dept,
            GroupBy::Owner,
            GroupBy::Source,
            GroupBy::Scope,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            GroupBy::Dept => choice("dept", &["department", "部门", "责任部门"]),
            GroupBy::Owner => choice("owner", &["责任人"]),
            GroupBy::Source => choice("source", &["来源", "问题来源"]),
            GroupBy::Scope => choice("scope", &["类型", "问题类型"]),
        })
    }
}

impl clap::ValueEnum for SortKey {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            SortKey::Key,
            SortKey::Total,
            SortKey::Closed,
            SortKey::OnTime,
            SortKey::Late,
            SortKey::Ongoing,
            SortKey::Open,
            SortKey::Overdue,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            SortKey::Key => choice("key", &["名称"]),
            SortKey::Total => choice("total", &["总数", "合计"]),
            SortKey::Closed => choice("closed", &["已完成"]),
            SortKey::OnTime => choice("on-time", &["按期", "按期完成"]),
            SortKey::Late => choice("late", &["逾期完成"]),
            SortKey::Ongoing => choice("ongoing", &["长期坚持"]),
            SortKey::Open => choice("open", &["未完成", "正在整改"]),
            SortKey::Overdue => choice("overdue", &["逾期"]),
        })
    }
}

impl clap::ValueEnum for ReportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            ReportFormat::Table,
            ReportFormat::Json,
            ReportFormat::Csv,
            ReportFormat::Markdown,
            ReportFormat::Text,
            ReportFormat::Docx,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    /// Parsing makes only the arguments of the subcommand it meets: a
    /// subcommand enum without `defer` would have every run make them all.
    /// What reads the whole tree still gets every one.
    #[test]
    fn subcommands_make_their_arguments_when_parsed() {
        fn with_own_arguments(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
            for sub in cmd.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                if sub.get_arguments().next().is_some() {
                    out.push(path.clone());
                }
                with_own_arguments(sub, &path, out);
            }
        }
        let mut made_early = Vec::new();
        with_own_arguments(&super::Cli::command(), "rectify", &mut made_early);
        assert!(made_early.is_empty(), "made before parsing: {made_early:?}");

        let mut made = Vec::new();
        with_own_arguments(&super::whole_command(), "rectify", &mut made);
        for path in [
            "rectify add measure",
            "rectify close",
            "rectify report month",
        ] {
            assert!(made.iter().any(|p| p == path), "{path} has no arguments");
        }
    }
}
