//! Days, ISO weeks and months as integer indices (UTC), for series and cohorts.

/// Day index: days since 1970-01-01 (UTC).
pub fn day(t: i64) -> i64 {
    t.div_euclid(86_400)
}

/// Week index: weeks since the Monday 1969-12-29 (weeks start on Monday, as ISO weeks do).
pub fn week(t: i64) -> i64 {
    (day(t) + 3).div_euclid(7)
}

/// Month index: `year * 12 + (month - 1)`.
pub fn month(t: i64) -> i64 {
    let (y, m, _) = civil(day(t));
    y * 12 + (m - 1)
}

/// (year, month 1–12, day 1–31) of a day index (Howard Hinnant's `civil_from_days`).
pub fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day index of a civil date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A calendar period kind for series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Week,
    Month,
}

impl Period {
    pub fn index(self, t: i64) -> i64 {
        match self {
            Period::Week => week(t),
            Period::Month => month(t),
        }
    }

    /// UTC seconds at which period `index` starts.
    pub fn start(self, index: i64) -> i64 {
        match self {
            Period::Week => (index * 7 - 3) * 86_400,
            Period::Month => {
                days_from_civil(index.div_euclid(12), index.rem_euclid(12) + 1, 1) * 86_400
            }
        }
    }

    /// `2024-03` for a month, `2024-03-04` (its Monday) for a week.
    pub fn label(self, index: i64) -> String {
        match self {
            Period::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Period::Week => {
                let (y, m, d) = civil(self.start(index).div_euclid(86_400));
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        // 2024-02-29 12:00 UTC
        let t = 1_709_208_000;
        assert_eq!(civil(day(t)), (2024, 2, 29));
        assert_eq!(days_from_civil(2024, 2, 29), day(t));
        assert_eq!(Period::Month.label(month(t)), "2024-02");
        // The Monday of that week is 2024-02-26.
        assert_eq!(Period::Week.label(week(t)), "2024-02-26");
        assert_eq!(Period::Month.start(month(t)), 1_706_745_600); // 2024-02-01
        assert!(Period::Week.start(week(t)) <= t && t < Period::Week.start(week(t) + 1));
        assert_eq!(civil(-1), (1969, 12, 31));
    }
}
