//! Attendance as CSV for spreadsheets: UTF-8 with a byte-order mark (without it Excel reads the
//! file in the system's legacy code page and Korean names come out garbled), a header row, one row
//! per person per session with the session's columns first, times in ISO 8601 with the report's
//! offset, durations in minutes with one decimal. Quoting is the `csv` crate's.

use crate::api::attendance::{Attendee, AttendeeRole, ClassSession, Outcome};
use crate::report_time::{minutes, UtcOffset};

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// The header row.
pub const HEADER: [&str; 13] = [
    "session",
    "session started",
    "session ended",
    "session end",
    "name",
    "role",
    "first joined",
    "last left",
    "minutes present (1 decimal)",
    "stays",
    "outcome",
    "closed at server restart",
    "note",
];

/// The note on rows closed at a restart.
const RESTART_NOTE: &str = "the server stopped while this person was in; \
     their leave time is the last time the server was known to be running";

/// The CSV file for `sessions`, each with its people.
pub fn attendance_csv(sessions: &[(ClassSession, Vec<Attendee>)], offset: UtcOffset) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    // Writing to a Vec cannot fail; a record of the header's length cannot be refused.
    let _ = out.write_record(HEADER);
    let time = |ms: Option<i64>| ms.map(|ms| offset.iso(ms)).unwrap_or_default();
    for (session, people) in sessions {
        for p in people {
            let record = [
                session.id.to_string(),
                offset.iso(session.started_at),
                time(session.ended_at),
                session.end.map(|e| e.as_str()).unwrap_or("").to_string(),
                p.name.clone(),
                match p.role {
                    AttendeeRole::Teacher => "teacher",
                    AttendeeRole::Student => "student",
                }
                .to_string(),
                offset.iso(p.first_joined),
                time(p.last_left),
                minutes(p.present_ms),
                p.stays.to_string(),
                match p.outcome {
                    Outcome::Admitted => "admitted",
                    Outcome::Denied => "denied",
                    Outcome::AdmittedAndDenied => "admitted and denied",
                }
                .to_string(),
                if p.closed_at_restart { "yes" } else { "no" }.to_string(),
                if p.closed_at_restart {
                    RESTART_NOTE
                } else {
                    ""
                }
                .to_string(),
            ];
            let _ = out.write_record(record.iter().map(|cell| defuse(cell).into_owned()));
        }
    }
    out.into_inner().unwrap_or_default()
}

/// A cell a spreadsheet will not run as a formula: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (OWASP's advice for CSV injection). Only names can start so.
/// So does every `;`-separated part of it: a spreadsheet set to `;` as the list separator (German,
/// French, Dutch Excel) splits an unquoted `x;=1+1` into two cells, the second a formula.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = |part: &str| {
        matches!(
            // Quotes too: the CSV writer doubles a `"` inside a quoted cell, and a `;`-splitting
            // spreadsheet then sees a part `""=1+1` that may still run.
            part.trim_start_matches([' ', '"']).chars().next(),
            Some('=' | '+' | '-' | '@' | '\t' | '\r')
        )
    };
    if !cell.split(';').any(risky) {
        return cell.into();
    }
    let parts: Vec<String> = cell
        .split(';')
        .map(|part| match risky(part) {
            true => format!("'{part}"),
            false => part.to_string(),
        })
        .collect();
    parts.join(";").into()
}

/// A `Content-Disposition` value for downloading `name`.csv: the full name in `filename*` (RFC
/// 6266/8187, for Korean class names) and `fallback`.csv for old clients (anything but ASCII
/// letters, digits, `-`, `_` and `.` becomes `_`).
pub fn content_disposition(name: &str, fallback: &str) -> String {
    let ascii: String = fallback
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}.csv\"; filename*=UTF-8''{encoded}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::attendance::SessionEnd;

    fn person(name: &str) -> Attendee {
        Attendee {
            name: name.into(),
            role: AttendeeRole::Student,
            first_joined: 1_795_496_400_000,
            last_left: Some(1_795_496_490_000),
            present_ms: 90_000,
            stays: 1,
            outcome: Outcome::Admitted,
            closed_at_restart: false,
        }
    }

    #[test]
    fn formulas_are_defused_and_plain_text_is_not() {
        for bad in ["=SUM(1)", "+1", "-2", "@cmd", "\tx", "\rx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        for fine in ["Minji", "김민지", "", "1=1", "'=already", "Kim; Lee"] {
            assert_eq!(defuse(fine), fine);
        }
    }

    #[test]
    fn a_formula_after_a_semicolon_is_defused_for_semicolon_spreadsheets() {
        assert_eq!(defuse("x;=1+1;"), "x;'=1+1;");
        assert_eq!(defuse("x; @cmd"), "x;' @cmd");
        assert_eq!(defuse("=a;-b"), "'=a;'-b");
        // Found in review: behind a quote the formula was left as it was.
        assert_eq!(defuse("a;\"=1+1;"), "a;'\"=1+1;");
    }

    #[test]
    fn a_file_starts_with_the_bom_and_the_header_and_quotes_what_needs_it() {
        let session = ClassSession {
            id: 7,
            started_at: 1_795_496_400_000,
            ended_at: Some(1_795_500_000_000),
            end: Some(SessionEnd::Empty),
            people: 3,
        };
        let mut restarted = person("김민지");
        restarted.closed_at_restart = true;
        restarted.last_left = None;
        let people = vec![person("=SUM(1)"), person("Kim, \"Jay\""), restarted];
        let bytes = attendance_csv(&[(session, people)], UtcOffset(540));
        let text = String::from_utf8(bytes).unwrap();
        let text = text.strip_prefix(BOM).expect("BOM");
        let mut lines = text.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("session,session started,"));
        assert_eq!(
            lines.next().unwrap(),
            "7,2026-11-24T14:00:00+09:00,2026-11-24T15:00:00+09:00,empty,'=SUM(1),student,\
             2026-11-24T14:00:00+09:00,2026-11-24T14:01:30+09:00,1.5,1,admitted,no,"
        );
        assert!(lines
            .next()
            .unwrap()
            .contains(r#","Kim, ""Jay""",student,"#));
        let last = lines.next().unwrap();
        assert!(last
            .contains(",김민지,student,2026-11-24T14:00:00+09:00,,1.5,1,admitted,yes,the server"));
    }

    #[test]
    fn file_names_have_an_ascii_fallback_and_the_full_name() {
        assert_eq!(
            content_disposition("수학 1반", "attendance-r1"),
            "attachment; filename=\"attendance-r1.csv\"; \
             filename*=UTF-8''%EC%88%98%ED%95%99%201%EB%B0%98.csv"
        );
        assert_eq!(
            content_disposition("a\"b\r\n;c", "a\"b\r\n;c"),
            "attachment; filename=\"a_b___c.csv\"; filename*=UTF-8''a%22b%0D%0A%3Bc.csv"
        );
    }
}
