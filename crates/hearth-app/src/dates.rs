//! Dates typed on the command line or given as query parameters.

use crate::bail;

/// `YYYY-MM-DD` (midnight UTC), `YYYY-MM` (first of the month) or RFC 3339, as UTC seconds.
pub fn parse(s: &str) -> crate::Result<i64> {
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp());
    }
    let day = if s.len() == 7 {
        chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
    } else {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
    };
    match day.ok().and_then(|d| d.and_hms_opt(0, 0, 0)) {
        Some(t) => Ok(t.and_utc().timestamp()),
        None => bail!("expected a date as YYYY-MM-DD, YYYY-MM or RFC 3339, found {s:?}"),
    }
}

/// UTC seconds as RFC 3339 (`2026-12-02T20:00:00Z`); empty for a time that is not one.
pub fn utc(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn forms() {
        assert_eq!(parse("2019-04-29").ok(), Some(1_556_496_000));
        assert_eq!(parse("2019-04").ok(), Some(1_554_076_800));
        assert_eq!(parse("2019-04-29T01:00:00+01:00").ok(), Some(1_556_496_000));
        assert!(parse("29/04/2019").is_err());
    }
}
