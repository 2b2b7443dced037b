//! Text in, paragraphs out: decoding bytes of any common encoding, the document format
//! (date header, paragraphs, section headings), the English tokenizer the index uses, and the
//! sanitiser for text shown on a terminal.
//!
//! Nothing here touches files or the index.

pub mod decode;
pub mod document;
pub mod tokenizer;
pub mod visible;
