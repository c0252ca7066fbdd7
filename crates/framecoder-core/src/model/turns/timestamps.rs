//! Timestamps as transcripts write them, and their one normal form.
//!
//! Transcription services, meeting apps and mission logs write times in
//! many ways (`1:23`, `[00:01:23]`, `00:01:23.450`, `01:02:03,500`,
//! `[02:14:05:33]` with a day, `[-00:00:42:10]` counting down,
//! `0 minutes 3 seconds`). The turn keeps one form, so that exports sort
//! and compare: `hh:mm:ss`, fractions dropped (researchers cite seconds).
//! Where a normal form would lose meaning the time is kept as written: a
//! day-prefixed mission time (`dd:hh:mm:ss`) stays as it is, and a
//! countdown keeps its sign.

/// A clock time: `1:23`, `00:01:23`, `00:01:23.450`, `01:02:03,500`, a day
/// in front (`02:14:05:33`), a minus for countdowns.
pub(super) const TIMESTAMP: &str = r"-?\d{1,2}(?::\d{2}){1,3}(?:[.,]\d{1,3})?";

/// A time spelled out, as meeting apps write it: `0 minutes 3 seconds`,
/// `1 hour 2 minutes 3 seconds`, `1 minute 2 seconds`.
pub(super) const SPELLED: &str = r"(?:\d{1,3} hours?,? )?(?:\d{1,3} minutes?,? )?\d{1,2} seconds?|\d{1,3} hours?(?:,? \d{1,3} minutes?)?|\d{1,3} minutes?";

/// The normal form of a timestamp written as [`TIMESTAMP`] or [`SPELLED`]:
/// `hh:mm:ss`, keeping a day-prefixed time as written and a countdown's
/// sign (see the module note). Anything else is returned as written.
pub fn normalise(written: &str) -> String {
    let written = written.trim();
    if written.chars().any(char::is_alphabetic) {
        return spelled(written).unwrap_or_else(|| written.to_owned());
    }
    let (sign, clock) = match written.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", written),
    };
    let clock = clock.split(['.', ',']).next().unwrap_or(clock);
    let parts: Vec<u64> = match clock.split(':').map(str::parse).collect::<Result<_, _>>() {
        Ok(parts) => parts,
        Err(_) => return written.to_owned(),
    };
    match parts.as_slice() {
        [minutes, seconds] => format!("{sign}{:02}:{minutes:02}:{seconds:02}", 0),
        [hours, minutes, seconds] => format!("{sign}{hours:02}:{minutes:02}:{seconds:02}"),
        // A day-prefixed time: keep what was written (minus the fraction).
        _ => format!("{sign}{clock}"),
    }
}

/// `1 hour 2 minutes 3 seconds` as `01:02:03`.
fn spelled(written: &str) -> Option<String> {
    let (mut hours, mut minutes, mut seconds) = (0u64, 0u64, 0u64);
    let words: Vec<&str> = written
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.chunks(2) {
        let [number, unit] = pair else { return None };
        let number: u64 = number.parse().ok()?;
        match unit.trim_end_matches('s') {
            "hour" => hours = number,
            "minute" => minutes = number,
            "second" => seconds = number,
            _ => return None,
        }
    }
    Some(format!("{hours:02}:{minutes:02}:{seconds:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_has_its_normal_form() {
        let cases = [
            ("0:03", "00:00:03"),
            ("1:02", "00:01:02"),
            ("00:01:23", "00:01:23"),
            ("1:02:03", "01:02:03"),
            ("00:01:40.450", "00:01:40"),
            ("01:02:03,500", "01:02:03"),
            ("02:14:05:33", "02:14:05:33"),
            ("-00:00:42:10", "-00:00:42:10"),
            ("-00:42", "-00:00:42"),
            ("0 minutes 3 seconds", "00:00:03"),
            ("1 minute 2 seconds", "00:01:02"),
            ("1 hour 2 minutes 3 seconds", "01:02:03"),
            ("12 seconds", "00:00:12"),
            ("2 minutes", "00:02:00"),
        ];
        for (written, normal) in cases {
            assert_eq!(normalise(written), normal, "{written}");
        }
    }

    #[test]
    fn patterns_match_every_form() {
        let clock = regex::Regex::new(&format!("^(?:{TIMESTAMP})$")).expect("compiles");
        for written in [
            "0:03",
            "00:01:23.450",
            "01:02:03,500",
            "02:14:05:33",
            "-00:00:42:10",
        ] {
            assert!(clock.is_match(written), "{written}");
        }
        let spelled = regex::Regex::new(&format!("^(?:{SPELLED})$")).expect("compiles");
        for written in [
            "0 minutes 3 seconds",
            "1 hour 2 minutes 3 seconds",
            "3 seconds",
            "1 minute",
        ] {
            assert!(spelled.is_match(written), "{written}");
        }
    }
}
