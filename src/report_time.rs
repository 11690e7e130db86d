//! Times in attendance reports: one fixed UTC offset chosen by the server (`--report-utc-offset`),
//! so the admin pages and the CSV files say the same thing about the same moment, whatever time
//! zone the reader's browser is in. Shared by the server (CSV, server functions) and the pages.

use serde::{Deserialize, Serialize};

/// A fixed offset from UTC, in minutes east (`+09:00` is 540).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtcOffset(pub i32);

/// Largest offset accepted: real ones are within -12:00..+14:00.
const MAX_OFFSET_MINUTES: i32 = 18 * 60;

impl UtcOffset {
    /// Parses `+09:00`, `-05:30`, `+0900`, `Z` or `UTC`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
            return Ok(UtcOffset(0));
        }
        let bad = || format!("`{text}` is not a UTC offset like +09:00 or -05:30");
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'+') => (1, &text[1..]),
            Some(b'-') => (-1, &text[1..]),
            _ => return Err(bad()),
        };
        let (h, m) = match rest.split_once(':') {
            Some(hm) => hm,
            None if rest.len() == 4 => rest.split_at(2),
            None => return Err(bad()),
        };
        let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return Err(bad());
        }
        let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        let minutes = sign * (h * 60 + m);
        if m >= 60 || minutes.abs() > MAX_OFFSET_MINUTES {
            return Err(bad());
        }
        Ok(UtcOffset(minutes))
    }

    /// `+09:00`.
    pub fn suffix(self) -> String {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let abs = self.0.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
    }

    /// `UTC+09:00`, for saying on a page which offset its times are in.
    pub fn label(self) -> String {
        format!("UTC{}", self.suffix())
    }

    /// `2026-11-24T14:05:09+09:00`: ISO 8601 with the offset, to the second.
    pub fn iso(self, ms: i64) -> String {
        let (date, h, m, s) = self.civil(ms);
        format!("{date}T{h:02}:{m:02}:{s:02}{}", self.suffix())
    }

    /// `2026-11-24 14:05`, for tables (the page says the offset once).
    pub fn short(self, ms: i64) -> String {
        let (date, h, m, _) = self.civil(ms);
        format!("{date} {h:02}:{m:02}")
    }

    /// `14:05:09`, for "updated at".
    pub fn clock(self, ms: i64) -> String {
        let (_, h, m, s) = self.civil(ms);
        format!("{h:02}:{m:02}:{s:02}")
    }

    /// The local date (`YYYY-MM-DD`), hours, minutes and seconds of `ms` at this offset.
    fn civil(self, ms: i64) -> (String, i64, i64, i64) {
        let secs = ms.div_euclid(1000) + i64::from(self.0) * 60;
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        (
            format!("{year:04}-{month:02}-{day:02}"),
            rem / 3600,
            rem % 3600 / 60,
            rem % 60,
        )
    }
}

/// The proleptic Gregorian (year, month, day) of `days` since 1970-01-01, without a date library
/// (civil-from-days, H. Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// A duration in minutes with one decimal (`90_000` ms is `1.5`), as reports show it.
pub fn minutes(ms: i64) -> String {
    let tenths = (ms.max(0) + 3_000) / 6_000; // rounded to the nearest tenth of a minute
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KST: UtcOffset = UtcOffset(540);

    #[test]
    fn times_carry_their_offset() {
        // 2026-11-24T05:00:00Z
        let ms = 1_795_496_400_000;
        assert_eq!(KST.iso(ms), "2026-11-24T14:00:00+09:00");
        assert_eq!(UtcOffset(0).iso(ms + 9_999), "2026-11-24T05:00:09+00:00");
        assert_eq!(UtcOffset(-330).iso(ms), "2026-11-23T23:30:00-05:30");
        assert_eq!(KST.short(ms), "2026-11-24 14:00");
        assert_eq!(KST.clock(ms + 61_000), "14:01:01");
        assert_eq!(KST.label(), "UTC+09:00");
        // The offset moves the date across midnight.
        assert_eq!(KST.iso(1_795_532_400_000), "2026-11-25T00:00:00+09:00");
        assert_eq!(UtcOffset(0).iso(-1), "1969-12-31T23:59:59+00:00");
    }

    #[test]
    fn offsets_parse_strictly() {
        assert_eq!(UtcOffset::parse("+09:00"), Ok(KST));
        assert_eq!(UtcOffset::parse("+0900"), Ok(KST));
        assert_eq!(UtcOffset::parse("-05:30"), Ok(UtcOffset(-330)));
        assert_eq!(UtcOffset::parse("Z"), Ok(UtcOffset(0)));
        assert_eq!(UtcOffset::parse("utc"), Ok(UtcOffset(0)));
        for bad in [
            "09:00", "+9:00", "+09:60", "+19:00", "+09", "", "+0a:00", "KST",
        ] {
            assert!(UtcOffset::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn minutes_have_one_decimal() {
        assert_eq!(minutes(0), "0.0");
        assert_eq!(minutes(90_000), "1.5");
        assert_eq!(minutes(2_999), "0.0");
        assert_eq!(minutes(3_000), "0.1");
        assert_eq!(minutes(3_600_000), "60.0");
        assert_eq!(minutes(-5), "0.0");
    }
}
