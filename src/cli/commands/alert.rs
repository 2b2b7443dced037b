//! `graf alert add|list|rm|run`: saved searches that report only what is new
//! ([`graf::alerts`]).
//!
//! `run` prints, for each alert, the hits no earlier run of it reported, then remembers them:
//! for people, under a heading per alert; with `--json`, the hit objects of `graf query --json`
//! each with `"alert"`. Exit status: 0 when something was new, 1 when nothing was (for cron:
//! `graf alert run --json | mail …` only when there is news), 2 on an error.

use std::io::{self, Write};
use std::process::ExitCode;

use graf::Index;
use graf::alerts::{Alert, Alerts};
use graf::error::{EXIT_NO_HITS, EXIT_OK};
use graf::json::{AlertHitJson, AlertJson, HitJson, write_json_line};
use graf::search::Searcher;
use graf::text::visible::visible;

use crate::cli::args::{AlertArgs, AlertCommand};
use crate::cli::commands::query::{resolve_index, use_color, warn_about};
use crate::cli::output::{HumanWriter, Palette};

pub fn run(args: &AlertArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    let mut alerts = Alerts::open(&index)?;
    match &args.command {
        AlertCommand::Add { name, query, more, speaker, since, until } => {
            let alert = Alert {
                name: name.clone(),
                query: std::iter::once(query).chain(more).map(String::as_str).collect::<Vec<_>>().join(" "),
                speaker: speaker.clone(),
                since: since.clone(),
                until: until.clone(),
            };
            // Run once, so that a query graf cannot answer is refused now rather than at 3 a.m.
            let searcher = Searcher::new(&Index::open_to_search(&index)?)?;
            let checked = searcher.search(&graf::search::Request { limit: 0, ..Alerts::request(&alert)? })?;
            warn_about(&alert.query, &checked.warnings);
            alerts.add(alert)?;
            alerts.save()?;
            eprintln!(
                "graf: alert {name:?} saved; {} paragraphs match now, all of them new to its first run",
                checked.total
            );
            Ok(ExitCode::SUCCESS)
        }
        AlertCommand::List { json } => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            for (alert, reported) in alerts.list() {
                if *json {
                    write_json_line(&mut out, &AlertJson { alert, reported })?;
                } else {
                    write!(out, "{}  {}", visible(&alert.name), visible(&alert.query))?;
                    for (flag, value) in
                        [("--speaker", &alert.speaker), ("--since", &alert.since), ("--until", &alert.until)]
                    {
                        if let Some(value) = value {
                            write!(out, "  {flag} {}", visible(value))?;
                        }
                    }
                    writeln!(out, "  ({reported} reported)")?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        AlertCommand::Rm { name } => {
            alerts.remove(name)?;
            alerts.save()?;
            eprintln!("graf: alert {name:?} removed");
            Ok(ExitCode::SUCCESS)
        }
        AlertCommand::Run { names, json, color } => {
            let searcher = Searcher::new(&Index::open_to_search(&index)?)?;
            let found = alerts.run(&searcher, names)?;
            let mut out = io::BufWriter::new(io::stdout().lock());
            let palette = if use_color(*color) { Palette::COLOR } else { Palette::PLAIN };
            let mut any_new = false;
            for new in &found {
                warn_about(&new.alert, &new.warnings);
                any_new |= !new.hits.is_empty();
                if *json {
                    for hit in &new.hits {
                        write_json_line(
                            &mut out,
                            &AlertHitJson { hit: HitJson::new(hit), alert: &new.alert },
                        )?;
                    }
                } else if !new.hits.is_empty() {
                    writeln!(
                        out,
                        "== alert {}: {} new of {} matching",
                        visible(&new.alert),
                        new.hits.len(),
                        new.total
                    )?;
                    let mut writer = HumanWriter::new(&mut out, palette);
                    for hit in &new.hits {
                        writer.write_hit(hit)?;
                    }
                    writeln!(out)?;
                }
            }
            // Remembered only once delivered: a run whose output failed reports them again.
            out.flush()?;
            alerts.save()?;
            Ok(ExitCode::from(if any_new { EXIT_OK } else { EXIT_NO_HITS }))
        }
    }
}
