//! Units of agreement: how a document is cut into the units each coder's
//! value is compared on, as weighted runs of identical values.

use super::{Run, Span, UnitKind};
use crate::model::{Document, LabelId, text};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

pub(super) fn sets_at(spans: &[&Span], coded: &[bool]) -> Vec<Option<Vec<LabelId>>> {
    let mut sets: Vec<Option<Vec<LabelId>>> = coded.iter().map(|&c| c.then(Vec::new)).collect();
    for span in spans {
        if let Some(Some(set)) = sets.get_mut(span.coder)
            && !set.contains(&span.label)
        {
            set.push(span.label);
        }
    }
    for set in sets.iter_mut().flatten() {
        set.sort_unstable();
    }
    sets
}

/// Each turn of a document: its char range, its byte range and its
/// speaker's index (by the caller's names), for tagging runs.
pub(super) type TurnSpeakers = Vec<(Range<usize>, Range<usize>, u32)>;

/// The speaker at char (`bytes == false`) or byte offset `at`.
fn speaker_at(turns: &TurnSpeakers, at: usize, bytes: bool) -> Option<u32> {
    let range = |t: &(Range<usize>, Range<usize>, u32)| if bytes { t.1.clone() } else { t.0.clone() };
    let index = turns.partition_point(|t| range(t).end <= at);
    turns.get(index).filter(|t| range(t).start <= at).map(|t| t.2)
}

/// The first turn boundary (start or end, in bytes) after `at`.
fn next_turn_edge(turns: &TurnSpeakers, at: usize) -> Option<usize> {
    let index = turns.partition_point(|t| t.1.end <= at);
    let turn = turns.get(index)?;
    Some(if turn.1.start > at {
        turn.1.start
    } else {
        turn.1.end
    })
}

/// Character units, as runs between consecutive span and turn boundaries
/// (turn boundaries so each run has one speaker).
pub(super) fn char_runs(
    spans: &[Span],
    coded: &[bool],
    length: usize,
    turns: &TurnSpeakers,
    runs: &mut Vec<Run>,
) {
    let mut cuts: Vec<usize> = spans.iter().flat_map(|s| [s.chars.start, s.chars.end]).collect();
    cuts.extend(turns.iter().flat_map(|(range, _, _)| [range.start, range.end]));
    cuts.extend([0, length]);
    cuts.sort_unstable();
    cuts.dedup();
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.chars.start);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if to > length || from >= to {
            continue;
        }
        while next < by_start.len() && by_start[next].chars.start <= from {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|s| s.chars.end > from);
        let sets = sets_at(&active, coded);
        push_run(runs, (to - from) as f64, sets, speaker_at(turns, from, false));
    }
}

/// The units of `kind` (other than characters) of a document, as sorted,
/// disjoint char ranges: word tokens (UAX #29), sentences (UAX #29),
/// non-blank lines, or the speech of each speaker turn. Whitespace at a
/// unit's edges is left out, so a span ending with a space does not reach
/// into the next unit.
pub(super) fn unit_ranges(document: &Document, kind: UnitKind) -> Vec<Range<usize>> {
    let text: &str = &document.text;
    let trimmed = |bytes: Range<usize>| {
        let piece = text.get(bytes.clone()).unwrap_or("");
        let start = bytes.start + (piece.len() - piece.trim_start().len());
        let end = bytes.start + piece.trim_end().len();
        (start < end).then_some(start..end)
    };
    let bytes: Vec<Range<usize>> = match kind {
        UnitKind::Char => Vec::new(),
        UnitKind::Word => text
            .unicode_word_indices()
            .map(|(byte, word)| byte..byte + word.len())
            .collect(),
        UnitKind::Sentence => text
            .split_sentence_bound_indices()
            .filter_map(|(byte, sentence)| trimmed(byte..byte + sentence.len()))
            .collect(),
        UnitKind::Paragraph => document
            .structure
            .paragraphs
            .iter()
            .filter_map(|p| trimmed(p.range.clone()))
            .collect(),
        UnitKind::Turn => document
            .structure
            .turns
            .iter()
            .filter_map(|t| trimmed(t.speech_start..t.range.end))
            .collect(),
    };
    bytes
        .into_iter()
        .filter_map(|range| document.chars.chars_of_bytes(text, range))
        .collect()
}

/// Units of several chars: a unit counts as coded with a label by a coder
/// when one of that coder's spans with the label overlaps it by at least
/// one character.
pub(super) fn segment_runs(
    units: &[Range<usize>],
    spans: &[Span],
    coded: &[bool],
    turns: &TurnSpeakers,
    runs: &mut Vec<Run>,
) {
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.chars.start);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    for chars in units {
        while next < by_start.len() && by_start[next].chars.start < chars.end {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|s| s.chars.end > chars.start);
        let overlapping: Vec<&Span> = active
            .iter()
            .copied()
            .filter(|s| s.chars.start < chars.end)
            .collect();
        push_run(
            runs,
            1.0,
            sets_at(&overlapping, coded),
            speaker_at(turns, chars.start, false),
        );
    }
}

/// Word-token units, as [`segment_runs`] over [`unit_ranges`] would give,
/// but fast: segmenting a million words one by one dominated agreement.
/// Stretches no span reaches are counted in one go with
/// [`text::word_count`] (cut where no word crosses, and at turn edges so a
/// run has one speaker), and a word under the same spans as the one
/// before adds to that word's run without building its label sets again.
pub(super) fn word_runs(
    document: &Document,
    spans: &[Span],
    coded: &[bool],
    turns: &TurnSpeakers,
    runs: &mut Vec<Run>,
) {
    let text: &str = &document.text;
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.bytes.start);
    let uncoded = sets_at(&[], coded);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    let mut overlapping: Vec<&Span> = Vec::new();
    // The spans over the previous word (and its speaker), while its run is
    // the last one.
    let mut previous: Option<(Vec<&Span>, Option<u32>)> = None;
    let mut at = 0;
    while at < text.len() {
        // No later word starts before `at`: spans ending there are done.
        active.retain(|s| s.bytes.end > at);
        if active.is_empty() {
            let span = by_start.get(next).map_or(text.len(), |s| s.bytes.start);
            let coming = next_turn_edge(turns, at).map_or(span, |edge| edge.min(span));
            let cut = text::cut_at_or_before(text, at, coming);
            if cut > at {
                let words = text.get(at..cut).map_or(0, text::word_count);
                if words > 0 {
                    push_run(runs, words as f64, uncoded.clone(), speaker_at(turns, at, true));
                    previous = None;
                }
                at = cut;
                continue;
            }
        }
        let end = text::cut_after(text, at);
        for (offset, word) in text.get(at..end).unwrap_or("").unicode_word_indices() {
            let (start, stop) = (at + offset, at + offset + word.len());
            while next < by_start.len() && by_start[next].bytes.start < stop {
                active.push(by_start[next]);
                next += 1;
            }
            active.retain(|s| s.bytes.end > start);
            overlapping.clear();
            overlapping.extend(active.iter().copied().filter(|s| s.bytes.start < stop));
            let speaker = speaker_at(turns, start, true);
            let same = previous.as_ref().is_some_and(|(p, who)| {
                *who == speaker
                    && p.len() == overlapping.len()
                    && p.iter().zip(&overlapping).all(|(a, b)| std::ptr::eq(*a, *b))
            });
            match runs.last_mut() {
                Some(last) if same => last.weight += 1.0,
                _ => {
                    push_run(runs, 1.0, sets_at(&overlapping, coded), speaker);
                    previous = Some((overlapping.clone(), speaker));
                }
            }
        }
        at = end;
    }
}

/// Appends a run, merging it into the previous one when every coder's
/// value is the same (keeps a million identical units to one entry).
pub(super) fn push_run(
    runs: &mut Vec<Run>,
    weight: f64,
    sets: Vec<Option<Vec<LabelId>>>,
    speaker: Option<u32>,
) {
    match runs.last_mut() {
        Some(last) if last.sets == sets && last.speaker == speaker => last.weight += weight,
        _ => runs.push(Run {
            weight,
            sets,
            speaker,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentId;
    use proptest::prelude::*;
    use std::sync::Arc;

    fn turns_of(document: &Document) -> TurnSpeakers {
        document
            .structure
            .turns
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let chars = document.chars.chars_of_bytes(&document.text, t.range.clone())?;
                Some((chars, t.range.clone(), (i % 2) as u32))
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The fast word units equal the plain ones: every word segmented,
        /// its sets built, tagged with its speaker.
        #[test]
        fn word_runs_equal_word_by_word_runs(
            text in "(A: |B: )?[ab1.,' \né中\u{301}]{0,40}(\nA: [ab .]{0,10}|\nB: [ab .]{0,10}){0,3}",
            raw in prop::collection::vec((0usize..90, 0usize..20, 0usize..3, 0usize..2), 0..8),
            coded in prop::collection::vec(any::<bool>(), 3),
        ) {
            let document = Document::new(DocumentId::new(), "d".into(), Arc::from(text.as_str()), None);
            let labels = [LabelId::new(), LabelId::new()];
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let spans: Vec<Span> = raw
                .iter()
                .filter_map(|&(start, len, coder, label)| {
                    let from = *boundaries.get(start.min(boundaries.len() - 1))?;
                    let to = *boundaries.get((start + len).min(boundaries.len() - 1))?;
                    let chars = document.chars.chars_of_bytes(&text, from..to)?;
                    Some(Span { coder, label: labels[label], chars, bytes: from..to })
                })
                .collect();
            let turns = turns_of(&document);
            let (mut fast, mut plain) = (Vec::new(), Vec::new());
            word_runs(&document, &spans, &coded, &turns, &mut fast);
            segment_runs(&unit_ranges(&document, UnitKind::Word), &spans, &coded, &turns, &mut plain);
            prop_assert_eq!(fast, plain);
        }
    }
}
