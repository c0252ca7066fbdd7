//! The document text of the cues: one line per cue (per voice), with the
//! speaker the detector will read, checked against it.
//!
//! Consecutive cues of one speaker make one turn: the first line carries
//! the label, the next ones only their time (`[00:00:12] and then…`), which
//! the detector reads as more speech of the same turn. Meeting apps cut one
//! person's answer into many cues; counting each as a turn would inflate
//! every per-turn figure. A cue that is only a stage direction
//! (`(APPLAUSE)`, `[music]`) has no speaker and ends the turn above.
//! Whatever is rendered is read back through the detector, and a line read
//! otherwise than meant falls back to a form that is always read right.

use super::cues::{Cue, clock};
use super::markup::{decode_references, split_voices};
use super::{MAX_PAREN_NAME, UNKNOWN_SPEAKER};
use crate::model::turns::detect_structure;
use std::collections::HashMap;

/// Who speaks a line of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Speaker {
    /// From a WebVTT voice tag.
    Voice(String),
    /// The cue text starts with a speaker label, kept as written: the
    /// speaker the detector reads, and where the speech starts in `text`.
    Labelled {
        speaker: String,
        speech: usize,
    },
    /// The whole cue is a stage direction: no speaker.
    Direction,
    Unknown,
}

/// One line of the document: a cue, or one voice of a cue.
#[derive(Clone, Debug)]
pub(super) struct CueLine {
    /// Index of the cue, to count cues that produced nothing.
    pub(super) cue: usize,
    pub(super) timestamp: String,
    pub(super) speaker: Speaker,
    /// Markup-free text on one line, never empty.
    pub(super) text: String,
    /// Written without a label, continuing the turn of the line above.
    pub(super) continues: bool,
    /// Cleared when a continuation was misread: the line keeps its label.
    pub(super) may_continue: bool,
}

/// The document lines of all cues, in order.
pub(super) fn cue_lines(cues: &[Cue], webvtt: bool) -> Vec<CueLine> {
    let mut lines = Vec::new();
    for (index, cue) in cues.iter().enumerate() {
        let raw = cue.text.join("\n");
        for (voice, text) in split_voices(&raw) {
            let text = if webvtt { decode_references(&text) } else { text };
            let text = one_line(&text);
            if text.is_empty() {
                continue;
            }
            let speaker = match voice.or_else(|| cue.voice.clone()) {
                Some(voice) => Speaker::Voice(voice),
                None if is_direction(&text) => Speaker::Direction,
                None => Speaker::Unknown,
            };
            lines.push(CueLine {
                cue: index,
                timestamp: clock(cue.start),
                speaker,
                text,
                continues: false,
                may_continue: true,
            });
        }
    }
    mark_labelled(&mut lines);
    mark_continuations(&mut lines);
    lines
}

/// `(APPLAUSE)`, `[music]`, `(41 seconds of silence)`: one bracketed note.
fn is_direction(text: &str) -> bool {
    let inner = text
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .or_else(|| text.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')));
    inner.is_some_and(|inner| !inner.contains(['(', ')', '[', ']']))
}

/// Lines of a cue joined with single spaces, each trimmed.
pub(super) fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Marks the cues without a voice whose text starts with a speaker label,
/// by the same rules as text transcripts — run over all those cues at once,
/// so that a mixed-case `Celia:` counts when it recurs, or when every cue
/// has a label (a Zoom export, where one person may speak once).
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
        let turn = paragraph.turn.and_then(|turn| structure.turns.get(turn));
        if paragraph.starts_turn
            && let Some(turn) = turn
            && let Some(line) = lines.get_mut(index)
        {
            line.speaker = Speaker::Labelled {
                speaker: turn.speaker.clone(),
                speech: turn
                    .speech_start
                    .saturating_sub(paragraph.range.start)
                    .min(line.text.len()),
            };
        }
    }
}

/// Who a line's turn belongs to, for joining consecutive cues: `None` for
/// lines that never join (unknown speakers may be different people).
fn turn_key(speaker: &Speaker) -> Option<(bool, &str)> {
    match speaker {
        Speaker::Voice(name) => Some((true, name)),
        Speaker::Labelled { speaker, .. } => Some((false, speaker)),
        Speaker::Direction | Speaker::Unknown => None,
    }
}

/// Marks each line whose speaker is the one of the line right above it.
pub(super) fn mark_continuations(lines: &mut [CueLine]) {
    let mut previous: Option<(bool, String)> = None;
    for line in lines.iter_mut() {
        let key = turn_key(&line.speaker).map(|(voice, name)| (voice, name.to_owned()));
        line.continues = line.may_continue && key.is_some() && key == previous;
        previous = key;
    }
}

/// The document text: one line per cue line, each ending with `\n`.
pub(super) fn render(lines: &[CueLine], voices: &mut VoiceLabels) -> String {
    let mut out = String::new();
    for line in lines {
        out.push('[');
        out.push_str(&line.timestamp);
        out.push_str("] ");
        let mut text = line.text.as_str();
        match &line.speaker {
            Speaker::Labelled { speech, .. } if line.continues => {
                text = line.text.get(*speech..).unwrap_or(&line.text);
            }
            _ if line.continues => {}
            Speaker::Voice(name) => {
                out.push_str(voices.label(name));
                out.push_str(": ");
            }
            Speaker::Labelled { .. } | Speaker::Direction => {}
            Speaker::Unknown => {
                out.push_str(UNKNOWN_SPEAKER);
                out.push_str(": ");
            }
        }
        out.push_str(text);
        out.push('\n');
    }
    out
}

/// Indices of the lines of `body` (one per cue line) that the detector does
/// not read as meant: a labelled line that opens no timed turn, a
/// continuation that opens one or belongs to none, a stage direction that
/// belongs to a turn.
pub(super) fn misread_lines(body: &str, lines: &[CueLine]) -> Vec<usize> {
    let structure = detect_structure(body);
    structure
        .paragraphs
        .iter()
        .zip(lines)
        .enumerate()
        .filter(|(_, (paragraph, line))| {
            let turn = paragraph.turn.and_then(|turn| structure.turns.get(turn));
            let right = if line.continues {
                !paragraph.starts_turn && turn.is_some()
            } else if line.speaker == Speaker::Direction {
                turn.is_none()
            } else {
                paragraph.starts_turn && turn.is_some_and(|turn| turn.timestamp.is_some())
            };
            !right
        })
        .map(|(index, _)| index)
        .collect()
}

/// Puts the misread lines in a form the detector always reads right: a
/// continuation gets its label back, anything else the placeholder speaker.
pub(super) fn fall_back(lines: &mut [CueLine], misread: &[usize]) {
    for &index in misread {
        if let Some(line) = lines.get_mut(index) {
            if line.continues {
                line.may_continue = false;
            } else {
                line.speaker = Speaker::Unknown;
            }
        }
    }
    mark_continuations(lines);
}

/// Speaker labels for voice names, each checked against the detector once.
#[derive(Default)]
pub(super) struct VoiceLabels {
    labels: HashMap<String, String>,
}

impl VoiceLabels {
    /// The label written for voice `name`: the name itself when the detector
    /// reads it as a speaker after a timestamp (a role in parentheses, as in
    /// `Jordan Avery (Guest)`, may be left out of the speaker); else in
    /// capitals (`ana`: the broadcast layout takes it); else
    /// `UNKNOWN SPEAKER (name)`, so that the turn is kept and the name is
    /// still in the text (names with colons).
    pub(super) fn label(&mut self, name: &str) -> &str {
        self.labels
            .entry(name.to_owned())
            .or_insert_with(|| {
                let upper = name.to_uppercase();
                for label in [name, upper.as_str()] {
                    if reads_as(label).is_some_and(|speaker| names_the_voice(label, &speaker)) {
                        return label.to_owned();
                    }
                }
                let kept: String = name
                    .chars()
                    .filter(|c| !matches!(c, '(' | ')'))
                    .take(MAX_PAREN_NAME)
                    .collect();
                let bracketed = format!("{UNKNOWN_SPEAKER} ({})", kept.trim());
                if reads_as(&bracketed).as_deref() == Some(UNKNOWN_SPEAKER) {
                    bracketed
                } else {
                    UNKNOWN_SPEAKER.to_owned()
                }
            })
            .as_str()
    }

    /// What the researcher should know about names written differently.
    pub(super) fn notices(&self) -> Vec<String> {
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

/// Whether `speaker`, as the detector read `label`, is the voice's name:
/// all of it, or all but a parenthesis after it (`(Guest)`).
fn names_the_voice(label: &str, speaker: &str) -> bool {
    let Some(rest) = label.strip_prefix(speaker) else {
        return false;
    };
    let rest = rest.trim();
    !speaker.is_empty() && (rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')')))
}

/// The speaker the detector reads in `[00:00:00] {label}: …`, written on two
/// lines as in a subtitle document (where every cue has a label).
pub(super) fn reads_as(label: &str) -> Option<String> {
    if label.is_empty() || label.contains('\n') {
        return None;
    }
    let text = format!("[00:00:00] {label}: x\n[00:00:01] {label}: y");
    let structure = detect_structure(&text);
    match structure.turns.as_slice() {
        [first, second] if first.range.start == 0 && first.speaker == second.speaker => {
            Some(first.speaker.clone())
        }
        _ => None,
    }
}
