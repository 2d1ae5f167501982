//! The rules that decide how an item stands, each written once: its Rust
//! predicate and its SQL fragment side by side, and a table-driven test
//! that holds the two to the same answers.
//!
//! The SQL fragments take the expressions to test as arguments, so the same
//! rule serves the listing queries (on the columns), the reports (on the
//! as-of state) and the parameters (`?`, `:d`).

use chrono::NaiveDate;

use super::model::{Kind, Status};

/// Days ahead that count as "due soon", in `check`, `list` and reports.
pub const DUE_SOON_DAYS: u32 = 7;

/// A problem with measures is late or due through them, never itself:
/// only measures, and problems without any, are judged on their own
/// deadline (overdue, due soon).
pub fn judged_itself(kind: Kind, has_measures: bool) -> bool {
    kind == Kind::Measure || !has_measures
}

/// `judged_itself` for the problem whose id is `problem_id`.
pub fn judged_itself_sql(problem_id: &str) -> String {
    format!("NOT {}", has_measures_sql(problem_id))
}

/// Whether the problem whose id is `problem_id` has measures that count
/// (voided ones do not).
pub fn has_measures_sql(problem_id: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM measure x WHERE x.problem_id = {problem_id} AND {})",
        live_sql("x.voided_on")
    )
}

/// An item counts (in lists, checks, reports and exports) unless it was
/// voided (作废) as entered by mistake; `voided_on` is its column.
pub fn live_sql(voided_on: &str) -> String {
    format!("{voided_on} IS NULL")
}

/// Overdue: still open, and the deadline in force lies before `day`.
pub fn is_overdue(status: Status, due: Option<NaiveDate>, day: NaiveDate) -> bool {
    status == Status::Open && due.is_some_and(|d| d < day)
}

pub fn overdue_sql(status: &str, due: &str, day: &str) -> String {
    format!("({status} = 'open' AND {due} < {day})")
}

/// Due soon: still open, and due on `day` or by `horizon` (`day` plus the
/// days ahead that count).
pub fn is_due_soon(
    status: Status,
    due: Option<NaiveDate>,
    day: NaiveDate,
    horizon: NaiveDate,
) -> bool {
    status == Status::Open && due.is_some_and(|d| day <= d && d <= horizon)
}

pub fn due_soon_sql(status: &str, due: &str, day: &str, horizon: &str) -> String {
    format!("({status} = 'open' AND {due} >= {day} AND {due} <= {horizon})")
}

/// `day` plus `within` days: the last day that is still due soon.
pub fn due_soon_horizon(day: NaiveDate, within: u32) -> NaiveDate {
    crate::dates::add_days(day, within.into()).unwrap_or(NaiveDate::MAX)
}

/// On time: done on or before the *original* deadline; an extension does
/// not make a late closure on time. Without a deadline, anything is.
pub fn is_on_time(closed_on: NaiveDate, due_original: Option<NaiveDate>) -> bool {
    due_original.is_none_or(|due| closed_on <= due)
}

/// A measure still open blocks its problem's close-out; an ongoing one
/// (长期坚持) does not. Where the campaign asks for acceptance (验收), a
/// done measure blocks it too until it is accepted.
pub fn blocks_close_out(status: Status, acceptance: bool, accepted: bool) -> bool {
    status == Status::Open || awaits_acceptance(status, acceptance, accepted)
}

pub fn blocks_close_out_sql(status: &str, acceptance: &str, accepted_on: &str) -> String {
    format!(
        "({status} = 'open' OR {})",
        awaits_acceptance_sql(status, acceptance, accepted_on)
    )
}

/// Whether the campaign whose key is `campaign_id` asks for acceptance:
/// 1 or 0. An IN over the few campaigns that do is built once a query and
/// probed per row, where a lookup per row cost a listing a quarter more.
pub fn asks_acceptance_sql(campaign_id: &str) -> String {
    format!("COALESCE({campaign_id} IN (SELECT a.id FROM campaign a WHERE a.acceptance = 1), 0)")
}

/// Done, in a campaign that asks for acceptance, and not yet accepted
/// (待验收).
pub fn awaits_acceptance(status: Status, acceptance: bool, accepted: bool) -> bool {
    status == Status::Closed && acceptance && !accepted
}

pub fn awaits_acceptance_sql(status: &str, acceptance: &str, accepted_on: &str) -> String {
    format!("({status} = 'closed' AND {acceptance} = 1 AND {accepted_on} IS NULL)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 6, d).unwrap()
    }

    fn sql_says(conn: &Connection, fragment: &str, values: &[Option<String>]) -> bool {
        let sql = format!("SELECT {fragment}");
        let answer: Option<bool> = conn
            .query_row(&sql, rusqlite::params_from_iter(values), |r| r.get(0))
            .unwrap();
        // NULL (no deadline) is false, as in a WHERE clause.
        answer.unwrap_or(false)
    }

    #[test]
    fn a_problem_is_judged_itself_only_without_measures() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE measure (problem_id INTEGER, voided_on TEXT);
             INSERT INTO measure VALUES (1, NULL), (3, '2023-06-01');",
        )
        .unwrap();
        // P3's only measure was voided: it has none that count.
        for (problem, has_measures) in [(1, true), (2, false), (3, false)] {
            let sql = format!("SELECT {}", judged_itself_sql(&problem.to_string()));
            let by_sql: bool = conn.query_row(&sql, [], |r| r.get(0)).unwrap();
            assert_eq!(
                by_sql,
                judged_itself(Kind::Problem, has_measures),
                "P{problem}"
            );
        }
        assert!(judged_itself(Kind::Measure, false));
    }

    #[test]
    fn sql_and_rust_agree_case_by_case() {
        let conn = Connection::open_in_memory().unwrap();
        let statuses = [Status::Open, Status::Ongoing, Status::Closed];
        let dues = [
            None,
            Some(day(5)),
            Some(day(10)),
            Some(day(17)),
            Some(day(18)),
        ];
        let text = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        for status in statuses {
            for due in dues {
                let today = day(10);
                let horizon = due_soon_horizon(today, DUE_SOON_DAYS);
                let s = Some(status.as_str().to_string());
                assert_eq!(
                    is_overdue(status, due, today),
                    sql_says(
                        &conn,
                        &overdue_sql("?1", "?2", "?3"),
                        &[s.clone(), text(due), text(Some(today))]
                    ),
                    "overdue {status:?} {due:?}"
                );
                assert_eq!(
                    is_due_soon(status, due, today, horizon),
                    sql_says(
                        &conn,
                        &due_soon_sql("?1", "?2", "?3", "?4"),
                        &[s, text(due), text(Some(today)), text(Some(horizon))]
                    ),
                    "due soon {status:?} {due:?}"
                );
            }
        }
        for status in statuses {
            for acceptance in [false, true] {
                for accepted in [false, true] {
                    let values = [
                        Some(status.as_str().to_string()),
                        Some(u8::from(acceptance).to_string()),
                        accepted.then(|| day(9).to_string()),
                    ];
                    let case = format!("{status:?} acceptance {acceptance} accepted {accepted}");
                    assert_eq!(
                        blocks_close_out(status, acceptance, accepted),
                        sql_says(
                            &conn,
                            &blocks_close_out_sql("?1", "CAST(?2 AS INTEGER)", "?3"),
                            &values
                        ),
                        "blocks close-out {case}"
                    );
                    assert_eq!(
                        awaits_acceptance(status, acceptance, accepted),
                        sql_says(
                            &conn,
                            &awaits_acceptance_sql("?1", "CAST(?2 AS INTEGER)", "?3"),
                            &values
                        ),
                        "awaits acceptance {case}"
                    );
                }
            }
        }
        // On time is judged on the original deadline only (the reports
        // apply it in Rust, so it has no SQL twin).
        for (done, original, on_time) in [
            (day(5), Some(day(10)), true),
            (day(10), Some(day(10)), true),
            (day(11), Some(day(10)), false),
            (day(11), None, true),
        ] {
            assert_eq!(is_on_time(done, original), on_time, "{done} {original:?}");
        }
    }
}
