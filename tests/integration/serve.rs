//! `graf serve` over HTTP, without a browser: the API's contract read into typed structs and
//! compared with `graf query --json`, error statuses and messages, escaping of hostile
//! articles, path traversal, security headers, the loopback default, live reload after an
//! ingest, the bounds on slow clients, read-only serving, and a clean stop on SIGTERM.
//!
//! Requests are written by hand on a TCP socket ([`Server::get`]), so that a test says exactly
//! what goes on the wire: `../` in a path, a raw escape byte, a head that never ends.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;

use crate::common::{FacetLine, Fixture, HitLine, SEED_NAME, SpeakerLine, StatsLine};

/// A `graf serve` process on a free loopback port, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    /// `graf serve --index <fixture index> --listen 127.0.0.1:0 ARGS…`, once it listens.
    pub fn start(fx: &Fixture, args: &[&str]) -> Server {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("graf"));
        command.current_dir(fx.dir.path()).args(["serve", "--index"]).arg(fx.index());
        command.args(["--listen", "127.0.0.1:0"]).args(args);
        Server::spawn(command)
    }

    /// Runs `command` (a `graf serve`) and waits for the address it prints.
    pub fn spawn(mut command: Command) -> Server {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            BufReader::new(stderr).read_to_string(&mut text).ok();
            text
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let Some(address) = line.split("http://").nth(1).and_then(|rest| rest.split('/').next()) else {
            child.kill().ok();
            let stderr = stderr.join().unwrap();
            panic!("graf serve printed no address: {line:?}; stderr: {stderr}");
        };
        Server { address: address.to_owned(), child, stderr: Some(stderr) }
    }

    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.address)
    }

    /// `GET target` (already percent-encoded where needed).
    pub fn get(&self, target: &str) -> Response {
        self.request("GET", target)
    }

    pub fn request(&self, method: &str, target: &str) -> Response {
        self.request_with(method, target, &[])
    }

    /// A request with extra header lines (`Name: value`).
    pub fn request_with(&self, method: &str, target: &str, headers: &[&str]) -> Response {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let extra: String = headers.iter().map(|line| format!("{line}\r\n")).collect();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\n{extra}Connection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    /// `GET path?pairs`, the pairs percent-encoded.
    pub fn get_with(&self, path: &str, pairs: &[(&str, &str)]) -> Response {
        self.get(&format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap()))
    }

    /// Stops the server with SIGTERM: its exit status and everything it wrote on stderr.
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let status = wait_at_most(&mut self.child, Duration::from_secs(10)).expect("stopped within 10 s");
        (status, self.stderr.take().unwrap().join().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// An HTTP response as it came off the wire.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(name, value)| name == "transfer-encoding" && value.contains("chunked")) {
            body = dechunk(&body);
        }
        Response { status, headers, body }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }

    /// The body as JSON of type `T`; the response must say it is JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        assert_eq!(self.header("content-type"), Some("application/json"), "{}", self.text());
        serde_json::from_slice(&self.body).unwrap_or_else(|err| panic!("{err}: {}", self.text()))
    }

    /// The message of an error answer, which must have `status`.
    pub fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        self.json::<ErrorBody>().error
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

/// `/api/search`'s answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    pub v: u32,
    pub total: usize,
    pub hits: Vec<HitLine>,
    pub facets: BTreeMap<String, Vec<FacetLine>>,
    pub warnings: Vec<String>,
}

/// `/api/article`'s answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleBody {
    pub v: u32,
    pub path: String,
    pub paragraphs: Vec<ArticleParagraph>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleParagraph {
    pub path: String,
    pub paragraph: u64,
    pub date: Option<String>,
    pub speakers: Vec<String>,
    pub section: Option<String>,
    pub text: String,
    pub quotes: Vec<String>,
    /// With a search only.
    #[serde(default)]
    pub matched: Option<bool>,
    #[serde(default)]
    pub highlights: Option<Vec<[usize; 2]>>,
}

/// `/api/speakers`' answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakersBody {
    pub v: u32,
    pub total: usize,
    pub speakers: Vec<SpeakerLine>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: String,
}

/// What `graf ARGS` printed on stderr, without the `graf: ` prefix: the CLI's message.
fn cli_error(fx: &Fixture, args: &[&str]) -> String {
    let output = fx.graf_with_index(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?} is an error");
    let stderr = String::from_utf8(output.stderr).unwrap();
    stderr.trim_end().strip_prefix("graf: ").unwrap_or(&stderr).to_owned()
}

#[test]
fn search_api_hits_are_query_json_hits_and_facets_are_its_facet_lines() {
    let fx = Fixture::seeded();
    let server = Server::start(&fx, &[]);
    let body: SearchBody = server.get("/api/search?q=fentanyl&facet=speaker,month").json();
    let (hits, facets) = fx.hits_and_facets(&["fentanyl", "--facet", "speaker,month"]);
    assert_eq!((body.v, body.total), (1, 2));
    assert_eq!(body.hits, hits, "the same objects as graf query --json");
    let paragraphs: Vec<u64> = body.hits.iter().map(|hit| hit.paragraph).collect();
    assert_eq!(paragraphs, [6, 4]);
    let mut by_facet: BTreeMap<String, Vec<FacetLine>> = BTreeMap::new();
    for line in facets {
        by_facet.entry(line.facet.clone()).or_default().push(line);
    }
    assert_eq!(body.facets, by_facet);
    assert!(body.warnings.is_empty());

    // Every parameter, as the command line takes it.
    let body: SearchBody = server
        .get_with(
            "/api/search",
            &[
                ("q", "fentanyl OR wall"),
                ("speaker", "Rex Tillerson"),
                ("since", "2018-02"),
                ("until", "2018"),
            ],
        )
        .json();
    let cli =
        fx.hits(&["fentanyl OR wall", "--speaker", "Rex Tillerson", "--since", "2018-02", "--until", "2018"]);
    assert_eq!(body.hits, cli);
    assert!(body.hits.iter().all(|hit| hit.speakers.contains(&"Rex Tillerson".to_owned())));
    let page: SearchBody = server.get("/api/search?q=wall&sort=oldest&limit=2&offset=1").json();
    assert_eq!(page.hits, fx.hits(&["wall", "--sort", "oldest", "--limit", "2", "--offset", "1"]));
    assert_eq!(page.hits.len(), 2);
    let none: SearchBody = server.get("/api/search?q=zeppelin").json();
    assert_eq!((none.total, none.hits.len()), (0, 0));
}

#[test]
fn article_speakers_and_stats_apis_answer_like_the_command_line() {
    let fx = Fixture::seeded();
    let server = Server::start(&fx, &[]);
    let target = format!("/api/article?path={SEED_NAME}");
    let article: ArticleBody = server.get(&target).json();
    let export = fx.export();
    assert_eq!((article.v, article.path.as_str()), (1, SEED_NAME));
    assert_eq!(article.paragraphs.len(), export.len());
    for (paragraph, exported) in article.paragraphs.iter().zip(&export) {
        assert_eq!(
            (&paragraph.path, paragraph.paragraph, &paragraph.text, &paragraph.speakers, &paragraph.quotes),
            (&exported.path, exported.paragraph, &exported.text, &exported.speakers, &exported.quotes)
        );
        assert_eq!((&paragraph.date, &paragraph.section), (&exported.date, &exported.section));
        assert!(paragraph.matched.is_none() && paragraph.highlights.is_none(), "only with a search");
    }

    // With a search, its hits are marked, and their highlights are the matched words.
    let marked: ArticleBody = server.get(&format!("{target}&q=fentanyl")).json();
    let matched: Vec<u64> =
        marked.paragraphs.iter().filter(|p| p.matched == Some(true)).map(|p| p.paragraph).collect();
    assert_eq!(matched, [4, 6]);
    for paragraph in marked.paragraphs.iter().filter(|p| p.matched == Some(true)) {
        let highlights = paragraph.highlights.as_ref().unwrap();
        assert!(!highlights.is_empty());
        for [start, end] in highlights {
            let word: String = paragraph.text.chars().skip(*start).take(end - start).collect();
            assert_eq!(word.to_lowercase(), "fentanyl");
        }
    }
    let filtered: ArticleBody = server.get(&format!("{target}&q=fentanyl&speaker=Tillerson")).json();
    let matched: Vec<u64> =
        filtered.paragraphs.iter().filter(|p| p.matched == Some(true)).map(|p| p.paragraph).collect();
    assert_eq!(matched, [4]);

    let speakers: SpeakersBody = server.get("/api/speakers?q=wall").json();
    let cli: Vec<SpeakerLine> =
        crate::common::json_lines(&fx.stdout(&["speakers", "wall", "--all", "--json"]));
    assert_eq!(speakers.speakers, cli);
    assert!(speakers.total > 0 && speakers.v == 1 && speakers.warnings.is_empty());
    let everyone: SpeakersBody = server.get("/api/speakers?limit=2").json();
    assert_eq!(everyone.speakers.len(), 2);

    let stats: StatsLine = server.get("/api/stats").json();
    let cli: StatsLine = serde_json::from_slice(&fx.stdout(&["stats", "--json"])).unwrap();
    assert_eq!(stats, cli);
}

#[test]
fn errors_are_json_with_the_command_lines_message_and_a_status() {
    let fx = Fixture::seeded();
    let server = Server::start(&fx, &[]);

    // A bad date: 400, with the message the command line gives for it.
    let message = server.get("/api/search?q=wall&since=soon").error(400);
    let cli = cli_error(&fx, &["query", "wall", "--since", "soon"]);
    let reason = "\"soon\" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD";
    assert!(message.contains(reason) && cli.contains(reason), "{message} / {cli}");
    assert!(server.get("/api/search?q=wall&until=2018-13").error(400).contains("is not a date"));

    // The library's caps, with the library's messages, word for word.
    let over = (graf::search::MAX_LIMIT + 1).to_string();
    assert_eq!(
        server.get(&format!("/api/search?q=wall&limit={over}")).error(400),
        cli_error(&fx, &["query", "wall", "--limit", &over])
    );
    let long = "wall ".repeat(graf::search::query::MAX_QUERY_BYTES / 5 + 1);
    assert_eq!(server.get_with("/api/search", &[("q", &long)]).error(400), cli_error(&fx, &["query", &long]));
    let deep = format!("{}wall{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(server.get_with("/api/search", &[("q", &deep)]).error(400), cli_error(&fx, &["query", &deep]));

    // Parameters the API does not take, or takes otherwise.
    assert!(server.get("/api/search?q=wall&sort=newest").error(400).contains("score, date or oldest"));
    assert!(server.get("/api/search?q=wall&limit=ten").error(400).contains("not a number"));
    assert!(
        server.get("/api/search?q=wall&facet=colour").error(400).contains("speaker, month, year or path")
    );
    assert!(server.get("/api/search?query=wall").error(400).contains("unknown parameter \"query\""));

    // Unknown paths and addresses: 404. A page that is not there is a page, not JSON.
    assert!(server.get("/api/article?path=nope.txt").error(404).contains("no article at \"nope.txt\""));
    assert!(server.get("/api/nope").error(404).contains("/api/search"));
    let page = server.get("/nope");
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));

    // An index that becomes unusable while serving: 503 with the reason, until it is usable again.
    let meta = fx.index().join("meta.json");
    let good = std::fs::read(&meta).unwrap();
    std::fs::write(&meta, b"{ not json").unwrap();
    let message = server.get("/api/search?q=wall").error(503);
    assert!(
        message.contains(&fx.index().display().to_string()) && message.contains("cannot be read"),
        "{message}"
    );
    assert_eq!(server.get("/?q=wall").status, 503);
    std::fs::remove_file(&meta).unwrap();
    assert!(server.get("/api/stats").error(503).contains("no graf index at"));
    std::fs::write(&meta, good).unwrap();
    let body: SearchBody = server.get("/api/search?q=fentanyl").json();
    assert_eq!(body.total, 2);
}

/// Articles that try to run script in the page, or to drive a terminal.
fn hostile_fixture() -> Fixture {
    let fx = Fixture::new();
    fx.write(
        "hostile.txt",
        " date 2019-05-01 Zanzibar <script>alert('zanzibar')</script> and more.\n\n\
         Zanzibar <img src=x onerror=alert(1)> \"quoted <b>bold</b>\" said Evil Person.\n\n\
         Zanzibar [click](javascript:alert(2)) <a href=\"javascript:alert(3)\">link</a>\n\n\
         Zanzibar \u{1b}[31mred\u{1b}[0m \u{1b}]0;owned\u{7} bell\u{7} end.\n",
    );
    fx.write("javascript:alert(4).txt", " date 2019-05-02 Zanzibar in a file with a hostile name.\n");
    fx.write("<b>tag</b>.txt", " date 2019-05-03 Zanzibar in a file named with markup.\n");
    fx.ingest().success();
    fx
}

/// The elements graf's pages are made of; anything else in a page was injected.
const PAGE_ELEMENTS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "link", "script", "body", "a", "header", "form", "div",
    "label", "input", "button", "details", "summary", "ul", "ol", "li", "code", "main", "aside", "h1", "h2",
    "p", "article", "time", "span", "mark", "nav", "section", "svg", "line", "rect", "strong", "pre",
    "select", "option",
];

/// Every tag of a page: only graf's own elements, no event handler, links only to this server,
/// the one script its own file; and no control character anywhere.
fn assert_inert(html: &str) {
    assert!(!html.contains(['\u{1b}', '\u{7}']), "a control character reached the page");
    for tag in html.split('<').skip(1).map(|rest| &rest[..rest.find('>').expect("tags close")]) {
        let closing = tag.starts_with('/');
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name = tag.split([' ', '>']).next().unwrap();
        assert!(PAGE_ELEMENTS.contains(&name), "<{tag}> was injected");
        assert!(!has_event_handler(&format!(" {tag}")), "<{tag}> has a handler");
        for link in ["href=\"", "src=\"", "action=\""] {
            for (at, _) in tag.match_indices(link) {
                let target = &tag[at + link.len()..];
                assert!(target.starts_with('/') || target.starts_with('#'), "<{tag}> links elsewhere");
            }
        }
        if name == "script" && !closing {
            assert_eq!(tag, "script src=\"/static/graf.js\" defer");
        }
    }
}

#[test]
fn hostile_article_text_and_names_are_escaped_in_pages_and_api() {
    let fx = hostile_fixture();
    let server = Server::start(&fx, &[]);
    let results = server.get("/?q=zanzibar");
    assert_eq!(results.status, 200);
    let html = results.text();
    assert_inert(&html);
    assert!(html.contains("&lt;script&gt;alert('<mark>zanzibar</mark>')&lt;/script&gt;"), "{html}");
    assert!(html.contains("&lt;b&gt;tag&lt;/b&gt;.txt"));
    assert!(html.contains("\u{241b}[31mred"), "an escape is shown as ␛, not sent on");
    // The hostile file name is a parameter of a link, never the link itself.
    assert!(html.contains("path=javascript%3Aalert%284%29.txt"), "{html}");

    let article = server.get_with("/article", &[("path", "hostile.txt"), ("q", "zanzibar")]);
    assert_eq!(article.status, 200);
    let html = article.text();
    assert_inert(&html);
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("[click](javascript:alert(2))"), "shown as text");
    for name in ["javascript:alert(4).txt", "<b>tag</b>.txt"] {
        let page = server.get_with("/article", &[("path", name)]);
        assert_eq!(page.status, 200, "{name}");
        assert_inert(&page.text());
    }

    // JSON escapes control characters; the text itself is the article's, unchanged.
    let api = server.get("/api/search?q=zanzibar&limit=10");
    assert!(!api.body.contains(&0x1b) && !api.body.contains(&0x07));
    assert!(api.text().contains("\\u001b[31mred"));
    let body: SearchBody = api.json();
    assert_eq!(body.total, 6);
    assert!(body.hits.iter().any(|hit| hit.text.contains("<script>alert('zanzibar')</script>")));
    assert!(body.hits.iter().any(|hit| hit.text.contains("\u{1b}[31mred")));
}

#[test]
fn only_indexed_paths_are_articles_and_nothing_is_read_from_disk() {
    let fx = Fixture::seeded();
    std::fs::write(fx.dir.path().join("secret.txt"), "top secret").unwrap();
    let server = Server::start(&fx, &[]);
    let seed = fx.seeds().join(SEED_NAME);
    let attempts = [
        "../secret.txt".to_owned(),
        "../../../../etc/passwd".to_owned(),
        "/etc/passwd".to_owned(),
        seed.display().to_string(),
        format!("./{SEED_NAME}"),
        format!("x/../{SEED_NAME}"),
        format!("{SEED_NAME}/"),
        "seeds".to_owned(),
        "meta.json".to_owned(),
        "*".to_owned(),
        SEED_NAME.to_uppercase(),
    ];
    for path in &attempts {
        let api = server.get_with("/api/article", &[("path", path)]);
        assert!(api.error(404).starts_with("no article at"), "{path}");
        let page = server.get_with("/article", &[("path", path)]);
        assert_eq!(page.status, 404, "{path}");
        for body in [api.text(), page.text()] {
            assert!(
                !body.contains("top secret") && !body.contains("root:") && !body.contains("Tillerson"),
                "{path}: {body}"
            );
        }
    }
    assert!(server.get("/api/article").error(400).starts_with("no path"));

    // Raw traversal in the address itself, and the assets' folder: no file, no listing.
    for target in [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/",
        "/static",
        "/../secret.txt",
        "/index/meta.json",
        "/seeds/",
        &format!("/seeds/{SEED_NAME}"),
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}");
        let text = response.text();
        assert!(!text.contains("top secret") && !text.contains("root:") && !text.contains("Tillerson"));
    }
    let css = server.get("/static/graf.css");
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
    let js = server.get("/static/graf.js");
    assert_eq!((js.status, js.header("content-type")), (200, Some("text/javascript; charset=utf-8")));
}

#[test]
fn every_answer_carries_a_strict_policy_and_pages_have_no_inline_script_or_style() {
    let fx = Fixture::seeded();
    let server = Server::start(&fx, &[]);
    for target in
        ["/", "/?q=fentanyl", &format!("/article?path={SEED_NAME}&q=fentanyl&p=4"), "/api/stats", "/nope"]
    {
        let response = server.get(target);
        let policy = response.header("content-security-policy").expect(target);
        assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), "{policy}");
        assert!(
            !policy.contains("unsafe-inline") && !policy.contains("unsafe-eval") && !policy.contains('*')
        );
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{target}");
        if response.header("content-type").is_some_and(|t| t.starts_with("text/html")) {
            let html = response.text();
            assert!(!html.contains("<script>") && !html.contains("style="), "{html}");
            assert!(!has_event_handler(&html), "{html}");
            assert!(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere");
        }
    }
    // The page searches without JavaScript: a GET form with the API's parameter names.
    let html = server.get("/?q=fentanyl&speaker=Tillerson").text();
    assert!(html.contains("<form role=\"search\" method=\"get\" action=\"/\">"));
    for name in ["q", "speaker", "since", "until", "sort"] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(html.contains(&format!("{SEED_NAME}#4")) && !html.contains(&format!("{SEED_NAME}#6")));
    assert!(html.contains("1 paragraph matches"));
    // Writing is no method of this server.
    assert_eq!(server.request("POST", "/api/search?q=wall").status, 405);
    assert_eq!(server.request("DELETE", "/api/article?path=x").status, 405);
}

/// Whether the HTML has an attribute like `onclick=`.
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = &html[at + 3..];
        let name_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        name_end > 0 && rest[name_end..].starts_with('=')
    })
}

#[test]
fn it_listens_on_loopback_unless_told_and_warns_when_told() {
    let fx = Fixture::seeded();
    let help = fx.graf(&["serve", "--help"]).output().unwrap();
    assert!(String::from_utf8(help.stdout).unwrap().contains("[default: 127.0.0.1:7878]"));

    // With no --listen: 127.0.0.1:7878 (or, when another program has that port, a refusal
    // that names it).
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("graf"));
    command.current_dir(fx.dir.path()).args(["serve", "--index"]).arg(fx.index());
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    child.kill().ok();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        line.contains("http://127.0.0.1:7878/") || stderr.contains("cannot listen on 127.0.0.1:7878"),
        "{line} / {stderr}"
    );
    assert!(!stderr.contains("warning"), "{line} / {stderr}");

    let loopback = Server::start(&fx, &[]);
    assert!(loopback.address.starts_with("127.0.0.1:"));
    let (status, stderr) = loopback.terminate();
    assert!(status.success() && !stderr.contains("authentication"), "{stderr}");

    // Another address: a warning that anyone who reaches it can read everything. (The address
    // is a documentation one that this machine does not have, so nothing is exposed: the warning
    // comes before the attempt to listen, which fails.)
    let output = fx.graf_with_index(&["serve", "--listen", "192.0.2.1:0"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: listening on 192.0.2.1:0") && stderr.contains("no authentication"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot listen on 192.0.2.1:0"), "{stderr}");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn without_a_usable_index_it_does_not_start_and_on_a_fresh_clone_it_ingests_the_seeds_first() {
    let fx = Fixture::new();
    let output = fx.graf_with_index(&["serve", "--listen", "127.0.0.1:0"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "exit 3, as graf query");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no graf index at"));

    // No --index, no ./index, and ./seeds: ingested first, as `graf query` does.
    fx.add_seed();
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("graf"));
    command.current_dir(fx.dir.path()).args(["serve", "--listen", "127.0.0.1:0"]);
    let server = Server::spawn(command);
    let body: SearchBody = server.get("/api/search?q=fentanyl").json();
    assert_eq!(body.total, 2);
    let (status, stderr) = server.terminate();
    assert!(status.success() && stderr.contains("ingesting ./seeds first"), "{stderr}");
}

#[test]
fn with_a_token_every_request_must_carry_it() {
    let fx = Fixture::seeded();
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("graf"));
    command.args(["serve", "--index"]).arg(fx.index()).args([
        "--listen",
        "127.0.0.1:0",
        "--token",
        "s3cret-t0ken",
    ]);
    let server = Server::spawn(command);

    // Without it, or with another: 401, JSON for the API, and nothing of the index.
    for target in ["/", "/?q=fentanyl", "/api/stats", "/api/search?q=fentanyl", "/static/graf.css", "/nope"] {
        let response = server.get(target);
        assert_eq!(response.status, 401, "{target}");
        assert!(
            !response.text().contains("Tillerson") && response.header("content-security-policy").is_some()
        );
    }
    assert!(server.get("/api/stats").error(401).contains("Authorization: Bearer TOKEN"));
    for wrong in
        ["Authorization: Bearer s3cret-t0kem", "Authorization: Bearer s3cret", "Cookie: graf-token=nope"]
    {
        assert_eq!(server.request_with("GET", "/api/stats", &[wrong]).status, 401, "{wrong}");
    }
    assert_eq!(server.get("/?q=fentanyl&token=wrong-token").status, 401);

    // A script: the bearer header.
    let bearer =
        server.request_with("GET", "/api/search?q=fentanyl", &["Authorization: Bearer s3cret-t0ken"]);
    assert_eq!(bearer.json::<SearchBody>().total, 2);
    // A browser: the printed address trades the token for a cookie and leaves the address clean.
    let login = server.get("/?q=fentanyl&token=s3cret-t0ken");
    assert_eq!(login.status, 303);
    assert_eq!(login.header("location"), Some("/?q=fentanyl"));
    let cookie = login.header("set-cookie").unwrap();
    assert!(cookie.starts_with("graf-token=s3cret-t0ken;") && cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"));
    let page = server.request_with("GET", "/?q=fentanyl", &["Cookie: other=1; graf-token=s3cret-t0ken"]);
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&format!("{SEED_NAME}#4")));

    // Tokens too short to be secrets are refused at the start.
    let output = fx.graf_with_index(&["serve", "--token", "abc"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 8"));
}

#[test]
fn an_ingest_while_serving_shows_up_without_a_restart() {
    let fx = Fixture::seeded();
    let server = Server::start(&fx, &[]);
    let before: SearchBody = server.get("/api/search?q=zeppelin").json();
    assert_eq!(before.total, 0);
    let stats: StatsLine = server.get("/api/stats").json();
    assert_eq!(stats.files, 1);

    fx.write("later/zeppelin.txt", " date 2019-07-04 A zeppelin flew over the harbour.\n\nIt landed.\n");
    fx.ingest().success();
    let after: SearchBody = server.get("/api/search?q=zeppelin").json();
    assert_eq!(after.total, 1);
    assert_eq!(after.hits[0].path, "later/zeppelin.txt");
    assert_eq!(after.hits, fx.hits(&["zeppelin"]));
    let stats: StatsLine = server.get("/api/stats").json();
    assert_eq!(stats.files, 2, "stats follow the commit too");
    let article: ArticleBody = server.get("/api/article?path=later/zeppelin.txt").json();
    assert_eq!(article.paragraphs.len(), 2);
    assert!(server.get("/?q=zeppelin").text().contains("later/zeppelin.txt#1"));

    // A file removed and re-ingested disappears just as well.
    std::fs::remove_file(fx.seeds().join("later/zeppelin.txt")).unwrap();
    fx.ingest().success();
    let gone: SearchBody = server.get("/api/search?q=zeppelin").json();
    assert_eq!(gone.total, 0);
    assert_eq!(server.get("/api/article?path=later/zeppelin.txt").status, 404);
}

/// Every file of a folder with its size and modification time.
fn snapshot(folder: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let metadata = entry.metadata().unwrap();
            (entry.path().to_owned(), (metadata.len(), metadata.modified().unwrap()))
        })
        .collect()
}

#[test]
fn a_slow_client_stalls_no_one_and_serving_writes_nothing_and_stops_cleanly() {
    let fx = Fixture::seeded();
    let before = snapshot(fx.dir.path());
    let server = Server::start(&fx, &[]);

    // Clients that send half a request and then nothing.
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.address).unwrap();
            stream.write_all(b"GET /api/search?q=wall HTTP/1.1\r\nHost: x\r\n").unwrap();
            stream
        })
        .collect();
    let start = Instant::now();
    for _ in 0..10 {
        let body: SearchBody = server.get("/api/search?q=fentanyl").json();
        assert_eq!(body.total, 2);
    }
    assert!(start.elapsed() < Duration::from_secs(5), "others are answered meanwhile: {:?}", start.elapsed());
    // Their connections are closed once the head's time is up, without an answer.
    let stream = &mut slow[0];
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut rest = Vec::new();
    let waited = Instant::now();
    let _ = stream.read_to_end(&mut rest);
    assert!(waited.elapsed() < Duration::from_secs(25), "closed after the header timeout");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));

    // A head larger than the bound is refused (an error status, or the connection closed before
    // the whole head is read), and the server goes on.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let huge = format!("GET /api/search?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100 * 1024));
    let _ = stream.write_all(huge.as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431") || answer.starts_with("HTTP/1.1 414"),
        "{answer}"
    );
    assert_eq!(server.get("/api/stats").status, 200);

    // Every endpoint, and nothing in the index or the articles changed.
    for target in ["/", "/?q=wall", "/api/search?q=wall", "/api/speakers", "/api/stats"] {
        assert_eq!(server.get(target).status, 200, "{target}");
    }
    assert_eq!(server.get(&format!("/api/article?path={SEED_NAME}")).status, 200);
    let (status, stderr) = server.terminate();
    assert!(status.success(), "SIGTERM is a clean stop: {status:?} {stderr}");
    assert!(stderr.contains("graf: stopped"), "{stderr}");
    assert_eq!(snapshot(fx.dir.path()), before, "serving wrote nothing");
}
