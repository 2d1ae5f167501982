//! The ledger's domain types, and how they cross the SQL boundary.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

use crate::error::{Error, Input, Result};
use crate::words::{Lang, W};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Problem,
    Measure,
}

impl Kind {
    pub fn table(self) -> &'static str {
        match self {
            Kind::Problem => "problem",
            Kind::Measure => "measure",
        }
    }

    pub fn letter(self) -> char {
        match self {
            Kind::Problem => 'P',
            Kind::Measure => 'M',
        }
    }
}

impl FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "problem" | "p" | "问题" => Ok(Kind::Problem),
            "measure" | "m" | "措施" | "整改措施" => Ok(Kind::Measure),
            other => Err(Input::UnknownKind {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

/// `P3` or `M12`: the number is the row's key in its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId {
    pub kind: Kind,
    pub n: i64,
}

impl ItemId {
    pub fn problem(n: i64) -> Self {
        ItemId {
            kind: Kind::Problem,
            n,
        }
    }
    pub fn measure(n: i64) -> Self {
        ItemId {
            kind: Kind::Measure,
            n,
        }
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.kind.letter(), self.n)
    }
}

impl Serialize for ItemId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a user may type to name an item: `m12`, `M-12`, `P3`, or a UUID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemRef {
    Id(ItemId),
    Uuid(String),
}

impl FromStr for ItemRef {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        let raw = text.trim();
        if let Some(uuid) = parse_uuid(raw) {
            return Ok(ItemRef::Uuid(uuid));
        }
        let bad = || {
            Error::from(Input::BadId {
                value: raw.to_string(),
            })
        };
        let mut chars = raw.chars();
        let kind = match chars.next().map(|c| c.to_ascii_uppercase()) {
            Some('P') => Kind::Problem,
            Some('M') => Kind::Measure,
            _ => return Err(bad()),
        };
        let rest = chars.as_str();
        let digits = rest.strip_prefix('-').unwrap_or(rest);
        if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        Ok(ItemRef::Id(ItemId { kind, n }))
    }
}

fn parse_uuid(raw: &str) -> Option<String> {
    (raw.len() == 36)
        .then(|| uuid::Uuid::parse_str(raw).ok())
        .flatten()
        .map(|u| u.hyphenated().to_string())
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemRef::Id(id) => id.fmt(f),
            ItemRef::Uuid(u) => f.write_str(u),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Group,
    Individual,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Group => "group",
            Scope::Individual => "individual",
        }
    }
    pub fn word(self, lang: Lang) -> &'static str {
        lang.t(match self {
            Scope::Group => W::Group,
            Scope::Individual => W::Individual,
        })
    }
}

impl FromStr for Scope {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "group" | "班子" | "班子问题" | "领导班子" | "集体" => Ok(Scope::Group),
            // 班子成员: a member of the leadership group, one person.
            "individual" | "个人" | "个人问题" | "班子成员" | "党员" => {
                Ok(Scope::Individual)
            }
            other => Err(Input::UnknownScope {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    /// 长期坚持: a measure that is done as far as closing out its problem goes,
    /// but is kept up rather than finished.
    Ongoing,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Ongoing => "ongoing",
            Status::Closed => "closed",
        }
    }

    pub fn word(self, kind: Kind, lang: Lang) -> &'static str {
        lang.t(match (self, kind) {
            (Status::Open, _) => W::Open,
            (Status::Ongoing, _) => W::Ongoing,
            (Status::Closed, Kind::Measure) => W::ClosedMeasure,
            (Status::Closed, Kind::Problem) => W::ClosedProblem,
        })
    }

    pub fn parse_stored(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "ongoing" => Some(Status::Ongoing),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }
}

/// The `--status` filter of `list` and `export`: stored states plus the two
/// states that depend on today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    Is(Status),
    Overdue,
    DueSoon,
    /// Items voided (作废) as entered by mistake: shown only when asked for.
    Void,
    /// Done measures waiting for acceptance (待验收).
    AwaitingAcceptance,
}

impl FromStr for StatusFilter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_lowercase().as_str() {
            "open" | "正在整改" | "未完成" => StatusFilter::Is(Status::Open),
            "ongoing" | "长期坚持" => StatusFilter::Is(Status::Ongoing),
            "closed" | "done" | "已完成" | "已销号" | "完成" => {
                StatusFilter::Is(Status::Closed)
            }
            "overdue" | "逾期" => StatusFilter::Overdue,
            "due-soon" | "due_soon" | "duesoon" | "即将到期" => StatusFilter::DueSoon,
            "void" | "voided" | "作废" | "已作废" => StatusFilter::Void,
            "awaiting-acceptance" | "unaccepted" | "待验收" => StatusFilter::AwaitingAcceptance,
            other => {
                return Err(Input::UnknownStatus {
                    value: other.to_string(),
                }
                .into())
            }
        })
    }
}

macro_rules! text_enum_sql {
    ($ty:ty, $parse:expr) => {
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }
        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                $parse(text)
                    .ok_or_else(|| FromSqlError::Other(format!("bad value {text:?}").into()))
            }
        }
    };
}

text_enum_sql!(Scope, |t: &str| t.parse::<Scope>().ok());
text_enum_sql!(Status, Status::parse_stored);

/// One problem or measure, with the problem's fields a measure inherits for
/// filtering and export (campaign, scope, source, subject, cause).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub id: ItemId,
    pub kind: Kind,
    pub uuid: String,
    /// For a measure, its problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<ItemId>,
    pub campaign: Option<String>,
    pub title: String,
    pub scope: Option<Scope>,
    pub source: String,
    pub subject: String,
    pub cause: String,
    pub leader: String,
    pub department: String,
    pub owner: String,
    pub raised_on: NaiveDate,
    pub due_original: Option<NaiveDate>,
    pub due_current: Option<NaiveDate>,
    pub status: Status,
    pub closed_on: Option<NaiveDate>,
    pub close_note: String,
    pub evidence: String,
    pub progress: String,
    pub recorded_at: String,
    /// A sheet's columns rectify has no field for, as stored (a JSON
    /// object, or ''); in JSON, an `extra` object, left out when empty.
    #[serde(
        skip_serializing_if = "String::is_empty",
        serialize_with = "extra_object"
    )]
    pub extra: String,
    /// The day it was voided (作废), for an item entered by mistake.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voided_on: Option<NaiveDate>,
    /// The acceptance (验收) of a done measure, where its campaign asks for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub accepted_by: String,
    /// Whether its campaign asks for acceptance before 销号.
    #[serde(skip)]
    pub acceptance: bool,
    /// A problem that has measures, which it is late or due through.
    #[serde(skip)]
    pub has_measures: bool,
}

fn extra_object<S: serde::Serializer>(extra: &str, s: S) -> Result<S::Ok, S::Error> {
    let fields: std::collections::BTreeMap<String, String> =
        serde_json::from_str(extra).unwrap_or_default();
    serde::Serialize::serialize(&fields, s)
}

impl Item {
    /// The extra fields by header.
    pub fn extra_fields(&self) -> std::collections::BTreeMap<String, String> {
        if self.extra.is_empty() {
            return Default::default();
        }
        serde_json::from_str(&self.extra).unwrap_or_default()
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.voided_on.is_none()
            && super::rules::judged_itself(self.kind, self.has_measures)
            && super::rules::is_overdue(self.status, self.due_current, today)
    }

    pub fn is_due_soon(&self, today: NaiveDate, within: u32) -> bool {
        let horizon = super::rules::due_soon_horizon(today, within);
        self.voided_on.is_none()
            && super::rules::judged_itself(self.kind, self.has_measures)
            && super::rules::is_due_soon(self.status, self.due_current, today, horizon)
    }

    /// For a closed measure, whether it was done by its original deadline.
    pub fn closed_on_time(&self) -> Option<bool> {
        let on = self.closed_on.filter(|_| self.kind == Kind::Measure)?;
        Some(super::rules::is_on_time(on, self.due_original))
    }

    /// A measure that keeps its problem from being closed out (销号).
    pub fn blocks_close_out(&self) -> bool {
        self.kind == Kind::Measure
            && self.voided_on.is_none()
            && super::rules::blocks_close_out(
                self.status,
                self.acceptance,
                self.accepted_on.is_some(),
            )
    }

    /// Done and waiting for acceptance (待验收).
    pub fn awaits_acceptance(&self) -> bool {
        self.kind == Kind::Measure
            && self.voided_on.is_none()
            && super::rules::awaits_acceptance(
                self.status,
                self.acceptance,
                self.accepted_on.is_some(),
            )
    }

    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        match self.due_current {
            Some(d) if self.is_overdue(today) => (today - d).num_days(),
            _ => 0,
        }
    }

    /// The status word as the user sees it: overdue and due-soon are
    /// derived from today, not stored.
    pub fn status_word(&self, today: NaiveDate, lang: Lang) -> &'static str {
        if self.voided_on.is_some() {
            lang.t(W::Voided)
        } else if self.awaits_acceptance() {
            lang.t(W::AwaitingAcceptance)
        } else if self.accepted_on.is_some() && self.status == Status::Closed {
            lang.t(W::Accepted)
        } else if self.is_overdue(today) {
            lang.t(W::Overdue)
        } else if self.is_due_soon(today, super::rules::DUE_SOON_DAYS) {
            lang.t(W::DueSoon)
        } else {
            self.status.word(self.kind, lang)
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Campaign {
    pub code: String,
    pub name: String,
    pub source: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: u32,
    pub recorded_at: String,
    /// Done measures must be accepted (验收) before 销号.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub acceptance: bool,
}

impl Campaign {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// The last day of a campaign of `days` days from `start`, or None
    /// past the calendar's end.
    pub fn end_for(start: NaiveDate, days: u32) -> Option<NaiveDate> {
        crate::dates::add_days(start, u64::from(days.max(1)) - 1)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub seq: i64,
    pub recorded_at: String,
    pub actor: String,
    pub item: String,
    pub action: String,
    pub effective_on: NaiveDate,
    pub payload: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_words_offices_use() {
        for (word, scope) in [
            ("班子", Scope::Group),
            ("集体", Scope::Group),
            ("领导班子", Scope::Group),
            ("个人", Scope::Individual),
            ("班子成员", Scope::Individual),
            ("党员", Scope::Individual),
        ] {
            assert_eq!(word.parse::<Scope>().unwrap(), scope, "{word}");
        }
        assert!("部门".parse::<Scope>().is_err());
    }

    #[test]
    fn ids_parse_case_insensitively() {
        for s in ["m12", "M12", "M-12", " m-12 "] {
            assert_eq!(
                s.parse::<ItemRef>().unwrap(),
                ItemRef::Id(ItemId::measure(12))
            );
        }
        assert_eq!(ItemId::measure(12).to_string(), "M12");
        assert_eq!(
            "p3".parse::<ItemRef>().unwrap(),
            ItemRef::Id(ItemId::problem(3))
        );
        for s in [
            "", "X1", "M", "M-", "M0", "M1.5", "M+1", "M--1", "12", "M１",
        ] {
            assert!(s.parse::<ItemRef>().is_err(), "{s}");
        }
    }

    #[test]
    fn uuids_are_normalised() {
        let u = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
        assert_eq!(
            u.parse::<ItemRef>().unwrap(),
            ItemRef::Uuid(u.to_lowercase())
        );
    }

    #[test]
    fn scope_accepts_both_languages() {
        assert_eq!("班子".parse::<Scope>().unwrap(), Scope::Group);
        assert_eq!("Individual".parse::<Scope>().unwrap(), Scope::Individual);
        assert!("team".parse::<Scope>().is_err());
    }
}

#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn item_refs_never_panic(s in "\\PC{0,40}") {
            let _ = s.parse::<ItemRef>();
        }

        #[test]
        fn ids_round_trip(n in 1i64..1_000_000_000, measure: bool, dash: bool) {
            let kind = if measure { Kind::Measure } else { Kind::Problem };
            let id = ItemId { kind, n };
            let typed = if dash { format!("{}-{n}", kind.letter().to_ascii_lowercase()) } else { id.to_string() };
            prop_assert_eq!(typed.parse::<ItemRef>().unwrap(), ItemRef::Id(id));
        }
    }
}
