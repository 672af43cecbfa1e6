//! The calendar: today's year from the system clock, for the check that an
//! edition is not in the future. Nothing else here reads the clock.

/// The current calendar year (UTC), from the system clock: the one place
/// that reads the clock. Loading takes the year as an argument
/// ([`super::from_node`], `case::LoadOptions::this_year`), so tests can fix it.
pub fn this_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // days since 1970-01-01 to a civil year (Howard Hinnant's algorithm)
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year).unwrap_or(i32::MAX)
}
