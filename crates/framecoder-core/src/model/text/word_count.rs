//! Counting words fast. A word is a Unicode word segment (UAX #29) with a
//! letter or digit in it, which is what `unicode_words` yields; segmenting
//! a long transcript that way was most of the cost of opening a project.
//! The standard always breaks after a line feed, and on both sides of a
//! space between two ASCII characters, and none of its rules looks across
//! such a break; so the text is cut there into pieces counted apart: ASCII
//! pieces with the ASCII subset of the rules, the few pieces around other
//! characters with the full segmenter. The tests hold the two to the same
//! answer.

use unicode_segmentation::UnicodeSegmentation;

/// Word-break classes of ASCII characters (UAX #29, table 3).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `_`: joins letters and digits on either side (WB13a/b).
    ExtendNumLet,
    /// `:` — between letters only (WB6/7).
    MidLetter,
    /// `.` and `'` — between letters (WB6/7) or between digits (WB11/12).
    MidNumLet,
    /// `,` and `;` — between digits only (WB11/12).
    MidNum,
    Other,
}

fn class(byte: u8) -> Class {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b'_' => Class::ExtendNumLet,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLet,
        b',' | b';' => Class::MidNum,
        _ => Class::Other,
    }
}

fn joins(class: Class) -> bool {
    matches!(class, Class::Letter | Class::Numeric | Class::ExtendNumLet)
}

/// Words in `text` (see the module comment).
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut from = 0;
    while from < bytes.len() {
        let Some(other) = bytes[from..].iter().position(|b| !b.is_ascii()) else {
            count += ascii_words(&bytes[from..]);
            break;
        };
        let other = from + other;
        let start = (from + 1..=other)
            .rev()
            .find(|&at| cut_before(bytes, at))
            .unwrap_or(from);
        let end = (other + 1..bytes.len())
            .find(|&at| cut_before(bytes, at))
            .unwrap_or(bytes.len());
        count += ascii_words(&bytes[from..start]);
        // Cuts fall after an ASCII byte, so on char boundaries.
        count += text
            .get(start..end)
            .map_or(0, |piece| piece.unicode_words().count());
        from = end;
    }
    count
}

/// The last place in `floor..=at` where `text` may be cut so that the words
/// on either side are the text's own words; `floor` when there is none
/// (`floor` must itself be such a place, or 0).
pub(crate) fn cut_at_or_before(text: &str, floor: usize, at: usize) -> usize {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    if at == bytes.len() {
        return at;
    }
    (floor + 1..=at)
        .rev()
        .find(|&at| cut_before(bytes, at))
        .unwrap_or(floor)
}

/// The first place after `at` where `text` may be cut (see
/// [`cut_at_or_before`]); the text's end when there is none.
pub(crate) fn cut_after(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    (at + 1..bytes.len())
        .find(|&at| cut_before(bytes, at))
        .unwrap_or(bytes.len())
}

/// Whether the text may be cut just before byte `at` (`0 < at < len`):
/// after a line feed, or after a space that has ASCII on both sides.
fn cut_before(bytes: &[u8], at: usize) -> bool {
    match bytes[at - 1] {
        b'\n' => true,
        b' ' => bytes[at].is_ascii() && (at < 2 || bytes[at - 2].is_ascii()),
        _ => false,
    }
}

/// Words in ASCII text: runs of letters, digits and `_` (WB5, WB8–10,
/// WB13a/b), also across one `:`, `.` or `'` between letters (WB6/7) and
/// one `,`, `;`, `.` or `'` between digits (WB11/12); a run counts when it
/// holds a letter or digit.
fn ascii_words(text: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < text.len() {
        let first = class(text[i]);
        if !joins(first) {
            i += 1;
            continue;
        }
        let mut has_alphanumeric = first != Class::ExtendNumLet;
        let mut last = i;
        loop {
            let here = class(text[last]);
            let Some(&next) = text.get(last + 1) else { break };
            let next = class(next);
            if joins(here) && joins(next) {
                has_alphanumeric |= next != Class::ExtendNumLet;
                last += 1;
                continue;
            }
            let after = text.get(last + 2).map_or(Class::Other, |&b| class(b));
            let between_letters = here == Class::Letter
                && matches!(next, Class::MidLetter | Class::MidNumLet)
                && after == Class::Letter;
            let between_digits = here == Class::Numeric
                && matches!(next, Class::MidNum | Class::MidNumLet)
                && after == Class::Numeric;
            if between_letters || between_digits {
                last += 2;
                continue;
            }
            break;
        }
        if has_alphanumeric {
            count += 1;
        }
        i = last + 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn segmenter(text: &str) -> usize {
        text.unicode_words().count()
    }

    #[test]
    fn agrees_with_the_segmenter_on_the_awkward_cases() {
        for text in [
            "",
            "don't stop",
            "e.g. 3.14 and 1,000,000; a:b 1:2 a.1 1.a a,b",
            "snake_case __ _x x_ 1_a",
            "'quoted' \"double\" end.",
            "line one\nline two\r\nline three",
            "Señor Peña: ¿qué pasó?\nplain line 2",
            "中文字幕 and 👩‍👩‍👧 e\u{301}",
            "a.b.c d..e f.'g h'.i 1.2.3 4,,5",
            "é. b a .é 1 ,é x \u{301}y z\u{301} \u{301} 🇲🇽🇲🇽 🇲 x",
        ] {
            assert_eq!(word_count(text), segmenter(text), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn ascii_lines_count_as_the_segmenter_does(
            text in "[a-cA-C0-2_:.',; \"\t\r\n!-]{0,40}"
        ) {
            prop_assert_eq!(word_count(&text), segmenter(&text));
        }

        #[test]
        fn mixed_text_counts_as_the_segmenter_does(
            text in "[a-c0-2_:.', \n\réñ中👩🇲🇽\u{301}\u{200d}\u{a0}]{0,40}"
        ) {
            prop_assert_eq!(word_count(&text), segmenter(&text));
        }
    }
}
