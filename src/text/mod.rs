//! Text in, paragraphs out: decoding bytes of any common encoding, the document format
//! (date header, paragraphs, section headings), and the English tokenizer the index uses.
//!
//! Nothing here touches files or the index.

pub mod decode;
pub mod document;
pub mod tokenizer;
