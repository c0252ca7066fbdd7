//! Paragraphs and speaker turns of a transcript.
//!
//! The one place that maps a text to its lines and speakers: the transcript
//! view lays out paragraphs, exports look up the speaker of a span here.
//!
//! Detection is line by line and deliberately conservative: a line is blank,
//! furniture (headers, rules, stage directions, bare timestamps), a speaker
//! label, a *candidate* label, or text. Layouts whose labels cannot be
//! mistaken for prose (`KELLY:`, `Mr. SMITH.`, `[00:01:23] Name:`) count at
//! once; a mixed-case `Name:` counts only when the same name labels at least
//! two lines, because prose is full of `Note:` and `Update:`. A wrong turn is
//! worse than a missing one: it puts a wrong speaker in every export row.

use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// One line of the text (without its `\n`), the unit the view lays out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range of the line, excluding the newline.
    pub range: Range<usize>,
    /// Index into [`Structure::turns`] of the turn this line belongs to.
    pub turn: Option<usize>,
    /// True for the line that opens its turn (where the speaker is shown).
    pub starts_turn: bool,
}

/// A speaker turn: from a speaker label up to the next turn or section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    pub speaker: String,
    /// As written in the transcript, e.g. `00:01:23`.
    pub timestamp: Option<String>,
    /// Byte range of the whole turn, speaker label included.
    pub range: Range<usize>,
    /// Byte offset where the speech starts (after the speaker label).
    pub speech_start: usize,
}

/// Paragraphs and turns of one text.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Structure {
    pub paragraphs: Vec<Paragraph>,
    pub turns: Vec<Turn>,
    /// Distinct speakers in order of first appearance (derived from `turns`).
    pub speakers: Vec<String>,
}

impl Structure {
    /// Index of the paragraph containing byte `offset` (the last one for
    /// offsets at the very end).
    pub fn paragraph_at(&self, offset: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.range.end < offset)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    /// The turn containing byte `offset`, if any.
    pub fn turn_at(&self, offset: usize) -> Option<&Turn> {
        let index = self.turns.partition_point(|t| t.range.end <= offset);
        self.turns.get(index).filter(|t| t.range.start <= offset)
    }

    /// The turn a span (a byte range of `text`) belongs to, with its index
    /// in `turns`: the turn of its first non-blank char, since a span
    /// dragged from the end of the previous line starts with a newline that
    /// belongs to no turn. `None` when that char is in no turn. This is the
    /// one span→speaker mapping: span exports and statistics use it.
    pub fn turn_of_span(&self, text: &str, bytes: std::ops::Range<usize>) -> Option<(usize, &Turn)> {
        let span = text.get(bytes.clone()).unwrap_or("");
        let lead = span.len() - span.trim_start().len();
        let offset = if lead < span.len() {
            bytes.start + lead
        } else {
            bytes.start
        };
        let turn = self.turn_at(offset)?;
        // Turns are disjoint and in text order, so the start finds the index.
        let index = self
            .turns
            .binary_search_by_key(&turn.range.start, |t| t.range.start)
            .ok()?;
        Some((index, turn))
    }

    /// Distinct speakers, in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        self.speakers.iter().map(String::as_str).collect()
    }
}

/// Splits `text` into paragraphs (lines) and detects speaker turns.
///
/// Every line becomes a paragraph, blank ones included, so paragraph ranges
/// tile the text. A turn opens at a line that starts with a speaker label and
/// runs over the following lines until the next label or a furniture line
/// (section header, rule, stage direction, bare timestamp); blank lines do not
/// end it, but trailing blank lines are left out of its range.
pub fn detect_structure(text: &str) -> Structure {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        paragraphs.push(Paragraph {
            range: start..end,
            turn: None,
            starts_turn: false,
        });
        start = end + 1;
    }
    let Some(patterns) = PATTERNS.as_ref() else {
        // Unreachable in practice (a unit test compiles every pattern), but a
        // transcript without turns is better than a crash.
        return Structure {
            paragraphs,
            ..Structure::default()
        };
    };
    let lines: Vec<Line<'_>> = paragraphs
        .iter()
        .map(|p| patterns.classify(text.get(p.range.clone()).unwrap_or("")))
        .collect();
    let accepted = accepted_candidates(&lines);
    let mut turns = build_turns(text, &mut paragraphs, &lines, &accepted);
    unify_surnames(&mut turns);
    let mut speakers: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for turn in &turns {
        if seen.insert(turn.speaker.as_str()) {
            speakers.push(turn.speaker.clone());
        }
    }
    Structure {
        paragraphs,
        turns,
        speakers,
    }
}

/// Broadcast transcripts name a speaker in full once (`MARTA ALVARADO,
/// HOST:`) and by surname afterwards (`ALVARADO:`). Counting those as two
/// speakers would split one person's turns in every export, so a one-word
/// speaker that is the last word of exactly one full name becomes that name.
fn unify_surnames(turns: &mut [Turn]) {
    let full_names: Vec<String> = {
        let mut names: Vec<String> = turns
            .iter()
            .filter(|t| t.speaker.split_whitespace().count() > 1)
            .map(|t| t.speaker.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    for turn in turns.iter_mut() {
        if turn.speaker.split_whitespace().count() != 1 {
            continue;
        }
        let mut matches = full_names.iter().filter(|full| {
            full.split_whitespace()
                .last()
                .is_some_and(|last| last.to_lowercase() == turn.speaker.to_lowercase())
        });
        if let (Some(full), None) = (matches.next(), matches.next()) {
            turn.speaker = full.clone();
        }
    }
}

/// A speaker label found at the start of a line. Offsets are relative to the
/// line start.
#[derive(Clone, Copy, Debug)]
struct Label<'a> {
    speaker: &'a str,
    timestamp: Option<&'a str>,
    /// Where the speech starts: after the label and the whitespace after it.
    speech: usize,
}

/// What one line is, as far as turns are concerned.
#[derive(Clone, Copy, Debug)]
enum Line<'a> {
    Blank,
    /// Headers, rules, stage directions, bare timestamps: they end a turn.
    Furniture,
    Text,
    Label(Label<'a>),
    /// A mixed-case `Name:` that is only a label if the name recurs, since
    /// prose is full of `Note:` and `Update:`.
    Candidate(Label<'a>),
}

/// A timestamp as transcription services write it: `1:23`, `00:01:23`,
/// `00:01:23.450`, `01:02:03,500`.
const TIMESTAMP: &str = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?";

/// Indentation, a closed-caption `>>` and Markdown emphasis may precede a
/// label.
const PREFIX: &str = r"^[ \t]*(?:>>[ \t]*)?(?:\*\*|__)?";

/// Closing emphasis, as in `**KELLY:**` or `**Kelly**:`.
const EMPHASIS: &str = r"(?:\*\*|__)?";

/// After the label's colon or period: whitespace or the end of the line, so
/// that `TIME:12` or `U.S.A.` is not read as a label.
const AFTER: &str = r"(?:\*\*|__)?(?:\s+|$)";

/// `(voice-over)`, `(D-Conn.)`, `(00:01:23)` after a name.
const PAREN: &str = r"[ \t]*\((?P<paren>[^()\n]{1,40})\)";

/// An all-caps word of a broadcast name: `KELLY`, `O'BRIEN`, `MARTÍNEZ`,
/// `MR.`, `McCAIN`.
const CAPS_WORD: &str = r"(?:Mc|Mac)?\p{Lu}[\p{Lu}\p{M}'’.\-]*";

/// A capitalised word of a mixed-case name: `Ana`, `Pérez`, `Dr.`.
const NAME_WORD: &str = r"\p{Lu}[\p{L}\p{M}'’.\-]*";

/// Lowercase particles that may sit inside a name (`Ana de la Cruz`).
const PARTICLE: &str = "de|del|della|da|das|do|dos|du|la|le|van|von|der|den|di|bin|al|y";

/// Titles that open a hearing label (`Mr. McFARLANE:`, `Senator SMITH.`).
const TITLE: &str = r"(?:Mr|Mrs|Ms|Mx|Dr|Sen|Rep|Gen|Col|Lt|Maj|Capt|Adm|Gov|Prof|Rev|Hon)\.|Lt\. Col\.|Miss|Senator|Representative|Congressman|Congresswoman|Delegate|Chairman|Chairwoman|Chair|Vice Chairman|Vice Chair|Ranking Member|General|Colonel|Lieutenant Colonel|Major|Captain|Admiral|Judge|Justice|Chief Justice|Secretary|Ambassador|Governor|Mayor|Director|Commissioner|Professor|Attorney General|Father|Reverend|Speaker|President";

/// A hearing surname: at least two capitals in a row, with the mixed-case
/// prefixes the Congressional Record keeps (`McFARLANE`, `DeCONCINI`).
const SURNAME: &str = r"(?:Mc|Mac|O'|O’|D'|D’|De|Di|Du|La|Le|Van|Von|St\. ?)?\p{Lu}[\p{Lu}\p{M}'’\-]+";

/// Names in capitals that are Nexis/LexisNexis header fields or editorial
/// notes, not speakers. In capitals they are page furniture.
const NOT_SPEAKERS: &[&str] = &[
    "ABSTRACT",
    "ACC-NO",
    "ANCHORS",
    "ATTENDEES",
    "BODY",
    "BYLINE",
    "CATEGORY",
    "CITY",
    "COPYRIGHT",
    "CORRECTION",
    "CORRECTION-DATE",
    "COUNTRY",
    "DATE",
    "DATELINE",
    "DISTRIBUTION",
    "DOCUMENT-TYPE",
    "DURATION",
    "EDITION",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "EXAMPLE",
    "GEOGRAPHIC",
    "GRAPHIC",
    "GUESTS",
    "HEADLINE",
    "HIGHLIGHT",
    "IMPORTANT",
    "INDUSTRY",
    "JOURNAL-CODE",
    "KEYWORDS",
    "LANGUAGE",
    "LENGTH",
    "LINK",
    "LOAD-DATE",
    "LOCATION",
    "NETWORK",
    "NOTE",
    "NOTES",
    "ORGANIZATION",
    "PARTICIPANTS",
    "PERSON",
    "PLACE",
    "POSTED",
    "PRESENT",
    "PROGRAM",
    "PUBLICATION",
    "PUBLICATION-TYPE",
    "PUBLISHED",
    "RE",
    "SECTION",
    "SERIES",
    "SHOW",
    "SOURCE",
    "SOURCES",
    "STATE",
    "SUBJECT",
    "SUMMARY",
    "TAGS",
    "TIME",
    "TITLE",
    "TOPIC",
    "TOPICS",
    "TRANSCRIPT",
    "TYPE",
    "UPDATE",
    "UPDATED",
    "URL",
    "WARNING",
];

fn is_not_speaker(name: &str) -> bool {
    NOT_SPEAKERS
        .iter()
        .any(|key| key.eq_ignore_ascii_case(name.trim()))
}

/// The compiled patterns, built once: building a regex per line would make a
/// million-word transcript crawl.
static PATTERNS: std::sync::LazyLock<Option<Patterns>> = std::sync::LazyLock::new(|| Patterns::new().ok());

struct Patterns {
    furniture: Regex,
    timestamp_prefix: Regex,
    timestamp_only: Regex,
    name_paren_time: Regex,
    name_bare_time: Regex,
    hearing: Regex,
    broadcast: Regex,
    mixed: Regex,
}

impl Patterns {
    fn new() -> Result<Self, regex::Error> {
        let any_name = format!(r"{NAME_WORD}(?: (?:{NAME_WORD}|#?\d+|{PARTICLE})){{0,4}}");
        let caps_name = format!(r"{CAPS_WORD}(?: (?:{CAPS_WORD}|#?\d+)){{0,4}}");
        let role = format!(r"{CAPS_WORD}(?: (?:{CAPS_WORD}|#?\d+)){{0,5}}");
        let the_office = r"The(?: \p{Lu}[\p{Lu}'’\-]+){1,3}(?: pro tempore)?";
        let of_state = r"(?: of \p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)?";
        let bare_time =
            format!(r"[\[(]?{TIMESTAMP}[\])]?(?:[ \t]*(?:-->|[-–—]|to)[ \t]*[\[(]?{TIMESTAMP}[\])]?)?");
        let furniture = [
            // Headers and rules: `=== rm-1.php ===`, `--- page 3 ---`, `# Part 2`.
            r"(?:={3,}|-{3,}|~{3,}|\*{3,}|_{3,}|#{1,6}[ \t]).*",
            // Decorations such as `* * *`.
            r"[-=*_~#•·][-=*_~#•· \t]{2,}",
            // Stage directions: `[MUSIC]`, `(BREAK)`, `(SOUNDBITE OF MUSIC)`.
            r"[\[(][^\[\]()]*[\])]\.?",
            // A timestamp or a time range alone, as left over from subtitles.
            &bare_time,
            r"(?i:page)[ \t]*\d+(?:[ \t]+(?i:of)[ \t]+\d+)?",
        ]
        .join("|");
        Ok(Self {
            furniture: Regex::new(&format!(r"^[ \t]*(?:{furniture})\s*$"))?,
            timestamp_prefix: Regex::new(&format!(
                r"^[ \t]*(?:>>[ \t]*)?[\[(]?(?P<ts>{TIMESTAMP})[\])]?(?:[ \t]*[-–—|][ \t]*|[ \t]+)"
            ))?,
            timestamp_only: Regex::new(&format!(r"^{TIMESTAMP}$"))?,
            name_paren_time: Regex::new(&format!(
                r"{PREFIX}(?P<name>{any_name}){EMPHASIS}[ \t]*[\[(](?P<ts>{TIMESTAMP})[\])]{EMPHASIS}(?:[ \t]*:{AFTER}|\s*$)"
            ))?,
            name_bare_time: Regex::new(&format!(
                r"{PREFIX}(?P<name>{any_name}){EMPHASIS}[ \t]+(?P<ts>{TIMESTAMP})\s*$"
            ))?,
            hearing: Regex::new(&format!(
                r"{PREFIX}(?P<name>(?:{TITLE}) {SURNAME}(?: {SURNAME}){{0,2}}{of_state}|{the_office})(?:{PAREN})?{EMPHASIS}[:.]{AFTER}"
            ))?,
            broadcast: Regex::new(&format!(
                r"{PREFIX}(?P<name>{caps_name})(?:,[ \t]+{role})?(?:{PAREN})?{EMPHASIS}:{AFTER}"
            ))?,
            mixed: Regex::new(&format!(
                r"{PREFIX}(?P<name>{NAME_WORD}(?: (?:{NAME_WORD}|#?\d+)){{0,2}})(?:{PAREN})?{EMPHASIS}:{AFTER}"
            ))?,
        })
    }

    fn classify<'a>(&self, line: &'a str) -> Line<'a> {
        if line.trim().is_empty() {
            return Line::Blank;
        }
        if self.furniture.is_match(line) {
            return Line::Furniture;
        }
        if let Some(caps) = self.timestamp_prefix.captures(line) {
            let (Some(ts), Some(whole)) = (caps.name("ts"), caps.get(0)) else {
                return Line::Text;
            };
            let rest = line.get(whole.end()..).unwrap_or("");
            // A timestamp vouches for the label, so a mixed-case name needs
            // no second occurrence here.
            return match self.label_after_timestamp(rest) {
                Some(label) => Line::Label(Label {
                    timestamp: Some(ts.as_str()),
                    speech: whole.end() + label.speech,
                    ..label
                }),
                None => Line::Text,
            };
        }
        if let Some(label) =
            timed_label(&self.name_paren_time, line).or_else(|| timed_label(&self.name_bare_time, line))
        {
            return Line::Label(label);
        }
        if let Some(label) = self.paren_label(&self.hearing, line) {
            return Line::Label(label);
        }
        if let Some(label) = self.paren_label(&self.broadcast, line) {
            return if is_not_speaker(label.speaker) {
                Line::Furniture
            } else {
                Line::Label(label)
            };
        }
        match self.paren_label(&self.mixed, line) {
            Some(label) if !is_not_speaker(label.speaker) => Line::Candidate(label),
            _ => Line::Text,
        }
    }

    fn label_after_timestamp<'a>(&self, rest: &'a str) -> Option<Label<'a>> {
        [&self.hearing, &self.broadcast, &self.mixed]
            .into_iter()
            .find_map(|regex| self.paren_label(regex, rest))
            .filter(|label| !is_not_speaker(label.speaker))
    }

    /// A label from one of the name patterns; a timestamp in parentheses
    /// after the name (`KELLY (00:01:23):`) is kept.
    fn paren_label<'a>(&self, regex: &Regex, line: &'a str) -> Option<Label<'a>> {
        let caps = regex.captures(line)?;
        let timestamp = caps
            .name("paren")
            .map(|m| m.as_str().trim())
            .filter(|inner| self.timestamp_only.is_match(inner));
        Some(Label {
            speaker: caps.name("name")?.as_str().trim(),
            timestamp,
            speech: caps.get(0)?.end(),
        })
    }
}

/// A label whose pattern captures its timestamp as `ts`.
fn timed_label<'a>(regex: &Regex, line: &'a str) -> Option<Label<'a>> {
    let caps = regex.captures(line)?;
    Some(Label {
        speaker: caps.name("name")?.as_str().trim(),
        timestamp: Some(caps.name("ts")?.as_str()),
        speech: caps.get(0)?.end(),
    })
}

/// Mixed-case names that occur as a label at least twice, or that also occur
/// as a label of a surer layout.
fn accepted_candidates<'a>(lines: &[Line<'a>]) -> HashSet<&'a str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut sure: HashSet<&str> = HashSet::new();
    for line in lines {
        match line {
            Line::Candidate(label) => *counts.entry(label.speaker).or_insert(0) += 1,
            Line::Label(label) => {
                sure.insert(label.speaker);
            }
            _ => {}
        }
    }
    counts
        .into_iter()
        .filter(|(name, count)| *count >= 2 || sure.contains(name))
        .map(|(name, _)| name)
        .collect()
}

/// A turn being built while the lines are walked.
struct OpenTurn {
    first_line: usize,
    last_content_line: usize,
    /// Where speech starts when the label line holds only the label: the
    /// first non-blank text after it.
    speech_on_label_line: Option<usize>,
    speech_later: Option<usize>,
}

fn build_turns(
    text: &str,
    paragraphs: &mut [Paragraph],
    lines: &[Line<'_>],
    accepted: &HashSet<&str>,
) -> Vec<Turn> {
    let mut turns = Vec::new();
    let mut open: Option<OpenTurn> = None;
    for (index, line) in lines.iter().enumerate() {
        let label = match line {
            Line::Label(label) => Some(label),
            Line::Candidate(label) if accepted.contains(label.speaker) => Some(label),
            _ => None,
        };
        let line_range = paragraphs.get(index).map(|p| p.range.clone()).unwrap_or(0..0);
        if let Some(label) = label {
            close_turn(text, paragraphs, &mut turns, open.take());
            let line_text = text.get(line_range.clone()).unwrap_or("");
            let speech_on_label_line =
                (label.speech < line_text.trim_end().len()).then_some(line_range.start + label.speech);
            turns.push(Turn {
                speaker: label.speaker.to_owned(),
                timestamp: label.timestamp.map(str::to_owned),
                range: line_range.clone(),
                speech_start: line_range.end,
            });
            open = Some(OpenTurn {
                first_line: index,
                last_content_line: index,
                speech_on_label_line,
                speech_later: None,
            });
            continue;
        }
        match line {
            Line::Furniture => close_turn(text, paragraphs, &mut turns, open.take()),
            Line::Blank => {}
            _ => {
                if let Some(turn) = open.as_mut() {
                    turn.last_content_line = index;
                    if turn.speech_later.is_none() {
                        let line_text = text.get(line_range.clone()).unwrap_or("");
                        let indent = line_text.len() - line_text.trim_start().len();
                        turn.speech_later = Some(line_range.start + indent);
                    }
                }
            }
        }
    }
    close_turn(text, paragraphs, &mut turns, open);
    turns
}

/// Fixes the range and speech start of the last turn and marks its
/// paragraphs.
fn close_turn(text: &str, paragraphs: &mut [Paragraph], turns: &mut [Turn], open: Option<OpenTurn>) {
    let Some(open) = open else { return };
    let turn_index = turns.len().saturating_sub(1);
    let Some(turn) = turns.last_mut() else { return };
    let Some(lines) = paragraphs.get_mut(open.first_line..=open.last_content_line) else {
        return;
    };
    if let Some(last) = lines.last() {
        turn.range.end = last.range.end;
    }
    let label_line_end = lines.first().map_or(turn.range.end, |p| p.range.end);
    turn.speech_start = open
        .speech_on_label_line
        .or(open.speech_later)
        .unwrap_or(label_line_end)
        .min(turn.range.end);
    debug_assert!(text.is_char_boundary(turn.speech_start));
    for (offset, paragraph) in lines.iter_mut().enumerate() {
        paragraph.turn = Some(turn_index);
        paragraph.starts_turn = offset == 0;
    }
}

#[cfg(test)]
mod surname_tests {
    use super::*;

    #[test]
    fn surname_turns_join_the_full_name() {
        let text = "MARTA ALVARADO, HOST: Hello.\n\nDANIEL OKAFOR, BYLINE: Hi.\n\nALVARADO: And?\n\nOKAFOR: Well.\n\nSMITH: Other.\n";
        let structure = detect_structure(text);
        let speakers = structure.speakers();
        assert_eq!(speakers, vec!["MARTA ALVARADO", "DANIEL OKAFOR", "SMITH"]);
        assert_eq!(structure.turns.len(), 5);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (speaker, timestamp, speech) of every turn.
    fn turns_of(text: &str) -> Vec<(String, Option<String>, String)> {
        let structure = detect_structure(text);
        structure
            .turns
            .iter()
            .map(|t| {
                (
                    t.speaker.clone(),
                    t.timestamp.clone(),
                    text[t.speech_start..t.range.end].to_owned(),
                )
            })
            .collect()
    }

    fn speakers_of(text: &str) -> Vec<String> {
        turns_of(text).into_iter().map(|(s, _, _)| s).collect()
    }

    /// Checks every structural invariant the view and the exports rely on.
    fn assert_well_formed(text: &str, structure: &Structure) {
        let paragraphs = &structure.paragraphs;
        assert_eq!(paragraphs.first().map(|p| p.range.start), Some(0));
        assert_eq!(paragraphs.last().map(|p| p.range.end), Some(text.len()));
        for pair in paragraphs.windows(2) {
            assert_eq!(pair[0].range.end + 1, pair[1].range.start);
            assert_eq!(text.as_bytes()[pair[0].range.end], b'\n');
        }
        for p in paragraphs {
            assert!(!text[p.range.clone()].contains('\n'));
        }
        let mut previous_end = 0;
        for (i, turn) in structure.turns.iter().enumerate() {
            assert!(turn.range.start >= previous_end, "turns overlap or unsorted");
            assert!(turn.range.start < turn.range.end);
            assert!(text.is_char_boundary(turn.range.start));
            assert!(text.is_char_boundary(turn.range.end));
            assert!(text.is_char_boundary(turn.speech_start));
            assert!((turn.range.start..=turn.range.end).contains(&turn.speech_start));
            previous_end = turn.range.end;
            let members: Vec<&Paragraph> = paragraphs.iter().filter(|p| p.turn == Some(i)).collect();
            let (Some(first), Some(last)) = (members.first(), members.last()) else {
                panic!("turn {i} has no paragraphs");
            };
            assert!(first.starts_turn);
            assert_eq!(first.range.start, turn.range.start);
            assert_eq!(last.range.end, turn.range.end);
            assert!(!text[last.range.clone()].trim().is_empty(), "trailing blank line");
            assert_eq!(
                members.len(),
                last_index(paragraphs, last) - last_index(paragraphs, first) + 1
            );
            assert_eq!(
                structure.turn_at(turn.range.start).map(|t| t.range.clone()),
                Some(turn.range.clone())
            );
        }
        let starts = paragraphs.iter().filter(|p| p.starts_turn).count();
        assert_eq!(starts, structure.turns.len());
    }

    fn last_index(paragraphs: &[Paragraph], target: &Paragraph) -> usize {
        paragraphs
            .iter()
            .position(|p| p.range == target.range)
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn every_pattern_compiles() {
        Patterns::new().expect("every pattern compiles");
    }

    #[test]
    fn paragraphs_are_lines_including_empty_ones() {
        let text = "a\n\nb\n";
        let structure = detect_structure(text);
        let ranges: Vec<_> = structure.paragraphs.iter().map(|p| p.range.clone()).collect();
        assert_eq!(ranges, vec![0..1, 2..2, 3..4, 5..5]);
        assert_well_formed(text, &structure);
        assert_eq!(detect_structure("").paragraphs.len(), 1);
    }

    #[test]
    fn broadcast_labels() {
        let text = "KELLY: Good morning.\n\
                    STEVE INSKEEP, HOST: And I'm Steve Inskeep.\n\
                    UNIDENTIFIED PERSON #1: (Chanting in Spanish).\n\
                    MARTÍNEZ: Sí.\n\
                    JOHN KING, CNN CHIEF NATIONAL CORRESPONDENT: Thanks.\n\
                    BLITZER (voice-over): Breaking news.\n\
                    O'BRIEN: Hi.\n\
                    >> JUDY WOODRUFF: Good evening.\n";
        assert_eq!(
            turns_of(text),
            vec![
                ("KELLY".into(), None, "Good morning.".into()),
                ("STEVE INSKEEP".into(), None, "And I'm Steve Inskeep.".into()),
                (
                    "UNIDENTIFIED PERSON #1".into(),
                    None,
                    "(Chanting in Spanish).".into()
                ),
                ("MARTÍNEZ".into(), None, "Sí.".into()),
                ("JOHN KING".into(), None, "Thanks.".into()),
                ("BLITZER".into(), None, "Breaking news.".into()),
                ("O'BRIEN".into(), None, "Hi.".into()),
                ("JUDY WOODRUFF".into(), None, "Good evening.".into()),
            ]
        );
    }

    #[test]
    fn hearing_labels() {
        let text = "Mr. McFARLANE: Yes, sir.\n\
                    Senator SMITH. I yield.\n\
                    Mr. SMITH. Thank you.\n\
                    The CHAIRMAN. The committee will come to order.\n\
                    Chairman INOUYE: Proceed.\n\
                    Ms. JONES:\n\
                    Mrs. SCHROEDER. Yes.\n\
                    Dr. KISSINGER: No.\n\
                    Representative HAMILTON: Well.\n\
                    Rep. COHEN: So.\n\
                    Sen. DeCONCINI. Right.\n\
                    General SECORD: Correct.\n\
                    Colonel NORTH: Yes.\n\
                    Admiral POINDEXTER: I did.\n\
                    Judge WALSH: Indeed.\n\
                    Mr. SMITH of Texas. Mr. Speaker, I rise.\n\
                    The SPEAKER pro tempore. The gentleman is recognized.\n";
        assert_eq!(
            speakers_of(text),
            vec![
                "Mr. McFARLANE",
                "Senator SMITH",
                "Mr. SMITH",
                "The CHAIRMAN",
                "Chairman INOUYE",
                "Ms. JONES",
                "Mrs. SCHROEDER",
                "Dr. KISSINGER",
                "Representative HAMILTON",
                "Rep. COHEN",
                "Sen. DeCONCINI",
                "General SECORD",
                "Colonel NORTH",
                "Admiral POINDEXTER",
                "Judge WALSH",
                "Mr. SMITH of Texas",
                "The SPEAKER pro tempore",
            ]
        );
        let turns = turns_of(text);
        assert_eq!(turns[1].2, "I yield.");
        // `Ms. JONES:` is followed directly by another label, so her turn has
        // no speech at all.
        assert_eq!(turns[5].2, "");
    }

    #[test]
    fn transcription_service_labels_keep_timestamps() {
        let text = "[00:01:23] KELLY: Hello.\n\
                    [00:01:25] Ana Pérez: Hola.\n\
                    Jane Doe (00:01:30): Hi there.\n\
                    Speaker 1 (1:23): Okay.\n\
                    [00:01:40.450] Bob: Sure.\n\
                    01:02:03,500 - Mr. SMITH: Yes.\n\
                    \n\
                    Ana Pérez  00:02:00\n\
                    Well, I think so.\n\
                    \n\
                    And more.\n\
                    \n\
                    \n\
                    Bob Lee 2:05\n\
                    Right.\n";
        assert_eq!(
            turns_of(text),
            vec![
                ("KELLY".into(), Some("00:01:23".into()), "Hello.".into()),
                ("Ana Pérez".into(), Some("00:01:25".into()), "Hola.".into()),
                ("Jane Doe".into(), Some("00:01:30".into()), "Hi there.".into()),
                ("Speaker 1".into(), Some("1:23".into()), "Okay.".into()),
                ("Bob".into(), Some("00:01:40.450".into()), "Sure.".into()),
                ("Mr. SMITH".into(), Some("01:02:03,500".into()), "Yes.".into()),
                (
                    "Ana Pérez".into(),
                    Some("00:02:00".into()),
                    "Well, I think so.\n\nAnd more.".into()
                ),
                ("Bob Lee".into(), Some("2:05".into()), "Right.".into()),
            ]
        );
        assert_well_formed(text, &detect_structure(text));
    }

    #[test]
    fn timestamp_in_parentheses_of_a_broadcast_label() {
        assert_eq!(
            turns_of("KELLY (00:01:23): Hi.\n"),
            vec![("KELLY".into(), Some("00:01:23".into()), "Hi.".into())]
        );
    }

    #[test]
    fn mixed_case_names_need_to_recur() {
        let text = "Interviewer: How did it start?\n\
                    Respondent: Slowly.\n\
                    Interviewer: And then?\n\
                    Respondent: Quickly.\n\
                    Speaker 1: Once.\n\
                    Note: this line is prose.\n";
        assert_eq!(
            speakers_of(text),
            vec!["Interviewer", "Respondent", "Interviewer", "Respondent"]
        );
        // `Speaker 1:` occurs once, so it is text of the previous turn.
        let structure = detect_structure(text);
        assert_eq!(structure.paragraphs[4].turn, Some(3));
        assert_eq!(structure.paragraphs[5].turn, Some(3));

        let prose = "Update: the vote is delayed.\nNote: see below.\nUpdate: it passed.\nNote: again.\n";
        assert!(detect_structure(prose).turns.is_empty());
    }

    #[test]
    fn markdown_emphasis_around_labels() {
        let text = "**KELLY:** Hi.\n**Ana**: Hola.\n**Ana**: Adiós.\n";
        assert_eq!(speakers_of(text), vec!["KELLY", "Ana", "Ana"]);
        assert_eq!(turns_of(text)[0].2, "Hi.");
    }

    #[test]
    fn colons_in_prose_are_not_labels() {
        let texts = [
            "He said: yes.\nHe said: no.\n",
            "THE PRESIDENT OF THE UNITED STATES SAID TODAY: nothing.\n",
            "The Committee On Foreign Affairs Met On Tuesday And Said: no.\nThe Committee On Foreign Affairs Met On Tuesday And Said: no.\n",
            "Mr. Smith went to Washington: a film.\n",
            "It was 10:30 when he left.\n",
            "TIME:12 is not a label\n",
            "See Mr. Smith. He is here.\n",
            "Mr. Smith. He is here.\n",
        ];
        for text in texts {
            assert!(detect_structure(text).turns.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn nexis_header_fields_are_furniture() {
        let text = "BYLINE: Steve Inskeep\n\
                    SECTION: News; Domestic\n\
                    LENGTH: 812 words\n\
                    BODY:\n\
                    INSKEEP: Good morning.\n\
                    NOEL KING, BYLINE: Hi.\n\
                    LOAD-DATE: April 3, 2018\n";
        let structure = detect_structure(text);
        assert_eq!(speakers_of(text), vec!["INSKEEP", "NOEL KING"]);
        assert_eq!(structure.paragraphs[6].turn, None);
        assert_well_formed(text, &structure);
    }

    #[test]
    fn blank_lines_continue_a_turn_and_furniture_ends_it() {
        let text = "KELLY: One.\n\nTwo.\n\n\n=== part 2 ===\nstray line\n\nKELLY: Three.\n[MUSIC]\nafter music\nINSKEEP: Four.\n00:05:00\nafter time\nMARTIN: Five.\n--- page 3 ---\nMARTIN: Six.\n(BREAK)\n";
        let structure = detect_structure(text);
        assert_well_formed(text, &structure);
        let turns = &structure.turns;
        assert_eq!(turns.len(), 5);
        assert_eq!(&text[turns[0].range.clone()], "KELLY: One.\n\nTwo.");
        assert_eq!(&text[turns[1].range.clone()], "KELLY: Three.");
        assert_eq!(&text[turns[2].range.clone()], "INSKEEP: Four.");
        assert_eq!(&text[turns[3].range.clone()], "MARTIN: Five.");
        assert_eq!(&text[turns[4].range.clone()], "MARTIN: Six.");
        let turn_of_line = |line: &str| {
            let start = text.find(line).unwrap_or(usize::MAX);
            structure.paragraphs[structure.paragraph_at(start)].turn
        };
        assert_eq!(turn_of_line("Two."), Some(0));
        assert_eq!(turn_of_line("=== part 2"), None);
        assert_eq!(turn_of_line("stray line"), None);
        assert_eq!(turn_of_line("after music"), None);
        assert_eq!(turn_of_line("after time"), None);
        // Trailing blank lines of turn 0 belong to no turn.
        assert_eq!(structure.paragraphs[3].turn, None);
        assert_eq!(structure.paragraphs[2].turn, Some(0));
        assert_eq!(structure.paragraphs[1].turn, Some(0));
    }

    #[test]
    fn speech_on_the_lines_after_a_lone_label() {
        let text = "KELLY:\n\n  Good morning.\nMore.\n";
        let structure = detect_structure(text);
        let turn = &structure.turns[0];
        assert_eq!(&text[turn.speech_start..turn.range.end], "Good morning.\nMore.");
    }

    #[test]
    fn windows_line_endings_do_not_break_labels() {
        let text = "KELLY: Hi.\r\nINSKEEP:\r\nYes.\r\n";
        assert_eq!(speakers_of(text), vec!["KELLY", "INSKEEP"]);
        assert_well_formed(text, &detect_structure(text));
    }

    const IRAN_CONTRA: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/iran_contra_1987_mcfarlane_excerpts.txt"
    ));

    #[test]
    fn iran_contra_hearing_excerpts() {
        let structure = detect_structure(IRAN_CONTRA);
        assert_well_formed(IRAN_CONTRA, &structure);
        // grep -cE '^Mr\. [A-Za-z]+: ' tests/data/iran_contra_1987_mcfarlane_excerpts.txt
        assert_eq!(structure.turns.len(), 209);
        let count = |speaker: &str| structure.turns.iter().filter(|t| t.speaker == speaker).count();
        // grep -c '^Mr\. McFARLANE: ' (and likewise for LIMAN, RUDMAN)
        assert_eq!(count("Mr. McFARLANE"), 104);
        assert_eq!(count("Mr. LIMAN"), 32);
        assert_eq!(count("Mr. RUDMAN"), 21);
        assert_eq!(
            structure.speakers(),
            vec![
                "Mr. LIMAN",
                "Mr. McFARLANE",
                "Mr. NIELDS",
                "Mr. LEON",
                "Mr. RUDMAN",
                "Mr. MITCHELL",
                "Mr. COHEN"
            ]
        );
        let headers: Vec<&Paragraph> = structure
            .paragraphs
            .iter()
            .filter(|p| IRAN_CONTRA[p.range.clone()].starts_with("=== "))
            .collect();
        assert_eq!(headers.len(), 8); // grep -c '^===' gives 8
        assert!(headers.iter().all(|p| p.turn.is_none()));
        // The long answer spanning several paragraphs stays one turn.
        let at = IRAN_CONTRA.find("Then both came out.").unwrap_or(0);
        let turn = structure.turn_at(at).map(|t| t.speaker.as_str());
        assert_eq!(turn, Some("Mr. McFARLANE"));
        for turn in &structure.turns {
            assert!(!IRAN_CONTRA[turn.speech_start..].starts_with(' '));
            assert!(IRAN_CONTRA[turn.range.start..turn.speech_start].ends_with(": "));
        }
    }

    #[test]
    fn large_text_is_structured() {
        let block = "KELLY: The caravan is moving north, officials said on Tuesday.\n\
                     \n\
                     It is expected to reach the border within weeks: nobody knows.\n\
                     Mr. McFARLANE: That is correct.\n\
                     [00:01:23] Ana Pérez: Hola, ¿qué tal?\n\
                     === section ===\n";
        let text = block.repeat(2_000);
        let structure = detect_structure(&text);
        assert_eq!(structure.turns.len(), 6_000);
        assert_eq!(structure.paragraphs.len(), 12_001);
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,30}",
            "[ a-zA-Z:.\\[\\]()#0-9]{0,20}",
            Just(String::new()),
            Just("  ".to_owned()),
            Just("=== part ===".to_owned()),
            Just("[MUSIC]".to_owned()),
            Just("00:01:23".to_owned()),
            "(KELLY|MARTÍNEZ|STEVE INSKEEP, HOST|Mr\\. McFARLANE|The CHAIRMAN): ?\\PC{0,20}",
            "(Ana Pérez|Speaker [12]|Note): \\PC{0,10}",
            "\\[0?0:0[0-9]:[0-5][0-9]\\] (Bob|ÉLAN): \\PC{0,10}",
            "(Ana Pérez|Bob Lee) \\(0[0-9]:[0-5][0-9]\\):?",
            "(Ana Pérez|Bob Lee) +0[0-9]:[0-5][0-9] *",
        ]
    }

    proptest! {
        #[test]
        fn structure_is_always_well_formed(
            lines in prop::collection::vec(line(), 0..25),
            crlf in any::<bool>(),
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            let structure = detect_structure(&text);
            assert_well_formed(&text, &structure);
        }

        #[test]
        fn arbitrary_text_is_well_formed(text in "\\PC{0,200}") {
            let structure = detect_structure(&text);
            assert_well_formed(&text, &structure);
        }
    }
}
