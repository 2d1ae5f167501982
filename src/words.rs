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
        if let Some(l) = flag.map(str::to_owned).or_else(|| env("RECTIFY_LANG")) {
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
            "en" | "english" => Some(Lang::En),
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
    Problem: "problem", "问题";
    Measure: "measure", "整改措施";
    Campaign: "campaign", "专项";
    // Column headers.
    HId: "ID", "编号";
    HKind: "KIND", "类别";
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
    ActOngoing: "ongoing", "长期坚持";
    ActReopen: "reopen", "驳回重开";
    ActCampaign: "campaign", "新建专项";
    // `check` summary.
    CheckOverdue: "overdue", "逾期";
    CheckDueSoon: "due within", "天内到期";
    CheckNothing: "nothing overdue or due soon", "无逾期或即将到期事项";
    Days: "days", "天";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        for w in W::ALL {
            assert!(!w.en().trim().is_empty(), "{w:?} has no English");
            assert!(!w.zh().trim().is_empty(), "{w:?} has no Chinese");
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
