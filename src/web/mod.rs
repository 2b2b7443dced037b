//! `graf serve`: a local search page and a JSON API, served by the binary itself. A face on the
//! library like the command line: a URL's parameters become a [`graf::search::Request`], the
//! library answers, and the answer is written as HTML ([`page`]) or JSON ([`api`]).
//!
//! - [`archive`]: the open index, reloaded when an ingest commits, and the bound on concurrent
//!   searches, which run on blocking threads.
//! - [`params`]: query strings to requests, with the command line's dates, caps and messages.
//! - [`server`]: the accept loop and the bounds on every connection and request, the security
//!   headers, and a clean shutdown on Ctrl-C or SIGTERM.
//! - [`token`]: the optional shared secret every request must carry.
//! - [`page`] and [`chart`]: the page, rendered on the server (it works without JavaScript);
//!   [`assets`]: its stylesheet and the small script that enhances it, embedded in the binary.

mod api;
mod archive;
mod assets;
mod chart;
mod page;
mod params;
mod server;
mod token;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::cli::commands::query::resolve_index;
use archive::Archive;

/// The address `graf serve` listens on unless told otherwise: this machine only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7878";

pub const SERVE_HELP: &str = "\
Examples:
  graf serve                                   http://127.0.0.1:7878/ over ./index
  graf serve --index ~/news.idx --listen 127.0.0.1:8080

The page takes graf's query syntax, with filters for speaker and dates, facets to click and a
timeline; every state is a URL (/?q=fentanyl&speaker=Rex+Tillerson) that can be shared. The
JSON API (/api/search, /api/article, /api/speakers, /api/stats) answers in graf's JSON contract;
the README documents it. An ingest into the same index shows up without a restart.

The server only reads. It listens on this machine alone unless --listen names another address.
It has no authentication unless --token is given: then every request must carry the token (the
printed address has it once, and the browser keeps it in a cookie; scripts send
`Authorization: Bearer TOKEN`). It is plain HTTP, so the token is as safe as the network.";

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where the index lives [default: ./index, built from ./seeds when missing].
    #[arg(long, env = crate::cli::args::INDEX_ENV)]
    pub index: Option<PathBuf>,
    /// Address and port to listen on (port 0 picks a free one). Anything but a loopback address
    /// serves the index to the network, without authentication.
    #[arg(long, default_value = DEFAULT_LISTEN, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Require this secret on every request (letters, digits, '-', '.', '_', '~'; e.g. from
    /// `openssl rand -hex 16`). Other users of this machine can see it in the process list.
    #[arg(long, value_name = "TOKEN", value_parser = parse_token)]
    pub token: Option<String>,
}

fn parse_token(value: &str) -> Result<String, String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
    if value.len() < 8 || !value.chars().all(allowed) {
        return Err("a token is at least 8 letters, digits, '-', '.', '_' or '~'".into());
    }
    Ok(value.to_owned())
}

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let index = resolve_index(args.index.as_deref())?;
    // An index that cannot be opened now is an error now (exit 3), as for `graf query`; one that
    // becomes unusable while serving is a 503 until it is usable again.
    let archive = Arc::new(Archive::open(&index)?);
    if !args.listen.ip().is_loopback() {
        match &args.token {
            None => eprintln!(
                "graf: warning: listening on {}, not on this machine alone: graf serve has no \
                 authentication, so anyone who can reach it can read the whole index (--token \
                 requires a secret)",
                args.listen
            ),
            Some(_) => eprintln!(
                "graf: warning: listening on {}, not on this machine alone: anyone who can reach \
                 it with the token can read the whole index, and plain HTTP shows the token to \
                 the network it crosses",
                args.listen
            ),
        }
    }
    let token = args.token.as_deref().map(|token| token::Token(token.into()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("graf-serve")
        .build()
        .context("starting the server's threads")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr().context("reading the address listened on")?;
        let stop = server::stop_signal().context("catching Ctrl-C and SIGTERM")?;
        let mut out = std::io::stdout().lock();
        let login = args.token.as_deref().map(|token| format!("?token={token}")).unwrap_or_default();
        writeln!(out, "graf: serving {} at http://{address}/{login} (Ctrl-C stops)", index.display())?;
        out.flush()?;
        drop(out);
        server::serve(listener, server::app(archive, token), stop).await;
        anyhow::Ok(())
    })?;
    eprintln!("graf: stopped");
    Ok(ExitCode::SUCCESS)
}
