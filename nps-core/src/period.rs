//! Calendar dates and reporting periods: the time axis of NPS trends.
//!
//! - [`Date`]: a day of the proleptic Gregorian calendar, years 1..=9999, stored as days since
//!   1970-01-01 and written "YYYY-MM-DD" (ISO 8601).
//! - [`PeriodUnit`]: day, ISO week, month, quarter or year.
//! - [`Period`]: one day, week, month, quarter or year, numbered so that consecutive periods have
//!   consecutive indices; [`period_codes`] maps a column of dates to period offsets in one pass.
//!
//! Sources: the conversions between days and year/month/day are Howard Hinnant's
//! `days_from_civil` and `civil_from_days`
//! (<http://howardhinnant.github.io/date_algorithms.html>), exact for every day in range. Weeks
//! follow ISO 8601: weeks run Monday to Sunday, and week 1 of a week-numbering year is the week
//! holding that year's first Thursday (equivalently, 4 January). The leap-year rule is the
//! Gregorian one: divisible by 4, except centuries not divisible by 400.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

// ---------------------------------------------------------------------------------------------
// Civil calendar (Hinnant)
// ---------------------------------------------------------------------------------------------

/// Days from 1970-01-01 to 0000-03-01, the origin of Hinnant's March-based eras.
const EPOCH_SHIFT: i64 = 719_468;
/// Days in a 400-year Gregorian era.
const DAYS_PER_ERA: i64 = 146_097;

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d` (`m` in 1..=12, `d` in
/// 1..=31): Hinnant's `days_from_civil`. Years are counted from March so that the leap day
/// falls at the end of the year.
const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64; // March = 0
    let doy = (153 * mp + 2) / 5 + d as i64 - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * DAYS_PER_ERA + doe - EPOCH_SHIFT
}

/// The proleptic Gregorian `(year, month, day)` of a count of days since 1970-01-01: Hinnant's
/// `civil_from_days`.
const fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + EPOCH_SHIFT;
    let era = z.div_euclid(DAYS_PER_ERA);
    let doe = z - era * DAYS_PER_ERA; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

/// Months since January of year 0 (year × 12 + month − 1) of a date, in `u32` arithmetic: the
/// first half of `civil_from_days`, for the per-row loop of [`period_codes`].
///
/// With `y` the March-based year and `mp` the month counted from March (0..=11), the civil
/// month number is `y·12 + mp + 2` (January and February fall in year `y + 1`). Valid because
/// every [`Date`] lies after 0000-03-01, so the shifted day count is non-negative.
#[inline]
fn month_number(date: Date) -> u32 {
    let z = (date.0 as i64 + EPOCH_SHIFT) as u32;
    let era = z / DAYS_PER_ERA as u32;
    let doe = z - era * DAYS_PER_ERA as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    (era * 400 + yoe) * 12 + mp + 2
}

/// Whole weeks since Monday 0001-01-01 ([`Date::MIN`] is a Monday), for [`period_codes`].
#[inline]
fn week_number(date: Date) -> u32 {
    (date.0 - Date::MIN.0) as u32 / 7
}

/// Gregorian leap year: divisible by 4, except centuries not divisible by 400.
const fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in month `m` (1..=12) of `year`.
const fn days_in_month(year: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------------
// Reasons (the `reason` of Error::InvalidDate)
// ---------------------------------------------------------------------------------------------

const EXPECTED_DATE: &str = "expected YYYY-MM-DD (e.g. 2024-03-05), optionally followed by \
                             a time (2024-03-05T10:22:00Z)";
const EXPECTED_DAY_LABEL: &str = "expected YYYY-MM-DD (e.g. 2024-03-05)";
const EMPTY: &str = "the text is empty; expected YYYY-MM-DD";
const BAD_TIME: &str =
    "the time after the date must look like HH:MM[:SS[.fff]] with an optional Z or ±HH:MM";
const YEAR_RANGE: &str = "years must lie in 1..=9999";
const DAYS_RANGE: &str =
    "days since 1970-01-01 must lie in -719162..=2932896 (0001-01-01..=9999-12-31)";
const EXPECTED_WEEK: &str = "expected YYYY-Www, an ISO week-year and week (e.g. 2024-W05)";
const EXPECTED_MONTH: &str = "expected YYYY-MM (e.g. 2024-03)";
const EXPECTED_QUARTER: &str = "expected YYYY-Qn (e.g. 2024-Q1)";
const EXPECTED_YEAR: &str = "expected YYYY (e.g. 2024)";
const WEEK_ZERO: &str = "there is no week 0; ISO weeks run 1..=52, or 1..=53 in long years";
const WEEK_ABOVE_53: &str = "there is no week above 53; ISO weeks run 1..=52, or 1..=53 in long \
                             years";
const WEEK_53: &str = "this ISO week-year has only 52 weeks; week 53 exists only in years whose \
                       1 January is a Thursday (or a Wednesday, in leap years)";
const QUARTER_RANGE: &str = "there is no such quarter; quarters run Q1..=Q4";

/// Why month `m` does not exist, or `None` if it does.
const fn month_problem(m: u32) -> Option<&'static str> {
    match m {
        0 => Some("there is no month 0; months run 1..=12"),
        13.. => Some("there is no month above 12; months run 1..=12"),
        _ => None,
    }
}

/// Why day `d` does not exist in month `m` (valid) of `year`, or `None` if it does.
const fn day_problem(year: i64, m: u32, d: u32) -> Option<&'static str> {
    if d == 0 {
        return Some("there is no day 0; days of the month start at 1");
    }
    if d <= days_in_month(year, m) {
        return None;
    }
    Some(match m {
        2 if is_leap(year) => "February has 29 days, even in a leap year",
        2 => {
            "February has 28 days in a common year (leap years are divisible by 4, \
             except centuries not divisible by 400)"
        }
        4 => "April has 30 days",
        6 => "June has 30 days",
        9 => "September has 30 days",
        11 => "November has 30 days",
        _ => "no month has more than 31 days",
    })
}

/// The date `year-month-day`, or the reason it does not exist.
fn checked_ymd(year: i32, month: u32, day: u32) -> std::result::Result<Date, &'static str> {
    if !(1..=9999).contains(&year) {
        return Err(YEAR_RANGE);
    }
    if let Some(reason) = month_problem(month) {
        return Err(reason);
    }
    if let Some(reason) = day_problem(year as i64, month, day) {
        return Err(reason);
    }
    Ok(Date(days_from_civil(year as i64, month, day) as i32))
}

// ---------------------------------------------------------------------------------------------
// Byte-level parsing helpers
// ---------------------------------------------------------------------------------------------

/// The value of a non-empty run of ASCII digits (at most 9, so it fits), or `None`.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, &c| acc * 10 + u32::from(c - b'0')))
}

/// Two leading digits no larger than `max`, returning the rest.
fn take2(s: &[u8], max: u32) -> Option<&[u8]> {
    let v = digits(s.get(..2)?)?;
    (v <= max).then(|| &s[2..])
}

/// Whether `t` is an ISO 8601 time of day: `HH:MM[:SS[.fff]]` then nothing, `Z`, or an offset
/// `±HH`, `±HHMM` or `±HH:MM`. Hours 00..=23, minutes 00..=59, seconds 00..=60 (leap second).
fn is_time(t: &[u8]) -> bool {
    fn time(t: &[u8]) -> Option<()> {
        let mut s = take2(t, 23)?;
        s = take2(s.strip_prefix(b":")?, 59)?;
        if let Some(r) = s.strip_prefix(b":") {
            s = take2(r, 60)?;
            if let Some(r) = s.strip_prefix(b".").or_else(|| s.strip_prefix(b",")) {
                let n = r.iter().take_while(|c| c.is_ascii_digit()).count();
                if n == 0 {
                    return None;
                }
                s = &r[n..];
            }
        }
        match s {
            [] | [b'Z' | b'z'] => Some(()),
            [b'+' | b'-', offset @ ..] => {
                let r = take2(offset, 23)?;
                let r = match r {
                    [] => r,
                    [b':', m @ ..] => take2(m, 59)?,
                    m => take2(m, 59)?,
                };
                r.is_empty().then_some(())
            }
            _ => None,
        }
    }
    time(t).is_some()
}

/// Exactly "YYYY-MM-DD", validated.
fn parse_ymd(b: &[u8]) -> std::result::Result<Date, &'static str> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(EXPECTED_DATE);
    }
    match (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..])) {
        (Some(y), Some(m), Some(d)) => checked_ymd(y as i32, m, d),
        _ => Err(EXPECTED_DATE),
    }
}

/// "YYYY-MM-DD", or an ISO 8601 timestamp whose date part is taken.
fn parse_text(text: &str) -> std::result::Result<Date, &'static str> {
    let b = text.as_bytes();
    if b.is_empty() {
        return Err(EMPTY);
    }
    if b.len() < 10 {
        return Err(EXPECTED_DATE);
    }
    let date = parse_ymd(&b[..10])?;
    match b.get(10) {
        None => Ok(date),
        Some(b'T' | b't' | b' ') if is_time(&b[11..]) => Ok(date),
        Some(b'T' | b't' | b' ') => Err(BAD_TIME),
        Some(_) => Err(EXPECTED_DATE),
    }
}

/// The error for `value` with `reason`, at `index` when it came from a column.
fn invalid(index: Option<usize>, value: &str, reason: &'static str) -> Error {
    Error::InvalidDate {
        index,
        value: value.to_owned(),
        reason,
    }
}

// ---------------------------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------------------------

/// A day of the proleptic Gregorian calendar (the Gregorian rules extended to all years), from
/// 0001-01-01 to 9999-12-31, stored as days since 1970-01-01.
///
/// Dates order by time, and serialize as their ISO 8601 text "YYYY-MM-DD" (checked on the way
/// in). Every `Date` is in range, so its text always has four-digit years and parses back.
///
/// # Examples
/// ```
/// use nps_core::{Date, Period, PeriodUnit};
/// let d = Date::from_ymd(2024, 3, 5)?;
/// assert_eq!(d.to_string(), "2024-03-05");
/// assert_eq!(d.weekday(), 2); // a Tuesday
/// assert_eq!(Date::parse("2024-03-05T10:22:00Z")?, d);
/// assert!(Date::parse("2023-02-29").is_err());
/// assert_eq!(Period::of(PeriodUnit::Quarter, d).label(), "2024-Q1");
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(i32);

impl Date {
    /// 0001-01-01, the first date (a Monday): day −719162.
    pub const MIN: Date = Date(days_from_civil(1, 1, 1) as i32);
    /// 9999-12-31, the last date: day 2932896.
    pub const MAX: Date = Date(days_from_civil(9999, 12, 31) as i32);

    /// The date `year-month-day`.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] (index `None`) unless the year lies in 1..=9999, the month in
    /// 1..=12 and the day in 1..=the month's length (February has 29 days in leap years, which
    /// are divisible by 4 except centuries not divisible by 400).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert!(Date::from_ymd(2000, 2, 29).is_ok()); // 2000 is divisible by 400
    /// assert!(Date::from_ymd(1900, 2, 29).is_err()); // 1900 is a century, not by 400
    /// assert!(Date::from_ymd(2024, 13, 1).is_err());
    /// assert!(Date::from_ymd(0, 1, 1).is_err());
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date> {
        checked_ymd(year, month, day)
            .map_err(|reason| invalid(None, &format!("{year:04}-{month:02}-{day:02}"), reason))
    }

    /// The date `days` days after 1970-01-01 (before it if negative).
    ///
    /// # Panics
    /// If `days` lies outside `Date::MIN.days()..=Date::MAX.days()` (−719162..=2932896, years
    /// 1..=9999); [`Date::try_from_days`] returns an error instead.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    /// assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
    /// ```
    pub const fn from_days(days: i32) -> Date {
        assert!(
            Date::MIN.0 <= days && days <= Date::MAX.0,
            "Date::from_days: days must lie in -719162..=2932896 (years 1..=9999)"
        );
        Date(days)
    }

    /// The date `days` days after 1970-01-01, checked.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] (index `None`) if the date would fall outside years 1..=9999.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::try_from_days(19_787)?.to_string(), "2024-03-05");
    /// assert!(Date::try_from_days(i32::MAX).is_err());
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn try_from_days(days: i32) -> Result<Date> {
        if (Date::MIN.0..=Date::MAX.0).contains(&days) {
            Ok(Date(days))
        } else {
            Err(invalid(None, &days.to_string(), DAYS_RANGE))
        }
    }

    /// Days since 1970-01-01 (negative before it).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::from_ymd(1970, 1, 2)?.days(), 1);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub const fn days(self) -> i32 {
        self.0
    }

    /// `(year, month, day)`, with month 1..=12 and day 1..=31 (Hinnant's `civil_from_days`).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::from_days(19_787).ymd(), (2024, 3, 5));
    /// ```
    pub const fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(self.0 as i64);
        (y as i32, m, d)
    }

    /// Day of the week, ISO 8601 numbering: 1 = Monday … 7 = Sunday.
    ///
    /// 1970-01-01 was a Thursday (4), so the weekday is `(days + 3) mod 7 + 1`.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::from_days(0).weekday(), 4); // Thursday
    /// ```
    pub const fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32 + 1
    }

    /// ISO 8601 week date: `(week-numbering year, week 1..=53)`.
    ///
    /// A week belongs to the year that holds its Thursday, so the first days of January may lie
    /// in the last week of the year before, and the last days of December in week 1 of the next.
    /// The week number is `(ordinal day of that Thursday − 1) / 7 + 1`.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::from_ymd(2005, 1, 1)?.iso_week(), (2004, 53));
    /// assert_eq!(Date::from_ymd(2008, 12, 29)?.iso_week(), (2009, 1));
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub const fn iso_week(self) -> (i32, u32) {
        let thursday = self.0 as i64 + 4 - self.weekday() as i64;
        let (year, _, _) = civil_from_days(thursday);
        let ordinal0 = thursday - days_from_civil(year, 1, 1);
        (year as i32, (ordinal0 / 7 + 1) as u32)
    }

    /// Parses "YYYY-MM-DD", or an ISO 8601 timestamp that starts with one
    /// ("2024-03-05T10:22:00Z", "2024-03-05 10:22:00.5+08:00"), whose date part is taken as
    /// written (the offset is not applied).
    ///
    /// The date needs four-digit years and two-digit months and days; the time, after `T` or a
    /// space, is `HH:MM[:SS[.fff]]` with an optional `Z`, `±HH`, `±HHMM` or `±HH:MM`. Leading or
    /// trailing spaces are not trimmed.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] (index `None`) with the reason: wrong shape, a year outside
    /// 1..=9999, a month outside 1..=12, a day the month does not have, or a malformed time.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// assert_eq!(Date::parse("2024-03-05 10:22:00")?.ymd(), (2024, 3, 5));
    /// assert!(Date::parse("2024-1-5").is_err());
    /// assert!(Date::parse("2024-13-01").is_err());
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Date> {
        parse_text(text).map_err(|reason| invalid(None, text, reason))
    }

    /// Parses a column of texts as [`Date::parse`] does.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] for the first text that does not parse, with its index.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Error, Period, PeriodUnit};
    /// let dates = Date::parse_all(&["2024-03-05", "2024-03-06T08:00:00Z"])?;
    /// assert_eq!(dates[1].days() - dates[0].days(), 1);
    /// let err = Date::parse_all(&["2024-03-05", "2024-02-30"]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidDate { index: Some(1), .. }));
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn parse_all<S: AsRef<str>>(texts: &[S]) -> Result<Vec<Date>> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let text = text.as_ref();
                parse_text(text).map_err(|reason| invalid(Some(i), text, reason))
            })
            .collect()
    }

    /// A column of day counts since 1970-01-01 (what numpy's `datetime64[D]` and C callers
    /// hold), checked.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] for the first count outside years 1..=9999, with its index.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Error};
    /// assert_eq!(Date::from_days_all(&[0, 19_787])?[1].to_string(), "2024-03-05");
    /// let err = Date::from_days_all(&[0, i32::MIN]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidDate { index: Some(1), .. }));
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn from_days_all(days: &[i32]) -> Result<Vec<Date>> {
        // One vectorizable range check, then a plain copy; positions only on failure.
        let in_range = |d: i32| (Date::MIN.0..=Date::MAX.0).contains(&d);
        if !days.iter().fold(true, |ok, &d| ok & in_range(d)) {
            let i = days
                .iter()
                .position(|&d| !in_range(d))
                .expect("one is out of range");
            return Err(invalid(Some(i), &days[i].to_string(), DAYS_RANGE));
        }
        Ok(days.iter().map(|&d| Date(d)).collect())
    }
}

impl FromStr for Date {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Date::parse(s)
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> Self {
        d.to_string()
    }
}

impl fmt::Display for Date {
    /// "YYYY-MM-DD".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

// ---------------------------------------------------------------------------------------------
// PeriodUnit
// ---------------------------------------------------------------------------------------------

/// The length of a reporting period.
///
/// # Examples
/// ```
/// use nps_core::{Date, Period, PeriodUnit};
/// assert_eq!("Quarter".parse::<PeriodUnit>()?, PeriodUnit::Quarter);
/// assert_eq!("W".parse::<PeriodUnit>()?, PeriodUnit::Week);
/// assert_eq!(PeriodUnit::Month.to_string(), "month");
/// assert!("fortnight".parse::<PeriodUnit>().is_err());
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodUnit {
    /// One calendar day.
    Day,
    /// An ISO 8601 week, Monday to Sunday, numbered within its ISO week-year.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter: January–March, April–June, July–September, October–December.
    Quarter,
    /// A calendar year.
    Year,
}

impl PeriodUnit {
    /// Every unit, shortest first.
    pub const ALL: [PeriodUnit; 5] = [
        PeriodUnit::Day,
        PeriodUnit::Week,
        PeriodUnit::Month,
        PeriodUnit::Quarter,
        PeriodUnit::Year,
    ];

    /// The accepted names, for messages.
    pub const NAMES: &'static str = "day, week, month, quarter or year";

    /// The lowercase name: "day", "week", "month", "quarter" or "year".
    pub const fn name(self) -> &'static str {
        match self {
            PeriodUnit::Day => "day",
            PeriodUnit::Week => "week",
            PeriodUnit::Month => "month",
            PeriodUnit::Quarter => "quarter",
            PeriodUnit::Year => "year",
        }
    }

    /// The unit called `name`, ignoring case: "day", "week", "month", "quarter", "year", or
    /// the pandas-style aliases "D", "W", "M", "Q", "Y".
    ///
    /// # Errors
    /// [`Error::UnknownMethod`] with kind "period unit".
    pub fn from_name(name: &str) -> Result<PeriodUnit> {
        let unit = match name.to_ascii_lowercase().as_str() {
            "day" | "d" => PeriodUnit::Day,
            "week" | "w" => PeriodUnit::Week,
            "month" | "m" => PeriodUnit::Month,
            "quarter" | "q" => PeriodUnit::Quarter,
            "year" | "y" => PeriodUnit::Year,
            _ => {
                return Err(Error::UnknownMethod {
                    kind: "period unit",
                    name: name.to_owned(),
                    expected: PeriodUnit::NAMES,
                });
            }
        };
        Ok(unit)
    }
}

impl FromStr for PeriodUnit {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        PeriodUnit::from_name(s)
    }
}

impl fmt::Display for PeriodUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------------------------
// Period
// ---------------------------------------------------------------------------------------------

/// One day, ISO week, month, quarter or year, identified by its unit and an index such that
/// consecutive periods have consecutive indices:
///
/// | unit | index | label |
/// |---|---|---|
/// | day | days since 1970-01-01 | 2024-03-05 |
/// | week | ISO weeks since the week of 1970-01-01 (Monday 1969-12-29) = ⌊(days + 3) / 7⌋ | 2024-W05 |
/// | month | year × 12 + month − 1 | 2024-03 |
/// | quarter | year × 4 + quarter − 1 | 2024-Q1 |
/// | year | year | 2024 |
///
/// Periods are those that overlap 0001-01-01..=9999-12-31; the one period that runs past the
/// end, the ISO week 9999-W52 (Monday 9999-12-27 to Sunday 10000-01-02), ends at
/// [`Date::MAX`]. Periods order by unit, then by time, and serialize as
/// `{"unit": "month", "index": 24290}` (the index checked on the way in).
///
/// # Examples
/// ```
/// use nps_core::{Date, Period, PeriodUnit};
/// let d = Date::from_ymd(2024, 3, 5)?;
/// let month = Period::of(PeriodUnit::Month, d);
/// assert_eq!(month.index(), 2024 * 12 + 2);
/// assert_eq!(month.label(), "2024-03");
/// assert_eq!(month.end().to_string(), "2024-03-31");
/// assert_eq!(month.next().label(), "2024-04");
/// assert_eq!(Period::parse(PeriodUnit::Week, "2024-W10")?, Period::of(PeriodUnit::Week, d));
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "PeriodFields", into = "PeriodFields")]
pub struct Period {
    unit: PeriodUnit,
    index: i64,
}

/// The serialized form of a [`Period`], validated on the way in.
#[derive(Serialize, Deserialize)]
struct PeriodFields {
    unit: PeriodUnit,
    index: i64,
}

impl TryFrom<PeriodFields> for Period {
    type Error = Error;
    fn try_from(f: PeriodFields) -> Result<Self> {
        let (first, last) = index_bounds(f.unit);
        if (first..=last).contains(&f.index) {
            Ok(Period {
                unit: f.unit,
                index: f.index,
            })
        } else {
            Err(Error::InvalidArgument {
                field: "period index",
                value: f.index.to_string(),
                expected: "the period must overlap the years 1..=9999",
            })
        }
    }
}

impl From<Period> for PeriodFields {
    fn from(p: Period) -> Self {
        PeriodFields {
            unit: p.unit,
            index: p.index,
        }
    }
}

/// The index of the period of `unit` holding `date`.
fn period_index(unit: PeriodUnit, date: Date) -> i64 {
    match unit {
        PeriodUnit::Day => date.0 as i64,
        PeriodUnit::Week => (date.0 as i64 + 3).div_euclid(7),
        PeriodUnit::Month => month_number(date) as i64,
        PeriodUnit::Quarter => (month_number(date) / 3) as i64,
        PeriodUnit::Year => (month_number(date) / 12) as i64,
    }
}

/// Days since 1970-01-01 of the first day of period `index` of `unit` (may lie just past
/// [`Date::MAX`] for the index after the last).
fn first_day(unit: PeriodUnit, index: i64) -> i64 {
    match unit {
        PeriodUnit::Day => index,
        PeriodUnit::Week => index * 7 - 3,
        PeriodUnit::Month => {
            days_from_civil(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        }
        PeriodUnit::Quarter => first_day(PeriodUnit::Month, index * 3),
        PeriodUnit::Year => first_day(PeriodUnit::Month, index * 12),
    }
}

/// The first and last index of `unit`: the periods of [`Date::MIN`] and [`Date::MAX`].
fn index_bounds(unit: PeriodUnit) -> (i64, i64) {
    (period_index(unit, Date::MIN), period_index(unit, Date::MAX))
}

impl Period {
    /// The period of `unit` that holds `date`.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let d = Date::from_ymd(2010, 1, 3)?; // a Sunday
    /// assert_eq!(Period::of(PeriodUnit::Week, d).label(), "2009-W53");
    /// assert_eq!(Period::of(PeriodUnit::Year, d).index(), 2010);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn of(unit: PeriodUnit, date: Date) -> Period {
        Period {
            unit,
            index: period_index(unit, date),
        }
    }

    /// The unit.
    pub fn unit(self) -> PeriodUnit {
        self.unit
    }

    /// The index: consecutive periods have consecutive indices (see [`Period`]).
    pub fn index(self) -> i64 {
        self.index
    }

    /// The first day (a Monday for weeks).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let q = Period::parse(PeriodUnit::Quarter, "2024-Q2")?;
    /// assert_eq!(q.start(), Date::from_ymd(2024, 4, 1)?);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn start(self) -> Date {
        Date(first_day(self.unit, self.index) as i32)
    }

    /// The last day, inclusive (a Sunday for weeks; [`Date::MAX`] for the week 9999-W52, which
    /// would end in year 10000).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let feb = Period::parse(PeriodUnit::Month, "2024-02")?;
    /// assert_eq!(feb.end(), Date::from_ymd(2024, 2, 29)?);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn end(self) -> Date {
        let last = first_day(self.unit, self.index + 1) - 1;
        Date(last.min(Date::MAX.0 as i64) as i32)
    }

    /// Whether `date` falls in this period (`start() <= date <= end()`).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let y = Period::parse(PeriodUnit::Year, "2024")?;
    /// assert!(y.contains(Date::from_ymd(2024, 12, 31)?));
    /// assert!(!y.contains(Date::from_ymd(2025, 1, 1)?));
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn contains(self, date: Date) -> bool {
        period_index(self.unit, date) == self.index
    }

    /// The period after this one.
    ///
    /// # Panics
    /// For the last period of its unit (the one holding 9999-12-31); see
    /// [`Period::checked_offset`].
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let w = Period::parse(PeriodUnit::Week, "2004-W53")?;
    /// assert_eq!(w.next().label(), "2005-W01");
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn next(self) -> Period {
        self.offset(1)
    }

    /// The period `k` periods later (earlier if `k` is negative).
    ///
    /// # Panics
    /// If that period would not overlap the years 1..=9999; see [`Period::checked_offset`].
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let m = Period::parse(PeriodUnit::Month, "2024-03")?;
    /// assert_eq!(m.offset(-3).label(), "2023-12");
    /// assert_eq!(m.offset(12).label(), "2025-03");
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn offset(self, k: i64) -> Period {
        self.checked_offset(k)
            .expect("Period::offset: the period would lie outside the years 1..=9999")
    }

    /// The period `k` periods later (earlier if `k` is negative), or `None` if it would not
    /// overlap the years 1..=9999.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let last = Period::of(PeriodUnit::Year, Date::MAX);
    /// assert_eq!(last.checked_offset(1), None);
    /// assert_eq!(last.checked_offset(-1).map(|p| p.label()), Some("9998".to_string()));
    /// ```
    pub fn checked_offset(self, k: i64) -> Option<Period> {
        let index = self.index.checked_add(k)?;
        let (first, last) = index_bounds(self.unit);
        (first..=last).contains(&index).then_some(Period {
            unit: self.unit,
            index,
        })
    }

    /// The label: "2024-03-05" (day), "2024-W05" (ISO week-year and week), "2024-03" (month),
    /// "2024-Q1" (quarter), "2024" (year). [`Period::parse`] reads it back.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let d = Date::from_ymd(2024, 12, 30)?; // Monday of ISO week 2025-W01
    /// let labels: Vec<String> = PeriodUnit::ALL.iter().map(|&u| Period::of(u, d).label()).collect();
    /// assert_eq!(labels, ["2024-12-30", "2025-W01", "2024-12", "2024-Q4", "2024"]);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn label(self) -> String {
        self.to_string()
    }

    /// The period of `unit` labelled `label`, the inverse of [`Period::label`] ("w" and "q" may
    /// be lowercase).
    ///
    /// # Errors
    /// [`Error::InvalidDate`] (index `None`) with the reason: wrong shape for the unit, a year
    /// outside 1..=9999, a month outside 1..=12, a quarter outside Q1..=Q4, a week outside the
    /// ISO year's 52 or 53, or a day the month does not have.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let q = Period::parse(PeriodUnit::Quarter, "2024-Q3")?;
    /// assert_eq!(q.start().to_string(), "2024-07-01");
    /// assert!(Period::parse(PeriodUnit::Quarter, "2024-Q5").is_err());
    /// assert!(Period::parse(PeriodUnit::Week, "2023-W53").is_err()); // 2023 has 52 weeks
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn parse(unit: PeriodUnit, label: &str) -> Result<Period> {
        parse_label(unit, label.as_bytes())
            .map(|index| Period { unit, index })
            .map_err(|reason| invalid(None, label, reason))
    }

    /// Every period from `first` to `last`, both included; empty if `last` is before `first`.
    ///
    /// # Panics
    /// If `first` and `last` have different units.
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Date, Period, PeriodUnit};
    /// let a = Period::parse(PeriodUnit::Quarter, "2023-Q4")?;
    /// let b = Period::parse(PeriodUnit::Quarter, "2024-Q2")?;
    /// let labels: Vec<String> = Period::range(a, b).map(Period::label).collect();
    /// assert_eq!(labels, ["2023-Q4", "2024-Q1", "2024-Q2"]);
    /// assert_eq!(Period::range(b, a).count(), 0);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn range(first: Period, last: Period) -> impl DoubleEndedIterator<Item = Period> + Clone {
        assert_eq!(
            first.unit, last.unit,
            "Period::range: both ends must have the same unit"
        );
        let unit = first.unit;
        (first.index..=last.index).map(move |index| Period { unit, index })
    }
}

/// Index of the ISO week `week` of week-year `year`, or the reason it does not exist.
fn iso_week_index(year: u32, week: u32) -> std::result::Result<i64, &'static str> {
    if !(1..=9999).contains(&year) {
        return Err(YEAR_RANGE);
    }
    let year = year as i64;
    match week {
        0 => return Err(WEEK_ZERO),
        54.. => return Err(WEEK_ABOVE_53),
        53 if Date(days_from_civil(year, 12, 28) as i32).iso_week().1 != 53 => {
            return Err(WEEK_53);
        }
        _ => {}
    }
    // Week 1 is the week holding 4 January; its Monday is 4 January minus (weekday − 1).
    let jan4 = Date(days_from_civil(year, 1, 4) as i32);
    let monday = jan4.0 as i64 - (jan4.weekday() as i64 - 1) + 7 * (week as i64 - 1);
    Ok((monday + 3).div_euclid(7))
}

/// The index of the period of `unit` labelled `b`, or the reason there is none.
fn parse_label(unit: PeriodUnit, b: &[u8]) -> std::result::Result<i64, &'static str> {
    let year = |expected: &'static str| -> std::result::Result<i64, &'static str> {
        let y = b.get(..4).and_then(digits).ok_or(expected)?;
        if (1..=9999).contains(&y) {
            Ok(y as i64)
        } else {
            Err(YEAR_RANGE)
        }
    };
    match unit {
        PeriodUnit::Day => parse_ymd(b).map(|d| d.0 as i64).map_err(|r| {
            if r == EXPECTED_DATE {
                EXPECTED_DAY_LABEL
            } else {
                r
            }
        }),
        PeriodUnit::Week => {
            if b.len() != 8 || b[4] != b'-' || !matches!(b[5], b'W' | b'w') {
                return Err(EXPECTED_WEEK);
            }
            let (Some(y), Some(w)) = (digits(&b[..4]), digits(&b[6..])) else {
                return Err(EXPECTED_WEEK);
            };
            iso_week_index(y, w)
        }
        PeriodUnit::Month => {
            if b.len() != 7 || b[4] != b'-' {
                return Err(EXPECTED_MONTH);
            }
            let m = digits(&b[5..]).ok_or(EXPECTED_MONTH)?;
            let y = year(EXPECTED_MONTH)?;
            match month_problem(m) {
                Some(reason) => Err(reason),
                None => Ok(y * 12 + m as i64 - 1),
            }
        }
        PeriodUnit::Quarter => {
            if b.len() != 7 || b[4] != b'-' || !matches!(b[5], b'Q' | b'q') {
                return Err(EXPECTED_QUARTER);
            }
            let q = digits(&b[6..]).ok_or(EXPECTED_QUARTER)?;
            let y = year(EXPECTED_QUARTER)?;
            if (1..=4).contains(&q) {
                Ok(y * 4 + q as i64 - 1)
            } else {
                Err(QUARTER_RANGE)
            }
        }
        PeriodUnit::Year => {
            if b.len() != 4 {
                return Err(EXPECTED_YEAR);
            }
            year(EXPECTED_YEAR)
        }
    }
}

impl fmt::Display for Period {
    /// The label (see [`Period::label`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.index;
        match self.unit {
            PeriodUnit::Day => write!(f, "{}", self.start()),
            PeriodUnit::Week => {
                let (y, w) = self.start().iso_week();
                write!(f, "{y:04}-W{w:02}")
            }
            PeriodUnit::Month => write!(f, "{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1),
            PeriodUnit::Quarter => write!(f, "{:04}-Q{}", i.div_euclid(4), i.rem_euclid(4) + 1),
            PeriodUnit::Year => write!(f, "{i:04}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------------------------

/// The periods of a column of dates as small codes: the first period (that of the earliest
/// date) and, per row, `Period::of(unit, date).index() − first.index()`.
///
/// Codes run from 0 to the number of periods spanned minus one, so they index a dense array
/// of per-period tallies; `first.offset(code)` is the row's period. An empty column gives
/// `(Period::of(unit, Date::from_days(0)), vec![])`. One pass for the minimum and one for the
/// codes, with no allocation per row: days and weeks are subtractions and a division; months,
/// quarters and years take the month number from Hinnant's `civil_from_days` in `u32`.
///
/// # Examples
/// ```
/// use nps_core::{Date, Period, PeriodUnit, period_codes};
/// let dates = Date::parse_all(&["2024-05-02", "2024-03-31", "2024-04-01"])?;
/// let (first, codes) = period_codes(PeriodUnit::Month, &dates);
/// assert_eq!(first.label(), "2024-03");
/// assert_eq!(codes, [2, 0, 1]);
/// assert_eq!(first.offset(2).label(), "2024-05");
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn period_codes(unit: PeriodUnit, dates: &[Date]) -> (Period, Vec<u32>) {
    let Some(min) = dates.iter().map(|d| d.0).min().map(Date) else {
        return (Period::of(unit, Date::from_days(0)), Vec::new());
    };
    let first = Period::of(unit, min);
    let codes = match unit {
        PeriodUnit::Day => codes_by(dates, min, |d| (d.0 - Date::MIN.0) as u32),
        PeriodUnit::Week => codes_by(dates, min, week_number),
        PeriodUnit::Month => codes_by(dates, min, month_number),
        PeriodUnit::Quarter => codes_by(dates, min, |d| month_number(d) / 3),
        PeriodUnit::Year => codes_by(dates, min, |d| month_number(d) / 12),
    };
    (first, codes)
}

/// `number(date) − number(min)` for every date, where `number` is a non-decreasing period
/// number (so no code underflows).
#[inline]
fn codes_by(dates: &[Date], min: Date, number: impl Fn(Date) -> u32) -> Vec<u32> {
    let base = number(min);
    let max = dates.iter().map(|d| d.0).max().unwrap_or(min.0);
    let span = (max - min.0) as usize + 1;
    if span <= LOOKUP_MAX_DAYS {
        // One code per day of the span, then a lookup per row: the calendar arithmetic runs
        // once per distinct day instead of once per row.
        let lookup: Vec<u32> = (0..span as i32)
            .map(|k| number(Date(min.0 + k)) - base)
            .collect();
        return dates
            .iter()
            .map(|d| lookup[(d.0 - min.0) as usize])
            .collect();
    }
    dates.iter().map(|&d| number(d) - base).collect()
}

/// Date columns spanning at most this many days (about 2,900 years) get their codes through a
/// lookup table of one code per day.
const LOOKUP_MAX_DAYS: usize = 1 << 20;

/// The periods of the earliest and the latest date, or `None` for an empty column.
///
/// # Examples
/// ```
/// use nps_core::{Date, Period, PeriodUnit, period_span};
/// let dates = Date::parse_all(&["2024-05-02", "2023-12-31", "2024-04-01"])?;
/// let (lo, hi) = period_span(PeriodUnit::Quarter, &dates).unwrap();
/// assert_eq!((lo.label(), hi.label()), ("2023-Q4".to_string(), "2024-Q2".to_string()));
/// assert_eq!(period_span(PeriodUnit::Day, &[]), None);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn period_span(unit: PeriodUnit, dates: &[Date]) -> Option<(Period, Period)> {
    let min = dates.iter().map(|d| d.0).min()?;
    let max = dates.iter().map(|d| d.0).max()?;
    Some((Period::of(unit, Date(min)), Period::of(unit, Date(max))))
}

// Week numbers counted from Date::MIN agree with Period indices only because it is a Monday.
const _: () = assert!(Date::MIN.weekday() == 1);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    fn reason(r: Result<impl fmt::Debug>) -> &'static str {
        match r {
            Err(Error::InvalidDate { reason, .. }) => reason,
            other => panic!("expected InvalidDate, got {other:?}"),
        }
    }

    #[test]
    fn bounds_are_the_documented_days() {
        assert_eq!(Date::MIN.days(), -719_162);
        assert_eq!(Date::MAX.days(), 2_932_896);
        assert_eq!(Date::MIN.ymd(), (1, 1, 1));
        assert_eq!(Date::MAX.ymd(), (9999, 12, 31));
        assert!(Date::try_from_days(Date::MAX.days() + 1).is_err());
        assert!(Date::try_from_days(Date::MIN.days() - 1).is_err());
        assert_eq!(Date::try_from_days(0).unwrap(), Date::from_days(0));
    }

    #[test]
    #[should_panic(expected = "years 1..=9999")]
    fn from_days_out_of_range_panics() {
        let _ = Date::from_days(Date::MAX.days() + 1);
    }

    #[test]
    fn every_day_round_trips_through_ymd() {
        let mut prev = (0, 12, 31);
        let mut prev_weekday = 7; // 0000-12-31 was a Sunday
        for days in Date::MIN.days()..=Date::MAX.days() {
            let d = Date::from_days(days);
            let (y, m, dd) = d.ymd();
            // Consecutive days: the next day of the month, or the 1st of the next month.
            let (py, pm, pd) = prev;
            if dd == pd + 1 {
                assert_eq!((y, m), (py, pm));
            } else {
                assert_eq!(dd, 1);
                assert_eq!(pd, days_in_month(py as i64, pm));
                assert_eq!((y, m), if pm == 12 { (py + 1, 1) } else { (py, pm + 1) });
            }
            assert_eq!(Date::from_ymd(y, m, dd).unwrap(), d);
            assert_eq!(month_number(d), y as u32 * 12 + m - 1);
            assert_eq!(d.weekday(), prev_weekday % 7 + 1);
            prev = (y, m, dd);
            prev_weekday = d.weekday();
        }
    }

    #[test]
    fn known_weekdays_and_iso_weeks() {
        assert_eq!(Date::from_days(0).weekday(), 4); // 1970-01-01, Thursday
        assert_eq!(ymd(2024, 3, 5).weekday(), 2);
        assert_eq!(ymd(2000, 1, 1).weekday(), 6); // Saturday
        assert_eq!(Date::MIN.weekday(), 1);
        assert_eq!(Date::MAX.weekday(), 5); // Friday
        let cases = [
            ((2004, 12, 31), (2004, 53)),
            ((2005, 1, 1), (2004, 53)),
            ((2005, 1, 2), (2004, 53)),
            ((2005, 1, 3), (2005, 1)),
            ((2008, 12, 29), (2009, 1)),
            ((2010, 1, 3), (2009, 53)),
            ((2010, 1, 4), (2010, 1)),
            ((1970, 1, 1), (1970, 1)),
            ((1969, 12, 29), (1970, 1)),
            ((2024, 1, 29), (2024, 5)),
            ((1, 1, 1), (1, 1)),
            ((9999, 12, 31), (9999, 52)),
        ];
        for ((y, m, d), week) in cases {
            assert_eq!(ymd(y, m, d).iso_week(), week, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn leap_rules() {
        assert!(Date::from_ymd(2000, 2, 29).is_ok());
        assert!(Date::from_ymd(2024, 2, 29).is_ok());
        assert!(reason(Date::from_ymd(1900, 2, 29)).contains("28 days"));
        assert!(reason(Date::parse("2023-02-29")).contains("28 days"));
        assert!(reason(Date::parse("2024-02-30")).contains("29 days"));
        assert!(reason(Date::parse("2024-04-31")).contains("April has 30"));
        assert!(reason(Date::parse("2024-01-32")).contains("31"));
        assert!(reason(Date::parse("2024-01-00")).contains("day 0"));
    }

    #[test]
    fn bad_texts_are_rejected_with_a_reason() {
        assert!(reason(Date::parse("2024-13-01")).contains("month"));
        assert!(reason(Date::parse("2024-00-01")).contains("month 0"));
        assert!(reason(Date::parse("0000-01-01")).contains("1..=9999"));
        assert!(reason(Date::from_ymd(10_000, 1, 1)).contains("1..=9999"));
        for bad in [
            "2024-1-5",
            "garbage",
            "2024/03/05",
            "20240305",
            "+2024-03-05",
            " 2024-03-05",
            "2024-03-05x",
            "2024-03-0a",
            "２０２４-03-05",
        ] {
            assert!(
                reason(Date::parse(bad)).starts_with("expected YYYY-MM-DD"),
                "{bad}"
            );
        }
        assert!(reason(Date::parse("")).contains("empty"));
        for bad in [
            "2024-03-05T",
            "2024-03-05 ",
            "2024-03-05T25:00",
            "2024-03-05T10:61",
            "2024-03-05T10",
            "2024-03-05T10:22:00.",
            "2024-03-05T10:22:00+8",
            "2024-03-05T10:22:00+08:",
            "2024-03-05T10:22:00ZZ",
            "2024-03-05 garbage",
        ] {
            assert_eq!(reason(Date::parse(bad)), BAD_TIME, "{bad}");
        }
        let err = Date::parse("2024-13-01").unwrap_err();
        assert_eq!(
            err,
            Error::InvalidDate {
                index: None,
                value: "2024-13-01".into(),
                reason: "there is no month above 12; months run 1..=12",
            }
        );
        assert!(err.to_string().contains("\"2024-13-01\""));
    }

    #[test]
    fn timestamps_give_their_date() {
        let d = ymd(2024, 3, 5);
        for ok in [
            "2024-03-05",
            "2024-03-05T10:22:00Z",
            "2024-03-05 10:22:00",
            "2024-03-05T10:22",
            "2024-03-05t10:22:00z",
            "2024-03-05T10:22:00.123456",
            "2024-03-05T10:22:00,5",
            "2024-03-05T23:59:60+08:00",
            "2024-03-05T10:22:00-0530",
            "2024-03-05T10:22:00+01",
        ] {
            assert_eq!(Date::parse(ok).unwrap(), d, "{ok}");
            assert_eq!(ok.parse::<Date>().unwrap(), d, "{ok}");
        }
        assert!(Date::parse("2023-02-29T00:00:00").is_err());
    }

    #[test]
    fn parse_all_names_the_first_bad_index() {
        let ok = Date::parse_all(&["2024-03-05", "1999-12-31 23:59:59"]).unwrap();
        assert_eq!(ok, [ymd(2024, 3, 5), ymd(1999, 12, 31)]);
        let texts = vec![
            "2024-03-05".to_string(),
            "2024-3-5".into(),
            "2024-13-01".into(),
        ];
        match Date::parse_all(&texts) {
            Err(Error::InvalidDate { index, value, .. }) => {
                assert_eq!(index, Some(1));
                assert_eq!(value, "2024-3-5");
            }
            other => panic!("{other:?}"),
        }
        assert!(Date::parse_all::<&str>(&[]).unwrap().is_empty());
    }

    #[test]
    fn units_parse_and_display() {
        for u in PeriodUnit::ALL {
            assert_eq!(u.to_string().parse::<PeriodUnit>().unwrap(), u);
            assert_eq!(u.name().to_uppercase().parse::<PeriodUnit>().unwrap(), u);
            assert_eq!(
                u.name()[..1].to_uppercase().parse::<PeriodUnit>().unwrap(),
                u
            );
        }
        assert_eq!(
            "fortnight".parse::<PeriodUnit>(),
            Err(Error::UnknownMethod {
                kind: "period unit",
                name: "fortnight".into(),
                expected: "day, week, month, quarter or year",
            })
        );
    }

    #[test]
    fn period_indices_follow_the_definitions() {
        let d = ymd(2024, 3, 5);
        assert_eq!(Period::of(PeriodUnit::Day, d).index(), d.days() as i64);
        assert_eq!(Period::of(PeriodUnit::Month, d).index(), 2024 * 12 + 2);
        assert_eq!(Period::of(PeriodUnit::Quarter, d).index(), 2024 * 4);
        assert_eq!(Period::of(PeriodUnit::Year, d).index(), 2024);
        let epoch_week = Period::of(PeriodUnit::Week, Date::from_days(0));
        assert_eq!(epoch_week.index(), 0);
        assert_eq!(epoch_week.start(), ymd(1969, 12, 29));
        assert_eq!(epoch_week.end(), ymd(1970, 1, 4));
        assert_eq!(Period::of(PeriodUnit::Week, ymd(1969, 12, 28)).index(), -1);
        assert_eq!(Period::of(PeriodUnit::Week, ymd(1970, 1, 5)).index(), 1);
    }

    #[test]
    fn labels_round_trip_for_every_unit() {
        let d = ymd(2024, 1, 29);
        let want = ["2024-01-29", "2024-W05", "2024-01", "2024-Q1", "2024"];
        for (u, label) in PeriodUnit::ALL.into_iter().zip(want) {
            let p = Period::of(u, d);
            assert_eq!(p.label(), label);
            assert_eq!(Period::parse(u, label).unwrap(), p);
        }
        // Every period of every unit over a stretch with both 52- and 53-week years, and the ends.
        for u in PeriodUnit::ALL {
            let stretches = [
                (ymd(1998, 1, 1), ymd(2012, 12, 31)),
                (Date::MIN, ymd(3, 1, 1)),
                (ymd(9997, 1, 1), Date::MAX),
            ];
            for (a, b) in stretches {
                for p in Period::range(Period::of(u, a), Period::of(u, b)) {
                    assert_eq!(Period::parse(u, &p.label()).unwrap(), p, "{u} {p}");
                }
            }
        }
        assert_eq!(Period::of(PeriodUnit::Week, Date::MIN).label(), "0001-W01");
        assert_eq!(Period::of(PeriodUnit::Week, Date::MAX).label(), "9999-W52");
        assert_eq!(
            Period::parse(PeriodUnit::Week, "2024-w05").unwrap().label(),
            "2024-W05"
        );
        assert_eq!(
            Period::parse(PeriodUnit::Quarter, "2024-q1")
                .unwrap()
                .label(),
            "2024-Q1"
        );
    }

    #[test]
    fn bad_labels_are_rejected_with_a_reason() {
        use PeriodUnit::*;
        let cases = [
            (Day, "2024-03-05T10:00", EXPECTED_DAY_LABEL),
            (Day, "2023-02-29", "28 days"),
            (Week, "2024-W5", EXPECTED_WEEK),
            (Week, "2024-05", EXPECTED_WEEK),
            (Week, "2024-W00", WEEK_ZERO),
            (Week, "2024-W54", WEEK_ABOVE_53),
            (Week, "2023-W53", WEEK_53),
            (Week, "0000-W01", YEAR_RANGE),
            (Month, "2024-3", EXPECTED_MONTH),
            (Month, "2024-13", "month above 12"),
            (Month, "2024-00", "month 0"),
            (Month, "0000-01", YEAR_RANGE),
            (Quarter, "2024-Q0", QUARTER_RANGE),
            (Quarter, "2024-Q5", QUARTER_RANGE),
            (Quarter, "2024-1", EXPECTED_QUARTER),
            (Year, "24", EXPECTED_YEAR),
            (Year, "0000", YEAR_RANGE),
            (Year, "", EXPECTED_YEAR),
            (Year, "２０２", EXPECTED_YEAR),
        ];
        for (u, label, want) in cases {
            let got = reason(Period::parse(u, label));
            assert!(got.contains(want), "{u} {label:?}: {got}");
        }
        assert!(Period::parse(Week, "2004-W53").is_ok());
        assert!(Period::parse(Week, "2009-W53").is_ok());
    }

    #[test]
    fn of_start_end_next_agree_on_many_dates() {
        for u in PeriodUnit::ALL {
            let mut days = Date::MIN.days();
            while days <= Date::MAX.days() {
                let d = Date::from_days(days);
                let p = Period::of(u, d);
                assert!(p.start() <= d && d <= p.end(), "{u} {d}");
                assert!(p.contains(p.start()) && p.contains(p.end()));
                assert_eq!(Period::of(u, p.start()), p);
                assert_eq!(Period::of(u, p.end()), p);
                if let Some(n) = p.checked_offset(1) {
                    assert_eq!(n.index(), p.index() + 1);
                    assert_eq!(n.start().days(), p.end().days() + 1);
                    assert_eq!(n.offset(-1), p);
                } else {
                    assert_eq!(p.end(), Date::MAX);
                }
                if u == PeriodUnit::Week {
                    assert_eq!(p.start().weekday(), 1);
                    assert_eq!(p.label(), {
                        let (y, w) = d.iso_week();
                        format!("{y:04}-W{w:02}")
                    });
                }
                days += 97; // coprime to 7; crosses every kind of boundary over the range
            }
        }
        let last_week = Period::of(PeriodUnit::Week, Date::MAX);
        assert_eq!(last_week.start(), ymd(9999, 12, 27));
        assert_eq!(last_week.end(), Date::MAX);
        assert_eq!(last_week.checked_offset(1), None);
        assert_eq!(
            Period::of(PeriodUnit::Year, Date::MIN).checked_offset(-1),
            None
        );
        assert_eq!(
            Period::of(PeriodUnit::Day, Date::MIN).checked_offset(i64::MIN),
            None
        );
    }

    #[test]
    #[should_panic(expected = "outside the years 1..=9999")]
    fn next_past_the_last_period_panics() {
        let _ = Period::of(PeriodUnit::Month, Date::MAX).next();
    }

    #[test]
    fn ranges() {
        let a = Period::parse(PeriodUnit::Month, "2023-11").unwrap();
        let b = Period::parse(PeriodUnit::Month, "2024-02").unwrap();
        let labels: Vec<String> = Period::range(a, b).map(Period::label).collect();
        assert_eq!(labels, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(Period::range(a, a).count(), 1);
        assert_eq!(Period::range(b, a).count(), 0);
        assert_eq!(Period::range(a, b).next_back(), Some(b));
    }

    #[test]
    #[should_panic(expected = "same unit")]
    fn ranges_of_mixed_units_panic() {
        let d = Date::from_days(0);
        let _ = Period::range(
            Period::of(PeriodUnit::Day, d),
            Period::of(PeriodUnit::Year, d),
        );
    }

    #[test]
    fn codes_on_a_small_example() {
        let dates = Date::parse_all(&[
            "2024-01-01", // Monday, 2024-W01
            "2023-12-31", // Sunday, 2023-W52
            "2024-03-31",
            "2024-04-01",
            "2025-01-05",
        ])
        .unwrap();
        let expect: [(PeriodUnit, &str, [u32; 5]); 5] = [
            (PeriodUnit::Day, "2023-12-31", [1, 0, 91, 92, 371]),
            (PeriodUnit::Week, "2023-W52", [1, 0, 13, 14, 53]),
            (PeriodUnit::Month, "2023-12", [1, 0, 3, 4, 13]),
            (PeriodUnit::Quarter, "2023-Q4", [1, 0, 1, 2, 5]),
            (PeriodUnit::Year, "2023", [1, 0, 1, 1, 2]),
        ];
        for (u, first_label, codes) in expect {
            let (first, got) = period_codes(u, &dates);
            assert_eq!(first.label(), first_label, "{u}");
            assert_eq!(got, codes, "{u}");
            for (&d, &c) in dates.iter().zip(&got) {
                assert_eq!(first.offset(c as i64), Period::of(u, d), "{u} {d}");
            }
            let (lo, hi) = period_span(u, &dates).unwrap();
            assert_eq!(lo, first);
            assert_eq!(hi, first.offset(*codes.iter().max().unwrap() as i64));
            assert_eq!(
                period_codes(u, &[]),
                (Period::of(u, Date::from_days(0)), vec![])
            );
            assert_eq!(period_span(u, &[]), None);
        }
        let ends = [Date::MAX, Date::MIN];
        let (first, codes) = period_codes(PeriodUnit::Week, &ends);
        assert_eq!(
            first.offset(codes[0] as i64),
            Period::of(PeriodUnit::Week, Date::MAX)
        );
    }

    #[test]
    fn serde_round_trips() {
        let d = ymd(2024, 3, 5);
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-03-05\"");
        assert_eq!(serde_json::from_str::<Date>("\"2024-03-05\"").unwrap(), d);
        assert_eq!(
            serde_json::from_str::<Date>("\"2024-03-05T10:22:00Z\"").unwrap(),
            d
        );
        for bad in ["\"2023-02-29\"", "\"2024-13-01\"", "19787", "\"\""] {
            assert!(serde_json::from_str::<Date>(bad).is_err(), "{bad}");
        }
        for u in PeriodUnit::ALL {
            let json = serde_json::to_string(&u).unwrap();
            assert_eq!(json, format!("\"{u}\""));
            assert_eq!(serde_json::from_str::<PeriodUnit>(&json).unwrap(), u);
            let p = Period::of(u, d);
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        }
        assert_eq!(
            serde_json::to_string(&Period::of(PeriodUnit::Month, d)).unwrap(),
            r#"{"unit":"month","index":24290}"#
        );
        assert!(serde_json::from_str::<Period>(r#"{"unit":"month","index":120000}"#).is_err());
        assert!(serde_json::from_str::<Period>(r#"{"unit":"year","index":0}"#).is_err());
        assert!(serde_json::from_str::<PeriodUnit>("\"fortnight\"").is_err());
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (Date::MIN.days()..=Date::MAX.days()).prop_map(Date::from_days)
    }

    fn any_unit() -> impl Strategy<Value = PeriodUnit> {
        prop::sample::select(PeriodUnit::ALL.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn every_date_lies_in_its_period(d in any_date(), u in any_unit()) {
            let p = Period::of(u, d);
            prop_assert!(p.contains(d));
            prop_assert!(p.start() <= d && d <= p.end());
            if let Some(n) = p.checked_offset(1) {
                prop_assert_eq!(n, p.next());
                prop_assert_eq!(n.start().days(), p.end().days() + 1);
                prop_assert!(!n.contains(d));
            }
            prop_assert_eq!(Period::parse(u, &p.label()).unwrap(), p);
            prop_assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
        }

        #[test]
        fn codes_match_period_of(days in prop::collection::vec(any_date(), 1..50), u in any_unit()) {
            let (first, codes) = period_codes(u, &days);
            prop_assert_eq!(codes.len(), days.len());
            for (&d, &c) in days.iter().zip(&codes) {
                prop_assert_eq!(first.offset(c as i64), Period::of(u, d));
            }
            prop_assert_eq!(codes.iter().min(), Some(&0));
        }
    }
}
