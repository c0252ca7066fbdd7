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
//! - Consecutive cues of one speaker (the same voice, or the same label)
//!   make one turn: the later ones are written with their time only
//!   (`[00:00:31] and the rest.`), read as more speech of the turn above.
//! - A cue that is only a stage direction (`(APPLAUSE)`, `<v >(pause)`) is
//!   written with its time and no speaker: it is no turn.
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
//! line it does not read as meant is rewritten with its label (a
//! continuation) or the placeholder speaker, so every spoken cue is in a
//! turn with a timestamp, whatever the input.
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
mod cues;
mod markup;
mod render;

use crate::model::{Document, DocumentId};
pub(in crate::io::import) use cues::Cue;
use cues::parse;
#[cfg(test)]
use cues::{clock, parse_timestamp, parse_timing};
#[cfg(test)]
use markup::{decode_references, split_voices};
use render::{VoiceLabels, cue_lines, fall_back, misread_lines, render};
use std::path::PathBuf;

/// The speaker of cues that name none.
pub const UNKNOWN_SPEAKER: &str = "UNKNOWN SPEAKER";

/// How many line-numbered problems are listed before "… and N more".
const MAX_PROBLEMS: usize = 8;

/// Longest voice name kept in parentheses after [`UNKNOWN_SPEAKER`] when it
/// cannot be a label itself: the detector reads at most 40 characters there.
pub(super) const MAX_PAREN_NAME: usize = 40;

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
    let built = document_of_cues(name, imported_from, &parsed.cues, webvtt, "subtitle cue");
    notices.push(built.summary);
    if parsed.header_missing {
        notices.push("the file does not start with WEBVTT; read as WebVTT anyway".to_owned());
    }
    notices.extend(built.details);
    notices.extend(capped(parsed.problems, MAX_PROBLEMS));
    Ok(Imported {
        document: built.document,
        notices,
    })
}

/// A document made of timed cues, with what the import report says of it.
pub(in crate::io::import) struct CueDocument {
    pub document: Document,
    /// `N subtitle cues, T turns; speakers: …`.
    pub summary: String,
    /// Cues left out, voice names adapted, lines misread.
    pub details: Vec<String>,
}

/// The document of `cues` in the layout the module note describes; `unit`
/// names a cue in the summary (`subtitle cue`, `segment`). Shared by the
/// subtitle and speech-to-text (JSON) readers.
pub(in crate::io::import) fn document_of_cues(
    name: &str,
    imported_from: Option<String>,
    cues: &[Cue],
    webvtt: bool,
    unit: &str,
) -> CueDocument {
    let mut lines = cue_lines(cues, webvtt);
    // Cues whose text is empty once markup is removed make no line.
    let empty_cues = cues
        .len()
        .saturating_sub(count_distinct(lines.iter().map(|line| line.cue)));
    let mut voices = VoiceLabels::default();
    let mut body = render(&lines, &mut voices);
    // Cue text read as a label on its own may not be one after a timestamp
    // (`Ana Pérez  00:02:00`), and a continuation may read as a label
    // (`Honestly: …`); such lines fall back to forms that are always read
    // right. Each pass only takes labels away, so a few passes settle it.
    let mut misread = misread_lines(&body, &lines);
    for _ in 0..4 {
        if misread.is_empty() {
            break;
        }
        fall_back(&mut lines, &misread);
        body = render(&lines, &mut voices);
        misread = misread_lines(&body, &lines);
    }
    let document = Document::new(DocumentId::new(), name.to_owned(), body.into(), imported_from);

    let count = cues.len() - empty_cues;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut summary = format!("{count} {unit}{}", plural(count));
    let turns = document.structure.turns.len();
    if turns != count {
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
                plural(unnamed)
            ));
        }
    }
    let mut details = Vec::new();
    if empty_cues > 0 {
        details.push(format!(
            "{empty_cues} cue{} without text left out",
            plural(empty_cues)
        ));
    }
    details.extend(voices.notices());
    if !misread.is_empty() {
        // Unreachable by construction (placeholder lines are always turns),
        // but if the detector changes, the researcher should know.
        details.push(format!(
            "{} cue lines are not recognised as turns; check the speaker margin",
            misread.len()
        ));
    }
    CueDocument {
        document,
        summary,
        details,
    }
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

#[cfg(test)]
mod tests;
