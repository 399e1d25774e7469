//! The dashboard as a person uses it: Debian's Chromium driven over WebDriver (chromedriver,
//! fantoccini) against a real `hearth serve` on loopback over the real usrp-users store.
//! Log in, read the verdict, open a person from the picture, mark a queue item done and see
//! it done after a reload and as another user, upload an export and see it counted, change
//! a role rule and see the report change; hostile text from the data shows as text and runs
//! nothing; at 390 px no page scrolls sideways; pressing Tab reaches every action in turn,
//! each with a visible focus outline;
//! axe-core reports no serious or critical violation on any page. Screenshots of each page
//! are written to the test's temporary folder, and to docs/img when
//! HEARTH_UPDATE_SCREENSHOTS=1 (the README's come from there).

mod common;

use common::{PASSWORD, Server, add_user, data_dir, hearth, repo, usrp_users};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> (Proc, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (scripts/setup-test-tools.sh installs it)");
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    (Proc(child), url)
}

async fn browser(webdriver: &str, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("a WebDriver session with Chromium")
}

async fn login(c: &Client, base: &str, name: &str) {
    c.goto(&format!("{base}/login")).await.expect("login page");
    login_here(c, name).await;
}

/// Fills in the login form of the page the browser is on.
async fn login_here(c: &Client, name: &str) {
    c.find(Locator::Id("username"))
        .await
        .expect("name field")
        .send_keys(name)
        .await
        .expect("type name");
    c.find(Locator::Id("password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type password");
    c.find(Locator::Css("button[type=submit]"))
        .await
        .expect("log in button")
        .click()
        .await
        .expect("log in");
    for _ in 0..100 {
        if c.current_url().await.expect("url").path() != "/login" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("still on the login page: {}", text_of(c, "body").await);
}

async fn logout(c: &Client) {
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .expect("log out button")
        .click()
        .await
        .expect("log out");
}

/// The text of the first element matching `css`, waiting up to 10 s for it to appear (a
/// click's navigation may still be under way).
/// Presses Tab through the page as a keyboard user would: focus reaches every visible
/// action (links, buttons, fields, summaries) in turn, each with a visible focus outline, and
/// comes back round. Pages with more actions are walked through their first `MOST`.
async fn tab_walk(c: &Client, path: &str) {
    const MOST: usize = 150;
    let count = js(
        c,
        "const els = Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary'))
           .filter(e => e.getClientRects().length > 0 && !e.disabled)
           // Inside a closed <details> only its summary is reachable (Enter opens the rest).
           .filter(e => {
             for (let d = e.parentElement && e.parentElement.closest('details:not([open])'); d;
                  d = d.parentElement && d.parentElement.closest('details:not([open])')) {
               if (!(e.tagName === 'SUMMARY' && e.parentElement === d)) return false;
             }
             return true;
           })
           // Tab enters a radio group once (its checked button, else its first); arrows move in it.
           .filter(e => {
             if (e.type !== 'radio') return true;
             const group = Array.from(e.form ? e.form.elements : document.querySelectorAll('input[type=radio]'))
               .filter(r => r.type === 'radio' && r.name === e.name);
             const stop = group.find(r => r.checked) || group[0];
             return stop === e;
           });
         els.forEach((e, i) => e.dataset.tabi = String(i));
         if (document.activeElement) document.activeElement.blur();
         return els.length",
    )
    .await
    .as_u64()
    .unwrap_or(0) as usize;
    let want = count.min(MOST);
    let mut seen = std::collections::BTreeSet::new();
    // A date field takes a Tab for each of its parts: room for them.
    for press in 0..2 * want + 10 {
        // A real key press (not typed into an element: a file field would take it as a path).
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let tab = char::from_u32(0xe004).expect("the WebDriver Tab key");
        c.perform_actions(
            KeyActions::new("keyboard".to_owned())
                .then(KeyAction::Down { value: tab })
                .then(KeyAction::Up { value: tab }),
        )
        .await
        .expect("Tab");
        let at = js(
            c,
            "const a = document.activeElement;
             const s = getComputedStyle(a);
             return [a.dataset.tabi ?? null, s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none', a.outerHTML.slice(0, 80)]",
        )
        .await;
        let Some(i) = at[0].as_str().and_then(|i| i.parse::<usize>().ok()) else {
            continue; // the address bar or the page itself, between rounds
        };
        assert_eq!(
            at[1], true,
            "{path}: Tab {press} focuses {} without a visible outline",
            at[2]
        );
        seen.insert(i);
        if seen.len() >= want {
            break;
        }
    }
    let missed: Vec<usize> = (0..want).filter(|i| !seen.contains(i)).collect();
    assert!(
        missed.is_empty(),
        "{path}: Tab never reaches actions {missed:?} of {count}"
    );
}

async fn text_of(c: &Client, css: &str) -> String {
    let mut last = None;
    for _ in 0..100 {
        match c.find(Locator::Css(css)).await {
            // The page may be replaced between finding and reading (a form's answer
            // loading): then look again.
            Ok(e) => match e.text().await {
                Ok(t) => return t,
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css}: {last:?}");
}

async fn js(c: &Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.expect("script")
}

/// axe-core, injected through WebDriver (not subject to the page's CSP), run on the page.
async fn axe(c: &Client, axe_source: &str) -> Vec<String> {
    js(c, axe_source).await;
    let result = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ', e.g. ' + v.nodes[0].html.slice(0, 120) + ')')));",
            vec![],
        )
        .await
        .expect("axe.run");
    result
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const PAGES: &[(&str, &str)] = &[
    ("overview", "/"),
    ("queues", "/queues"),
    ("person", "/people/40"),
    ("thread", "/threads/11291"),
    ("metrics", "/metrics"),
    ("metric", "/metrics/peer_share"),
    ("social", "/social"),
    ("audit", "/audit"),
    ("routing", "/routing"),
    ("jobs", "/jobs"),
    ("search", "/search?q=firmware"),
    ("data", "/data"),
    ("settings", "/settings"),
    ("users", "/users"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_works_in_the_dashboard() {
    common::setup_test_tools();
    let axe_source =
        std::fs::read_to_string(repo().join(".tools/node_modules/axe-core/axe.min.js"))
            .expect("axe-core");
    let dir = data_dir(Some(
        "[roles]\nbrand_email_domains = [\"ettus.com\", \"ni.com\", \"emerson.com\"]\n\n[brand]\nnames = [\"USRP\", \"Ettus\"]\n",
    ));
    let input = usrp_users();
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("p")],
    );
    assert_eq!(code, 0, "{err}");
    // The social side: the @ADHOrg X analytics exports.
    let x = repo().join("../shared/data/social/twitter-adho");
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "auto", x.to_str().expect("p")],
    );
    assert_eq!(code, 0, "{err}");
    add_user(dir.path(), "ada", "admin");
    add_user(dir.path(), "cora", "community");
    add_user(dir.path(), "vic", "viewer");
    add_user(dir.path(), "sol", "social");
    let server = Server::start(dir.path());
    let base = server.base.clone();
    let (_driver, webdriver) = chromedriver();
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&webdriver, profile.path()).await;
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshots dir");
    let update_docs = std::env::var("HEARTH_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");

    // Log in and read the verdict.
    c.goto(&format!("{base}/queues")).await.expect("goto");
    assert!(
        c.current_url()
            .await
            .expect("url")
            .path()
            .ends_with("/login"),
        "a page sends to the login"
    );
    login_here(&c, "cora").await;
    let landed = c.current_url().await.expect("url");
    assert_eq!(
        landed.path(),
        "/queues",
        "back where one was going: {landed}"
    );
    c.goto(&format!("{base}/")).await.expect("overview");
    let verdict = text_of(&c, "#verdict .verdict").await;
    assert!(verdict.contains("a community"), "{verdict}");
    assert!(verdict.contains("Peer share 70.0%"), "{verdict}");
    // Every number links to its definition.
    let href = c
        .find(Locator::Css("#verdict a.num"))
        .await
        .expect("number link")
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(href.starts_with("/metrics/"), "{href}");
    // What changed says a verdict in words (a period without messages has no interactions).
    c.goto(&format!("{base}/?since=2001-01-01&until=2001-02-01"))
        .await
        .expect("an empty period's overview");
    let change = text_of(&c, "#change table").await;
    assert!(
        change.contains("no interactions") && !change.contains('_'),
        "{change}"
    );

    // Open a person from the picture; the scope travels along.
    c.goto(&format!("{base}/?since=2019-01-01"))
        .await
        .expect("scoped overview");
    let node = c
        .find(Locator::Css("svg#graph a"))
        .await
        .expect("a node links to its person");
    let node_href = node.attr("href").await.expect("href").unwrap_or_default();
    assert!(
        node_href.starts_with("/people/") && node_href.contains("since=2019-01-01"),
        "{node_href}"
    );
    c.goto(&format!("{base}{node_href}")).await.expect("person");
    let h1 = text_of(&c, "main h1").await;
    assert!(!h1.is_empty());
    let role_line = text_of(&c, "main p").await;
    assert!(role_line.starts_with("Role: "), "{role_line}");

    // Mark a queue item done; see it done after a reload, and as another user.
    c.goto(&format!("{base}/queues?kind=thank"))
        .await
        .expect("queues");
    let first = c
        .find(Locator::Css(".item"))
        .await
        .expect("an item to thank");
    let item_id = first.attr("id").await.expect("id").unwrap_or_default();
    let title = text_of(&c, ".item .title").await;
    c.find(Locator::Css(&format!("#{item_id} form button[value=done]")))
        .await
        .expect("done button")
        .click()
        .await
        .expect("done");
    let flash = text_of(&c, ".flash").await;
    assert!(flash.contains("1 of 1 item changed"), "{flash}");
    c.refresh().await.expect("reload");
    assert!(
        c.find(Locator::Css(&format!("#{item_id}"))).await.is_err(),
        "a done item leaves the open list"
    );
    logout(&c).await;
    login(&c, &base, "ada").await;
    c.goto(&format!("{base}/queues?kind=thank&state=done"))
        .await
        .expect("done items");
    let done = text_of(&c, &format!("#{item_id}")).await;
    assert!(done.contains(&title) && done.contains("done"), "{done}");

    // Upload an export and see it counted.
    let before = common::json(dir.path(), &["report", "--json"]);
    let upload = dir.path().join("hostile.jsonl");
    let records = [
        serde_json::json!({"id": "h1", "time": "2026-06-01T10:00:00Z", "author": "x1", "author_name": "<img src=x onerror=\"document.title='pwned'\">",
            "space": "hostile", "subject": "<script>document.title='pwned'</script>", "text": "<script>document.title='pwned'</script> zebrafish firmware"}),
        serde_json::json!({"id": "h2", "time": "2026-06-01T11:00:00Z", "author": "x2", "author_name": "<a href=\"javascript:alert(1)\">click</a>",
            "space": "hostile", "parent": "h1", "text": "<a href='javascript:alert(1)'>x</a> zebrafish \u{202e}txet desrever"}),
    ];
    let mut bytes = Vec::new();
    for r in &records {
        bytes.extend(serde_json::to_vec(r).expect("json"));
        bytes.push(b'\n');
    }
    std::fs::write(&upload, bytes).expect("write");
    c.goto(&format!("{base}/data")).await.expect("data");
    c.find(Locator::Css("input[type=file]"))
        .await
        .expect("file input")
        .send_keys(upload.to_str().expect("path"))
        .await
        .expect("choose file");
    c.find(Locator::Css("form[action='/data/upload'] button"))
        .await
        .expect("upload button")
        .click()
        .await
        .expect("upload");
    assert_eq!(text_of(&c, "#added").await, "2", "the two records are read");
    c.goto(&format!("{base}/")).await.expect("overview");
    let sub = text_of(&c, "#verdict").await;
    assert!(!sub.is_empty());
    let report = common::json(dir.path(), &["report", "--json"]);
    assert_eq!(
        report["messages"].as_u64(),
        Some(before["messages"].as_u64().unwrap_or(0) + 2),
        "the upload's two messages are counted"
    );

    // Hostile text shows as text and runs nothing.
    c.goto(&format!("{base}/search?q=zebrafish"))
        .await
        .expect("search");
    let title_now = js(&c, "return document.title").await;
    assert_eq!(title_now, "Search · Hearth");
    let page_text = text_of(&c, "main").await;
    assert!(
        page_text.contains("<img src=x onerror="),
        "the hostile name is visible as text"
    );
    let scripts = js(
        &c,
        "return Array.from(document.scripts).map(s => s.src || 'inline')",
    )
    .await;
    assert_eq!(
        scripts,
        serde_json::json!([format!("{base}/static/hearth.js")])
    );
    let bad = js(
        &c,
        "return Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))).length",
    )
    .await;
    assert_eq!(bad, 0, "no event handler or javascript: link from the data");

    // Every page: no serious accessibility violation, no sideways scroll at 390 px,
    // every action reachable by keyboard; a screenshot of each.
    for (name, path) in PAGES {
        c.set_window_size(1280, 1000).await.expect("size");
        c.goto(&format!("{base}{path}")).await.expect("page");
        let status_ok = js(&c, "return document.querySelector('main') !== null").await;
        assert_eq!(status_ok, true, "{path} renders a page");
        let violations = axe(&c, &axe_source).await;
        assert!(violations.is_empty(), "{path}: {violations:#?}");
        let unreachable = js(
            &c,
            "return Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary'))
               .filter(e => e.tabIndex < 0 || e.disabled).map(e => e.outerHTML.slice(0, 80))",
        )
        .await;
        assert_eq!(
            unreachable,
            serde_json::json!([]),
            "{path}: every action is reachable by Tab"
        );
        tab_walk(&c, path).await;
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(shots.join(format!("dash-{name}.png")), &png).expect("png");
        if update_docs {
            std::fs::write(repo().join(format!("docs/img/dash-{name}.png")), &png).expect("png");
        }
        c.set_window_size(390, 844).await.expect("phone");
        c.goto(&format!("{base}{path}")).await.expect("page");
        let overflow = js(
            &c,
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        )
        .await;
        if overflow.as_i64().unwrap_or(1) > 0 {
            let wide = js(
                &c,
                "const w = document.documentElement.clientWidth;
                 return Array.from(document.querySelectorAll('body *'))
                   .filter(e => e.getBoundingClientRect().right > w + 1)
                   .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
            )
            .await;
            panic!("{path} scrolls sideways at 390 px by {overflow}: {wide}");
        }
        if *name == "overview" || *name == "queues" {
            let png = c.screenshot().await.expect("screenshot");
            std::fs::write(shots.join(format!("dash-{name}-phone.png")), &png).expect("png");
            if update_docs {
                std::fs::write(repo().join(format!("docs/img/dash-{name}-phone.png")), &png)
                    .expect("png");
            }
        }
    }
    c.set_window_size(1280, 1000).await.expect("size");
    // Change a role rule and see the report change.
    c.goto(&format!("{base}/settings")).await.expect("settings");
    let area = c.find(Locator::Id("toml")).await.expect("textarea");
    area.clear().await.expect("clear");
    area.send_keys("[roles]\nbrand_email_domains = [\"ettus.com\"]\nbrand_typo = 1\n")
        .await
        .expect("type");
    c.find(Locator::Css("form[action='/settings'] button"))
        .await
        .expect("save")
        .click()
        .await
        .expect("save");
    let refused = text_of(&c, ".flash.error").await;
    assert!(
        refused.contains("brand_typo"),
        "an unknown key is refused with the reason: {refused}"
    );
    let area = c.find(Locator::Id("toml")).await.expect("textarea");
    area.clear().await.expect("clear");
    area.send_keys(
        "# only the vendor's own domain now\n[roles]\nbrand_email_domains = [\"ettus.com\"]\n",
    )
    .await
    .expect("type");
    c.find(Locator::Css("form[action='/settings'] button"))
        .await
        .expect("save")
        .click()
        .await
        .expect("save");
    // The answer page replaces the refusal shown before: wait for it.
    let mut flash = String::new();
    for _ in 0..100 {
        flash = text_of(&c, ".flash").await;
        if flash.contains("Saved") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(flash.contains("Saved"), "{flash}");
    let saved = std::fs::read_to_string(dir.path().join("hearth.toml")).expect("toml");
    assert!(
        saved.starts_with("# only the vendor's own domain now"),
        "comments kept"
    );
    c.goto(&format!("{base}/")).await.expect("overview");
    let after = text_of(&c, "#verdict .verdict").await;
    assert_ne!(after, verdict, "the report follows the rules");

    // Each role once: a viewer reads but has no action to take; the social manager cannot
    // act on a community item; neither sees the admin's pages.
    for (name, actions) in [("vic", false), ("sol", false)] {
        c.goto(&format!("{base}/")).await.expect("overview");
        logout(&c).await;
        login(&c, &base, name).await;
        c.goto(&format!("{base}/queues?kind=thank"))
            .await
            .expect("queues");
        let buttons = js(
            &c,
            "return document.querySelectorAll('form[action=\\'/queues/act\\'] button').length",
        )
        .await;
        assert_eq!(
            buttons.as_u64().unwrap_or(0) > 0,
            actions,
            "{name}: {buttons}"
        );
        let admin_links = js(
            &c,
            "return document.querySelectorAll('nav a[href^=\\'/users\\']').length",
        )
        .await;
        assert_eq!(admin_links, 0, "{name} sees no admin page");
        c.goto(&format!("{base}/users")).await.expect("users");
        let body = text_of(&c, "body").await;
        assert!(
            body.contains("403") || body.contains("may not"),
            "{name} is refused /users: {body}"
        );
    }
    c.close().await.expect("close");
}

/// The shareable report on a phone (390 px), in Chromium: nothing scrolls sideways, the
/// lapsed table's rows read as cards (its last message is a paragraph, not a column one word
/// wide), the funnel's labels are whole, chart labels are at least 9 px tall, the cohort map
/// has its scale, and the definitions are text with emphasis, not raw Markdown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shareable_report_reads_on_a_phone() {
    common::setup_test_tools();
    let dir = data_dir(Some(common::VENDOR_RULES));
    let input = usrp_users();
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let page = dir.path().join("report.html");
    let (code, _, err) = hearth(
        dir.path(),
        &["report", "--html", page.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let (_driver, url) = chromedriver();
    let c = browser(&url, &dir.path().join("profile")).await;
    c.set_window_size(390, 844).await.expect("phone");
    c.goto(&format!("file://{}", page.display()))
        .await
        .expect("report");
    let width = js(&c, "return document.documentElement.clientWidth").await;
    let overflow = js(
        &c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await;
    assert_eq!(overflow, 0, "the report scrolls sideways at {width} px");
    let last_message = js(
        &c,
        "const cells = Array.from(document.querySelectorAll('#lapsed td[data-label=\"last message\"]'));
         return cells.length ? Math.min(...cells.map(c => c.getBoundingClientRect().width)) : -1",
    )
    .await;
    assert!(
        last_message.as_f64().unwrap_or(0.0) > 250.0,
        "the last message reads as a paragraph: {last_message} px wide"
    );
    let cut = js(
        &c,
        "const svg = document.querySelector('#chart-funnel svg').getBoundingClientRect();
         return Array.from(document.querySelectorAll('#chart-funnel text'))
           .filter(t => { const b = t.getBoundingClientRect(); return b.left < svg.left - 0.5 || b.right > svg.right + 0.5; })
           .map(t => t.textContent)",
    )
    .await;
    assert_eq!(cut, serde_json::json!([]), "funnel labels are whole");
    let smallest = js(
        &c,
        "return Math.min(...Array.from(document.querySelectorAll('#chart-series text, #chart-survival text, #chart-cohorts text, #chart-funnel text'))
           .map(t => t.getBoundingClientRect().height))",
    )
    .await;
    assert!(
        smallest.as_f64().unwrap_or(0.0) >= 9.0,
        "chart labels are readable: the smallest is {smallest} px"
    );
    let scale = js(
        &c,
        "return document.querySelectorAll('#chart-cohorts .scale i').length",
    )
    .await;
    assert_eq!(scale, 5, "the cohort map has its colour scale");
    let defs = text_of(&c, "#definitions").await;
    assert!(defs.len() > 5_000, "the definitions are there");
    for raw in ["**", "](super::", "](crate::", "`"] {
        assert!(
            !defs.contains(raw),
            "raw Markdown {raw:?} in the definitions"
        );
    }
    let emphasis = js(
        &c,
        "return document.querySelectorAll('#definitions strong, #definitions em').length",
    )
    .await;
    assert!(
        emphasis.as_u64().unwrap_or(0) > 10,
        "emphasis is rendered: {emphasis}"
    );
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-phone-390.png"),
        &png,
    )
    .expect("png");
    c.close().await.expect("close");
}

/// Clicks `css` (a form's button) and waits for the page that answers it.
async fn submit(c: &Client, css: &str) {
    js(c, "document.body.dataset.before = '1'; return 0").await;
    click(c, css).await;
    for _ in 0..100 {
        if js(c, "return document.body && document.body.dataset.before === undefined && document.readyState === 'complete'").await == true {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no new page after {css}");
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// The social team's own work in the browser, with `[social] approval = "required"`: write a
/// post with an image and its alt text in the composer, send it for review, be refused as its
/// approver, have an admin approve it and schedule it at the best time the @ADHOrg export
/// suggests, and find it in the calendar. The page passes axe and reads at 390 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_social_team_writes_reviews_and_schedules_posts() {
    common::setup_test_tools();
    let axe_source =
        std::fs::read_to_string(repo().join(".tools/node_modules/axe-core/axe.min.js"))
            .expect("axe-core");
    let dir = data_dir(Some("[social]\napproval = \"required\"\n"));
    let x = repo().join("../shared/data/social/twitter-adho");
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "auto", x.to_str().expect("p")],
    );
    assert_eq!(code, 0, "{err}");
    add_user(dir.path(), "sol", "social");
    add_user(dir.path(), "ada", "admin");
    let server = Server::start(dir.path());
    let base = server.base.clone();
    let (_driver, webdriver) = chromedriver();
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&webdriver, profile.path()).await;
    login(&c, &base, "sol").await;
    c.goto(&format!("{base}/social")).await.expect("social");
    c.find(Locator::Id("post-text"))
        .await
        .expect("the composer")
        .send_keys("Hearth's verdict on our community: https://example.org/report <script>alert(1)</script>")
        .await
        .expect("type");
    let png = repo().join("docs/img/report-verdict.png");
    c.find(Locator::Id("post-image"))
        .await
        .expect("image field")
        .send_keys(png.to_str().expect("utf-8"))
        .await
        .expect("choose the image");
    c.find(Locator::Id("post-alt"))
        .await
        .expect("alt field")
        .send_keys("The verdict: a community")
        .await
        .expect("type alt");
    submit(&c, "form.compose button[type=submit]").await;
    assert_eq!(
        text_of(&c, "#publishing .flash").await,
        "Post 1 saved as a draft."
    );
    let item = text_of(&c, "#post-1").await;
    assert!(item.contains("bluesky") && item.contains("/ 300"), "{item}");
    assert!(
        item.contains("<script>alert(1)</script>"),
        "hostile text shows as text: {item}"
    );
    assert!(item.contains("alt: “The verdict: a community”"), "{item}");
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('#publishing script').length"
        )
        .await,
        0
    );
    submit(&c, "#post-1 form input[value=submit] ~ button").await;
    assert_eq!(
        text_of(&c, "#publishing .flash").await,
        "Post 1 is in review."
    );
    // The author may not approve their own post.
    submit(&c, "#post-1 form input[value=approve] ~ button").await;
    let refused = text_of(&c, "#publishing .flash.error").await;
    assert!(
        refused.contains("someone other than its author"),
        "{refused}"
    );
    // An edit sends it back to draft; it goes for review again.
    click(&c, "#post-1 details.edit summary").await;
    let area = c.find(Locator::Id("edit-1")).await.expect("edit field");
    area.clear().await.expect("clear");
    area.send_keys("Hearth's verdict on our community, revised: https://example.org/report")
        .await
        .expect("type");
    submit(&c, "#post-1 details.edit button[type=submit]").await;
    assert_eq!(text_of(&c, "#publishing .flash").await, "Post 1 is draft.");
    assert!(text_of(&c, "#post-1").await.contains("revised"));
    submit(&c, "#post-1 form input[value=submit] ~ button").await;
    assert_eq!(
        text_of(&c, "#publishing .flash").await,
        "Post 1 is in review."
    );
    let violations = axe(&c, &axe_source).await;
    assert!(
        violations.is_empty(),
        "/social with the composer: {violations:#?}"
    );
    tab_walk(&c, "/social").await;
    let shot = c.screenshot().await.expect("screenshot");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshots dir");
    std::fs::write(shots.join("dash-publishing.png"), &shot).expect("png");
    logout(&c).await;

    // An admin approves it and schedules it at the best time.
    login(&c, &base, "ada").await;
    c.goto(&format!("{base}/social")).await.expect("social");
    submit(&c, "#post-1 form input[value=approve] ~ button").await;
    assert_eq!(
        text_of(&c, "#publishing .flash").await,
        "Post 1 is approved."
    );
    submit(&c, "#post-1 form button[name=best]").await;
    let scheduled = text_of(&c, "#publishing .flash").await;
    assert!(
        scheduled.starts_with("Post 1 is scheduled for "),
        "{scheduled}"
    );
    let calendar = text_of(&c, "table.calendar").await;
    assert!(calendar.contains("post 1"), "{calendar}");
    assert!(calendar.contains("best time: "), "{calendar}");
    js(
        &c,
        "document.getElementById('to-review').scrollIntoView(); return 0",
    )
    .await;
    let shot = c.screenshot().await.expect("screenshot");
    std::fs::write(shots.join("dash-publishing-calendar.png"), &shot).expect("png");
    if std::env::var("HEARTH_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(repo().join("docs/img/dash-publishing.png"), &shot).expect("png");
    }
    c.set_window_size(390, 844).await.expect("phone");
    c.goto(&format!("{base}/social")).await.expect("social");
    let overflow = js(
        &c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await;
    assert_eq!(
        overflow.as_i64(),
        Some(0),
        "/social scrolls sideways at 390 px"
    );
    // The API says the same, and the audit log has every step.
    let (code, out, _) = hearth(dir.path(), &["post", "show", "1", "--json"]);
    assert_eq!(code, 0);
    let post: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(post["state"], "scheduled");
    assert_eq!(post["author"], "user:sol");
    assert_eq!(post["approved_by"], "user:ada");
    assert_eq!(post["images"][0]["alt"], "The verdict: a community");
    c.close().await.expect("close");
}

/// Answering a mention from the queue in the browser, on a real Bluesky network (PDS, PLC
/// and AppView on loopback: see `tests/listen.rs`): the synced mention waits in the social
/// queue, a social user writes the reply in the item's own form, the reply is published in
/// the asker's thread and the item is done. The page passes axe with the form open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_is_answered_from_the_queue_page() {
    use common::pds::Pds;
    common::setup_test_tools();
    let axe_source =
        std::fs::read_to_string(repo().join(".tools/node_modules/axe-core/axe.min.js"))
            .expect("axe-core");
    let mut pds = Pds::with_appview();
    let (brand_did, brand_jwt) = pds.account("brand.test");
    let (asker_did, asker_jwt) = pds.account("asker.test");
    let password = pds.app_password(&brand_jwt);
    let dir = data_dir(Some("[brand]\nnames = [\"Hearth\"]\n"));
    let d = dir.path();
    pds.connect(d, "brand.test", &password);
    let (mention, _) = pds.create(
        &asker_did,
        &asker_jwt,
        "app.bsky.feed.post",
        serde_json::json!({"$type": "app.bsky.feed.post",
            "text": "@brand.test can Hearth read our Discord export?",
            "createdAt": "2026-12-02T12:00:00.000Z",
            "facets": [{"index": {"byteStart": 0, "byteEnd": 11},
                        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": brand_did}]}]}),
    );
    pds.process();
    let (code, _, err) = hearth(d, &["-q", "sync", "bluesky"]);
    assert_eq!(code, 0, "{err}");
    add_user(d, "sol", "social");
    let server = Server::start(d);
    let base = server.base.clone();
    let (_driver, webdriver) = chromedriver();
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&webdriver, profile.path()).await;
    login(&c, &base, "sol").await;
    c.goto(&format!("{base}/social")).await.expect("social");
    let listening = text_of(&c, "#listening").await;
    assert!(
        listening.contains("bluesky notifications synced 20"),
        "{listening}"
    );
    c.goto(&format!("{base}/queues?kind=social:respond"))
        .await
        .expect("queues");
    let item = text_of(&c, ".item").await;
    assert!(
        item.contains("can Hearth read our Discord export?"),
        "{item}"
    );
    click(&c, ".item details.reply summary").await;
    c.find(Locator::Css(".item details.reply textarea"))
        .await
        .expect("the reply field")
        .send_keys("Yes: hearth ingest discord reads DiscordChatExporter's JSON")
        .await
        .expect("type");
    let violations = axe(&c, &axe_source).await;
    assert!(
        violations.is_empty(),
        "/queues with a reply form: {violations:#?}"
    );
    let shot = c.screenshot().await.expect("screenshot");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshots dir");
    std::fs::write(shots.join("dash-reply.png"), &shot).expect("png");
    if std::env::var("HEARTH_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(repo().join("docs/img/dash-reply.png"), &shot).expect("png");
    }
    // On a phone the open reply form fits the width.
    c.set_window_size(390, 844).await.expect("phone");
    let overflow = js(
        &c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await;
    assert_eq!(
        overflow, 0,
        "/queues with a reply form scrolls sideways at 390 px"
    );
    let shot = c.screenshot().await.expect("screenshot");
    std::fs::write(shots.join("dash-reply-phone.png"), &shot).expect("png");
    c.set_window_size(1280, 900).await.expect("desktop");
    submit(&c, ".item details.reply button[type=submit]").await;
    let flash = text_of(&c, ".flash").await;
    assert!(
        flash.starts_with("Replied (post 1): at://") && flash.ends_with("The item is done."),
        "{flash}"
    );
    let records = pds.posts(&brand_did);
    assert_eq!(records.len(), 1, "published once");
    assert_eq!(
        records[0]["value"]["reply"]["parent"]["uri"],
        mention.as_str()
    );
    assert_eq!(
        records[0]["value"]["text"],
        "Yes: hearth ingest discord reads DiscordChatExporter's JSON"
    );
    // Done for the whole team: the open list no longer has it.
    c.goto(&format!("{base}/queues?kind=social:respond"))
        .await
        .expect("queues");
    assert_eq!(
        js(&c, "return document.querySelectorAll('.item').length").await,
        0
    );
    c.close().await.expect("close");
}
