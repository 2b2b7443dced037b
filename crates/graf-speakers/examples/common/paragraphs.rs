//! Splits an article in graf's plain-text format into paragraphs, for the example, the bench and
//! the integration tests (the crate itself takes paragraphs and never reads files).
//!
//! The format: the first line may begin with ` date YYYY-MM-DD `, and the first paragraph may
//! follow on that same line; paragraphs are blocks of lines separated by blank (or
//! whitespace-only) lines, each trimmed. This is how graf's document parser splits a file, so
//! the paragraphs and their numbers are the ones `graf export` gives. Line endings must be LF:
//! see [`normalize_newlines`].

/// The paragraphs of `text` (LF line endings), in order; paragraph `n` is at index `n - 1`.
pub fn split(text: &str) -> Vec<&str> {
    let body = &text[body_start(text)..];
    let mut paragraphs = Vec::new();
    // The byte range of the block being read, from its first non-blank line to its last.
    let mut block: Option<(usize, usize)> = None;
    let mut line_start = 0;
    for line in body.split('\n') {
        let line_end = line_start + line.len();
        if line.trim().is_empty() {
            if let Some((start, end)) = block.take() {
                paragraphs.push(body[start..end].trim());
            }
        } else {
            block = Some((block.map_or(line_start, |(start, _)| start), line_end));
        }
        line_start = line_end + 1;
    }
    if let Some((start, end)) = block {
        paragraphs.push(body[start..end].trim());
    }
    paragraphs
}

/// Where the body begins: just after the header's date value when the first line starts with
/// `date` and a value of digits and dashes (`date 2018-13-45` too: a malformed date is still a
/// header), else at 0 (`date night was fun` is text). Leading whitespace and a byte order mark
/// are skipped.
fn body_start(text: &str) -> usize {
    let line = &text[..text.find('\n').unwrap_or(text.len())];
    let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let Some(rest) = trimmed.strip_prefix("date") else { return 0 };
    if !rest.starts_with(char::is_whitespace) {
        return 0;
    }
    let value_and_after = rest.trim_start();
    let value = value_and_after.split(char::is_whitespace).next().unwrap_or("");
    let is_date = value.contains('-') && value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if is_date { line.len() - value_and_after.len() + value.len() } else { 0 }
}

/// `text` with CRLF and lone CR line endings rewritten as LF.
#[allow(dead_code, reason = "the example reads files of any line ending; the bench and tests use LF")]
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() }
}
