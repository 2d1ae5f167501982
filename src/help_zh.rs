//! The Chinese `--help`: clap's definitions carry the English text; this
//! table gives every command and argument its Chinese line, keyed by the
//! command path and the argument id. A test fails when one is missing.

use clap::{Arg, ArgAction, Command};

/// (key, 中文) where key is the command path ("" for the top, "add problem")
/// optionally followed by `#arg_id`.
pub const HELP_ZH: &[(&str, &str)] = &[
    ("", "整改台账：问题、整改措施、整改时限与报告"),
    ("#db", "台账文件（默认读取环境变量 RECTIFY_DB）"),
    ("#today", "以该日期为“今天”（时限、默认值与报告）"),
    (
        "#by",
        "操作人，记入历史（默认 RECTIFY_USER，其次 USER、LOGNAME）；写操作命令后也可使用",
    ),
    (
        "#lang",
        "界面语言：zh 或 en（默认 RECTIFY_LANG，其次系统语言环境）",
    ),
    (
        "#color",
        "逾期标红、即将到期标黄：auto（仅终端且未设 NO_COLOR）、always 或 never",
    ),
    ("init", "新建一个空台账"),
    ("campaign", "新建、列出和查看专项"),
    ("campaign new", "新建专项（如主题教育检视问题整改）"),
    ("campaign new#code", "专项代码，如 ZT2023"),
    ("campaign new#name", "专项名称"),
    ("campaign new#start", "开始日期"),
    ("campaign new#days", "整改天数（默认 80 天）"),
    ("campaign new#source", "问题来源（如走流程、巡察、信访）"),
    (
        "campaign new#acceptance",
        "启用验收：已完成的整改措施须经办结人以外的人验收后，问题方可销号",
    ),
    ("campaign new#by", "操作人，记入历史"),
    ("campaign list", "列出全部专项"),
    ("campaign list#format", "输出格式：table 或 json"),
    ("campaign show", "查看一个专项及其问题、措施数量"),
    ("campaign show#code", "专项代码"),
    ("campaign show#format", "输出格式：table 或 json"),
    ("add", "登记问题（可同时列出整改措施）或整改措施"),
    (
        "add problem",
        "登记一个问题；先输出问题编号，再输出其整改措施编号",
    ),
    ("add problem#title", "问题描述"),
    (
        "add problem#campaign",
        "所属专项代码（默认：今天正在进行的唯一专项）",
    ),
    (
        "add problem#scope",
        "问题类型：班子 或 个人（group / individual）",
    ),
    ("add problem#source", "问题来源"),
    ("add problem#subject", "责任对象（班子或个人的名称）"),
    ("add problem#cause", "原因分析"),
    ("add problem#leader", "责任领导"),
    ("add problem#dept", "责任部门"),
    ("add problem#owner", "责任人"),
    ("add problem#due", "整改时限（默认：专项结束日）"),
    ("add problem#raised", "提出时间（默认：今天）"),
    ("add problem#measures", "整改措施，可多次使用，每次一项"),
    ("add problem#format", "输出格式：table 或 json"),
    ("add problem#by", "操作人，记入历史"),
    ("add measure", "为问题增加一项整改措施"),
    ("add measure#title", "整改措施内容"),
    ("add measure#problem", "所属问题编号，如 P3"),
    ("add measure#leader", "责任领导（默认沿用问题的）"),
    ("add measure#dept", "责任部门（默认沿用问题的）"),
    ("add measure#owner", "责任人（默认沿用问题的）"),
    ("add measure#due", "整改时限（默认沿用问题的）"),
    ("add measure#raised", "提出时间（默认：今天）"),
    ("add measure#format", "输出格式：table 或 json"),
    ("add measure#by", "操作人，记入历史"),
    ("assign", "调整责任领导、责任部门或责任人"),
    ("assign#ids", "问题或措施编号（P3、M7），可列多个"),
    ("assign#leader", "新的责任领导"),
    ("assign#dept", "新的责任部门"),
    ("assign#owner", "新的责任人"),
    ("assign#note", "调整说明，记入历史"),
    ("assign#by", "操作人，记入历史"),
    ("extend", "延期：推迟整改时限，须说明理由"),
    ("extend#ids", "问题或措施编号，可列多个"),
    ("extend#to", "调整后时限"),
    ("extend#reason", "延期理由"),
    ("extend#by", "操作人，记入历史"),
    ("note", "记录整改进展"),
    ("note#id", "问题或措施编号"),
    ("note#text", "整改进展"),
    ("note#by", "操作人，记入历史"),
    ("close", "办结：措施完成即办结；问题在其措施均已办结后销号"),
    ("close#ids", "问题或措施编号，可列多个"),
    ("close#on", "完成时间（默认：今天）"),
    ("close#note", "备注"),
    ("close#evidence", "佐证材料"),
    ("close#ongoing", "标记为长期坚持，而非已完成"),
    ("close#by", "操作人，记入历史"),
    ("reopen", "驳回：重新打开已办结或长期坚持的事项"),
    ("reopen#id", "问题或措施编号"),
    ("reopen#reason", "驳回理由"),
    ("reopen#by", "操作人，记入历史"),
    ("edit", "更正录入错误（原值保留在历史中）"),
    ("edit#id", "问题或措施编号"),
    ("edit#title", "更正后的问题描述或措施内容"),
    ("edit#scope", "更正后的问题类型：班子 或 个人（仅问题）"),
    ("edit#source", "更正后的问题来源（仅问题）"),
    ("edit#subject", "更正后的责任对象（仅问题）"),
    ("edit#cause", "更正后的原因分析（仅问题）"),
    ("edit#raised", "更正后的提出时间"),
    (
        "edit#due",
        "更正后的原定整改时限，按期与否以此为准；与延期不同，可以提前",
    ),
    ("edit#reason", "更正理由"),
    ("edit#by", "操作人，记入历史"),
    ("void", "作废误录的事项，或用 --undo 恢复"),
    ("void#ids", "问题或措施编号，可列多个；作废问题时其整改措施一并作废"),
    ("void#undo", "恢复已作废的事项（问题连同随其作废的措施）"),
    ("void#reason", "作废或恢复的理由"),
    ("void#by", "操作人，记入历史"),
    ("accept", "验收已完成的整改措施（专项启用验收时）"),
    ("accept#ids", "整改措施编号，可列多个"),
    ("accept#on", "验收日期（默认今天；不早于完成时间，不晚于今天）"),
    ("accept#note", "验收意见，记入历史"),
    ("accept#by", "验收人，不能是办结该措施的人"),
    ("remind", "按部门（或责任人）各出一份逾期与即将到期事项的提醒"),
    ("remind#campaign", "只提醒该专项"),
    ("remind#within", "多少天内到期算即将到期（0 至 3660）"),
    ("remind#per", "按 dept（部门）或 owner（责任人）分别出提醒"),
    (
        "remind#levels",
        "A,B：逾期不超过 A 天为提醒，不超过 B 天为督办，超过 B 天为问责",
    ),
    (
        "remind#format",
        "输出格式：text、markdown 或 docx（公文格式文档，须同时给 --out-dir）",
    ),
    (
        "remind#out_dir",
        "每个单位一个文件写入该目录（不存在则新建）；不给时输出到屏幕，以换页符分隔",
    ),
    ("list", "列出问题和整改措施"),
    ("list#grep", "只列出问题描述、措施、原因、对象、进展或备注中含有该文字的事项（不分大小写与全角半角）"),
    ("list#kind", "只列问题（problem）或只列措施（measure）"),
    ("list#campaign", "只列该专项"),
    (
        "list#status",
        "按状态筛选：正在整改、长期坚持、已完成、已销号、逾期、即将到期、待验收、作废（中英文均可）",
    ),
    ("list#owner", "按责任人筛选"),
    ("list#dept", "按责任部门筛选"),
    ("list#scope", "按问题类型筛选：班子 或 个人"),
    ("list#source", "按问题来源筛选"),
    ("list#due_before", "只列整改时限早于该日期的"),
    ("list#format", "输出格式：table 或 json"),
    ("show", "查看一个事项：其措施（或所属问题）及历史记录"),
    ("show#id", "问题或措施编号，或 UUID"),
    ("show#format", "输出格式：table 或 json"),
    (
        "check",
        "时限检查：逾期和即将到期的事项；有逾期时退出码为 1",
    ),
    ("check#campaign", "只查该专项"),
    ("check#within", "多少天内到期算作即将到期（0 至 3660）"),
    ("check#quiet", "没有逾期或即将到期事项时不输出（供 cron 使用，cron 会把输出发邮件）"),
    ("check#format", "输出格式：table 或 json"),
    ("log", "台账或单个事项的历史记录"),
    ("log#id", "只看该问题或措施"),
    ("log#head", "只输出台账指纹（最新一条记录的哈希）"),
    ("log#format", "输出格式：table 或 json"),
    ("report", "报告：专项总结、月报、分类统计"),
    (
        "report campaign",
        "专项总结：问题、措施、完成率、销号归零、分部门情况、逾期清单",
    ),
    ("report campaign#code", "专项代码（默认：唯一的专项）"),
    (
        "report campaign#as_of",
        "截至该日期（默认：今天；已结束的专项截至其结束日）",
    ),
    (
        "report campaign#format",
        "输出格式：table、json、csv、markdown、text 或 docx（公文格式文档）",
    ),
    ("report campaign#out", "写入该文件（原子写入），而不是输出到屏幕"),
    ("report campaign#chart", "附整改进度燃尽图"),
    ("report month", "整改工作月报，截至当月最后一天"),
    ("report month#month", "月份 YYYY-MM（默认：上一个完整月份）"),
    ("report month#campaign", "只统计该专项"),
    (
        "report month#format",
        "输出格式：table、json、csv、markdown、text 或 docx（公文格式文档）",
    ),
    ("report month#out", "写入该文件（原子写入），而不是输出到屏幕"),
    ("report by", "分类统计：按部门、责任人、来源或问题类型"),
    ("report by#group", "分类依据：dept、owner、source 或 scope"),
    ("report by#campaign", "只统计该专项"),
    ("report by#as_of", "截至该日期（默认：今天）"),
    (
        "report by#format",
        "输出格式：table、json、csv、markdown 或 text",
    ),
    ("report by#sort", "排序列"),
    (
        "export",
        "导出台账，供 Excel、WPS 使用（CSV、XLSX 或 JSON）",
    ),
    ("export#out", "写入该文件（默认或 - 为标准输出）"),
    ("export#format", "格式：csv、xlsx 或 json"),
    ("export#headers", "表头语言：zh 或 en（默认随界面语言）"),
    (
        "export#no_bom",
        "不写 UTF-8 BOM（Excel、WPS 需要它才能正确显示中文）",
    ),
    (
        "export#by",
        "每行一项措施（measure）或每行一个问题（problem）",
    ),
    ("export#campaign", "只导出该专项"),
    ("export#status", "按状态筛选（同 list）"),
    ("export#owner", "按责任人筛选"),
    ("export#dept", "按责任部门筛选"),
    ("export#scope", "按问题类型筛选"),
    ("export#source", "按问题来源筛选"),
    ("export#due_before", "只导出整改时限早于该日期的"),
    (
        "import",
        "导入表格（CSV，UTF-8 或 GBK），全部成功或全部不导入",
    ),
    ("import#file", "表格文件：CSV（UTF-8 或 GBK）、XLSX、XLS 或 ODS；- 为标准输入"),
    ("import#campaign", "未写专项的行归入该专项"),
    ("import#sheet", "读取工作簿中的哪个工作表（默认第一个）"),
    ("import#map", "指明本工具不认识的列：表头=字段，字段为 `rectify export` 的表头；可重复"),
    ("import#update", "按各部门交回的表格更新台账：整改进展、状态与完成时间、佐证材料、备注、责任领导/部门/人，以及写明延期原因的推后时限"),
    ("import#skip_conflicts", "与 --update 同用：有冲突的行跳过并列出，其余照常更新"),
    ("import#fill_down", "有整改措施而问题为空的行，延续上一行的问题（合并单元格另存为 CSV 时）"),
    ("import#dry_run", "只检查并列出将导入的内容，不写入"),
    ("import#by", "操作人，记入历史"),
    ("backup", "备份台账（他人写入时也安全），并校验备份"),
    ("backup#file", "备份文件（不会覆盖已有文件）"),
    ("verify", "校验历史哈希链，并核对各表与历史是否一致"),
    (
        "verify#late",
        "列出完成时间早于记录时间超过该天数的办结（补记），以及记录时间早于前一条历史的事件（时钟回拨）",
    ),
    (
        "verify#expect",
        "另行保存的台账指纹（报告页脚、邮件、打印件）：须是历史中某一事件的哈希，否则退出码为 6；可多次使用",
    ),
    ("verify#format", "输出格式：table 或 json"),
    ("completions", "输出命令行补全脚本"),
    ("completions#shell", "bash、zsh、fish 或 powershell"),
    (
        "man",
        "生成 roff 格式的 man 手册：rectify(1) 输出到标准输出，或每个命令一页写入目录",
    ),
    ("man#dir", "写入该目录"),
];

fn lookup(key: &str) -> Option<&'static str> {
    HELP_ZH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command tree with Chinese help text and headings. Give it the
/// whole tree (`cli::whole_command`): the words go onto every argument.
pub fn localize(cmd: Command) -> Command {
    localize_at(cmd, "")
}

/// The examples are commands, the same in both languages; only the
/// headings around them are translated.
fn localize_after_help(text: &str) -> String {
    text.replace("Examples:", "示例：")
        .replace("echo 'something is overdue'", "echo '有逾期事项'")
        .replace("# last complete month", "# 上一个完整月份")
        .replace(
            "Example (crontab; cron mails what a job prints):",
            "示例（crontab；cron 会把任务的输出发邮件）：",
        )
        .replace("Example:", "示例：")
        .replace(
            "Exit codes: 0 ok, 1 `check` found overdue items, 2 invalid input, 3 not found,\n4 refused by a ledger rule, 5 ledger/storage error, 6 `verify` found tampering.",
            "退出码：0 成功，1 `check` 发现逾期，2 输入有误，3 未找到，4 台账规则拒绝，\n5 台账或存储错误，6 `verify` 发现篡改。",
        )
        .replace(
            "Exit codes: 0 all holds, 6 tampered, 5 unreadable.",
            "退出码：0 全部一致，6 发现篡改，5 无法读取。",
        )
        .replace(
            "On its own, verify catches an edited or deleted event anywhere but at the\nnewest end, and any table that disagrees with the history. A history cut\nshort or rebuilt whole is caught only against a fingerprint saved elsewhere.",
            "单独运行时，verify 能发现除最新一端以外任何被改动或删除的事件，以及与历史不符的表。\n历史被截短或整体重算，只有对照另行保存的台账指纹（--expect）才能发现。",
        )
}

/// clap's `[default: …]`, `[possible values: …]` and `[env: …]` in
/// Chinese, written into the help text itself (clap has no hook for their
/// words), with the value descriptions left out: the Chinese help line
/// already says what each value does.
fn with_chrome(help: &str, arg: &Arg) -> String {
    let mut text = help.to_string();
    let takes_value = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        text.push_str(&format!(" [默认：{}]", defaults.join("、")));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_value && !values.is_empty() && !arg.is_hide_possible_values_set() {
        text.push_str(&format!(" [可选值：{}]", values.join("、")));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        text.push_str(&format!(" [环境变量：{}]", env.to_string_lossy()));
    }
    text
}

/// A positional argument's placeholder in Chinese: `[编号]`, not `[ID]`.
pub fn positional_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "ID" | "IDS" => "编号",
        "FILE" => "文件",
        "TITLE" => "标题",
        "TEXT" => "内容",
        "CODE" => "专项代码",
        "MONTH" => "月份",
        "SHELL" => "SHELL",
        _ => return None,
    })
}

/// What is left of clap's own English in a rendered help page.
pub fn chrome(help: &str) -> String {
    help.replace(
        "Print this message or the help of the given subcommand(s)",
        "显示本帮助，或指定命令的帮助",
    )
    .replace("[OPTIONS]", "[选项]")
    .replace("<COMMAND>", "<命令>")
    .replace("[COMMAND]", "[命令]")
}

fn localize_at(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = lookup(path) {
        cmd = cmd.about(about).long_about(None);
    }
    if let Some(after) = cmd.get_after_help().map(|t| t.to_string()) {
        cmd = cmd.after_help(localize_after_help(&after));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = format!("{path}#{id}");
        let text = lookup(&key);
        cmd = cmd.mut_arg(id.as_str(), |arg| {
            let heading = if arg.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let mut arg = arg.help_heading(heading);
            if arg.is_positional() {
                let named: Option<&'static str> = arg
                    .get_value_names()
                    .and_then(|names| names.first())
                    .and_then(|name| positional_name(name.as_str()));
                if let Some(name) = named {
                    arg = arg.value_name(name);
                }
            }
            match text {
                Some(t) => {
                    let help = with_chrome(t, &arg);
                    let takes_value = arg.get_action().takes_values();
                    let arg = arg.help(help).long_help(None).hide_env(true);
                    if takes_value {
                        arg.hide_default_value(true).hide_possible_values(true)
                    } else {
                        arg
                    }
                }
                None => arg,
            }
        });
    }
    let version = path.is_empty();
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项")
                .display_order(999),
        );
    if version {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项")
                .display_order(999),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |sub| localize_at(sub, &sub_path));
    }
    cmd
}

/// Every key the command tree needs, for the completeness test.
pub fn keys(cmd: &Command, path: &str, out: &mut Vec<String>) {
    out.push(path.to_string());
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if id != "help" && id != "version" {
            out.push(format!("{path}#{id}"));
        }
    }
    for sub in cmd.get_subcommands() {
        let sub_path = if path.is_empty() {
            sub.get_name().to_string()
        } else {
            format!("{path} {}", sub.get_name())
        };
        keys(sub, &sub_path, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_argument_has_chinese_help() {
        let mut all = Vec::new();
        keys(&crate::cli::whole_command(), "", &mut all);
        let missing: Vec<&String> = all.iter().filter(|k| lookup(k).is_none()).collect();
        assert!(
            missing.is_empty(),
            "no Chinese help for:\n{}",
            missing
                .iter()
                .map(|k| format!("    (\"{k}\", \"\"),"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let unused: Vec<&&str> = HELP_ZH
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !all.iter().any(|a| a == **k))
            .collect();
        assert!(unused.is_empty(), "Chinese help for nothing: {unused:?}");
        localize(crate::cli::whole_command()).debug_assert();
    }

    #[test]
    fn every_command_and_argument_has_english_help() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            if cmd.get_about().is_none() {
                missing.push(path.to_string());
            }
            for arg in cmd.get_arguments() {
                if arg.get_help().is_none() && !matches!(arg.get_id().as_str(), "help" | "version")
                {
                    missing.push(format!("{path}#{}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&crate::cli::whole_command(), "", &mut missing);
        assert!(missing.is_empty(), "no English help for {missing:?}");
    }
}
