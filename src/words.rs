//! Every user-facing word, in both languages, in one table.
//!
//! The Chinese interface uses the office's own vocabulary (正在整改, 长期坚持,
//! 已销号 …). A key without both spellings does not compile, and a test checks
//! that neither spelling is blank.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn t(self, word: W) -> &'static str {
        match self {
            Lang::En => word.en(),
            Lang::Zh => word.zh(),
        }
    }

    /// `--lang`, else `RECTIFY_LANG`, else a `zh*` locale, else English.
    pub fn resolve(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
        // A `--lang` that is no language is refused later; its error is
        // worded in the language the environment asks for.
        if let Some(l) = flag.and_then(Lang::parse) {
            return l;
        }
        if let Some(l) = env("RECTIFY_LANG") {
            return Lang::parse(&l).unwrap_or_default();
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(v) = env(var).filter(|v| !v.is_empty()) {
                return if v.to_ascii_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "chinese" | "中文" => Some(Lang::Zh),
            "en" | "english" | "英文" | "英语" => Some(Lang::En),
            s if s.starts_with("zh") => Some(Lang::Zh),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        })
    }
}

macro_rules! catalogue {
    ($($key:ident: $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum W { $($key,)* }

        impl W {
            pub const ALL: &'static [W] = &[$(W::$key,)*];
            pub fn en(self) -> &'static str { match self { $(W::$key => $en,)* } }
            pub fn zh(self) -> &'static str { match self { $(W::$key => $zh,)* } }
        }
    };
}

catalogue! {
    // Status words.
    Open: "open", "正在整改";
    Ongoing: "ongoing", "长期坚持";
    ClosedMeasure: "done", "已完成";
    ClosedProblem: "closed", "已销号";
    Overdue: "overdue", "逾期";
    DueSoon: "due soon", "即将到期";
    // Scope words.
    Group: "group", "班子";
    Individual: "individual", "个人";
    // Kinds.
    // Column headers.
    HId: "ID", "编号";
    HStatus: "STATUS", "状态";
    HDue: "DUE", "整改时限";
    HOwner: "OWNER", "责任人";
    HDept: "DEPT", "责任部门";
    HLeader: "LEADER", "责任领导";
    HTitle: "TITLE", "内容";
    HScope: "SCOPE", "问题类型";
    HSource: "SOURCE", "问题来源";
    HSubject: "SUBJECT", "责任对象";
    HCause: "CAUSE", "原因分析";
    HRaised: "RAISED", "提出时间";
    HDueOriginal: "DUE (ORIGINAL)", "原定时限";
    HClosedOn: "CLOSED ON", "完成时间";
    LogReopenedWith: "{measure} reopened: {reason}", "因 {measure} 被驳回：{reason}";
    HBlocking: "OPEN MEASURES", "未完成措施";
    HNote: "NOTE", "备注";
    HEvidence: "EVIDENCE", "佐证材料";
    HProgress: "PROGRESS", "整改进展";
    HProblem: "PROBLEM", "所属问题";
    HCampaign: "CAMPAIGN", "所属专项";
    HCode: "CODE", "代码";
    HName: "NAME", "名称";
    HStart: "START", "开始";
    HEnd: "END", "结束";
    HDays: "DAYS", "天数";
    HProblems: "PROBLEMS", "问题数";
    HMeasures: "MEASURES", "措施数";
    HDaysLate: "DAYS OVERDUE", "逾期天数";
    HSeq: "SEQ", "序号";
    HWhen: "RECORDED", "记录时间";
    HEffective: "EFFECTIVE", "生效日期";
    HActor: "BY", "操作人";
    HItem: "ITEM", "对象";
    HAction: "ACTION", "操作";
    HDetail: "DETAIL", "详情";
    HMeasuresOf: "MEASURES", "整改措施";
    HHistory: "HISTORY", "历史记录";
    // Actions in the history.
    ActAdd: "add", "新增";
    ActAssign: "assign", "调整责任";
    ActExtend: "extend", "延期";
    ActNote: "note", "进展";
    ActClose: "close", "完成";
    ActCloseOut: "close out", "销号";
    ActOngoing: "ongoing", "长期坚持";
    ActReopen: "reopen", "驳回重开";
    ActCampaign: "campaign", "新建专项";
    ActLanguage: "language", "界面语言";
    ObjLedger: "ledger", "台账";
    // `check` summary.
    CheckOverdueMeasures: "overdue measures ({measures})", "逾期整改措施{measures}项";
    CheckOverdueBoth: "overdue: {measures} measures, and {problems} problems without measures",
        "逾期整改措施{measures}项，无整改措施的问题{problems}个";
    CheckDueSoonHead: "due within {days} days ({n})", "{days}天内到期{n}项";
    CheckAwaitingAcceptance: "done, awaiting acceptance ({n})", "已完成待验收的整改措施{n}项";
    CheckAwaitingCloseOut: "all measures settled, not yet closed out ({n})", "已整改完成尚未销号的问题{n}个";
    HDaysLeft: "LEFT", "剩余";
    DaysLeft: "{n} days left", "还剩{n}天";
    DueToday: "due today", "今天到期";
    CheckNothing: "nothing overdue or due soon", "无逾期或即将到期事项";
    Days: "days", "天";
    // Reports.
    ROnTime: "on time", "按期";
    RLate: "late", "逾期完成";
    RByDept: "By department", "分部门情况";
    ROverdueList: "Overdue measures", "逾期整改措施";
    RNone: "none", "无";
    RBurndown: "Open measures per day (* = ideal)", "每日未完成措施数（* 为理想进度）";
    RBurndownEvery: "Open measures every {n} days (* = ideal)", "每{n}天未完成措施数（* 为理想进度）";
    RBurndownWeek: "Open measures per week (* = ideal)", "每周未完成措施数（* 为理想进度）";
    RProblemsRaisedInMonth: "Problems raised in the month", "本月新增问题";
    RProblemsClosedInMonth: "Problems closed out in the month", "本月销号问题";
    RProblemsOpenAtMonthEnd: "Problems open at month end", "月末未销号问题";
    RByDeptCumulative: "By department (cumulative to month end)", "分部门情况（累计至月末）";
    TPeriod: "{first}–{last} {month} {year}", "{year}年{month}月{first}日至{month}月{last}日";
    TMonthTextProblems: " Problems: {raised} raised and {closed} closed out in the month; {open} open at its end.",
        "本月新增问题{raised}个、销号{closed}个，月末尚有{open}个未销号。";
    RRaisedInMonth: "Measures raised in the month", "本月新增整改措施";
    RClosedInMonth: "Measures closed in the month", "本月完成整改措施";
    RExtensionsInMonth: "Extensions granted in the month", "本月批准延期";
    ROpenAtMonthEnd: "Open at month end", "月末未完成";
    RCumulativeRate: "Cumulative completion rate", "累计完成率";
    HTotal: "TOTAL", "措施总数";
    HClosed: "CLOSED", "已完成";
    HOnTime: "ON TIME", "按期完成";
    HLate: "LATE", "逾期完成";
    HOngoing: "ONGOING", "长期坚持";
    HOpen: "OPEN", "未完成";
    HOverdue: "OVERDUE", "逾期";
    HGroupDept: "DEPARTMENT", "责任部门";
    HGroupOwner: "OWNER", "责任人";
    HGroupSource: "SOURCE", "问题来源";
    HGroupScope: "SCOPE", "问题类型";
    Unassigned: "(none)", "（未填）";
    // Spreadsheet columns (export and import), in sheet order.
    CSeq: "seq", "序号";
    CCampaign: "campaign", "所属专项";
    CProblemId: "problem_id", "问题编号";
    CSource: "source", "问题来源";
    CScope: "scope", "问题类型";
    CSubject: "subject", "责任对象";
    CProblem: "problem", "问题描述";
    CCause: "cause", "原因分析";
    CRaisedOn: "raised_on", "提出时间";
    CMeasureId: "measure_id", "措施编号";
    CMeasure: "measure", "整改措施";
    CMeasuresListed: "measures (listed)", "整改措施（汇总）";
    CLeader: "leader", "责任领导";
    CDepartment: "department", "责任部门";
    COwner: "owner", "责任人";
    CDueOriginal: "due_original", "整改时限";
    CDueCurrent: "due_current", "调整后时限";
    CProgress: "progress", "整改进展";
    CStatus: "status", "状态";
    CClosedOn: "closed_on", "完成时间";
    CEvidence: "evidence", "佐证材料";
    CDaysOverdue: "days_overdue", "逾期天数";
    CNote: "note", "备注";
    CProblemUuid: "problem_uuid", "问题UUID";
    CMeasureUuid: "measure_uuid", "措施UUID";
    CVersion: "version", "版本";
    CExtendReason: "extension_reason", "延期原因";
    CAcceptor: "accepted_by", "验收人";
    CMetric: "metric", "指标";
    XlsxPageHeader: "{scope}, as of {date}", "{scope}  截至{date}";
    XlsxPageFooter: "Page &P of &N", "第 &P 页 共 &N 页";
    AllCampaigns: "all campaigns", "全部专项";
    CValue: "value", "数值";
    CAcceptedOn: "accepted_on", "验收日期";
    // Workbook sheet names.
    SheetLedger: "Ledger", "整改台账";
    SheetSummary: "Summary", "汇总";
    // Sentence templates; `{name}` placeholders are filled by `fill`.
    THeader: "{name} ({code})  {start} to {end}, day {day} of {days}, as of {as_of}",
        "{name}（{code}）  {start} 至 {end}，第{day}天（共{days}天），截至{as_of}";
    TProblems: "Problems: {total} ({scopes}); closed out {closed}, open {open}",
        "问题：{total}个（{scopes}）；已销号{closed}个，未销号{open}个";
    ScopesShort: "group {group}, individual {individual}", "班子问题{group}个、个人问题{individual}个";
    ScopesShortUnscoped: "group {group}, individual {individual}, unclassified {unscoped}",
        "班子问题{group}个、个人问题{individual}个、未分类{unscoped}个";
    ScopesLong: "{group} in leadership groups, {individual} of individuals", "班子问题{group}个、个人问题{individual}个";
    ScopesLongUnscoped: "{group} in leadership groups, {individual} of individuals, {unscoped} unclassified",
        "班子问题{group}个、个人问题{individual}个、未分类{unscoped}个";
    TMeasures: "Measures: {total}; done {closed} (on time {on_time}, late {late}); ongoing {ongoing}; open {open} (overdue {overdue}, due soon {due_soon}); extended {extended}",
        "整改措施：{total}项；已完成{closed}项（按期{on_time}项、逾期完成{late}项）；长期坚持{ongoing}项；未完成{open}项（逾期{overdue}项、即将到期{due_soon}项）；延期{extended}项";
    TAcceptance: "Acceptance: done {closed} (accepted {accepted}, awaiting acceptance {awaiting})",
        "验收：已完成{closed}项（已验收{accepted}项、待验收{awaiting}项）";
    TAwaitingCloseOut: "All measures settled, not yet closed out: {n} problems", "已整改完成尚未销号{n}个";
    TVoided: "Voided, left out of every figure: {problems} problems, {measures} measures",
        "已作废（不计入以上各项）：问题{problems}个、整改措施{measures}项";
    TCorrected: "Note: {n} deadlines were corrected (see `rectify log`)", "注：{n}项整改时限经更正（见 log）";
    TTextBodyAccepted: "{problems} problems ({scopes}) were broken into {measures} rectification measures, of which {closed} are done ({accepted} accepted, {awaiting} awaiting acceptance), {on_time} of them on schedule, a completion rate of {rate}",
        "{problems}个问题（{scopes}）共制定整改措施{measures}项，已完成{closed}项（已验收{accepted}项、待验收{awaiting}项），其中按期完成{on_time}项，完成率{rate}";
    TTextAwaitingCloseOut: " {n} of them have all measures done and await close-out.", "其中已整改完成尚未销号{n}个。";
    TRates: "Completion rate {completion}; on-time rate {on_time}", "完成率{completion}；按期完成率{on_time}";
    TVerdictYes: "销号归零: yes, every problem is closed out", "销号归零：是，问题全部销号归零";
    TVerdictNo: "销号归零: not yet, {open} problems open", "销号归零：否，尚有{open}个问题未销号";
    TAgeing: "Ageing of open measures: 0-30 days {a}, 31-60 {b}, 61-90 {c}, over 90 {d}",
        "未完成措施账龄：30天以内{a}项、31-60天{b}项、61-90天{c}项、90天以上{d}项";
    TTextLeadDone: "After {days} days of focused rectification, ", "经过{days}天集中整治，";
    TTextLeadRunning: "In the first {day} days of focused rectification, ", "集中整治开展{day}天来，";
    TTextBody: "{problems} problems ({scopes}) were broken into {measures} rectification measures, of which {closed} are done, {on_time} of them on schedule, a completion rate of {rate}",
        "{problems}个问题（{scopes}）共制定整改措施{measures}项，已完成{closed}项，其中按期完成{on_time}项，完成率{rate}";
    TTextOngoing: "; {n} are kept up as ongoing (长期坚持)", "，长期坚持{n}项";
    TTextOpen: "; {n} remain open", "，尚有{n}项未完成";
    TTextOverdue: ", {n} of them overdue", "，其中逾期{n}项";
    TTextAllClosed: ". All problems are closed out (销号归零).", "，问题全部销号归零。";
    TTextSomeOpen: ". {closed} problems are closed out and {open} remain open.", "；已销号问题{closed}个，尚有{open}个未销号。";
    TMonthHeader: "Monthly report for {year}-{month}", "{year}年{month}月整改工作月报";
    TMonthText: "In {year}-{month}, {raised} measures were raised and {closed} were done ({on_time} on time, {late} late); {extensions} extensions were granted. At month end {open} measures remain open, {overdue} of them overdue; the cumulative completion rate is {rate}.",
        "{year}年{month}月，新增整改措施{raised}项，完成{closed}项（按期{on_time}项、逾期完成{late}项），批准延期{extensions}次；截至月末，尚有{open}项未完成，其中逾期{overdue}项，累计完成率{rate}。";
    TFingerprint: "fingerprint: {hash}", "台账指纹：{hash}";
    WarnReadable: "{path} is readable by other users (mode {mode}); run `chmod 600` on it",
        "{path} 可被其他用户读取（权限 {mode}）；请运行 `chmod 600`";
    WarnRecordedNotPrinted: "the change was recorded, but its output could not be written",
        "修改已记入台账，但其输出未能写出";
    // Confirmations and summaries.
    SaidClosed: "closed {id} on {on}", "{id} 已于 {on} 办结";
    SaidOngoing: "marked {id} ongoing from {on}", "{id} 自 {on} 起标记为长期坚持";
    SaidAssigned: "assigned {id}", "{id} 责任分工已调整";
    SaidNoted: "noted {id}", "{id} 已记录整改进展";
    SaidExtended: "extended {id} to {to}", "{id} 已延期至 {to}";
    SaidReopened: "reopened {id}", "{id} 已驳回，重新整改";
    SaidInitialized: "initialized ledger at {path}", "已在 {path} 新建台账";
    SaidLedgerExists: "ledger already exists at {path}", "{path} 处已有台账";
    SaidImported: "imported {problems} problems and {measures} measures from {file} ({encoding}); {skipped} identical rows skipped",
        "已从 {file}（{encoding}）导入问题{problems}个、整改措施{measures}项；跳过与台账相同的行{skipped}行";
    SaidWouldImport: "dry run: would import {problems} problems and {measures} measures from {file} ({encoding}); {skipped} identical rows skipped",
        "试运行：将从 {file}（{encoding}）导入问题{problems}个、整改措施{measures}项；跳过与台账相同的行{skipped}行";
    SaidLanguageSet: "the ledger's language is now English", "台账界面语言已设为中文";
    SaidNothingWritten: "nothing was written", "未写入任何内容";
    SaidBackedUp: "backed up {events} events to {path}; verified; fingerprint {hash}",
        "已备份 {events} 条历史记录至 {path}，校验通过；台账指纹 {hash}";
    VMissingEvent: "event {seq}: expected event {expected} here (an event is missing)",
        "第 {seq} 条记录：此处应为第 {expected} 条（缺少记录）";
    VBrokenLink: "event {seq} ({item} {action}): prev_hash does not match the event before it",
        "第 {seq} 条记录（{item} {action}）：与前一条记录的哈希链接不上";
    VBadHash: "event {seq} ({item} {action}): hash does not match its contents",
        "第 {seq} 条记录（{item} {action}）：哈希与内容不符";
    VBadPayload: "event {seq} ({item} {action}): payload is not JSON", "第 {seq} 条记录（{item} {action}）：内容不是 JSON";
    VUnknownItem: "event {seq}: cannot tell which item {item} is", "第 {seq} 条记录：无法确定 {item} 是哪个事项";
    VWrongColumns: "event {seq} ({item} {action}): its kind/item_id columns say {kind}",
        "第 {seq} 条记录（{item} {action}）：其 kind/item_id 列却是 {kind}";
    VNoAfter: "event {seq} ({item} {action}): payload has no \"after\"", "第 {seq} 条记录（{item} {action}）：内容缺少 after";
    VNotReplayable: "event {seq} ({item} {action}): cannot be replayed: {why}",
        "第 {seq} 条记录（{item} {action}）：无法重放：{why}";
    VFingerprintMissing: "fingerprint {hash} is not the hash of any event in the history",
        "台账指纹 {hash} 不是历史中任何一条记录的哈希";
    VTriggerMissing: "trigger {name} is missing from the ledger", "台账缺少触发器 {name}";
    VTriggerChanged: "trigger {name} differs from the one rectify creates", "触发器 {name} 与 rectify 创建的不同";
    VTriggerForeign: "trigger {name} on the history is not rectify's", "历史表上的触发器 {name} 不是 rectify 创建的";
    VNotInHistory: "{item}: in the ledger but not in its history", "{item}：在台账中，但历史中没有";
    VNotInLedger: "{item}: in the history but missing from the ledger", "{item}：在历史中，但台账中缺失";
    VFieldDiffers: "{item}: {column} is {live} in the ledger but {replayed} by its history",
        "{item}：{column} 在台账中为 {live}，按历史应为 {replayed}";
    VUnknownTable: "unknown table {table} in history", "历史中有未知的表 {table}";
    VUnknownColumn: "unknown column {column} in history", "历史中有未知的列 {column}";
    EBackupUnverified: "the backup does not verify: {findings}", "备份未通过校验：{findings}";
    VerifyOk: "ok: {events} events, {found} problems found; fingerprint {hash}",
        "一致：共 {events} 条历史记录，发现异常 {found} 处；台账指纹 {hash}";
    VerifyTampered: "TAMPERED: {events} events, {found} problems found; fingerprint {hash}",
        "已被篡改：共 {events} 条历史记录，发现异常 {found} 处；台账指纹 {hash}";
    VerifyLate: "late: event {seq} {item} {action} claims {on} but was recorded {at} ({days} days later)",
        "补记：第 {seq} 条记录 {item} {action} 所记日期为 {on}，实际记录于 {at}（晚 {days} 天）";
    VerifyClockBack: "clock: event {seq} {item} {action} was recorded {at}, before the event ahead of it ({previous})",
        "时钟：第 {seq} 条记录 {item} {action} 记录于 {at}，早于前一条记录（{previous}）";
    VerifyExpected: "expected: {hash} is event {seq}", "指纹核对：{hash} 为第 {seq} 条记录";
    VerifyMismatch: "the ledger does not match its history ({found} problems)",
        "台账与其历史记录不一致（异常 {found} 处）";
    // Field names, for the errors about them.
    FCampaignName: "campaign name", "专项名称";
    FSource: "source", "问题来源";
    FProblemTitle: "problem title", "问题描述";
    FMeasureTitle: "measure title", "整改措施";
    FSubject: "subject", "问题对象";
    FCause: "cause", "问题原因";
    FLeader: "leader", "责任领导";
    FDepartment: "department", "责任部门";
    FOwner: "owner", "责任人";
    FNote: "note", "备注";
    FReason: "reason", "理由";
    FEvidence: "evidence", "佐证材料";
    // Error messages and hints.
    ENotFound: "{what} not found", "未找到 {what}";
    ECampaignNotFound: "campaign {code} not found", "未找到专项 {code}";
    EByProblemSheet: "{file}: this sheet lists measures per problem for reading; export with the default layout to re-import",
        "{file}：该表按问题汇总列出整改措施，仅供阅读；请用默认格式导出后再导入";
    ENotASheet: "{file}: not a CSV or spreadsheet file", "{file}：不是 CSV 文件或电子表格";
    ENoSuchSheet: "{file} has no sheet {sheet}; its sheets: {sheets}", "{file} 中没有工作表 {sheet}；其工作表为：{sheets}";
    ENoHeader: "{file}: no header row in the first {rows} rows: none names a problem or measure column beside another known column",
        "{file}：前 {rows} 行中找不到表头：没有一行既有问题或整改措施列，又有其他可识别的列";
    HintNoHeader: "the problem column may be headed 问题描述, 存在问题, 具体问题, 问题内容 or 问题表现; name another with --map '表头=problem'",
        "问题列的表头可以是 问题描述、存在问题、具体问题、问题内容 或 问题表现；其他表头可用 --map '表头=problem' 指明";
    EBadMap: "--map {value} must be HEADER=FIELD, FIELD a column of `rectify export` (problem, measure, department …)",
        "--map {value} 应写作 表头=字段，字段为 `rectify export` 的列名（问题描述、整改措施、责任部门……）";
    HintMap: "for example --map '问题表述=问题描述'", "例如 --map '问题表述=问题描述'";
    EMissingCampaign: "{file}: the ledger has no campaign {code}; create it first: `rectify campaign new {bare} --name NAME --start YYYY-MM-DD`",
        "{file}：台账中没有专项 {code}；请先新建：`rectify campaign new {bare} --name 名称 --start YYYY-MM-DD`";
    ESameIdOtherText: "{file}:{line}: problem {id} has other text than on line {first}",
        "{file}:{line}：问题编号 {id} 的问题描述与第 {first} 行不同";
    SaidDatedDone: "{n} rows marked done had no completion date; they were dated {on}",
        "{n} 行标为完成但没有完成时间，按 {on} 记";
    SaidChange: "{item} {header}: {before} -> {after}", "{item} {header}：{before} → {after}";
    SaidLedgerNewer: "the ledger is newer, not applied: {item} {header}: sheet {after}, ledger {before}",
        "台账较新，未采用：{item} {header}：表中为 {after}，台账中为 {before}";
    SaidConflictSkipped: "skipped, changed in the ledger too since the export: {item} {header}: sheet {after}, ledger {before}",
        "已跳过（导出后台账也有改动）：{item} {header}：表中为 {after}，台账中为 {before}";
    SaidUpdated: "updated {n} rows", "更新了 {n} 行";
    SaidReadHeader: "header: row {line}", "表头：第 {line} 行";
    SaidReadHeaders: "header: rows {line} and {next}", "表头：第 {line} 行和第 {next} 行";
    SaidReadColumn: "  column {col} {header} -> {field}", "  第 {col} 列 {header} → {field}";
    SaidReadExtra: "(kept as an extra field)", "（作为附加字段保留）";
    SaidKeptExtra: "columns kept as extra fields: {columns}", "作为附加字段保留的列：{columns}";
    SaidReadIgnored: "(blank, ignored)", "（空白，不读取）";
    SaidReadAbove: "rows above the header, passed over: {lines}", "表头以上跳过的行：{lines}";
    SaidReadAsOf: "as of {on}, from the rows above the header", "截至日期：{on}（取自表头以上）";
    SaidReadHeading: "row {line} {text}: a heading; the rows below are {scope}", "第 {line} 行 {text}：标题行，以下各行问题类型为{scope}";
    SaidReadHeadingPlain: "row {line} {text}: a heading", "第 {line} 行 {text}：标题行";
    ENoCampaign: "the ledger has no campaign yet", "台账中还没有专项";
    ECampaignDaysCorrupt: "campaign length {stored} days is out of range (1 to {max})",
        "专项期限 {stored} 天超出范围（1 至 {max}）";
    EStorage: "ledger storage error", "台账存储出错";
    ENoLedger: "no ledger at {path}", "{path} 处没有台账";
    ENotALedger: "{path} is not a rectify ledger", "{path} 不是 rectify 台账";
    ETooNew: "{path} has schema version {found}, newer than this rectify understands ({supported})",
        "{path} 的台账结构版本为 {found}，高于本程序支持的版本（{supported}），请升级 rectify";
    EBusy: "the ledger is locked by another rectify; gave up after the busy timeout",
        "台账正被另一个 rectify 占用，等待超时";
    EOpen: "cannot open ledger {path}", "无法打开台账 {path}";
    ERead: "cannot read the ledger {path}", "无法读取台账 {path}";
    EWrite: "cannot write to the ledger {path}", "无法写入台账 {path}";
    EReadOnly: "cannot write to the ledger {path}: it is read-only", "无法写入台账 {path}：文件只读";
    ESharedNotReady: "cannot read {path} as another user: its {side} file is missing or unreadable, and creating it would lock the owner out",
        "无法以其他用户身份读取 {path}：{side} 文件缺失或不可读，若由本用户创建会使台账所有者无法写入";
    ENeedsUpgrade: "{path} needs a schema upgrade, which only a user who can write it may run",
        "{path} 需要升级台账结构，只有对其有写权限的用户才能进行";
    HintOwnerRuns: "ask the ledger's owner to run any rectify command on it once, e.g. `rectify log --head`",
        "请台账所有者先对其运行一次任意 rectify 命令，例如 `rectify log --head`";
    EBadDate: "{value} is not a date", "{value} 不是有效日期";
    EBadMonth: "{value} is not a month (YYYY-MM)", "{value} 不是有效月份（YYYY-MM）";
    EClosedNoMeasures: "{id} is closed (销号 on {on}); reopen it before adding measures",
        "{id} 已于 {on} 销号，请先驳回（reopen）再增加措施";
    EClosedNoExtend: "{id} is closed (on {on}); reopen it before extending",
        "{id} 已于 {on} 办结，请先驳回（reopen）再延期";
    EAlreadyClosed: "{id} is already closed (closed on {on})", "{id} 已于 {on} 办结，无需重复办结";
    EAlreadyOngoing: "{id} is already marked ongoing (长期坚持)", "{id} 已标记为长期坚持";
    EOpenMeasures: "{id} still has open measures: {ids}", "{id} 尚有未完成的整改措施：{ids}，不能销号";
    ENotClosed: "{id} is not closed; nothing to reopen", "{id} 尚未办结，无需驳回";
    EBadId: "{value} is not an item id", "{value} 不是问题或措施编号";
    HintId: "ids look like P3 (a problem) or M12 (a measure)", "编号形如 P3（问题）或 M12（整改措施）";
    EBackupExists: "{path} already exists; a backup never overwrites", "{path} 已存在；备份不会覆盖已有文件";
    EBadFingerprint: "{value} is not a fingerprint (64 hex digits, as `rectify log --head` prints)",
        "{value} 不是台账指纹（应为 64 位十六进制数字，即 `rectify log --head` 的输出）";
    EBidiControl: "{field} contains the bidirectional control {code}, which can make text read differently from what it stores",
        "{field}含有双向文本控制符 {code}，会使显示的文字与实际保存的不一致";
    ECampaignTooLate: "a campaign from {start} lasting {days} days would end after {latest}",
        "自 {start} 起为期 {days} 天的专项将晚于 {latest} 结束";
    ECloseBeforeMeasure: "cannot close out {id} on {on}: its measure {measure} was done on {done}",
        "{id} 不能于 {on} 销号：其整改措施 {measure} 于 {done} 才完成";
    EBadDays: "{value} is not a number of days from 0 to {max}", "{value} 不是 0 到 {max} 之间的天数";
    EMixedEncoding: "{file}: line {line} is not UTF-8, but other lines are: the file mixes encodings",
        "{file}：第 {line} 行不是 UTF-8 编码，而其他行是：文件混用了多种编码";
    HintMixedEncoding: "open it and save it again as UTF-8, or as GBK, then import it again",
        "请打开该文件，另存为 UTF-8（或 GBK）编码后重新导入";
    ELineTooLong: "{file}: line {line} is longer than {max}", "{file}：第 {line} 行超过 {max}";
    ETooManyColumns: "{file}: the header has {n} columns; at most {max} are read",
        "{file}：表头有 {n} 列，最多只能读取 {max} 列";
    EFieldEmpty: "{field} is empty", "{field}为空";
    EFieldTooLong: "{field} is longer than {max} characters", "{field}超过 {max} 个字符";
    EFieldControl: "{field} contains the control character {code}", "{field}含有控制字符 {code}";
    ERaisedAfterToday: "raised date {on} is after today ({today})", "提出时间 {on} 晚于今天（{today}）";
    EUuidTaken: "uuid {uuid} is already in the ledger", "UUID {uuid} 已在台账中";
    EBadCampaignCode: "campaign code {code} must be 1-64 letters, digits, '-' or '_'",
        "专项代码 {code} 须为 1 至 64 个字母、数字、“-”或“_”";
    EDaysOutOfRange: "--days {days} is out of range (1 to {max})", "--days {days} 超出范围（1 至 {max}）";
    EMeasureBeforeProblem: "measure raised {on} is before its problem {problem} was raised ({raised})",
        "措施提出时间 {on} 早于所属问题 {problem} 的提出时间（{raised}）";
    EDeadlineNotLater: "new deadline {to} is not later than the current one ({due})",
        "新时限 {to} 不晚于现行时限（{due}）";
    EDeadlineBeforeRaised: "new deadline {to} is before {id} was raised ({raised})",
        "新时限 {to} 早于 {id} 的提出时间（{raised}）";
    EOngoingProblem: "{id} is a problem; only measures can be marked ongoing (长期坚持)",
        "{id} 是问题；只有整改措施才能标记为长期坚持";
    EClosedAfterToday: "closing date {on} is after today ({today})", "完成时间 {on} 晚于今天（{today}）";
    EClosedBeforeRaised: "closing date {on} is before {id} was raised ({raised})",
        "完成时间 {on} 早于 {id} 的提出时间（{raised}）";
    EClosedBeforeReopen: "closing date {on} is before {id} was last reopened ({reopened})",
        "完成时间 {on} 早于 {id} 最近一次驳回（{reopened}）";
    EDueBeforeRaised: "due date {due} is before the raised date {raised}", "整改时限 {due} 早于提出时间 {raised}";
    EUnknownKind: "unknown kind {value}: use problem or measure", "无法识别的类别 {value}：应为 problem（问题）或 measure（措施）";
    EUnknownScope: "unknown scope {value}: use group (班子) or individual (个人)",
        "无法识别的问题类型 {value}：应为 班子 或 个人";
    EUnknownStatus: "unknown status {value}: use open, ongoing, closed, overdue, due-soon, awaiting-acceptance or void",
        "无法识别的状态 {value}：应为 正在整改、长期坚持、已完成、已销号、逾期、即将到期、待验收 或 作废";
    ENothingToAssign: "nothing to assign: give --leader, --dept or --owner", "没有要调整的内容：请给出 --leader、--dept 或 --owner";
    ENotForBy: "--format {format} is for `report campaign` and `report month`; use table, markdown, csv or json",
        "--format {format} 只用于 `report campaign` 和 `report month`；请用 table、markdown、csv 或 json";
    EDocxToTerminal: "a Word document is binary; it is not written to a terminal", "docx 文档是二进制文件，不能输出到终端";
    HintDocxOut: "name a file with --out 整改情况报告.docx, or redirect the output", "请用 --out 整改情况报告.docx 指定文件，或重定向输出";
    EDocxNeedsOutDir: "Word notices are files: give --out-dir DIR", "docx 格式的提醒须写入文件：请用 --out-dir 指定目录";
    EDocx: "docx: {why}", "docx 文件出错：{why}";
    DocCampaignTitle: "{name}: rectification report", "关于{name}整改情况的报告";
    DocCampaignTitleRectification: "{name}: rectification report", "关于{name}情况的报告";
    DocOverdue: "Overdue measures ({n})", "逾期整改措施（{n}项）";
    DocAsOf: "(as of {date})", "（截至{date}）";
    DocOverview: "Overview", "总体情况";
    DocFigures: "Figures", "主要数据";
    DateLong: "{day} {month} {year}", "{year}年{month}月{day}日";
    ESeveralCampaigns: "the ledger has {n} campaigns ({codes}); name one", "台账中有 {n} 个专项（{codes}），请指明其一";
    ENotAProblem: "--problem wants a problem id (P<n>), not {id}", "--problem 须为问题编号（P<n>），而不是 {id}";
    HintCampaignNew: "create one with `rectify campaign new`", "请先用 `rectify campaign new` 新建专项";
    EImportStopped: "{file}: stopped after {n} errors", "{file}：错误已达 {n} 处，停止检查";
    ECellNotDate: "{header}: {value} is not a date", "{header}：{value} 不是有效日期";
    ECellNotScope: "{header}: {value} is not a scope (班子 or 个人)", "{header}：{value} 不是问题类型（班子 或 个人）";
    ECellNotStatus: "{header}: {value} is not a status word", "{header}：{value} 不是可识别的状态";
    ECellNotUuid: "{header}: {value} is not a UUID", "{header}：{value} 不是 UUID";
    ECellNoProblem: "{header} is empty: every row needs a problem", "{header}为空：每一行都须有问题描述";
    ECellBeforeRaised: "{header}: {value} is before the raised date {raised}", "{header}：{value} 早于提出时间 {raised}";
    ECellBeforeDue: "{header}: {value} is earlier than 整改时限 {due}", "{header}：{value} 早于整改时限 {due}";
    ECellNotUpdatable: "{header}: {value} differs from the ledger ({ledger}); an update changes only progress, status and completion, evidence, notes, who is responsible and a later deadline",
        "{header}：{value} 与台账（{ledger}）不同；更新只改整改进展、状态与完成时间、佐证材料、备注、责任领导/部门/人和推后的时限";
    ECellNoExtendReason: "{header}: {value} is a later deadline, but the row gives no 延期原因 (extension reason)",
        "{header}：{value} 推后了时限，但该行没有写延期原因";
    EConflict: "{item} was changed both in the sheet and in the ledger since the export: {cells}",
        "{item} 导出后在表中和台账中都有改动：{cells}";
    EConflictCell: "{header} sheet {sheet}, ledger {ledger}", "{header} 表中为 {sheet}，台账中为 {ledger}";
    ECellNoYear: "{header}: {value} has no year; write it as 2023-06-30 or 2023年6月30日",
        "{header}：{value} 没有年份；请写作 2023-06-30 或 2023年6月30日";
    ECellEdited: "{header}: {value} was changed in the sheet since its export ({ledger} in the ledger); import it with --update to apply the change",
        "{header}：{value} 是导出后在表中修改的（台账中为 {ledger}）；如要据此更新台账，请加 --update 导入";
    ECellNoProblemUnderOne: "{header} is empty under a row that has one; if the problem above goes on here, import with --fill-down",
        "{header}为空而上一行不空；如为上一行问题的延续（合并单元格另存为 CSV），请加 --fill-down 导入";
    ECellUuidOfMeasure: "{header}: {value} belongs to a measure", "{header}：{value} 属于一项整改措施";
    ECellUuidOfProblem: "{header}: {value} belongs to a problem", "{header}：{value} 属于一个问题";
    ECellDiffers: "{header}: {value} differs from the ledger ({ledger}) for an item whose {what} is already there; an import never changes existing items",
        "{header}：{value} 与台账中的 {ledger} 不同，而该{what}已在台账中；导入不会修改已有事项";
    EHeaderUnreadable: "{file}: cannot read the header row: {why}", "{file}：无法读取表头：{why}";
    EColumnTwice: "{file}: column {header} appears twice", "{file}：列 {header} 出现了两次";
    ENoProblemColumn: "{file}: no 问题描述 (problem) column: it is the one column an import needs",
        "{file}：缺少“问题描述”列，导入至少需要这一列";
    ECsvUnequal: "{file}:{line}: malformed CSV: {n} fields where the header has {header}",
        "{file}:{line}：CSV 格式有误：该行有 {n} 个字段，而表头有 {header} 个";
    EMalformedCsv: "{file}:{line}: malformed CSV: {why}", "{file}:{line}：CSV 格式有误：{why}";
    EBadActor: "{name} is not a usable name for --by (1-100 characters, no control characters)",
        "{name} 不能用作 --by 的操作人姓名（须为 1 至 100 个字符，不含控制字符）";
    EBadLang: "unknown language {value}: use en or zh", "无法识别的语言 {value}：请用 zh 或 en";
    EBadNow: "RECTIFY_NOW {value} is not an RFC 3339 time", "RECTIFY_NOW 的值 {value} 不是 RFC 3339 时间";
    ENoHome: "cannot tell where the ledger is: HOME is not set", "无法确定台账位置：未设置 HOME";
    HintNoHome: "pass --db PATH or set RECTIFY_DB", "请用 --db 指定台账文件，或设置 RECTIFY_DB";
    EIo: "{path}: {why}", "{path}：{why}";
    IoNotFound: "no such file or directory", "文件或目录不存在";
    IoDenied: "permission denied", "权限不足";
    IoExists: "it already exists", "已存在";
    IoFull: "no space left on the device", "磁盘空间不足";
    IoIsDir: "it is a directory", "这是一个目录";
    IoNotDir: "a part of the path is not a directory", "路径中有一部分不是目录";
    IoPipe: "the pipe was closed", "管道已关闭";
    IoReadOnly: "the file system is read-only", "文件系统只读";
    IoOther: "input/output error", "读写错误";
    ENotADirectory: "{path} is not a directory", "{path} 不是目录";
    HintMkdirMan: "create it first, for example mkdir -p ~/.local/share/man/man1", "请先创建该目录，例如 mkdir -p ~/.local/share/man/man1";
    SaidManWritten: "wrote man pages to {path}", "已将 man 手册写入 {path}";
    ETooManyRows: "more than {max} rows do not fit in one worksheet", "超过 {max} 行，一个工作表放不下";
    HintTooManyRows: "export with --format csv, or narrow it with --campaign", "请用 --format csv 导出，或用 --campaign 缩小范围";
    EXlsx: "xlsx: {why}", "xlsx 文件出错：{why}";
    ECsv: "csv: {why}", "CSV 出错：{why}";
    EBinaryToTerminal: "a workbook is binary; it is not written to a terminal", "工作簿是二进制文件，不能输出到终端";
    HintBinaryOut: "name a file with --out ledger.xlsx, or redirect the output", "请用 --out 台账.xlsx 指定文件，或重定向输出";
    ECampaignExists: "campaign {code} already exists", "专项 {code} 已存在";
    HintNoLedger: "run `rectify init` first, or point --db / RECTIFY_DB at your ledger",
        "请先运行 `rectify init`，或用 --db / RECTIFY_DB 指向台账文件";
    HintBadRows: "nothing was imported; fix the sheet and run the import again",
        "未导入任何内容；请修改表格后重新导入";
    HintBusy: "another clerk or a cron job is writing; try again", "其他人或定时任务正在写入，请稍后重试";
    HintTampered: "run `rectify verify` for the full list", "运行 `rectify verify` 查看完整清单";
    HintDate: "write dates as YYYY-MM-DD", "日期请写作 YYYY-MM-DD";
    HintOpenMeasures: "close them, or mark them ongoing with `close --ongoing`",
        "请先办结这些措施，或用 `close --ongoing` 标记为长期坚持";
    HintCampaignList: "`rectify campaign list` shows the campaigns", "`rectify campaign list` 可列出全部专项";
    EMissingArgs: "the following required arguments were not provided: {args}", "缺少必需的参数：{args}";
    EUnknownArg: "unexpected argument '{arg}' found", "无法识别的参数：{arg}";
    EUnknownCommand: "unrecognized subcommand '{command}'", "无法识别的命令：{command}";
    EArgConflict: "the argument '{arg}' cannot be used with '{other}'", "参数 {arg} 不能与 {other} 同时使用";
    EInvalidValueOf: "invalid value '{value}' for '{arg}' (possible values: {valid})",
        "{arg} 的值 '{value}' 无效（可选值：{valid}）";
    EInvalidValue: "invalid value '{value}' for '{arg}'", "{arg} 的值 '{value}' 无效";
    EMissingValue: "a value is required for '{arg}' but none was supplied", "{arg} 需要一个值";
    HintUsage: "see `rectify --help`, or `rectify <command> --help`", "参见 `rectify --help` 或 `rectify <命令> --help`";
    // Corrections, voiding and acceptance (issue 15).
    ECloseBeforeAcceptance: "cannot close out {id} on {on}: its measure {measure} was accepted on {accepted}",
        "{id} 不能于 {on} 销号：其整改措施 {measure} 于 {accepted} 才验收";
    EBadLevels: "--levels {value} is not two day counts A,B with A below B (as in 7,30)",
        "--levels {value} 应为两个天数 A,B，且 A 小于 B（如 7,30）";
    ENothingToEdit: "nothing to correct: give --title, --scope, --source, --subject, --cause, --raised or --due",
        "没有要更正的内容：请给出 --title、--scope、--source、--subject、--cause、--raised 或 --due";
    EProblemField: "{id} is a measure; {flag} is its problem's, so correct {problem}",
        "{id} 是整改措施；{flag} 属于所属问题，请更正 {problem}";
    EProblemAfterMeasure: "raised date {on} is after its measure {measure} was raised ({raised})",
        "提出时间 {on} 晚于其整改措施 {measure} 的提出时间（{raised}）";
    EAcceptProblem: "{id} is a problem; acceptance (验收) is of its measures", "{id} 是问题；验收的对象是整改措施";
    EAcceptedAfterToday: "acceptance date {on} is after today ({today})", "验收日期 {on} 晚于今天（{today}）";
    EAcceptedBeforeClosed: "acceptance date {on} is before {id} was done ({closed})",
        "验收日期 {on} 早于 {id} 的完成时间（{closed}）";
    EVoided: "{id} was voided (作废)", "{id} 已作废";
    HintVoided: "`rectify void --undo` restores it, with a reason", "如需恢复，请用 `rectify void --undo` 并说明理由";
    EAlreadyVoided: "{id} is already voided", "{id} 已作废，无需重复作废";
    ENotVoided: "{id} is not voided; nothing to restore", "{id} 未作废，无需恢复";
    EVoidClosed: "{id} is closed (on {on}); a closed item cannot be voided", "{id} 已于 {on} 办结，不能作废";
    EEditClosedOut: "{problem} is closed out (销号 on {on}); {id} cannot be corrected", "{problem} 已于 {on} 销号，不能更正 {id}";
    HintReopenFirst: "reopen it first with `rectify reopen --reason`", "如确需改动，请先用 `rectify reopen --reason` 驳回";
    EVoidedWithProblem: "{id} was voided with its problem {problem}; restore {problem}", "{id} 随所属问题 {problem} 一并作废，请恢复 {problem}";
    ENoAcceptance: "{id}'s campaign does not ask for acceptance (验收)", "{id} 所属专项未启用验收";
    ENotDone: "{id} is not done; only a done measure can be accepted", "{id} 尚未完成，不能验收";
    EAlreadyAccepted: "{id} was already accepted on {on}", "{id} 已于 {on} 验收，无需重复验收";
    ESelfAcceptance: "{actor} recorded {id} as done, and cannot accept their own work",
        "{actor} 办结了 {id}，不能验收自己办结的整改措施";
    EUnaccepted: "{id} has measures awaiting acceptance (待验收): {ids}", "{id} 尚有待验收的整改措施：{ids}，不能销号";
    HintUnaccepted: "someone other than who closed them accepts them with `rectify accept`",
        "请由办结人以外的人用 `rectify accept` 验收";
    FAcceptor: "acceptor", "验收人";
    RemindTitle: "Reminder to {unit}: rectification measures", "关于{unit}整改事项的提醒";
    RemindCampaign: "campaign: {name} ({code})", "专项：{name}（{code}）";
    RemindAllCampaigns: "campaign: all", "专项：全部";
    RemindDate: "date: {date}", "日期：{date}";
    RemindOverdue: "overdue ({n})", "逾期未完成（{n}项）";
    RemindDueSoon: "due within {days} days ({n})", "{days}天内到期（{n}项）";
    RemindTotals: "{overdue} overdue ({reminder} reminders, {followup} follow-ups, {escalation} escalations); {soon} due soon.",
        "共逾期{overdue}项（提醒{reminder}项、督办{followup}项、问责{escalation}项），即将到期{soon}项。";
    LevelReminder: "reminder", "提醒";
    LevelFollowUp: "follow-up", "督办";
    LevelEscalation: "escalation", "问责";
    HLevel: "LEVEL", "等级";
    FRaised: "raised", "提出时间";
    FDueOriginal: "deadline", "整改时限";
    FDueCurrent: "deadline in force", "现行时限";
    LogVoidedWith: "with {problem}: {reason}", "随 {problem}：{reason}";
    SaidEdited: "corrected {id}", "{id} 已更正";
    SaidEditUnchanged: "{id} already reads so; nothing corrected", "{id} 已是所给内容，未作更正";
    SaidVoided: "voided {id}", "{id} 已作废";
    SaidRestored: "restored {id}", "{id} 已恢复";
    SaidAccepted: "accepted {id} on {on}", "{id} 已于 {on} 验收";
    HAcceptance: "ACCEPTANCE", "验收";
    HAcceptedOn: "ACCEPTED", "验收";
    HVoidedOn: "VOIDED ON", "作废日期";
    AcceptanceRequired: "required before 销号", "销号前须经验收";
    Voided: "voided", "已作废";
    AwaitingAcceptance: "awaiting acceptance", "待验收";
    Accepted: "accepted", "已验收";
    ActEdit: "correct", "更正";
    ActVoid: "void", "作废";
    ActUnvoid: "restore", "恢复";
    ActAccept: "accept", "验收";
}

/// A catalogue template in `lang`, filled.
pub fn say(lang: Lang, word: W, values: &[(&str, String)]) -> String {
    fill(lang.t(word), values)
}

/// Fill `{name}` placeholders in a catalogue template.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        for w in W::ALL {
            assert!(!w.en().trim().is_empty(), "{w:?} has no English");
            assert!(!w.zh().trim().is_empty(), "{w:?} has no Chinese");
            // A template must use the same placeholders in both languages.
            let holes = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|s| s.split_once('}').map(|(h, _)| h.to_string()))
                    .collect();
                // A placeholder may be used twice ({month} in 6月1日至6月30日).
                v.sort();
                v.dedup();
                v
            };
            assert_eq!(holes(w.en()), holes(w.zh()), "{w:?} placeholders differ");
        }
    }

    #[test]
    fn lang_resolution_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::resolve(None, env(&[])), Lang::En);
        assert_eq!(
            Lang::resolve(None, env(&[("LANG", "zh_CN.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(Some("en"), env(&[("RECTIFY_LANG", "zh")])),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(None, env(&[("RECTIFY_LANG", "zh")])),
            Lang::Zh
        );
    }
}

/// No sentence reaches the user from outside this catalogue: every
/// literal printed by `write!`/`writeln!`/`eprintln!`/`println!` in the
/// modules that talk to the user holds only placeholders and punctuation.
/// Errors are typed and worded only in `wording.rs`; two more tests hold that.
#[cfg(test)]
mod no_stray_words {
    /// The literal whose opening quote `chars` has just passed, with
    /// escapes blanked (an escape such as `\n` is no letter of a word).
    fn read_literal(chars: &mut std::str::Chars<'_>) -> String {
        let mut literal = String::new();
        let mut escaped = false;
        for c in chars.by_ref() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => break,
                _ if escaped => {
                    literal.push(' ');
                    escaped = false;
                }
                _ => literal.push(c),
            }
        }
        literal
    }

    /// Every string literal in `code`.
    fn all_literals(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = code.chars();
        while chars.any(|c| c == '"') {
            out.push(read_literal(&mut chars));
        }
        out
    }

    /// The first literal of each call to `macro_name`.
    fn literals_after(source: &str, macro_name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find(macro_name) {
            rest = &rest[at + macro_name.len()..];
            // The first string literal of the call, if it opens before `;`.
            let Some(quote) = rest.find('"') else { break };
            if rest[..quote].contains(';') {
                continue;
            }
            out.push(read_literal(&mut rest[quote + 1..].chars()));
        }
        out
    }

    fn words_outside_placeholders(literal: &str) -> bool {
        let mut depth = 0;
        let mut run = 0;
        for c in literal.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => depth -= 1,
                c if depth == 0 && c.is_ascii_alphabetic() => {
                    run += 1;
                    if run >= 2 {
                        return true;
                    }
                }
                _ => run = 0,
            }
        }
        false
    }

    /// Every key of the catalogue is said somewhere: an unused word is
    /// a word nobody keeps up to date.
    #[test]
    fn every_key_is_used() {
        let source: String = rust_files().into_iter().map(|(_, text)| text).collect();
        let unused: Vec<String> = super::W::ALL
            .iter()
            .map(|w| format!("{w:?}"))
            .filter(|key| {
                let used = format!("W::{key}");
                !source.match_indices(&used).any(|(at, _)| {
                    !source[at + used.len()..].starts_with(|c: char| c.is_alphanumeric())
                })
            })
            .collect();
        assert!(unused.is_empty(), "catalogue keys nobody uses: {unused:?}");
    }

    /// Every `.rs` file under `src/`, whole.
    fn rust_files() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((path, text));
                }
            }
        }
        out
    }

    /// Every `.rs` file under `src/`, but for its unit tests.
    fn sources() -> Vec<(std::path::PathBuf, String)> {
        rust_files()
            .into_iter()
            .map(|(path, text)| {
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                (path, code.to_string())
            })
            .collect()
    }

    /// Errors are typed where they happen and worded in one module: no
    /// other file picks an error's or a hint's template.
    #[test]
    fn errors_are_worded_in_one_module() {
        let mut stray = Vec::new();
        for (path, code) in sources() {
            let name = path.file_name().unwrap().to_string_lossy();
            if name == "words.rs" || name == "wording.rs" {
                continue;
            }
            for (at, _) in code.match_indices("W::") {
                let key = &code[at + 3..];
                let error = key.starts_with('E') && key[1..].starts_with(char::is_uppercase);
                if error || key.starts_with("Hint") {
                    let end = key
                        .find(|c: char| !c.is_alphanumeric())
                        .unwrap_or(key.len());
                    stray.push(format!("{}: W::{}", path.display(), &key[..end]));
                }
            }
        }
        assert!(
            stray.is_empty(),
            "error words picked outside src/wording.rs:\n{}",
            stray.join("\n")
        );
    }

    /// A typed error carries values, never a sentence: no string literal
    /// with a word in it is passed to one.
    #[test]
    fn typed_errors_hold_no_sentences() {
        let mut stray = Vec::new();
        for (path, code) in sources() {
            for ty in ["Input::", "Rule::", "Missing::", "Tamper::", "Corrupt::"] {
                for (at, _) in code.match_indices(ty) {
                    // The constructor's fields: from the variant name to the
                    // bracket that closes the first one opened.
                    let rest = &code[at..];
                    let Some(open) = rest.find(['{', '(', ',', ';', '=']) else {
                        continue;
                    };
                    if !matches!(rest.as_bytes()[open], b'{' | b'(') {
                        continue;
                    }
                    let mut depth = 0;
                    let mut end = rest.len();
                    for (i, c) in rest[open..].char_indices() {
                        match c {
                            '{' | '(' => depth += 1,
                            '}' | ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = open + i;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    for literal in all_literals(&rest[open..end]) {
                        if words_outside_placeholders(&literal) {
                            stray.push(format!("{}: {literal:?}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            stray.is_empty(),
            "sentences inside typed errors:\n{}",
            stray.join("\n")
        );
    }

    #[test]
    fn printed_literals_hold_no_words() {
        // Markup, not words: a Markdown code fence.
        const ALLOWED: &[&str] = &[" ```text"];
        // The house prefixes stay English in both languages, for scripts.
        const PREFIXES: &[&str] = &["error: ", "hint: ", "warning: "];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs: Vec<_> = ["commands", "report", "ledger"]
            .iter()
            .map(|d| root.join(d))
            .collect();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for file in ["main.rs", "output.rs", "xlsxio.rs", "csvio.rs"] {
            files.push(root.join(file));
        }
        // WordprocessingML is markup; the words in it come from the
        // catalogue through its callers.
        files.retain(|f| !f.ends_with("report/docx.rs"));
        let mut stray = Vec::new();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            // Unit tests may say what they like.
            let source = source.split("#[cfg(test)]").next().unwrap_or_default();
            // `println!(` also finds `eprintln!(`.
            for name in ["writeln!(", "write!(", "println!("] {
                for literal in literals_after(source, name) {
                    let text = PREFIXES
                        .iter()
                        .find_map(|p| literal.strip_prefix(p))
                        .unwrap_or(&literal);
                    if words_outside_placeholders(text) && !ALLOWED.contains(&text) {
                        stray.push(format!("{}: {literal:?}", file.display()));
                    }
                }
            }
        }
        assert!(
            stray.is_empty(),
            "printed words outside the catalogue:\n{}",
            stray.join("\n")
        );
    }
}
