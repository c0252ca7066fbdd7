//! Offsets into document text.
//!
//! Files and exports count **Unicode scalar values** (chars), half-open
//! `[start, end)`, so that `text[start:end]` in Python yields the quote.
//! In memory we work with **byte ranges on char boundaries**, because that
//! is what `str` slicing and egui's galleys want. [`CharIndex`] converts
//! between the two in O(log n) without scanning the whole text; it is built
//! once per document and is the only place this conversion happens.

use std::ops::Range;

/// Every how many chars a byte checkpoint is stored. Small enough that the
/// scan after the binary search stays short, large enough that the index is
/// a fraction of the text's size.
const STRIDE: usize = 64;

/// Converts char offsets to byte offsets and back for one text.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CharIndex {
    /// `checkpoints[i]` is the byte offset of char `i * STRIDE`.
    checkpoints: Vec<usize>,
    char_len: usize,
    byte_len: usize,
}

impl CharIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self {
                checkpoints: Vec::new(),
                char_len: text.len(),
                byte_len: text.len(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(byte);
            }
            char_len += 1;
        }
        Self {
            checkpoints,
            char_len,
            byte_len: text.len(),
        }
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Number of chars in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of char offset `char_offset`, or `None` past the end.
    pub fn byte_of_char(&self, text: &str, char_offset: usize) -> Option<usize> {
        if char_offset > self.char_len {
            return None;
        }
        if char_offset == self.char_len {
            return Some(self.byte_len);
        }
        if self.is_ascii() {
            return Some(char_offset);
        }
        let checkpoint = char_offset / STRIDE;
        let base = *self.checkpoints.get(checkpoint)?;
        let skip = char_offset - checkpoint * STRIDE;
        text.get(base..)?
            .char_indices()
            .nth(skip)
            .map(|(byte, _)| base + byte)
    }

    /// Char offset of byte offset `byte_offset`, or `None` when it is past
    /// the end or not on a char boundary.
    pub fn char_of_byte(&self, text: &str, byte_offset: usize) -> Option<usize> {
        if byte_offset > self.byte_len || !text.is_char_boundary(byte_offset) {
            return None;
        }
        if self.is_ascii() {
            return Some(byte_offset);
        }
        let checkpoint = match self.checkpoints.binary_search(&byte_offset) {
            Ok(exact) => return Some(exact * STRIDE),
            Err(after) => after.saturating_sub(1),
        };
        let base = self.checkpoints.get(checkpoint).copied().unwrap_or(0);
        let counted = text.get(base..byte_offset)?.chars().count();
        Some(checkpoint * STRIDE + counted)
    }

    /// Converts a char range to a byte range.
    pub fn bytes_of_chars(&self, text: &str, chars: Range<usize>) -> Option<Range<usize>> {
        if chars.start > chars.end {
            return None;
        }
        Some(self.byte_of_char(text, chars.start)?..self.byte_of_char(text, chars.end)?)
    }

    /// Converts a byte range to a char range.
    pub fn chars_of_bytes(&self, text: &str, bytes: Range<usize>) -> Option<Range<usize>> {
        if bytes.start > bytes.end {
            return None;
        }
        Some(self.char_of_byte(text, bytes.start)?..self.char_of_byte(text, bytes.end)?)
    }
}

/// `text` cut to at most `max` chars, with `…` when something was cut;
/// for quotes in messages and lists.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max).chain(['…']).collect()
    }
}

/// `text` safe to print in a message: control characters (C0 but for
/// nothing, DEL, C1) and the bidirectional overrides that reorder what a
/// terminal shows become visible escapes (`\u{1b}`, `\n`), so quoting a
/// hostile file can neither drive the terminal (retitle, clear, recolour)
/// nor forge extra message lines. Borrowed when there is nothing to escape.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hostile(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Orders names the way a person reads them: `Claim 2` before `Claim 10`,
/// `ana` beside `Ana`. Runs of ASCII digits compare as numbers and
/// letters compare case-insensitively; names equal by those rules fall
/// back to plain `str` order, so the result is a total order (a sort by
/// it is the same on every run) and `Equal` only for identical strings.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    NaturalTokens::new(a)
        .cmp(NaturalTokens::new(b))
        .then_with(|| a.cmp(b))
}

/// What [`natural_cmp`] compares: a number (its digits without leading
/// zeros) or one lower-cased char.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NaturalToken<'a> {
    Number(&'a str),
    Char(char),
}

impl NaturalToken<'_> {
    /// A number sorts where its first digit would among chars, so `a1`
    /// and `a-` keep the order plain text gives them.
    fn position(&self) -> char {
        match self {
            Self::Number(_) => '0',
            Self::Char(c) => *c,
        }
    }
}

impl Ord for NaturalToken<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        self.position()
            .cmp(&other.position())
            .then_with(|| match (self, other) {
                // Without leading zeros, the longer digit run is the larger number.
                (Self::Number(a), Self::Number(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
                (Self::Number(_), Self::Char(_)) => Ordering::Less,
                (Self::Char(_), Self::Number(_)) => Ordering::Greater,
                (Self::Char(a), Self::Char(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for NaturalToken<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The tokens of one string, lazily: no allocation per comparison.
struct NaturalTokens<'a> {
    rest: &'a str,
    /// The rest of a char whose lower case is several chars (`İ`).
    lower: Option<std::char::ToLowercase>,
}

impl<'a> NaturalTokens<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            rest: text,
            lower: None,
        }
    }
}

impl<'a> Iterator for NaturalTokens<'a> {
    type Item = NaturalToken<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(c) = self.lower.as_mut().and_then(Iterator::next) {
            return Some(NaturalToken::Char(c));
        }
        self.lower = None;
        let digits = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let (run, rest) = self.rest.split_at(digits);
            self.rest = rest;
            let trimmed = run.trim_start_matches('0');
            return Some(NaturalToken::Number(trimmed));
        }
        let mut chars = self.rest.chars();
        let c = chars.next()?;
        self.rest = chars.as_str();
        let mut lower = c.to_lowercase();
        let first = lower.next().unwrap_or(c);
        self.lower = Some(lower);
        Some(NaturalToken::Char(first))
    }
}

/// Counts words the way a researcher would: Unicode word segments with a
/// letter or digit (`unicode_words`), with a fast path for ASCII lines.
pub use word_count::word_count;
pub(crate) use word_count::{cut_after, cut_at_or_before};

mod word_count;

/// The word that byte `offset` falls strictly inside (not at its start or
/// end), as a byte range; `None` between words, in spaces or punctuation.
/// Words are Unicode word segments (UAX #29) with a letter or digit, so
/// "don't", "Peña" and "中文" are one word each.
pub fn word_around(text: &str, offset: usize) -> Option<Range<usize>> {
    use unicode_segmentation::UnicodeSegmentation;
    if offset == 0 || offset >= text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    // A window around the offset: words are short, texts are long.
    let mut lo = offset.saturating_sub(1024);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (offset + 1024).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    text[lo..hi]
        .split_word_bound_indices()
        .map(|(start, word)| (lo + start..lo + start + word.len(), word))
        .find(|(range, _)| range.start < offset && offset < range.end)
        .filter(|(_, word)| word.chars().any(char::is_alphanumeric))
        .map(|(range, _)| range)
}

/// `range` widened to whole words: a start or end that falls inside a word
/// moves to that word's start or end, so a quote never begins or ends
/// mid-word. Ends between words stay where they are. Idempotent.
pub fn snap_to_words(text: &str, range: Range<usize>) -> Range<usize> {
    let start = word_around(text, range.start).map_or(range.start, |w| w.start);
    let end = word_around(text, range.end).map_or(range.end, |w| w.end);
    start..end.max(start)
}

/// The next word edge after (`forward`) or before byte `offset`: where a
/// word (or punctuation) ends when `ends`, else where one starts. Used to
/// nudge span bounds a word at a time: an end bound stops at word ends, a
/// start bound at word starts, so spans never grow stray spaces.
pub fn step_word(text: &str, offset: usize, forward: bool, ends: bool) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    let offset = offset.min(text.len());
    // Look at a window around the offset: words are short, texts are long.
    let mut lo = offset.saturating_sub(256);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (offset + 256).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let window = &text[lo..hi];
    let mut edges = Vec::new();
    for (start, word) in window.split_word_bound_indices() {
        if !word.trim().is_empty() {
            edges.push(if ends { lo + start + word.len() } else { lo + start });
        }
    }
    if forward {
        edges.into_iter().find(|&e| e > offset).unwrap_or(hi)
    } else {
        edges.into_iter().rev().find(|&e| e < offset).unwrap_or(lo)
    }
}

/// Byte offset of the occurrence of `needle` in `text` that starts nearest
/// to byte `near`. Searches a window around `near` first: a transcript
/// corrected by hand moves quotes a little, and scanning a whole
/// million-word text for each of thousands of quotes would take minutes.
pub fn find_nearest(text: &str, needle: &str, near: usize) -> Option<usize> {
    const WINDOW: usize = 64 * 1024;
    let nearest = |from: usize, to: usize| {
        text.get(from..to)?
            .match_indices(needle)
            .map(|(start, _)| from + start)
            .min_by_key(|&start| start.abs_diff(near))
    };
    let mut from = near.saturating_sub(WINDOW).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = near.saturating_add(WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let in_window = nearest(from, to);
    // A match in the window is the nearest overall only if nothing outside
    // could be closer, i.e. it lies no farther away than the window's edge.
    match in_window {
        Some(start)
            if start.abs_diff(near) <= WINDOW.saturating_sub(needle.len())
                || (from == 0 && to == text.len()) =>
        {
            Some(start)
        }
        _ => nearest(0, text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLES: &[&str] = &[
        "",
        "plain ascii",
        "Señor Peña: ¿qué pasó?",
        "café — naïve",
        "emoji 🌮🇲🇽 and 👩‍👩‍👧 family",
        "中文字幕，日本語のテキスト",
        "e\u{301} combining a\u{308}",
    ];

    #[test]
    fn round_trips_every_char_boundary() {
        for text in SAMPLES {
            let index = CharIndex::new(text);
            assert_eq!(index.char_len(), text.chars().count());
            for (char_offset, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(index.byte_of_char(text, char_offset), Some(byte), "{text}");
                assert_eq!(index.char_of_byte(text, byte), Some(char_offset), "{text}");
            }
            assert_eq!(index.byte_of_char(text, index.char_len()), Some(text.len()));
            assert_eq!(index.byte_of_char(text, index.char_len() + 1), None);
        }
    }

    #[test]
    fn rejects_bytes_inside_a_char() {
        let text = "añb";
        let index = CharIndex::new(text);
        assert_eq!(index.char_of_byte(text, 2), None);
        assert_eq!(index.char_of_byte(text, 3), Some(2));
    }

    #[test]
    fn python_slicing_convention_gives_the_quote() {
        let text = "¡Hola, señor! 🌮 tacos";
        let index = CharIndex::new(text);
        let bytes = index.bytes_of_chars(text, 7..12).unwrap_or(0..0);
        assert_eq!(&text[bytes], "señor");
    }

    #[test]
    fn steps_a_word_at_a_time() {
        let text = "Mexico is doing very little";
        assert_eq!(step_word(text, 0, true, true), 6, "end of Mexico");
        assert_eq!(step_word(text, 6, true, true), 9, "end of is");
        assert_eq!(step_word(text, 0, true, false), 7, "start of is");
        assert_eq!(step_word(text, 9, false, false), 7, "back to the start of is");
        assert_eq!(step_word(text, 9, false, true), 6, "back to the end of Mexico");
        assert_eq!(step_word(text, text.len(), true, true), text.len());
        assert_eq!(step_word(text, 0, false, false), 0);
    }

    proptest! {
        #[test]
        fn conversion_matches_naive_counting(text in "\\PC{0,300}", pick in 0usize..400) {
            let index = CharIndex::new(&text);
            let char_offset = pick.min(index.char_len());
            let naive = text.char_indices().map(|(b, _)| b).chain([text.len()]).nth(char_offset);
            prop_assert_eq!(index.byte_of_char(&text, char_offset), naive);
            if let Some(byte) = naive {
                prop_assert_eq!(index.char_of_byte(&text, byte), Some(char_offset));
            }
        }
    }
}

#[cfg(test)]
mod find_nearest_tests {
    use super::find_nearest;
    use proptest::prelude::*;

    fn naive(text: &str, needle: &str, near: usize) -> Option<usize> {
        text.match_indices(needle)
            .map(|(start, _)| start)
            .min_by_key(|&start| (start.abs_diff(near), start))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn windowed_search_finds_the_nearest_occurrence(
            // Long, repetitive texts so matches fall inside and outside the window.
            chunks in proptest::collection::vec(prop_oneof!["ab", "née", "x{1000}", "ab{2000}"], 1..200),
            near_pick in 0usize..1_000_000,
            needle in prop_oneof!["ab", "née", "ba", "zz"],
        ) {
            let text: String = chunks.concat();
            let near = near_pick % (text.len() + 1);
            let found = find_nearest(&text, &needle, near);
            let expected = naive(&text, &needle, near);
            prop_assert_eq!(
                found.map(|s| s.abs_diff(near)),
                expected.map(|s| s.abs_diff(near)),
                "same distance as a full scan"
            );
        }
    }
}

#[cfg(test)]
mod escape_tests {
    use super::escape_controls;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(escape_controls("plain ñ 中文 🌮"), "plain ñ 中文 🌮");
        let hostile = "tag\u{1b}]0;pwned\u{7}\u{1b}[2J\nfake.ron:1:1: forged\u{202e}";
        let shown = escape_controls(hostile);
        assert!(
            !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{shown}"
        );
        assert_eq!(
            shown,
            "tag\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\nfake.ron:1:1: forged\\u{202e}"
        );
    }
}

#[cfg(test)]
mod snap_tests {
    use super::{snap_to_words, word_around};
    use proptest::prelude::*;

    #[test]
    fn ends_inside_words_move_to_the_word_edges() {
        let text = "Señor Peña says Mexico doing little, 中文 too.";
        let at = |needle: &str| text.find(needle).expect("in the text");
        // "ñor Pe" → "Señor Peña"
        let snapped = snap_to_words(text, at("ñor")..at("ña says"));
        assert_eq!(&text[snapped], "Señor Peña");
        // Ends already between words stay.
        let says = at("says")..at("says") + 4;
        assert_eq!(snap_to_words(text, says.clone()), says);
        // Punctuation is not a word: "little," keeps the comma out.
        let little = at("ittle")..at(",");
        assert_eq!(&text[snap_to_words(text, little)], "little");
        assert_eq!(word_around(text, at(" says")), None);
    }

    proptest! {
        #[test]
        fn snapping_widens_keeps_char_boundaries_and_is_idempotent(
            words in proptest::collection::vec("[a-zé中🌮]{1,6}|[ ,.;—]{1,2}", 1..30),
            a in 0usize..400,
            b in 0usize..400,
        ) {
            let text: String = words.concat();
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let pick = |n: usize| boundaries[n % boundaries.len()];
            let (start, end) = (pick(a).min(pick(b)), pick(a).max(pick(b)));
            let snapped = snap_to_words(&text, start..end);
            prop_assert!(snapped.start <= start && snapped.end >= end);
            prop_assert!(text.is_char_boundary(snapped.start) && text.is_char_boundary(snapped.end));
            prop_assert!(word_around(&text, snapped.start).is_none());
            prop_assert!(word_around(&text, snapped.end).is_none());
            prop_assert_eq!(snap_to_words(&text, snapped.clone()), snapped);
        }
    }
}

#[cfg(test)]
mod natural_tests {
    use super::natural_cmp;
    use proptest::prelude::*;
    use std::cmp::Ordering;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        names
    }

    #[test]
    fn numbers_in_names_sort_by_value_and_case_does_not_split_names() {
        assert_eq!(
            sorted(&[
                "Claim 10", "claim 2", "Claim 1", "Claim", "Blame", "Claim 2b", "Claim 02"
            ]),
            [
                "Blame", "Claim", "Claim 1", "Claim 02", "claim 2", "Claim 2b", "Claim 10"
            ]
        );
        assert_eq!(
            sorted(&["Ben", "ana", "Ana", "Ñandú"]),
            ["Ana", "ana", "Ben", "Ñandú"]
        );
        assert_eq!(
            sorted(&["x99999999999999999999999", "x100000000000000000000000", "x7"]),
            ["x7", "x99999999999999999999999", "x100000000000000000000000"],
            "digit runs longer than any integer type"
        );
        assert_eq!(
            natural_cmp("a1", "a-"),
            "a1".cmp("a-"),
            "a number sits where its digit would"
        );
        assert_eq!(natural_cmp("Claim 2", "Claim 2"), Ordering::Equal);
        assert_ne!(
            natural_cmp("Claim 02", "Claim 2"),
            Ordering::Equal,
            "ties are broken"
        );
    }

    fn name() -> impl Strategy<Value = String> {
        "[aAbB0-9 İé-]{0,8}"
    }

    proptest! {
        #[test]
        fn natural_order_is_a_total_order(a in name(), b in name(), c in name()) {
            prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
            prop_assert_eq!(natural_cmp(&a, &b) == Ordering::Equal, a == b);
            if natural_cmp(&a, &b) != Ordering::Greater && natural_cmp(&b, &c) != Ordering::Greater {
                prop_assert_ne!(natural_cmp(&a, &c), Ordering::Greater, "{:?} {:?} {:?}", a, b, c);
            }
        }

        #[test]
        fn sorting_by_natural_order_leaves_every_pair_in_order(
            mut names in proptest::collection::vec(name(), 0..20)
        ) {
            names.sort_by(|a, b| natural_cmp(a, b));
            for (i, a) in names.iter().enumerate() {
                for b in &names[i..] {
                    prop_assert_ne!(natural_cmp(a, b), Ordering::Greater);
                }
            }
        }
    }
}
