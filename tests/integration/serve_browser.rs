//! `graf serve` in a real browser: headless Chromium driven through chromedriver (WebDriver) as
//! a reporter would use the page. Search `fentanyl`, see paragraphs 4 and 6 of the seed, click
//! Rex Tillerson in the speaker facet and see only paragraph 4, click a month in the timeline,
//! open the article and find the hit highlighted and in view, go back; and the same page at a
//! phone's width. And a range picked by dragging across the timeline's bars (the page's script).
//!
//! The screenshots taken on the way are written to `target/screenshots/` (the README shows one).
//! Without `chromium` and `chromedriver` on the PATH (Debian's `chromium` and `chromium-driver`;
//! `.ci/run` installs them) the test says so and passes without running.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::serve::Server;
use crate::common::{Fixture, SEED_NAME};

/// Longest wait for a page to show what a step expects.
const PATIENCE: Duration = Duration::from_secs(20);

/// A program on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|path| path.is_file())
}

/// chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < PATIENCE, "chromedriver did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Where the screenshots go: `target/screenshots/`.
fn screenshots() -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

async fn screenshot(browser: &Client, name: &str) {
    let png = browser.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// Waits until `check` holds for the current page, or fails with `what`.
async fn wait_until<F, Fut>(browser: &Client, what: &str, check: F)
where
    F: Fn(Client) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check(browser.clone()).await {
        if started.elapsed() > PATIENCE {
            let url = browser.current_url().await.map(|url| url.to_string()).unwrap_or_default();
            panic!("waited {PATIENCE:?} for {what}; at {url}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for an address containing `part`.
async fn wait_for_url(browser: &Client, part: &str) {
    wait_until(browser, &format!("an address with {part:?}"), |browser| async move {
        browser.current_url().await.is_ok_and(|url| url.as_str().contains(part))
    })
    .await;
}

/// The paragraph numbers of the hits listed, in order (`path#N` headings).
async fn hit_paragraphs(browser: &Client) -> Vec<u64> {
    let mut paragraphs = Vec::new();
    for link in browser.find_all(Locator::Css(".hits h2 a")).await.unwrap() {
        let text = link.text().await.unwrap();
        let (path, n) = text.rsplit_once('#').expect("path#paragraph");
        assert_eq!(path, SEED_NAME);
        paragraphs.push(n.parse().unwrap());
    }
    paragraphs
}

/// Runs a script in the page and returns its value.
async fn script(browser: &Client, code: &str) -> serde_json::Value {
    browser.execute(code, Vec::new()).await.unwrap()
}

/// Runs `session` in headless Chromium against `graf serve` over the fixture's index, with the
/// home page's address; or says why it cannot and returns.
async fn in_browser<F, Fut>(fx: &Fixture, session: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (Some(chromium), Some(chromedriver)) = (on_path("chromium"), on_path("chromedriver")) else {
        eprintln!(
            "skipped: the browser test needs `chromium` and `chromedriver` on the PATH \
             (apt-get install chromium chromium-driver; .ci/run installs them)"
        );
        return;
    };
    let server = Server::start(fx, &[]);
    let driver = Driver::start(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session");
    let outcome = tokio::spawn(session(browser.clone(), server.url("/"))).await;
    browser.close().await.ok();
    drop(driver);
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_searches_filters_opens_the_article_and_goes_back() {
    in_browser(&Fixture::seeded(), reporter_session).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dragging_across_the_timeline_picks_a_range_of_months() {
    in_browser(&crate::common::corpus(), |browser, home| async move {
        browser.set_window_size(1280, 900).await.unwrap();
        browser.goto(&format!("{home}?q=wall")).await.unwrap();
        browser.wait().for_element(Locator::Css(".hits")).await.unwrap();
        let count = browser.find(Locator::Css(".count")).await.unwrap().text().await.unwrap();
        assert_eq!(count, "6 paragraphs match.");
        // A bar per month from the first to the last, empty months included.
        let mut periods = Vec::new();
        for bar in browser.find_all(Locator::Css(".timeline a[data-period]")).await.unwrap() {
            periods.push(bar.attr("data-period").await.unwrap().unwrap());
        }
        assert_eq!(periods, ["2016-09", "2016-10", "2017-01"], "bars with hits are links");
        let from = browser.find(Locator::Css(".timeline a[data-period='2016-09']")).await.unwrap();
        let to = browser.find(Locator::Css(".timeline a[data-period='2016-10']")).await.unwrap();
        let drag = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: from, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveToElement { element: to, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        browser.perform_actions(drag).await.unwrap();
        wait_for_url(&browser, "since=2016-09&until=2016-10").await;
        wait_until(&browser, "the range's hits", |browser| async move {
            match browser.find(Locator::Css(".count")).await {
                Ok(count) => count.text().await.is_ok_and(|text| text == "4 paragraphs match."),
                Err(_) => false,
            }
        })
        .await;
        let lit = browser.find_all(Locator::Css(".timeline a.on")).await.unwrap().len();
        assert_eq!(lit, 2, "both months of the range lit");
        screenshot(&browser, "timeline-range").await;
    })
    .await;
}

async fn reporter_session(browser: Client, home: String) {
    browser.set_window_size(1280, 900).await.unwrap();

    // The home page: a search box, labelled, with the landmarks a screen reader lists.
    browser.goto(&home).await.unwrap();
    let search_box = browser.wait().for_element(Locator::Css("input#q")).await.unwrap();
    assert!(browser.find(Locator::Css("label[for=q]")).await.is_ok(), "the box has a label");
    for landmark in ["header", "main", "form[role=search]"] {
        assert!(browser.find(Locator::Css(landmark)).await.is_ok(), "{landmark}");
    }
    screenshot(&browser, "home").await;

    // "/" focuses the search box; typing and Enter searches (a plain GET form).
    browser.find(Locator::Css("h1")).await.unwrap().click().await.unwrap();
    browser.find(Locator::Css("body")).await.unwrap().send_keys("/").await.unwrap();
    let focused = browser.active_element().await.unwrap();
    assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("q"), "/ focuses the search box");
    search_box.send_keys("fentanyl\u{E007}").await.unwrap(); // U+E007 is WebDriver's Enter
    wait_for_url(&browser, "q=fentanyl").await;
    let url = browser.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/?q=fentanyl"), "the address names only what was set: {url}");
    browser.wait().for_element(Locator::Css(".hits")).await.unwrap();
    let mut paragraphs = hit_paragraphs(&browser).await;
    paragraphs.sort_unstable();
    assert_eq!(paragraphs, [4, 6], "paragraphs 4 and 6 of the seed");
    let count = browser.find(Locator::Css(".count")).await.unwrap().text().await.unwrap();
    assert_eq!(count, "2 paragraphs match.");
    let marks = browser.find_all(Locator::Css(".hits .snippet mark")).await.unwrap();
    assert_eq!(marks.len(), 2, "the match highlighted in each snippet");
    for mark in marks {
        assert_eq!(mark.text().await.unwrap().to_lowercase(), "fentanyl");
    }
    screenshot(&browser, "results-laptop").await;

    // The speaker facet: Rex Tillerson, then only paragraph 4.
    let mut tillerson = None;
    for link in browser.find_all(Locator::Css("section[aria-labelledby=facet-speaker] a")).await.unwrap() {
        if link.text().await.unwrap().starts_with("Rex Tillerson") {
            tillerson = Some(link);
        }
    }
    tillerson.expect("Rex Tillerson in the speaker facet").click().await.unwrap();
    wait_for_url(&browser, "speaker=Rex+Tillerson").await;
    wait_until(&browser, "only paragraph 4", |browser| async move { hit_paragraphs(&browser).await == [4] })
        .await;
    let chips = browser.find(Locator::Css(".chips")).await.unwrap().text().await.unwrap();
    assert!(chips.contains("Rex Tillerson"), "the filter in force is shown: {chips}");

    // The timeline: click the month's bar, and the search narrows to that month.
    let bar = browser.find(Locator::Css(".timeline a[data-period='2018-02']")).await.unwrap();
    bar.click().await.unwrap();
    wait_for_url(&browser, "since=2018-02&until=2018-02").await;
    let url = browser.current_url().await.unwrap().to_string();
    assert!(url.contains("q=fentanyl") && url.contains("speaker=Rex+Tillerson"), "{url}");
    wait_until(&browser, "the chosen month lit", |browser| async move {
        match browser.find(Locator::Css(".timeline a[data-period='2018-02']")).await {
            Ok(bar) => bar.attr("class").await.ok().flatten().is_some_and(|class| class.contains("on")),
            Err(_) => false,
        }
    })
    .await;
    assert_eq!(hit_paragraphs(&browser).await, [4]);
    let results_url = browser.current_url().await.unwrap().to_string();
    screenshot(&browser, "results-filtered").await;

    // The article: the hit paragraph highlighted, its match marked, and in view.
    browser.find(Locator::Css(".hits h2 a")).await.unwrap().click().await.unwrap();
    wait_for_url(&browser, "/article?").await;
    let current = browser.wait().for_element(Locator::Css(".para.current")).await.unwrap();
    assert_eq!(current.attr("id").await.unwrap().as_deref(), Some("p4"));
    let mark = current.find(Locator::Css("mark")).await.unwrap().text().await.unwrap();
    assert_eq!(mark.to_lowercase(), "fentanyl");
    let paragraphs = browser.find_all(Locator::Css(".para")).await.unwrap().len();
    assert_eq!(paragraphs, 27, "the whole article");
    let quotes = current.find_all(Locator::Css(".quote")).await.unwrap();
    assert!(!quotes.is_empty(), "the quotation set off");
    let who = current.find(Locator::Css(".who")).await.unwrap().text().await.unwrap();
    assert!(who.contains("Rex Tillerson"), "{who}");
    wait_until(&browser, "the hit in view", |browser| async move {
        let code = "const r = document.getElementById('p4').getBoundingClientRect(); \
                    return r.top >= 0 && r.bottom <= window.innerHeight;";
        script(&browser, code).await == json!(true)
    })
    .await;
    screenshot(&browser, "article").await;

    // Back: the same results, from the browser's history.
    browser.back().await.unwrap();
    wait_until(&browser, "the results again", |browser| {
        let results_url = results_url.clone();
        async move { browser.current_url().await.is_ok_and(|url| url.as_str() == results_url) }
    })
    .await;
    browser.wait().for_element(Locator::Css(".hits")).await.unwrap();
    assert_eq!(hit_paragraphs(&browser).await, [4]);
    let query = browser.find(Locator::Css("input#q")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(query.as_deref(), Some("fentanyl"));

    // A phone: one column, nothing wider than the screen, the hits before the facets.
    browser.set_window_size(390, 844).await.unwrap();
    browser.goto(&format!("{home}?q=fentanyl")).await.unwrap();
    browser.wait().for_element(Locator::Css(".hits")).await.unwrap();
    let fits = script(&browser, "return document.documentElement.scrollWidth <= window.innerWidth;").await;
    assert_eq!(fits, json!(true), "no sideways scrolling on a phone");
    let order = "return document.querySelector('main').getBoundingClientRect().top < \
                 document.querySelector('aside').getBoundingClientRect().top;";
    assert_eq!(script(&browser, order).await, json!(true), "results first on a phone");
    screenshot(&browser, "results-phone").await;
}
