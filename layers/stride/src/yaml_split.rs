//! Cuts a large YAML document in two at an entry of a top-level block
//! sequence, so that both halves can be parsed at once on two threads.
//!
//! Only documents of a plain shape are cut: a block mapping at column 0 whose
//! keys are simple words, no directives or document markers, and each key
//! written once. The cut falls on a line `<n spaces>- ` inside a key whose
//! entries start at indentation `n`; in block context such a line always
//! starts a new entry unless it lies inside a quoted scalar or a flow
//! collection opened above it, and then the first half does not parse. The
//! caller therefore uses the halves only when both parse, and otherwise
//! parses the whole document, which also gives the error its true line.

/// Smallest document worth cutting: below this, the thread costs more than
/// it saves.
pub const MIN_BYTES: usize = 256 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The document up to the cut.
    pub first: &'a str,
    /// `KEY:` and the rest of the document from the cut.
    pub second: String,
    /// Add to a line of `second` (after its first) to get the document's line.
    pub line_shift: u32,
}

/// A top-level key and the byte range and indentation of its sequence entries.
struct Key<'a> {
    name: &'a str,
    /// Whether the key has nothing after the colon (its value follows).
    bare: bool,
    /// Indentation of its entries, once the first is seen.
    entries: Option<usize>,
}

/// The cut nearest the middle of `text`, or `None` when the document is
/// small or not of the plain shape described above.
pub fn split(text: &str) -> Option<Split<'_>> {
    split_from(text, MIN_BYTES)
}

/// [`split`] for documents of at least `min_bytes`.
pub fn split_from(text: &str, min_bytes: usize) -> Option<Split<'_>> {
    if text.len() < min_bytes {
        return None;
    }
    let mut keys: Vec<Key<'_>> = Vec::new();
    // (byte offset, 1-based line, index of the key) of each possible cut.
    let mut cuts: Vec<(usize, u32, usize)> = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        let line_no = u32::try_from(i + 1).ok()?;
        let line = raw.trim_end_matches(['\n', '\r']);
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") || line.starts_with('%') {
            return None;
        }
        let indent = line.len() - content.len();
        let is_entry = content == "-" || content.starts_with("- ");
        if indent == 0 && !is_entry {
            let name = root_key(line)?;
            if keys.iter().any(|k| k.name == name) {
                return None;
            }
            let rest = line[name.len() + 1..].trim_start_matches(' ');
            keys.push(Key {
                name,
                bare: rest.is_empty() || rest.starts_with('#'),
                entries: None,
            });
            continue;
        }
        let key = keys.last_mut()?;
        if !key.bare || !is_entry {
            continue;
        }
        match key.entries {
            None => key.entries = Some(indent),
            Some(n) if n == indent => cuts.push((at, line_no, keys.len() - 1)),
            Some(_) => {}
        }
    }
    let middle = text.len() / 2;
    let &(at, line_no, key) = cuts.iter().min_by_key(|(at, _, _)| at.abs_diff(middle))?;
    let name = keys[key].name;
    let mut second = String::with_capacity(name.len() + 2 + text.len() - at);
    second.push_str(name);
    second.push_str(":\n");
    second.push_str(&text[at..]);
    Some(Split {
        first: &text[..at],
        second,
        line_shift: line_no - 2,
    })
}

/// `word` of a top-level line `word:` or `word: value`, where a word is
/// ASCII letters, digits, `_` and `-`; `None` for any other top-level line.
fn root_key(line: &str) -> Option<&str> {
    let end = line.find(':')?;
    let name = &line[..end];
    let simple = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let after = line.as_bytes().get(end + 1);
    (simple && !name.is_empty() && matches!(after, None | Some(b' '))).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(items: usize) -> String {
        let mut s = String::from("title: t\nelements:\n");
        for i in 0..items {
            s.push_str(&format!("  - {{id: e{i}, kind: process}}\n"));
        }
        s.push_str("flows: []\n");
        s
    }

    #[test]
    fn small_documents_are_not_cut() {
        assert_eq!(split(&doc(10)), None);
    }

    #[test]
    fn cuts_at_an_entry_near_the_middle() {
        let text = doc(20_000);
        let s = split(&text).expect("cut");
        assert!(s.first.len().abs_diff(text.len() / 2) < 64);
        assert!(s.second.starts_with("elements:\n  - {id: e"));
        assert_eq!(
            format!("{}{}", s.first, &s.second["elements:\n".len()..]),
            text
        );
        // Line 2 of the second part is the document's line of the cut.
        let cut_line = s.first.matches('\n').count() as u32 + 1;
        assert_eq!(2 + s.line_shift, cut_line);
    }

    #[test]
    fn refuses_shapes_it_cannot_vouch_for() {
        let body = doc(20_000);
        for bad in [
            format!("%YAML 1.2\n---\n{body}"),
            format!("{body}...\n"),
            format!("{body}elements: []\n"),
            format!("\"quoted\": 1\n{body}"),
            format!("{{flow: 1}}\n{body}"),
            format!("key:value\n{body}"),
        ] {
            assert_eq!(split(&bad), None, "{}", &bad[..30]);
        }
    }

    #[test]
    fn entries_of_other_indentation_are_not_cuts() {
        // A nested sequence inside the entries never offers a cut.
        let mut s = String::from("elements:\n");
        for i in 0..20_000 {
            s.push_str(&format!("  - id: e{i}\n    tags:\n      - a\n"));
        }
        let cut = split(&s).expect("cut");
        assert!(cut.second.starts_with("elements:\n  - id: e"));
    }

    #[test]
    fn sequences_at_column_zero() {
        let mut s = String::from("flows:\n");
        for i in 0..20_000 {
            s.push_str(&format!("- {{from: a{i}, to: b}}\n"));
        }
        let cut = split(&s).expect("cut");
        assert!(cut.second.starts_with("flows:\n- {from: a"));
    }
}
