//! Reading the cues of a subtitle file: timing lines, identifiers, WebVTT
//! blocks, and the damage hand-edited files have.

use super::SubtitleFormat;

/// One cue as read from the file.
#[derive(Debug)]
pub(in crate::io::import) struct Cue {
    /// Start time in milliseconds.
    pub start: u64,
    /// The cue's text lines (markup still in), trimmed.
    pub text: Vec<String>,
    /// Line number of the last text line, to recognise a cue number that
    /// follows it without a blank line.
    pub last_text_line: usize,
    /// The speaker a reader knows from outside the text (a diarised
    /// speech-to-text segment); a voice tag in the text wins.
    pub voice: Option<String>,
}

#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) format: SubtitleFormat,
    pub(super) cues: Vec<Cue>,
    /// Line-numbered problems, in file order.
    pub(super) problems: Vec<String>,
    /// A `.vtt` file without the `WEBVTT` header line.
    pub(super) header_missing: bool,
}

/// Where the reader is between lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum State {
    /// Between blocks, or in a block that is not (yet) a cue.
    Outside,
    /// Reading the text of the last cue.
    InCue,
    /// In a WebVTT header, NOTE, STYLE or REGION block.
    Skipping,
}

/// Reads the cues of a subtitle text (already decoded, `\n` line endings).
///
/// Line by line rather than block by block, so that files missing the blank
/// line between cues still split at every timing line.
pub(super) fn parse(text: &str, format: SubtitleFormat) -> Parsed {
    let first_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let has_header = is_webvtt_header(first_line.trim());
    let format = if has_header {
        SubtitleFormat::WebVtt
    } else {
        format
    };
    let webvtt = format == SubtitleFormat::WebVtt;
    let mut cues: Vec<Cue> = Vec::new();
    let mut problems = Vec::new();
    // Non-blank lines of the current block seen outside any cue, with their
    // line numbers: a cue identifier, or stray text.
    let mut stray: Vec<(usize, &str)> = Vec::new();
    let mut state = State::Outside;
    let mut block_start = true;
    let mut seen_content = false;
    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            flush_stray(&mut stray, webvtt, &mut cues, &mut problems);
            state = State::Outside;
            block_start = true;
            continue;
        }
        let first_of_block = std::mem::replace(&mut block_start, false);
        let first_of_file = !std::mem::replace(&mut seen_content, true);
        if state == State::Outside && first_of_block && webvtt && starts_skipped_block(line, first_of_file) {
            state = State::Skipping;
            continue;
        }
        if line.contains("-->") {
            match parse_timing(line) {
                Some(start) => {
                    drop_identifier(number, webvtt, &mut stray, &mut cues, state);
                    flush_stray(&mut stray, webvtt, &mut cues, &mut problems);
                    cues.push(Cue {
                        start,
                        text: Vec::new(),
                        last_text_line: number,
                        voice: None,
                    });
                    state = State::InCue;
                }
                // A comment or style sheet mentioning an arrow stays skipped.
                None if state == State::Skipping => {}
                None if state == State::InCue => {
                    problems.push(format!(
                        "line {number}: {} looks like a timing line but is not one; kept as text",
                        quoted(line)
                    ));
                    push_text(&mut cues, number, line);
                }
                None => {
                    problems.push(format!(
                        "line {number}: timing line not understood: {}",
                        quoted(line)
                    ));
                    drop_identifier(number, webvtt, &mut stray, &mut cues, state);
                    flush_stray(&mut stray, webvtt, &mut cues, &mut problems);
                    // The text under it is stray: joined to the cue above.
                    state = State::Outside;
                }
            }
            continue;
        }
        match state {
            State::Skipping => {}
            State::InCue => push_text(&mut cues, number, line),
            State::Outside => stray.push((number, line)),
        }
    }
    flush_stray(&mut stray, webvtt, &mut cues, &mut problems);
    Parsed {
        format,
        cues,
        problems,
        header_missing: format == SubtitleFormat::WebVtt && !has_header,
    }
}

pub(super) fn is_webvtt_header(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// WebVTT blocks that hold no speech: the header, comments, styles, regions.
pub(super) fn starts_skipped_block(line: &str, first_of_file: bool) -> bool {
    if first_of_file && is_webvtt_header(line) {
        return true;
    }
    let keyword = |word: &str| {
        line.strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    keyword("NOTE") || keyword("STYLE") || keyword("REGION")
}

pub(super) fn push_text(cues: &mut [Cue], number: usize, line: &str) {
    if let Some(cue) = cues.last_mut() {
        cue.text.push(line.to_owned());
        cue.last_text_line = number;
    }
}

/// Removes the cue identifier that precedes the timing line at `number`: a
/// SubRip cue number, or any WebVTT identifier opening its block. A number
/// right under the previous cue's text (no blank line between cues) is an
/// identifier too.
pub(super) fn drop_identifier(
    number: usize,
    webvtt: bool,
    stray: &mut Vec<(usize, &str)>,
    cues: &mut [Cue],
    state: State,
) {
    let previous = number.saturating_sub(1);
    if let Some(&(line_number, line)) = stray.last() {
        let opens_block = stray.len() == 1;
        if line_number == previous && (is_cue_number(line) || (webvtt && opens_block)) {
            stray.pop();
        }
        return;
    }
    if state != State::InCue {
        return;
    }
    if let Some(cue) = cues.last_mut()
        && cue.last_text_line == previous
        && cue.text.last().is_some_and(|line| is_cue_number(line))
    {
        cue.text.pop();
    }
}

pub(super) fn is_cue_number(line: &str) -> bool {
    !line.is_empty() && line.bytes().all(|byte| byte.is_ascii_digit())
}

/// Text outside any cue: the rest of a cue after a stray blank line, or a
/// cue whose timing line is broken. A lone cue number is dropped; a broken
/// timing line (and the identifier above it) is reported and dropped; the
/// text is joined to the cue above, or before the first cue left out; both
/// with a notice.
pub(super) fn flush_stray(
    stray: &mut Vec<(usize, &str)>,
    webvtt: bool,
    cues: &mut [Cue],
    problems: &mut Vec<String>,
) {
    let mut lines = std::mem::take(stray);
    if let [(_, only)] = lines.as_slice()
        && is_cue_number(only)
    {
        return;
    }
    let opens_with_identifier = |lines: &[(usize, &str)]| {
        lines
            .first()
            .is_some_and(|(_, first)| webvtt || is_cue_number(first))
    };
    let timing = lines
        .iter()
        .position(|(_, line)| looks_like_timing(line))
        .filter(|&at| at == 0 || (at == 1 && opens_with_identifier(&lines)));
    if let Some(at) = timing {
        if let Some(&(number, line)) = lines.get(at) {
            problems.push(format!(
                "line {number}: timing line not understood: {}",
                quoted(line)
            ));
        }
        lines.drain(..=at);
    } else if lines.len() > 1 && lines.first().is_some_and(|(_, first)| is_cue_number(first)) {
        // A cue number whose timing line is missing altogether.
        lines.remove(0);
    }
    let Some(&(first, _)) = lines.first() else {
        return;
    };
    match cues.last_mut() {
        Some(cue) => {
            cue.text.extend(lines.iter().map(|(_, line)| (*line).to_owned()));
            problems.push(format!(
                "line {first}: text outside any cue was joined to the cue above"
            ));
        }
        None => problems.push(format!("line {first}: text before the first cue was left out")),
    }
}

/// A line without `-->` that was meant as one: digits, colons and
/// punctuation (`00:00:03,000 -> 00:00:04,000`), no letters.
pub(super) fn looks_like_timing(line: &str) -> bool {
    line.contains(':')
        && line.bytes().filter(u8::is_ascii_digit).count() >= 4
        && !line.chars().any(char::is_alphabetic)
}

/// A line for a notice, shortened: a broken file may have very long lines.
pub(super) fn quoted(line: &str) -> String {
    const MAX: usize = 60;
    if line.chars().count() > MAX {
        let head: String = line.chars().take(MAX).collect();
        format!("“{head}…”")
    } else {
        format!("“{line}”")
    }
}

/// The start of a timing line `start --> end [settings]`, in milliseconds.
pub(super) fn parse_timing(line: &str) -> Option<u64> {
    let (left, right) = line.split_once("-->")?;
    let start = parse_timestamp(left.trim())?;
    parse_timestamp(right.split_whitespace().next()?)?;
    Some(start)
}

/// `hh:mm:ss,mmm`, `hh:mm:ss.mmm`, `mm:ss.mmm`, with or without the
/// fraction; hours up to 99, which is all the transcript layout can show.
pub(super) fn parse_timestamp(text: &str) -> Option<u64> {
    let (clock, fraction) = match text.find(['.', ',']) {
        Some(at) => (text.get(..at)?, Some(text.get(at + 1..)?)),
        None => (text, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [hours, minutes, seconds] => (digits(hours, 2)?, digits(minutes, 2)?, digits(seconds, 2)?),
        [minutes, seconds] => (0, digits(minutes, 2)?, digits(seconds, 2)?),
        _ => return None,
    };
    if minutes >= 60 || seconds >= 60 {
        return None;
    }
    let millis = match fraction {
        None => 0,
        Some(fraction) => {
            let value = digits(fraction, 3)?;
            // `.5` is half a second, not five milliseconds.
            let scale = match fraction.len() {
                1 => 100,
                2 => 10,
                _ => 1,
            };
            value * scale
        }
    };
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

/// 1 to `max` ASCII digits.
pub(super) fn digits(text: &str, max: usize) -> Option<u64> {
    if text.is_empty() || text.len() > max || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `hh:mm:ss` of a start time in milliseconds.
pub(super) fn clock(millis: u64) -> String {
    let seconds = millis / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}
