//! Layouts of Word transcripts that paragraphs alone do not carry: tables
//! with a speaker column, and meeting notes above a transcript.
//!
//! Transcription services and meeting apps (Teams, some Otter and Trint
//! exports, hand-made interview tables) put speaker and speech in table
//! cells. Read cell by cell, the speaker would be a line of its own that no
//! detector can tell from speech; so a row of two or three cells — speaker
//! and text, with an optional time cell before or after the speaker —
//! becomes one line `Speaker: text` (`00:00:03 Speaker: text`). Other rows
//! keep one line per paragraph, as before.

/// Longest speaker cell: a name with a role, not a sentence.
const MAX_SPEAKER_CHARS: usize = 60;

/// Header cells of a speaker column: that row names columns, no speaker.
const SPEAKER_HEADERS: &[&str] = &[
    "speaker",
    "speakers",
    "name",
    "who",
    "person",
    "participant",
    "sprecher",
    "orateur",
];

/// What a table row adds to the text.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Row {
    /// Lines of their own.
    Lines(Vec<String>),
    /// Speech with an empty speaker cell: more of the turn above, joined
    /// to its line so that the table stays one line per turn.
    Continues(String),
    /// `Speaker | Text`: names the columns, left out.
    Header,
}

/// What one table row adds to the text.
pub(super) fn row_lines(cells: Vec<String>) -> Row {
    let trimmed: Vec<&str> = cells.iter().map(|cell| cell.trim()).collect();
    let transcript_row = match trimmed.as_slice() {
        [speaker, speech] if is_speaker(speaker) => Some((None, *speaker, *speech)),
        [time, speaker, speech] | [speaker, time, speech] if is_time(time) && is_speaker(speaker) => {
            Some((Some(*time), *speaker, *speech))
        }
        _ => None,
    };
    let Some((time, speaker, speech)) = transcript_row.filter(|(_, _, speech)| !speech.is_empty()) else {
        // Not a transcript row: one line per paragraph of each cell.
        return Row::Lines(
            cells
                .iter()
                .flat_map(|cell| cell.split('\n'))
                .map(str::to_owned)
                .collect(),
        );
    };
    if SPEAKER_HEADERS.contains(&speaker.to_lowercase().as_str()) {
        return Row::Header;
    }
    // One line per row: a speech cell's paragraphs would otherwise be lines
    // the detector might read as labels of their own.
    let speech = speech.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
    if speaker.is_empty() {
        return Row::Continues(speech);
    }
    let mut line = String::new();
    if let Some(time) = time {
        line.push_str(time);
        line.push(' ');
    }
    line.push_str(speaker);
    line.push_str(": ");
    line.push_str(&speech);
    Row::Lines(vec![line])
}

/// A speaker cell: empty (the speaker goes on), or a short one-line name.
fn is_speaker(cell: &str) -> bool {
    cell.is_empty()
        || (cell.chars().count() <= MAX_SPEAKER_CHARS
            && !cell.contains(['\n', ':'])
            && cell.split_whitespace().count() <= 6
            && !is_time(cell))
}

/// A time cell: `0:03`, `00:00:03`, `[00:00:03.5]`.
fn is_time(cell: &str) -> bool {
    let inner = cell.trim_start_matches('[').trim_end_matches(']');
    inner.contains(':')
        && inner.len() <= 16
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))
}

/// Lines that mark the AI notes a meeting app writes above the transcript
/// (Google Meet's "Notes by Gemini": Summary, Details, Suggested next steps).
fn is_notes_line(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    matches!(
        lower.as_str(),
        "summary" | "notes" | "details" | "suggested next steps"
    ) || lower.contains("gemini")
}

/// The text from a `Transcript` heading on (`📖 Transcript` in Google
/// Meet), with the number of lines left out before it, when AI notes come
/// first; else the text as it is. The notes are no speech: a `Name: …`
/// line in a summary would be coded as the person's words.
pub(super) fn transcript_part(text: &str) -> (String, Option<usize>) {
    let mut notes_seen = false;
    for (index, line) in text.split('\n').enumerate() {
        let heading = line.trim_start_matches(|c: char| !c.is_alphanumeric()).trim();
        if heading.eq_ignore_ascii_case("transcript") {
            if !notes_seen {
                break;
            }
            let start: usize = text.split('\n').take(index + 1).map(|l| l.len() + 1).sum();
            return (text.get(start..).unwrap_or("").to_owned(), Some(index + 1));
        }
        notes_seen |= is_notes_line(line);
    }
    (text.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Row {
        row_lines(cells.iter().map(|c| (*c).to_owned()).collect())
    }

    fn lines(lines: &[&str]) -> Row {
        Row::Lines(lines.iter().map(|l| (*l).to_owned()).collect())
    }

    #[test]
    fn transcript_rows_become_labelled_lines() {
        assert_eq!(
            row(&["Jordan Avery", "Thanks.\nReally."]),
            lines(&["Jordan Avery: Thanks. Really."])
        );
        assert_eq!(
            row(&["00:00:03", "Sam Okafor", "Sure."]),
            lines(&["00:00:03 Sam Okafor: Sure."])
        );
        assert_eq!(
            row(&["Sam Okafor", "0:09", "Sure."]),
            lines(&["0:09 Sam Okafor: Sure."])
        );
        assert_eq!(row(&["", "and more"]), Row::Continues("and more".to_owned()));
        assert_eq!(row(&["Speaker", "Text"]), Row::Header);
        // Not a transcript row: cells stay paragraphs.
        let long = "This cell is a whole sentence with far more than six words";
        assert_eq!(row(&[long, "x"]), lines(&[long, "x"]));
        assert_eq!(row(&["a", "b", "c", "d"]), lines(&["a", "b", "c", "d"]));
    }

    #[test]
    fn notes_before_the_transcript_heading_are_left_out() {
        let text = "Meeting notes\nSummary\nJordan Avery: said hi.\n📖 Transcript\nJordan Avery: Hi.\n";
        assert_eq!(transcript_part(text), ("Jordan Avery: Hi.\n".to_owned(), Some(4)));
        let plain = "Transcript\nKELLY: Hi.\n";
        assert_eq!(transcript_part(plain), (plain.to_owned(), None));
    }
}
