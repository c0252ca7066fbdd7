//! Positions in REFI files versus byte offsets in our texts.
//!
//! Our documents hold `\n`-only text and annotations hold byte ranges. A
//! REFI file counts positions in the source text *as written*: in code
//! points or UTF-16 code units, and with `\r\n` line endings when a tool
//! (or our CRLF option) writes them. Both directions are one sweep over
//! the text for all the positions of a document at once — a per-annotation
//! scan would be quadratic on long transcripts.

use super::PositionUnit;
use std::borrow::Cow;

fn units(c: char, unit: PositionUnit) -> u64 {
    match unit {
        PositionUnit::CodePoints => 1,
        PositionUnit::Utf16 => c.len_utf16() as u64,
    }
}

/// The text as it is written to `sources/<GUID>.txt`.
pub fn source_text(text: &str, crlf: bool) -> Cow<'_, str> {
    if crlf && text.contains('\n') {
        Cow::Owned(text.replace('\n', "\r\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// REFI positions of the byte offsets of one (`\n`-only) document text.
pub struct ExportPositions {
    /// (byte offset, position), sorted by byte offset.
    map: Vec<(usize, u64)>,
}

impl ExportPositions {
    /// Computes the positions of `offsets` in `text` as written with the
    /// given unit and line endings. Offsets that are not on a char boundary
    /// get no position.
    pub fn new(text: &str, mut offsets: Vec<usize>, unit: PositionUnit, crlf: bool) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        let mut map = Vec::with_capacity(offsets.len());
        let mut wanted = offsets.into_iter().peekable();
        let mut count = 0u64;
        for (byte, c) in text.char_indices() {
            while let Some(&offset) = wanted.peek() {
                if offset > byte {
                    break;
                }
                if offset == byte {
                    map.push((offset, count));
                }
                wanted.next();
            }
            count += units(c, unit);
            if crlf && c == '\n' {
                count += 1; // the `\r` written before it
            }
        }
        if wanted.any(|offset| offset == text.len()) {
            map.push((text.len(), count));
        }
        Self { map }
    }

    /// The position of byte offset `byte`.
    pub fn get(&self, byte: usize) -> Option<u64> {
        self.map
            .binary_search_by_key(&byte, |&(b, _)| b)
            .ok()
            .map(|index| self.map[index].1)
    }
}

/// A source text read from a REFI file, normalised to `\n` line endings,
/// with the byte offsets of the positions its selections use.
pub struct ImportedText {
    pub text: String,
    /// (position, byte offset in `text`, whether the position fell on a
    /// char boundary), sorted by position.
    map: Vec<(u64, usize, bool)>,
}

/// How a tool counted the positions of one source text: the unit, and
/// whether a `\r\n` line break counts as written (two) or as the one `\n`
/// it stands for (tools that normalise line endings before counting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    pub unit: PositionUnit,
    pub crlf_as_one: bool,
}

impl Reading {
    /// The standard's reading: code points, the text as written.
    pub const STANDARD: Self = Self {
        unit: PositionUnit::CodePoints,
        crlf_as_one: false,
    };

    /// How the reading is named in reports.
    pub fn describe(self) -> String {
        let unit = match self.unit {
            PositionUnit::CodePoints => "code points",
            PositionUnit::Utf16 => "UTF-16 code units",
        };
        if self.crlf_as_one {
            format!("{unit}, a CRLF line break counted as one")
        } else {
            unit.to_owned()
        }
    }
}

impl ImportedText {
    /// [`Self::read`] with `\r\n` counted as written.
    pub fn new(raw: &str, positions: Vec<u64>, unit: PositionUnit) -> Self {
        Self::read(
            raw,
            positions,
            Reading {
                unit,
                crlf_as_one: false,
            },
        )
    }

    /// Normalises `raw` (drops a BOM, turns `\r\n` and lone `\r` into `\n`)
    /// and maps each of `positions`, counted in `raw` as `reading` says, to a
    /// byte offset of the normalised text. A position inside a char (half of
    /// a UTF-16 surrogate pair) goes to the end of that char; one past the
    /// end of the text gets none.
    pub fn read(raw: &str, mut positions: Vec<u64>, reading: Reading) -> Self {
        let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
        positions.sort_unstable();
        positions.dedup();
        let mut wanted = positions.into_iter().peekable();
        let mut map = Vec::new();
        let mut text = String::with_capacity(raw.len());
        let mut count = 0u64;
        let mut chars = raw.chars().peekable();
        loop {
            while let Some(position) = wanted.next_if(|&p| p <= count) {
                map.push((position, text.len(), position == count));
            }
            let Some(c) = chars.next() else { break };
            match c {
                '\r' if chars.peek() == Some(&'\n') => {
                    if !reading.crlf_as_one {
                        count += 1;
                    }
                }
                '\r' => {
                    count += 1;
                    text.push('\n');
                }
                c => {
                    count += units(c, reading.unit);
                    text.push(c);
                }
            }
        }
        Self { text, map }
    }

    /// The byte offset of `position`, and whether it was exact.
    pub fn get(&self, position: u64) -> Option<(usize, bool)> {
        self.map
            .binary_search_by_key(&position, |&(p, _, _)| p)
            .ok()
            .map(|index| (self.map[index].1, self.map[index].2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXT: &str = "Peña said 🌮\nthat 中文 is e\u{301} fine.\n\n👩‍👩‍👧 end";

    #[test]
    fn counts_code_points_and_utf16_units() {
        let taco = TEXT.find('🌮').unwrap_or(0);
        let after = taco + '🌮'.len_utf8();
        let points = ExportPositions::new(TEXT, vec![taco, after], PositionUnit::CodePoints, false);
        assert_eq!((points.get(taco), points.get(after)), (Some(10), Some(11)));
        let utf16 = ExportPositions::new(TEXT, vec![taco, after], PositionUnit::Utf16, false);
        assert_eq!((utf16.get(taco), utf16.get(after)), (Some(10), Some(12)));
        let inside = ExportPositions::new(TEXT, vec![taco + 1], PositionUnit::CodePoints, false);
        assert_eq!(inside.get(taco + 1), None);
    }

    #[test]
    fn crlf_shifts_positions_after_each_line_break() {
        let that = TEXT.find("that").unwrap_or(0);
        let crlf = ExportPositions::new(TEXT, vec![that, TEXT.len()], PositionUnit::CodePoints, true);
        let written = source_text(TEXT, true);
        let chars: Vec<char> = written.chars().collect();
        let start = crlf.get(that).unwrap_or(0) as usize;
        assert_eq!(chars[start..start + 4].iter().collect::<String>(), "that");
        assert_eq!(crlf.get(TEXT.len()), Some(chars.len() as u64));
    }

    #[test]
    fn import_normalises_line_endings_and_rounds_split_surrogates() {
        let raw = "\u{FEFF}a\r\nb\rc🌮d";
        let imported = ImportedText::new(raw, vec![0, 2, 3, 4, 7, 8, 9, 99], PositionUnit::Utf16);
        assert_eq!(imported.text, "a\nb\nc🌮d");
        assert_eq!(imported.get(3), Some((2, true)), "b after the dropped CR");
        assert_eq!(
            imported.get(2),
            Some((1, true)),
            "between CR and LF: before the LF"
        );
        assert_eq!(imported.get(7), Some((9, false)), "inside the taco: after it");
        assert_eq!(imported.get(9), Some((10, true)));
        assert_eq!(imported.get(99), None);
    }

    proptest! {
        #[test]
        fn export_then_import_gives_back_the_offsets(
            text in "[a-zé中🌮\n ]{0,60}",
            picks in proptest::collection::vec(0usize..80, 0..8),
            utf16 in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let unit = if utf16 { PositionUnit::Utf16 } else { PositionUnit::CodePoints };
            let boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            let offsets: Vec<usize> = picks.iter().map(|p| boundaries[p % boundaries.len()]).collect();
            let exported = ExportPositions::new(&text, offsets.clone(), unit, crlf);
            let positions: Vec<u64> = offsets.iter().filter_map(|&o| exported.get(o)).collect();
            prop_assert_eq!(positions.len(), offsets.len());
            let imported = ImportedText::new(&source_text(&text, crlf), positions.clone(), unit);
            prop_assert_eq!(&imported.text, &text);
            for (offset, position) in offsets.iter().zip(positions) {
                prop_assert_eq!(imported.get(position), Some((*offset, true)));
            }
        }
    }
}
