//! SubRip (`.srt`) and WebVTT (`.vtt`) subtitles as transcripts.
//!
//! # Layout of the document text
//!
//! Turns are derived from the document text every time a project is loaded,
//! so the text itself has to carry them. Each cue becomes one line that the
//! speaker detection of [`crate::model::turns`] reads as a turn, and that a
//! researcher reads as a timed transcript:
//!
//! ```text
//! [00:00:23] Celia: You're a jerk, Thom.
//! [00:00:25] >> THOM: Look Celia, we have to follow our passions;
//! [00:00:27] UNKNOWN SPEAKER: ...you have your robotics, and I just want to be awesome in space.
//! ```
//!
//! - The timestamp is the cue's start, `hh:mm:ss` (milliseconds dropped:
//!   researchers cite seconds, and the detector's timestamps are as written).
//! - A WebVTT voice (`<v Celia>`) gives the speaker. A cue with several
//!   voices becomes one line per voice, all with the cue's start.
//! - A cue whose text starts with a speaker label (`THOM:`, `>> THOM:`,
//!   `Mr. SMITH.`, a mixed-case `Celia:` used at least twice) keeps its text
//!   as written after the timestamp; the label rules are those for text
//!   transcripts, applied to the cues' first lines.
//! - Any other cue is given the placeholder speaker [`UNKNOWN_SPEAKER`]: the
//!   detector only opens a turn at a speaker label, and a cue without one
//!   would otherwise be swallowed by the turn above it, under the wrong
//!   speaker. Two words so that the surname joining of the detector never
//!   rewrites it into a real person's name.
//! - Multi-line cue text is joined with single spaces, each line trimmed: a
//!   line break inside a cue is layout, and one line per cue keeps every cue
//!   one turn (a second line reading `[MUSIC]` or `KELLY:` would otherwise
//!   end or split the turn).
//! - Markup is removed: WebVTT tags (`<i>`, `<b>`, `<u>`, `<c.x>`,
//!   `<lang en>`, `<ruby>`, `<rt>`, inline timestamps, `<v …>`), SubRip's
//!   HTML-ish `<font …>`, `<i>`, …, and ASS overrides such as `{\an8}`.
//!   WebVTT character references (`&amp;`, `&lt;`, `&nbsp;`, `&#233;`) are
//!   decoded; in SubRip they are text. A `<` that opens no known tag
//!   (`I <3 you`) stays.
//!
//! Every line is checked against the detector after the text is built; a
//! line it does not read as a turn is rewritten with the placeholder
//! speaker, so every cue is a turn with a timestamp, whatever the input.
//!
//! # Damaged files
//!
//! Subtitles are often hand-edited, so the reader is lenient and never drops
//! speech silently. Timestamps may use `,` or `.`, may omit hours, and may
//! have cue settings after them. A line with `-->` that is not a valid
//! timing line is reported with its line number; the text under it is
//! joined to the cue above (a blank line inside a cue is handled the same
//! way), text before the first cue is left out with a notice, and a file
//! without any cue is refused with [`ImportError::NoCues`]. WebVTT headers
//! and NOTE, STYLE and REGION blocks are skipped.

use super::text::decode_transcript;
use super::{ImportError, Imported, capped, named_speakers};
use crate::model::turns::detect_structure;
use crate::model::{Document, DocumentId};
use std::collections::HashMap;
use std::path::PathBuf;

/// The speaker of cues that name none.
pub const UNKNOWN_SPEAKER: &str = "UNKNOWN SPEAKER";

/// How many line-numbered problems are listed before "… and N more".
const MAX_PROBLEMS: usize = 8;

/// Longest voice name kept in parentheses after [`UNKNOWN_SPEAKER`] when it
/// cannot be a label itself: the detector reads at most 40 characters there.
const MAX_PAREN_NAME: usize = 40;

/// The two subtitle formats. They share one reader; the format decides
/// whether WebVTT blocks, cue identifiers and character references are
/// understood. A file starting with `WEBVTT` is read as WebVTT whatever its
/// extension says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubtitleFormat {
    SubRip,
    WebVtt,
}

/// Builds a document named `name` from the bytes of a subtitle file: one
/// line, and so one turn, per cue (per voice, for a cue with several),
/// reading `[hh:mm:ss] Speaker: text` with the cue's start time. The speaker
/// comes from a WebVTT voice, or from a label the cue text starts with (then
/// kept as written), else it is [`UNKNOWN_SPEAKER`]. Markup is removed and a
/// cue's lines are joined with spaces. Damaged timing lines and text outside
/// cues are reported in the notices with their line numbers; no speech is
/// dropped. `imported_from` is recorded in the document and names the file
/// in errors.
///
/// # Errors
///
/// [`ImportError::Binary`], [`ImportError::Undecodable`] and
/// [`ImportError::NoCues`].
pub fn import_subtitles(
    name: &str,
    bytes: &[u8],
    imported_from: Option<String>,
    format: SubtitleFormat,
) -> Result<Imported, ImportError> {
    let path = PathBuf::from(imported_from.as_deref().unwrap_or(name));
    let (text, mut notices) = decode_transcript(bytes, &path)?;
    let parsed = parse(&text, format);
    if parsed.cues.is_empty() {
        return Err(ImportError::NoCues { path });
    }
    let webvtt = parsed.format == SubtitleFormat::WebVtt;
    let mut lines = cue_lines(&parsed.cues, webvtt);
    // Cues whose text is empty once markup is removed make no line.
    let empty_cues = parsed
        .cues
        .len()
        .saturating_sub(count_distinct(lines.iter().map(|line| line.cue)));
    let mut voices = VoiceLabels::default();
    let mut body = render(&lines, &mut voices);
    // Cue text read as a label on its own may not be one after a timestamp
    // (`Ana Pérez  00:02:00`); such lines fall back to the placeholder, which
    // always is.
    let mut unread = unread_lines(&body);
    if !unread.is_empty() {
        for index in &unread {
            if let Some(line) = lines.get_mut(*index) {
                line.speaker = Speaker::Unknown;
            }
        }
        body = render(&lines, &mut voices);
        unread = unread_lines(&body);
    }
    let document = Document::new(DocumentId::new(), name.to_owned(), body.into(), imported_from);

    let cues = parsed.cues.len() - empty_cues;
    let mut summary = format!("{cues} subtitle cue{}", if cues == 1 { "" } else { "s" });
    let turns = document.structure.turns.len();
    if turns != cues {
        summary.push_str(&format!(", {turns} turns"));
    }
    let speakers = named_speakers(&document);
    let unnamed = document
        .structure
        .turns
        .iter()
        .filter(|turn| turn.speaker == UNKNOWN_SPEAKER)
        .count();
    if turns == 0 {
        summary.push_str("; the cues hold no text");
    } else if speakers.is_empty() {
        summary.push_str(&format!(
            "; no speaker names, so every cue is a turn of {UNKNOWN_SPEAKER}"
        ));
    } else {
        summary.push_str(&format!("; speakers: {}", speakers.join(", ")));
        if unnamed > 0 {
            summary.push_str(&format!(
                "; {unnamed} turn{} without a speaker name under {UNKNOWN_SPEAKER}",
                if unnamed == 1 { "" } else { "s" }
            ));
        }
    }
    notices.push(summary);
    if parsed.header_missing {
        notices.push("the file does not start with WEBVTT; read as WebVTT anyway".to_owned());
    }
    if empty_cues > 0 {
        notices.push(format!(
            "{empty_cues} cue{} without text left out",
            if empty_cues == 1 { "" } else { "s" }
        ));
    }
    notices.extend(voices.notices());
    if !unread.is_empty() {
        // Unreachable by construction (placeholder lines are always turns),
        // but if the detector changes, the researcher should know.
        notices.push(format!(
            "{} cue lines are not recognised as turns; check the speaker margin",
            unread.len()
        ));
    }
    notices.extend(capped(parsed.problems, MAX_PROBLEMS));
    Ok(Imported { document, notices })
}

/// Number of distinct values in a sorted sequence.
fn count_distinct(sorted: impl Iterator<Item = usize>) -> usize {
    let mut count = 0;
    let mut previous = None;
    for value in sorted {
        if previous != Some(value) {
            count += 1;
            previous = Some(value);
        }
    }
    count
}

/// One cue as read from the file.
#[derive(Debug)]
struct Cue {
    /// Start time in milliseconds.
    start: u64,
    /// The cue's text lines (markup still in), trimmed.
    text: Vec<String>,
    /// Line number of the last text line, to recognise a cue number that
    /// follows it without a blank line.
    last_text_line: usize,
}

#[derive(Debug)]
struct Parsed {
    format: SubtitleFormat,
    cues: Vec<Cue>,
    /// Line-numbered problems, in file order.
    problems: Vec<String>,
    /// A `.vtt` file without the `WEBVTT` header line.
    header_missing: bool,
}

/// Where the reader is between lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
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
fn parse(text: &str, format: SubtitleFormat) -> Parsed {
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

fn is_webvtt_header(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// WebVTT blocks that hold no speech: the header, comments, styles, regions.
fn starts_skipped_block(line: &str, first_of_file: bool) -> bool {
    if first_of_file && is_webvtt_header(line) {
        return true;
    }
    let keyword = |word: &str| {
        line.strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    keyword("NOTE") || keyword("STYLE") || keyword("REGION")
}

fn push_text(cues: &mut [Cue], number: usize, line: &str) {
    if let Some(cue) = cues.last_mut() {
        cue.text.push(line.to_owned());
        cue.last_text_line = number;
    }
}

/// Removes the cue identifier that precedes the timing line at `number`: a
/// SubRip cue number, or any WebVTT identifier opening its block. A number
/// right under the previous cue's text (no blank line between cues) is an
/// identifier too.
fn drop_identifier(
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

fn is_cue_number(line: &str) -> bool {
    !line.is_empty() && line.bytes().all(|byte| byte.is_ascii_digit())
}

/// Text outside any cue: the rest of a cue after a stray blank line, or a
/// cue whose timing line is broken. A lone cue number is dropped; a broken
/// timing line (and the identifier above it) is reported and dropped; the
/// text is joined to the cue above, or before the first cue left out; both
/// with a notice.
fn flush_stray(stray: &mut Vec<(usize, &str)>, webvtt: bool, cues: &mut [Cue], problems: &mut Vec<String>) {
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
fn looks_like_timing(line: &str) -> bool {
    line.contains(':')
        && line.bytes().filter(u8::is_ascii_digit).count() >= 4
        && !line.chars().any(char::is_alphabetic)
}

/// A line for a notice, shortened: a broken file may have very long lines.
fn quoted(line: &str) -> String {
    const MAX: usize = 60;
    if line.chars().count() > MAX {
        let head: String = line.chars().take(MAX).collect();
        format!("“{head}…”")
    } else {
        format!("“{line}”")
    }
}

/// The start of a timing line `start --> end [settings]`, in milliseconds.
fn parse_timing(line: &str) -> Option<u64> {
    let (left, right) = line.split_once("-->")?;
    let start = parse_timestamp(left.trim())?;
    parse_timestamp(right.split_whitespace().next()?)?;
    Some(start)
}

/// `hh:mm:ss,mmm`, `hh:mm:ss.mmm`, `mm:ss.mmm`, with or without the
/// fraction; hours up to 99, which is all the transcript layout can show.
fn parse_timestamp(text: &str) -> Option<u64> {
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
fn digits(text: &str, max: usize) -> Option<u64> {
    if text.is_empty() || text.len() > max || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `hh:mm:ss` of a start time in milliseconds.
fn clock(millis: u64) -> String {
    let seconds = millis / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Who speaks a line of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Speaker {
    /// From a WebVTT voice tag.
    Voice(String),
    /// The cue text starts with a speaker label, kept as written.
    Labelled,
    Unknown,
}

/// One line of the document: a cue, or one voice of a cue.
#[derive(Clone, Debug)]
struct CueLine {
    /// Index of the cue, to count cues that produced nothing.
    cue: usize,
    timestamp: String,
    speaker: Speaker,
    /// Markup-free text on one line, never empty.
    text: String,
}

/// The document lines of all cues, in order.
fn cue_lines(cues: &[Cue], webvtt: bool) -> Vec<CueLine> {
    let mut lines = Vec::new();
    for (index, cue) in cues.iter().enumerate() {
        let raw = cue.text.join("\n");
        for (voice, text) in split_voices(&raw) {
            let text = if webvtt { decode_references(&text) } else { text };
            let text = one_line(&text);
            if text.is_empty() {
                continue;
            }
            lines.push(CueLine {
                cue: index,
                timestamp: clock(cue.start),
                speaker: voice.map_or(Speaker::Unknown, Speaker::Voice),
                text,
            });
        }
    }
    mark_labelled(&mut lines);
    lines
}

/// Lines of a cue joined with single spaces, each trimmed.
fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Marks the cues without a voice whose text starts with a speaker label,
/// by the same rules as text transcripts — run over all those cues at once,
/// so that a mixed-case `Celia:` counts when it recurs.
fn mark_labelled(lines: &mut [CueLine]) {
    let unvoiced: Vec<usize> = (0..lines.len())
        .filter(|&index| {
            lines
                .get(index)
                .is_some_and(|line| line.speaker == Speaker::Unknown)
        })
        .collect();
    if unvoiced.is_empty() {
        return;
    }
    let joined = unvoiced
        .iter()
        .filter_map(|&index| lines.get(index).map(|line| line.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let structure = detect_structure(&joined);
    for (paragraph, &index) in structure.paragraphs.iter().zip(&unvoiced) {
        if paragraph.starts_turn
            && let Some(line) = lines.get_mut(index)
        {
            line.speaker = Speaker::Labelled;
        }
    }
}

/// The document text: one line per cue line, each ending with `\n`.
fn render(lines: &[CueLine], voices: &mut VoiceLabels) -> String {
    let mut out = String::new();
    for line in lines {
        out.push('[');
        out.push_str(&line.timestamp);
        out.push_str("] ");
        match &line.speaker {
            Speaker::Voice(name) => {
                out.push_str(voices.label(name));
                out.push_str(": ");
            }
            Speaker::Labelled => {}
            Speaker::Unknown => {
                out.push_str(UNKNOWN_SPEAKER);
                out.push_str(": ");
            }
        }
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

/// Indices of the lines of `body` that do not open a turn with a timestamp.
fn unread_lines(body: &str) -> Vec<usize> {
    let structure = detect_structure(body);
    structure
        .paragraphs
        .iter()
        .enumerate()
        .filter(|(_, paragraph)| !paragraph.range.is_empty())
        .filter(|(_, paragraph)| {
            !paragraph.starts_turn
                || paragraph
                    .turn
                    .and_then(|turn| structure.turns.get(turn))
                    .is_none_or(|turn| turn.timestamp.is_none())
        })
        .map(|(index, _)| index)
        .collect()
}

/// Speaker labels for voice names, each checked against the detector once.
#[derive(Default)]
struct VoiceLabels {
    labels: HashMap<String, String>,
}

impl VoiceLabels {
    /// The label written for voice `name`: the name itself when the detector
    /// reads it as a speaker after a timestamp; else in capitals (`ana`,
    /// `Ana de la Cruz`: the broadcast layout takes longer names); else
    /// `UNKNOWN SPEAKER (name)`, so that the turn is kept and the name is
    /// still in the text (scripts without capitals, names with colons).
    fn label(&mut self, name: &str) -> &str {
        self.labels
            .entry(name.to_owned())
            .or_insert_with(|| {
                let upper = name.to_uppercase();
                if labels_as(name, name) {
                    return name.to_owned();
                }
                if labels_as(&upper, &upper) {
                    return upper;
                }
                let kept: String = name
                    .chars()
                    .filter(|c| !matches!(c, '(' | ')'))
                    .take(MAX_PAREN_NAME)
                    .collect();
                let bracketed = format!("{UNKNOWN_SPEAKER} ({})", kept.trim());
                if labels_as(&bracketed, UNKNOWN_SPEAKER) {
                    bracketed
                } else {
                    UNKNOWN_SPEAKER.to_owned()
                }
            })
            .as_str()
    }

    /// What the researcher should know about names written differently.
    fn notices(&self) -> Vec<String> {
        let mut changed: Vec<(&String, &String)> =
            self.labels.iter().filter(|(name, label)| name != label).collect();
        changed.sort();
        let mut capitals = Vec::new();
        let mut unknown = Vec::new();
        for (name, label) in changed {
            if label.starts_with(UNKNOWN_SPEAKER) {
                unknown.push(format!("“{name}”"));
            } else {
                capitals.push(format!("“{name}” as {label}"));
            }
        }
        let mut notices = Vec::new();
        if !capitals.is_empty() {
            notices.push(format!(
                "voice names written in capitals so they are read as speakers: {}",
                capitals.join(", ")
            ));
        }
        if !unknown.is_empty() {
            notices.push(format!(
                "voice names that cannot be speaker labels, kept in parentheses after {UNKNOWN_SPEAKER}: {}",
                unknown.join(", ")
            ));
        }
        notices
    }
}

/// Whether `[00:00:00] {label}: …` is read as one turn of `speaker`.
fn labels_as(label: &str, speaker: &str) -> bool {
    if label.is_empty() || label.contains('\n') {
        return false;
    }
    let line = format!("[00:00:00] {label}: x");
    let structure = detect_structure(&line);
    matches!(structure.turns.as_slice(), [turn] if turn.speaker == speaker && turn.range.start == 0)
}

/// Names of the tags removed from cue text. SubRip borrows `font`, `i`,
/// `b`, `u`, `s` from HTML; the others are WebVTT's.
const TAGS: &[&str] = &["b", "c", "font", "i", "lang", "ruby", "rt", "s", "span", "u", "v"];

/// What a `<…>` in cue text is.
#[derive(Debug, PartialEq, Eq)]
enum Tag<'a> {
    /// `<v Name>` or `<v.class Name>`.
    Voice(&'a str),
    /// `</v>`.
    VoiceEnd,
    /// Any other known tag, removed.
    Markup,
    /// Not a tag (`<3`): kept as text.
    Text,
}

fn classify_tag(inner: &str) -> Tag<'_> {
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim();
        return if name.eq_ignore_ascii_case("v") {
            Tag::VoiceEnd
        } else if TAGS.iter().any(|tag| tag.eq_ignore_ascii_case(name)) {
            Tag::Markup
        } else {
            Tag::Text
        };
    }
    // WebVTT karaoke timestamps: `<00:00:01.500>`.
    if inner.starts_with(|c: char| c.is_ascii_digit()) {
        return if parse_timestamp(inner).is_some() {
            Tag::Markup
        } else {
            Tag::Text
        };
    }
    let name_end = inner
        .find(|c: char| c == '.' || c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner.get(..name_end).unwrap_or("");
    if !TAGS.iter().any(|tag| tag.eq_ignore_ascii_case(name)) {
        return Tag::Text;
    }
    if name.eq_ignore_ascii_case("v") {
        // The annotation (the name) follows the first whitespace, after
        // any classes.
        let voice = inner
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim());
        if !voice.is_empty() {
            return Tag::Voice(voice);
        }
    }
    Tag::Markup
}

/// Splits cue text at voice tags and removes markup: `(voice, text)` pairs,
/// the text still with its line breaks.
fn split_voices(raw: &str) -> Vec<(Option<String>, String)> {
    let mut segments: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let start_segment =
        |segments: &mut Vec<(Option<String>, String)>, voice: Option<String>| match segments.last_mut() {
            Some(last) if last.1.trim().is_empty() => *last = (voice, String::new()),
            _ => segments.push((voice, String::new())),
        };
    let push = |segments: &mut Vec<(Option<String>, String)>, text: &str| {
        if let Some(last) = segments.last_mut() {
            last.1.push_str(text);
        }
    };
    let mut rest = raw;
    while let Some(open) = rest.find(['<', '{']) {
        let before = rest.get(..open).unwrap_or("");
        let tail = rest.get(open..).unwrap_or("");
        push(&mut segments, before);
        if let Some(after_brace) = tail.strip_prefix('{') {
            // ASS override blocks such as `{\an8}` or `{\i1}`.
            // Scanning only up to the next `{` keeps a cue of many `{` linear.
            if after_brace.starts_with('\\')
                && let Some(close) = after_brace
                    .find(['{', '}'])
                    .filter(|&i| after_brace.as_bytes().get(i) == Some(&b'}'))
            {
                rest = after_brace.get(close + 1..).unwrap_or("");
            } else {
                push(&mut segments, "{");
                rest = after_brace;
            }
            continue;
        }
        let after_angle = tail.get(1..).unwrap_or("");
        // A tag holds no `<`: looking only up to the next `<` or `>` keeps a
        // cue of a million `<` linear instead of quadratic.
        let close = after_angle
            .find(['<', '>'])
            .filter(|&i| after_angle.as_bytes().get(i) == Some(&b'>'));
        let Some(close) = close else {
            push(&mut segments, "<");
            rest = after_angle;
            continue;
        };
        let inner = after_angle.get(..close).unwrap_or("");
        match classify_tag(inner) {
            Tag::Voice(name) => {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                start_segment(&mut segments, Some(name));
            }
            Tag::VoiceEnd => {
                if segments.last().is_some_and(|last| last.0.is_some()) {
                    start_segment(&mut segments, None);
                }
            }
            Tag::Markup => {}
            Tag::Text => {
                push(&mut segments, "<");
                push(&mut segments, inner);
                push(&mut segments, ">");
            }
        }
        rest = after_angle.get(close + 1..).unwrap_or("");
    }
    push(&mut segments, rest);
    segments.retain(|(_, text)| !text.trim().is_empty());
    segments
}

/// Decodes WebVTT character references; unknown ones stay as written.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let tail = rest.get(amp..).unwrap_or("");
        // References are short; a far-away `;` belongs to other text.
        let decoded = tail
            .get(1..)
            .and_then(|after| after.char_indices().take(12).find(|(_, c)| *c == ';'))
            .and_then(|(semi, _)| {
                let name = tail.get(1..semi + 1)?;
                Some((reference(name)?, semi + 2))
            });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(decimal) = name.strip_prefix('#') {
        decimal.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "lrm" => Some('\u{200e}'),
            "rlm" => Some('\u{200f}'),
            _ => None,
        };
    };
    // A NUL or a line break from a reference would break the one-line cue.
    char::from_u32(code).filter(|c| !c.is_control() || *c == '\t')
}

#[cfg(test)]
mod tests {

    /// A cue of a million `<` (or `{\`) is read in linear time: each scan
    /// for a tag's end stops at the next opening. (Quadratic before: 20 s.)
    #[test]
    fn many_unclosed_tag_openers_are_kept_as_text() {
        let n = 1_000_000;
        let raw = "<".repeat(n);
        let segments = split_voices(&raw);
        let text: String = segments.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(text.len(), n);
        let braces = "{\\".repeat(n / 2);
        let text: String = split_voices(&braces).iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(text.matches('{').count(), n / 2, "unclosed overrides stay text");
        // Real tags still work next to stray openers.
        let mixed: String = split_voices("a < b <v Ana>hello</v> {\\an8}c")
            .iter()
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(mixed, "a < b hello c");
    }
    use super::*;

    fn import(text: &str, format: SubtitleFormat) -> Imported {
        import_subtitles("t", text.as_bytes(), Some("t.srt".to_owned()), format)
            .expect("the subtitles import")
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("00:00:23,000"), Some(23_000));
        assert_eq!(parse_timestamp("01:02:03.450"), Some(3_723_450));
        assert_eq!(parse_timestamp("02:03.5"), Some(123_500));
        assert_eq!(parse_timestamp("1:02:03"), Some(3_723_000));
        for bad in [
            "",
            "12",
            "00:60:00",
            "00:00:61",
            "100:00:00",
            "0a:00:00",
            "00:00:00,1234",
            "::",
            "00:00:00,",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(
            parse_timing("00:00:01,000 --> 00:00:02,000 X1:40 Y1:20"),
            Some(1_000)
        );
        assert_eq!(
            parse_timing("00:01.000 --> 00:04.000 align:start position:10%"),
            Some(1_000)
        );
        assert_eq!(parse_timing("00:00:01,000 --> soon"), None);
        assert_eq!(clock(3_723_999), "01:02:03");
    }

    #[test]
    fn tags_are_removed_and_voices_split() {
        assert_eq!(
            split_voices("<v.loud Ana Pérez>¡Hola!</v> <v Bob>Hi <i>there</i></v>"),
            vec![
                (Some("Ana Pérez".to_owned()), "¡Hola!".to_owned()),
                (Some("Bob".to_owned()), "Hi there".to_owned()),
            ]
        );
        assert_eq!(
            split_voices(
                "{\\an8}<font color=\"#fff\">I <3 you</font> <c.yellow.bg_blue>a<00:00:01.000>b</c>"
            ),
            vec![(None, "I <3 you ab".to_owned())]
        );
        assert_eq!(
            split_voices("a < b and c > d"),
            vec![(None, "a < b and c > d".to_owned())]
        );
        assert_eq!(
            split_voices("{not ass} <v>x"),
            vec![(None, "{not ass} x".to_owned())]
        );
        assert_eq!(
            decode_references("Tom &amp; Jerry &lt;3 &#233;&#xE9; &bogus; & x"),
            "Tom & Jerry <3 éé &bogus; & x"
        );
        assert_eq!(decode_references("&#0;&#10;&#xD800;"), "&#0;&#10;&#xD800;");
    }

    #[test]
    fn cue_numbers_without_blank_lines_split_cues() {
        let text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n";
        let result = import(text, SubtitleFormat::SubRip);
        assert_eq!(
            &*result.document.text,
            "[00:00:01] UNKNOWN SPEAKER: Hello\n[00:00:03] UNKNOWN SPEAKER: World\n"
        );
    }

    #[test]
    fn stray_and_malformed_blocks_are_reported_not_lost() {
        let text = "intro\n\n1\n00:00:01,000 --> 00:00:02,000\nHello\n\nstill hello\n\n2\n00:00:0x,000 --> 00:00:04,000\nlost?\n\n3\n00:00:05,000 --> 00:00:06,000\nThree --> four\n";
        let result = import(text, SubtitleFormat::SubRip);
        assert_eq!(
            &*result.document.text,
            "[00:00:01] UNKNOWN SPEAKER: Hello still hello lost?\n[00:00:05] UNKNOWN SPEAKER: Three --> four\n"
        );
        let notices = result.notices.join("\n");
        for expected in [
            "line 1: text before the first cue was left out",
            "line 7: text outside any cue was joined to the cue above",
            "line 10: timing line not understood: “00:00:0x,000 --> 00:00:04,000”",
            "line 11: text outside any cue was joined to the cue above",
            "line 15: “Three --> four” looks like a timing line but is not one; kept as text",
        ] {
            assert!(notices.contains(expected), "{expected}\n{notices}");
        }
    }

    #[test]
    fn labels_in_cue_text_are_kept_and_others_get_the_placeholder() {
        let text = "00:00:01.000 --> 00:00:02.000\n>> KELLY: Good morning.\n\n\
                    00:00:03.000 --> 00:00:04.000\nCelia: Hi.\n\n\
                    00:00:05.000 --> 00:00:06.000\nCelia: Again.\n\n\
                    00:00:07.000 --> 00:00:08.000\nNote: not a speaker.\n\n\
                    00:00:09.000 --> 00:00:10.000\nAna Pérez  00:02:00\n";
        let result = import(text, SubtitleFormat::SubRip);
        assert_eq!(
            &*result.document.text,
            "[00:00:01] >> KELLY: Good morning.\n\
             [00:00:03] Celia: Hi.\n\
             [00:00:05] Celia: Again.\n\
             [00:00:07] UNKNOWN SPEAKER: Note: not a speaker.\n\
             [00:00:09] UNKNOWN SPEAKER: Ana Pérez  00:02:00\n"
        );
        let speakers: Vec<&str> = result
            .document
            .structure
            .turns
            .iter()
            .map(|t| t.speaker.as_str())
            .collect();
        assert_eq!(
            speakers,
            ["KELLY", "Celia", "Celia", UNKNOWN_SPEAKER, UNKNOWN_SPEAKER]
        );
    }

    #[test]
    fn webvtt_blocks_are_skipped_whatever_they_hold() {
        let text = "WEBVTT\nKind: captions\n\nNOTE a --> b\nKELLY: hidden\n\nSTYLE\n::cue { x: 1 }\n\n\
                    REGION\nid:r\n\n00:01.000 --> 00:02.000 region:r\nShown.\n\nNOTE\nlater --> note\n";
        let result = import(text, SubtitleFormat::SubRip);
        assert_eq!(&*result.document.text, "[00:00:01] UNKNOWN SPEAKER: Shown.\n");
        assert_eq!(result.notices.len(), 1, "{:?}", result.notices);
        let result = import("1\n00:01.000 --> 00:02.000\nShown.\n", SubtitleFormat::WebVtt);
        assert_eq!(&*result.document.text, "[00:00:01] UNKNOWN SPEAKER: Shown.\n");
        assert!(
            result
                .notices
                .contains(&"the file does not start with WEBVTT; read as WebVTT anyway".to_owned()),
            "{:?}",
            result.notices
        );
    }

    #[test]
    fn cues_without_text_are_left_out() {
        let text = "00:00:01,000 --> 00:00:02,000\n<i> </i>\n\n00:00:03,000 --> 00:00:04,000\nHi\n\n00:00:05,000 --> 00:00:06,000\n";
        let result = import(text, SubtitleFormat::SubRip);
        assert_eq!(&*result.document.text, "[00:00:03] UNKNOWN SPEAKER: Hi\n");
        assert_eq!(
            result.notices,
            vec![
                "1 subtitle cue; no speaker names, so every cue is a turn of UNKNOWN SPEAKER".to_owned(),
                "2 cues without text left out".to_owned(),
            ]
        );
        let result = import("00:00:01,000 --> 00:00:02,000\n{\\an8}\n", SubtitleFormat::SubRip);
        assert_eq!(&*result.document.text, "");
        assert_eq!(result.notices[0], "0 subtitle cues; the cues hold no text");
    }

    #[test]
    fn voice_names_the_detector_cannot_read_are_adapted() {
        let mut voices = VoiceLabels::default();
        assert_eq!(voices.label("Ana Pérez"), "Ana Pérez");
        assert_eq!(voices.label("ana"), "ANA");
        assert_eq!(voices.label("Ana de la Cruz"), "ANA DE LA CRUZ");
        assert_eq!(voices.label("李明"), "UNKNOWN SPEAKER (李明)");
        assert_eq!(
            voices.label("Bob: (the) builder"),
            "UNKNOWN SPEAKER (Bob: the builder)"
        );
        assert_eq!(voices.notices().len(), 2, "{:?}", voices.notices());
    }
}
