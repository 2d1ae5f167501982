//! Calendar dates as users type them and spreadsheets rewrite them.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Input, Result};

/// The ledger refuses dates outside this window: anything earlier or later is
/// a typo (an extra digit, a two-digit year) rather than a real deadline.
pub const EARLIEST: (i32, u32, u32) = (1990, 1, 1);
pub const LATEST: (i32, u32, u32) = (2100, 12, 31);

/// Parse a date as clerks and spreadsheets write it: `YYYY-MM-DD`,
/// `YYYY-M-D`, `YYYY/M/D` (what Excel writes back), `YYYY.M.D`,
/// `YYYY年M月D日`, and any of these followed by a zero time (`2023/6/30
/// 0:00`, `2023-06-30 00:00:00`), which is how a date cell reads as text.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let raw = text.trim();
    parse_parts(raw).ok_or_else(|| {
        Error::from(Input::BadDate {
            value: raw.to_string(),
        })
    })
}

fn parse_parts(raw: &str) -> Option<NaiveDate> {
    match canonical(raw) {
        Some(read) => read,
        None => spelled(raw),
    }
}

/// `YYYY-MM-DD`, the form rectify writes and most sheets carry, read
/// without the general path's splitting (an import reads four dates a
/// row): `None` when `raw` has another shape, else what `spelled` makes
/// of it (a test holds the two together).
fn canonical(raw: &str) -> Option<Option<NaiveDate>> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = raw.as_bytes() else {
        return None;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |ds: &[u8]| ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    let year = n(&digits[..4]) as i32;
    Some(NaiveDate::from_ymd_opt(year, n(&digits[4..6]), n(&digits[6..])).filter(|d| in_range(*d)))
}

fn spelled(raw: &str) -> Option<NaiveDate> {
    let raw = match raw.split_once(char::is_whitespace) {
        Some((day, time)) if is_midnight(time.trim()) => day,
        Some(_) => return None,
        None => raw,
    };
    let chinese;
    let raw = if raw.contains('年') {
        let rest = raw.strip_suffix('日')?;
        chinese = rest.replacen('年', "-", 1).replacen('月', "-", 1);
        chinese.as_str()
    } else {
        raw
    };
    let sep = ['/', '.', '-']
        .into_iter()
        .find(|c| raw.contains(*c))
        .unwrap_or('-');
    let mut parts = raw.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    in_range(date).then_some(date)
}

/// A day and month with no year (`6月30日`, `6/30`, `6-30`): which year a
/// clerk meant is not the tool's to guess.
pub fn lacks_year(text: &str) -> bool {
    let t = text.trim();
    if t.contains('月') && !t.contains('年') {
        return true;
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    parts.len() == 2
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `0:00`, `00:00`, `00:00:00`: the time a date cell shows as text.
fn is_midnight(time: &str) -> bool {
    let parts: Vec<&str> = time.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b == b'0'))
}

/// `YYYY-MM-DD`, as chrono's `Display` writes it for the years a ledger
/// holds, without its formatting machinery: an export writes four dates a
/// row.
pub fn ymd(date: NaiveDate) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&y) {
        return date.to_string();
    }
    let y = y as u32;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let text = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ];
    // Bytes, not chars pushed one by one: ten ASCII bytes, checked at once.
    std::str::from_utf8(&text).map_or_else(|_| date.to_string(), str::to_owned)
}

/// A date serialized as `ymd` writes it, for JSON output with many dates
/// (a report's overdue list): chrono's own goes through its formatter.
pub fn serialize_ymd<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ymd(*date))
}

pub fn in_range(date: NaiveDate) -> bool {
    (earliest()..=latest()).contains(&date)
}

/// The first date a ledger accepts.
pub fn earliest() -> NaiveDate {
    let (y, m, d) = EARLIEST;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The last date a ledger accepts: every deadline, campaign end and
/// horizon lies on or before it, so date arithmetic on stored values
/// stays far from chrono's limits.
pub fn latest() -> NaiveDate {
    let (y, m, d) = LATEST;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MAX)
}

/// `date + days`, or None past chrono's range.
pub fn add_days(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    date.checked_add_days(chrono::Days::new(days))
}

/// Parse `YYYY-MM` for monthly reports.
pub fn parse_month(text: &str) -> Result<NaiveDate> {
    let raw = text.trim();
    let first = raw
        .split_once(['-', '/'])
        .filter(|(y, m)| y.len() == 4 && (1..=2).contains(&m.len()))
        .and_then(|(y, m)| NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1))
        .filter(|d| in_range(*d));
    first.ok_or_else(|| {
        Error::from(Input::BadMonth {
            value: raw.to_string(),
        })
    })
}

/// Last day of the month that `first` starts.
pub fn month_end(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ymd_writes_what_chrono_writes() {
        let mut d = chrono::NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..40_000 {
            assert_eq!(super::ymd(d), d.to_string());
            d = d.succ_opt().unwrap();
        }
    }

    use super::*;

    #[test]
    fn accepts_the_three_spellings() {
        let want = NaiveDate::from_ymd_opt(2023, 6, 5).unwrap();
        for s in [
            "2023-06-05",
            "2023-6-5",
            "2023/6/5",
            " 2023/06/05 ",
            "2023.6.5",
            "2023年6月5日",
            "2023/6/5 0:00",
            "2023-06-05 00:00:00",
        ] {
            assert_eq!(parse_date(s).unwrap(), want, "{s}");
        }
    }

    #[test]
    fn the_canonical_form_reads_as_the_general_path_reads_it() {
        let mut read = 0;
        for y in [0, 1899, 1900, 1999, 2000, 2023, 2024, 2100, 2101, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y:04}-{m:02}-{d:02}");
                    let fast = canonical(&s).expect("the canonical shape");
                    assert_eq!(fast, spelled(&s), "{s}");
                    read += usize::from(fast.is_some());
                }
            }
        }
        assert!(read > 1500, "only {read} dates read");
        for s in ["2023-6-05", "2023/06/05", "2023-06-0x", "２０２３-01-01"] {
            assert_eq!(canonical(s), None, "{s}");
        }
    }

    #[test]
    fn a_day_without_its_year_is_told_apart() {
        for s in ["6月30日", "6/30", "6-30", " 12.1 "] {
            assert!(lacks_year(s), "{s}");
        }
        for s in ["2023年6月30日", "2023-06-30", "30", "abc", "2023/6"] {
            assert!(!lacks_year(s), "{s}");
        }
    }

    #[test]
    fn refuses_impossible_and_far_dates() {
        for s in [
            "2023-02-30",
            "2023-13-01",
            "23-6-5",
            "2023-6",
            "2023-06-05-1",
            "2023/6-5",
            "1900-01-01",
            "3023-01-01",
            "",
            "２０２３-01-01",
            "+2023-01-01",
            "6月5日",
            "2023年6月5",
            "2023/6/5 8:30",
            "2023.6-5",
        ] {
            assert!(parse_date(s).is_err(), "{s} should be refused");
        }
    }

    #[test]
    fn month_bounds() {
        let first = parse_month("2024-02").unwrap();
        assert_eq!(month_end(first).to_string(), "2024-02-29");
        assert_eq!(
            month_end(parse_month("2023-12").unwrap()).to_string(),
            "2023-12-31"
        );
        assert!(parse_month("2023-13").is_err());
    }
}

#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_date_never_panics_and_round_trips(s in "\\PC{0,16}") {
            if let Ok(d) = super::parse_date(&s) {
                prop_assert_eq!(super::parse_date(&d.to_string()).unwrap(), d);
            }
        }

        #[test]
        fn valid_dates_parse_in_every_spelling(y in 1990i32..=2100, m in 1u32..=12, d in 1u32..=28) {
            let want = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            for s in [format!("{y}-{m:02}-{d:02}"), format!("{y}/{m}/{d}"), format!("{y}-{m}-{d}")] {
                prop_assert_eq!(super::parse_date(&s).unwrap(), want);
            }
        }
    }
}
