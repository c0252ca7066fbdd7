//! The little XML this module needs: a reader that turns a REFI file into a
//! tree of [`Element`]s (local names, unescaped attributes and text, the
//! byte position of each start tag for messages), and a writer that escapes
//! everything it is given. Also the GUID and date spellings REFI requires.
//!
//! The reader never expands DTD entities (quick-xml does not process
//! DTDs), so "billion laughs" and external-entity tricks have nothing to
//! work with; nesting depth is capped and the tree is built without
//! recursion, so no input can overflow the stack.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Deeper nesting than this is refused: real files nest codes a few levels.
const MAX_DEPTH: usize = 512;

/// One element: local name (namespace prefixes dropped: tools differ in
/// how they bind the REFI namespace), attributes, direct text, children.
#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
    /// Byte offset of the start tag in the parsed text.
    pub pos: usize,
}

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Children named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The first child named `name`.
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The text of the first child named `name` (e.g. `Description`).
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.first(name).map(|child| child.text.as_str())
    }
}

/// A parse error with the byte offset it happened at.
#[derive(Debug)]
pub struct ParseError {
    pub pos: usize,
    pub message: String,
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, ParseError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let fail = |pos: u64, message: String| ParseError {
        pos: usize::try_from(pos).unwrap_or(usize::MAX),
        message,
    };
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|error| fail(reader.error_position(), error.to_string()))?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(fail(before, "a second root element".into()));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(before, format!("elements nested deeper than {MAX_DEPTH}")));
                }
                stack.push(element(&start, before).map_err(|m| fail(before, m))?);
            }
            Event::Empty(start) => {
                let element = element(&start, before).map_err(|m| fail(before, m))?;
                attach(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                // quick-xml has already checked that the names match.
                if let Some(element) = stack.pop() {
                    attach(&mut stack, &mut root, element);
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(fail(before, "text outside the root element".into())),
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&reference) {
                        Some(text) => text.to_owned(),
                        None => {
                            return Err(fail(before, format!("unknown entity &{};", &*reference)));
                        }
                    },
                    Err(error) => return Err(fail(before, error.to_string())),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ParseError {
            pos: text.len(),
            message: format!("<{}> is never closed", open.name),
        });
    }
    root.ok_or(ParseError {
        pos: 0,
        message: "no root element".into(),
    })
}

fn element(start: &BytesStart<'_>, pos: u64) -> Result<Element, String> {
    let name = start.local_name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| error.to_string())?;
        let key = attribute.key.local_name().as_ref().to_owned();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| format!("attribute {key}: {error}"))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        pos: usize::try_from(pos).unwrap_or(usize::MAX),
        ..Element::default()
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

/// 1-based line and column (in chars) of byte offset `pos` of `text`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Builds an indented XML document. Every string passes through the
/// escapers, so no input can break the markup.
pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    pub fn new() -> Self {
        Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }

    /// `<name attrs>` on its own line; children follow until [`Self::close`].
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name attrs>text</name>`.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(name, attrs);
        self.out.push('>');
        escape_into(&mut self.out, text, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes `text` for XML 1.0. Line breaks and tabs in attributes, and
/// `\r` anywhere, become character references, because a parser would
/// otherwise normalise them away. Characters XML 1.0 cannot carry at all
/// (most C0 controls) become U+FFFD.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A GUID as REFI files spell it (the schema accepts either case; vendors'
/// files use upper case).
pub fn guid(id: Uuid) -> String {
    id.hyphenated().to_string().to_uppercase()
}

/// Parses a GUID as tools write it: any case, with or without braces.
pub fn parse_guid(text: &str) -> Option<Uuid> {
    let text = text.trim();
    let text = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    Uuid::try_parse(text).ok()
}

/// The key under which a GUID is looked up: the same GUID in another case
/// or with braces refers to the same thing.
pub fn guid_key(text: &str) -> String {
    let text = text.trim().trim_start_matches('{').trim_end_matches('}');
    text.to_ascii_lowercase()
}

/// A stable GUID derived from `parts`, for things our model has no id for
/// (codings, variables, cases, sets): the same project always exports the
/// same GUIDs, so exports diff cleanly.
pub fn derived_guid(parts: &[&[u8]]) -> Uuid {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Whether `text` is a valid `xs:dateTime`
/// (`[-]YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`).
pub fn is_xs_datetime(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let Some((date, time)) = body.split_once('T') else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date_parts: Vec<&str> = date.split('-').collect();
    let date_ok = matches!(date_parts.as_slice(), [y, m, d]
        if y.len() >= 4 && y.bytes().all(|b| b.is_ascii_digit()) && digits(m, 2) && digits(d, 2));
    if !date_ok {
        return false;
    }
    let (clock, zone) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, None)
    } else if time.len() > 6 && matches!(time.as_bytes()[time.len() - 6], b'+' | b'-') {
        let (clock, zone) = time.split_at(time.len() - 6);
        (clock, Some(&zone[1..]))
    } else {
        (time, None)
    };
    if let Some(zone) = zone {
        let ok = matches!(zone.split_once(':'), Some((h, m)) if digits(h, 2) && digits(m, 2));
        if !ok {
            return false;
        }
    }
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let hms_parts: Vec<&str> = hms.split(':').collect();
    matches!(hms_parts.as_slice(), [h, m, s] if digits(h, 2) && digits(m, 2) && digits(s, 2))
}

/// Whether an `xs:dateTime` carries a time zone.
pub fn has_zone(text: &str) -> bool {
    text.ends_with('Z') || text.len() > 6 && matches!(text.as_bytes()[text.len() - 6], b'+' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_attributes_text_and_references() -> Result<(), String> {
        let xml = "<?xml version=\"1.0\"?>\n<q:Root xmlns:q=\"urn:x\" a=\"x &amp; y&#10;z\">\
                   <Child>one &lt; two&#13;<![CDATA[<raw>]]></Child><Empty b='1'/></q:Root>";
        let root = parse(xml).map_err(|e| e.message)?;
        assert_eq!(root.name, "Root");
        assert_eq!(root.attr("a"), Some("x & y\nz"));
        assert_eq!(root.child_text("Child"), Some("one < two\r<raw>"));
        assert_eq!(root.first("Empty").and_then(|e| e.attr("b")), Some("1"));
        Ok(())
    }

    #[test]
    fn reports_errors_with_positions() {
        let xml = "<Root>\n  <A>\n</Root>";
        let error = parse(xml).err().map(|e| (line_col(xml, e.pos), e.message));
        assert!(matches!(error, Some(((3, _), _))), "{error:?}");
        for bad in ["", "<A/><B/>", "<A>&bogus;</A>", "<A>", "<A b=\"1\" b=\"2\"/>"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let xml = "<a>".repeat(100_000);
        assert!(parse(&xml).is_err());
    }

    #[test]
    fn escapes_what_a_parser_would_change() -> Result<(), String> {
        let mut writer = Writer::new();
        let tricky = "a\"b<c>&d\r\n\te\u{1}";
        writer.open("R", &[("v", tricky)]);
        writer.text("T", &[], tricky);
        writer.close("R");
        let root = parse(&writer.finish()).map_err(|e| e.message)?;
        assert_eq!(root.attr("v"), Some("a\"b<c>&d\r\n\te\u{FFFD}"));
        assert_eq!(root.child_text("T"), Some("a\"b<c>&d\r\n\te\u{FFFD}"));
        Ok(())
    }

    #[test]
    fn knows_xs_datetime() {
        for good in [
            "2026-04-03T10:00:00Z",
            "2018-03-27T19:29:27.5+01:00",
            "2019-01-01T00:00:00",
        ] {
            assert!(is_xs_datetime(good), "{good}");
        }
        for bad in [
            "2026-04-03 10:00:00Z",
            "2026-4-03T10:00:00Z",
            "yesterday",
            "2026-04-03T10:00Z",
        ] {
            assert!(!is_xs_datetime(bad), "{bad}");
        }
    }

    #[test]
    fn guids_round_trip_in_any_spelling() {
        let id = Uuid::new_v4();
        assert_eq!(parse_guid(&guid(id)), Some(id));
        assert_eq!(parse_guid(&format!("{{{}}}", id)), Some(id));
        assert_eq!(guid_key(&guid(id)), guid_key(&format!("{{{id}}}")));
        assert_eq!(derived_guid(&[b"a"]), derived_guid(&[b"a"]));
        assert_ne!(derived_guid(&[b"a", b"b"]), derived_guid(&[b"ab"]));
    }
}
