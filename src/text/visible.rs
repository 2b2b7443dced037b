//! Text from documents and file names made safe to show on a terminal: the one sanitiser for
//! everything a face prints for people (hits, headings, facet tables, ingest and check
//! messages, errors that quote a path).
//!
//! An article or a file name can hold control characters; written raw, `ESC ] 0 ; … BEL` retitles
//! the reader's terminal, `ESC [ 2 J` clears it, and a newline in a file name forges a line of
//! graf's own output. [`visible`] shows each such character as a visible escape instead: `\n`,
//! `\r`, `\t`, `\e` for escape, `^X` for the other C0 controls and `^?` for delete, and
//! `\u{9b}` for C1 controls and the bidirectional overrides that reorder what a line seems to
//! say. Everything else passes unchanged, and text without such characters is not copied. JSON
//! output needs none of this: its own escaping already covers every control character.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character shown as a visible escape (see the module docs).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            '\x1b' => shown.push_str("\\e"),
            '\x7f' => shown.push_str("^?"),
            c if (c as u32) < 0x20 => {
                shown.push('^');
                shown.push(char::from(b'@' + c as u8));
            }
            c if needs_escape(c) => {
                let _ = write!(shown, "\\u{{{:x}}}", c as u32);
            }
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// Control characters (C0, delete, C1) and the bidirectional embeddings, overrides and isolates.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("\x1b]0;pwned\x07\x1b[2J"), "\\e]0;pwned^G\\e[2J");
        assert_eq!(visible("a\nb\r\tc\x7f\u{9b}31m"), "a\\nb\\r\\tc^?\\u{9b}31m");
        assert_eq!(visible("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(visible("\x00\x1f"), "^@^_");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "Café Müller — “quoted” 中文 🙂";
        assert!(matches!(visible(text), Cow::Borrowed(shown) if shown == text));
    }
}
