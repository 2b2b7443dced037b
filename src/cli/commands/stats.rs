//! `graf stats`: what the index holds — files, paragraphs, speakers, the date range — and its
//! size on disk.

use std::io::{self, Write};
use std::process::ExitCode;

use graf::Index;
use graf::json::{StatsJson, write_json_line};
use graf::text::visible::visible;

use crate::cli::args::StatsArgs;
use crate::cli::commands::query::resolve_index;

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let stats = StatsJson::new(&index, &graf::check::stats(&Index::open(&index)?)?);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        write_json_line(&mut out, &stats)?;
    } else {
        let dates = match (&stats.first_date, &stats.last_date) {
            (Some(first), Some(last)) => format!("{first} to {last}"),
            _ => "none".to_owned(),
        };
        writeln!(out, "index       {} (format {})", visible(&stats.index), stats.format)?;
        writeln!(out, "files       {}", stats.files)?;
        writeln!(out, "paragraphs  {} ({} undated)", stats.paragraphs, stats.undated_paragraphs)?;
        writeln!(out, "speakers    {}", stats.speakers)?;
        writeln!(out, "dates       {dates}")?;
        writeln!(out, "on disk     {} in {} segments", human_bytes(stats.index_bytes), stats.segments)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A size in bytes for people: `812 B`, `3.4 KiB`, `1.2 GiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{size:.1} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_bytes(812), "812 B");
        assert_eq!(human_bytes(3_500), "3.4 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }
}
