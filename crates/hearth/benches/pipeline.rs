//! Stage benchmarks on the real usrp-users archive (../shared/data/mbox/usrp-users):
//! reading (mbox parsing alone), ingest (reading + SQLite), snapshot load and the report.
//!
//! `cargo bench -p hearth --bench pipeline`. Throughput is printed per message (items).
//! Whole-process numbers on larger replayed inputs come from `bench/run.sh`.

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use hearth_model::{Config, RawMessage, RoleRules};
use hearth_sources::mbox::MboxReader;
use hearth_sources::{Diagnostic, Sink, SinkError};
use hearth_store::Store;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn archive() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mbox/usrp-users")
}

fn files() -> Vec<PathBuf> {
    let mut f: Vec<PathBuf> = std::fs::read_dir(archive())
        .expect("../shared/data/mbox/usrp-users")
        .map(|e| e.expect("entry").path())
        .collect();
    f.sort();
    f
}

/// Counts messages and drops them: the reader's own cost.
#[derive(Default)]
pub(crate) struct Count(pub(crate) u64);

impl Sink for Count {
    fn message(&mut self, m: RawMessage) -> Result<(), SinkError> {
        black_box(&m);
        self.0 += 1;
        Ok(())
    }
    fn diagnostic(&mut self, _: Diagnostic) {}
}

const MESSAGES: u64 = 11_424;
const STORED: u64 = 11_385;

#[divan::bench(sample_count = 10)]
fn read_mbox(bencher: Bencher) {
    let data: Vec<(PathBuf, Vec<u8>)> = files()
        .into_iter()
        .map(|f| {
            let b = std::fs::read(&f).expect("read");
            (f, b)
        })
        .collect();
    let bytes: usize = data.iter().map(|(_, b)| b.len()).sum();
    bencher
        .counter(ItemsCount::new(MESSAGES))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            let mut sink = Count::default();
            for (f, b) in &data {
                MboxReader
                    .read_stream(f, &mut b.as_slice(), &mut sink)
                    .expect("read");
            }
            assert_eq!(sink.0, MESSAGES);
        });
}

/// Both Stack Exchange dumps in ../shared/data (4,772 messages).
#[divan::bench(sample_count = 10)]
fn read_stackexchange(bencher: Bencher) {
    use hearth_sources::Reader;
    use hearth_sources::stackexchange::StackExchangeReader;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/stackexchange");
    let units = StackExchangeReader.units(&[root]).expect("dumps");
    let bytes: u64 = units.iter().map(|u| StackExchangeReader.size(u)).sum();
    bencher
        .counter(ItemsCount::new(4_772u64))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            let mut sink = Count::default();
            for u in &units {
                StackExchangeReader.read(u, &mut sink).expect("read");
            }
            assert_eq!(sink.0, 4_772);
        });
}

/// The Slack event log in ../shared/data (11,281 events, 8,035 messages).
#[divan::bench(sample_count = 10)]
fn read_slack_events(bencher: Bencher) {
    use hearth_sources::Reader;
    use hearth_sources::slack::SlackReader;
    let unit = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/slack/clojurians-log-demo");
    let bytes = SlackReader.size(&unit);
    bencher
        .counter(ItemsCount::new(8_035u64))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            let mut sink = Count::default();
            SlackReader.read(&unit, &mut sink).expect("read");
            assert_eq!(sink.0, 8_035);
        });
}

#[divan::bench(sample_count = 5)]
fn ingest_into_sqlite(bencher: Bencher) {
    let files = files();
    bencher
        .counter(ItemsCount::new(MESSAGES))
        .with_inputs(|| tempfile::tempdir().expect("tempdir"))
        .bench_local_values(|dir| {
            let mut store = Store::open(dir.path()).expect("open");
            let s = store
                .ingest(&MboxReader, &files, &mut |_| {})
                .expect("ingest");
            assert_eq!(s.added(), STORED);
            dir
        });
}

fn vendor() -> Config {
    Config {
        roles: RoleRules {
            brand_email_domains: vec!["ettus.com".into(), "ni.com".into(), "emerson.com".into()],
            ..RoleRules::default()
        },
        ..Config::default()
    }
}

fn stored() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .ingest(&MboxReader, &files(), &mut |_| {})
        .expect("ingest");
    (dir, store)
}

#[divan::bench(sample_count = 20)]
fn snapshot_load(bencher: Bencher) {
    let (_dir, store) = stored();
    bencher
        .counter(ItemsCount::new(STORED))
        .bench_local(|| black_box(store.snapshot().expect("snapshot")));
}

#[divan::bench(sample_count = 50)]
fn report_compute(bencher: Bencher) {
    let (_dir, store) = stored();
    let snapshot = store.snapshot().expect("snapshot");
    let config = vendor();
    bencher.counter(ItemsCount::new(STORED)).bench_local(|| {
        black_box(hearth_analysis::report(
            &snapshot,
            &config,
            hearth_analysis::Window::default(),
        ))
    });
}

/// Every snapshot-only community metric on usrp-users (what `hearth metrics` computes
/// besides the text measures), once per iteration.
#[divan::bench(sample_count = 20)]
fn metrics_compute(bencher: Bencher) {
    use hearth_analysis::metrics::*;
    let (_dir, store) = stored();
    let snapshot = store.snapshot().expect("snapshot");
    let config = vendor();
    bencher.counter(ItemsCount::new(STORED)).bench_local(|| {
        let prepared = hearth_analysis::Prepared::new(&snapshot, &config);
        let cx = hearth_analysis::Context::new(
            &snapshot,
            &prepared,
            hearth_analysis::Window::default(),
            None,
        );
        black_box((
            survival::survival(&cx),
            structure::structure(&cx),
            activity::activity(&cx),
            newcomers::newcomers(&cx),
            absence::absence(&cx),
            helpers::helpers(&cx, 20),
            lapsed::lapsed(&cx, 20),
            introductions::introductions(&cx, 20),
            series::series(
                &snapshot,
                &prepared,
                hearth_analysis::Window::default(),
                None,
                hearth_analysis::Period::Month,
            ),
        ))
    });
}

/// The text of every message of the usrp-users store, by snapshot index.
fn texts(
    store: &Store,
    snapshot: &hearth_model::Snapshot,
) -> std::collections::HashMap<u32, (String, String)> {
    let m = &snapshot.messages;
    let mut ids: Vec<(i64, u32)> = (0..m.len()).map(|i| (m.id[i], i as u32)).collect();
    ids.sort_unstable();
    let index: std::collections::HashMap<i64, u32> = ids.iter().copied().collect();
    let only: Vec<i64> = ids.iter().map(|x| x.0).collect();
    let mut out = std::collections::HashMap::new();
    store
        .for_each_text(&only, |id, subject, body| {
            out.insert(index[&id], (subject.to_owned(), body.to_owned()));
        })
        .expect("texts");
    out
}

/// Every stored measure of one message (sentiment, intents, the brand's names, the welcome
/// flag, theme terms) for each message of usrp-users as read (subject and own words; the
/// vendor's names): what an ingest computes per message while its text is in memory.
#[divan::bench(sample_count = 10)]
fn text_measures(bencher: Bencher) {
    #[derive(Default)]
    struct Texts(Vec<(String, String)>);
    impl Sink for Texts {
        fn message(&mut self, m: RawMessage) -> Result<(), SinkError> {
            self.0.push((m.subject.unwrap_or_default(), m.text));
            Ok(())
        }
        fn diagnostic(&mut self, _: Diagnostic) {}
    }
    let mut texts = Texts::default();
    for f in files() {
        hearth_sources::Reader::read(&MboxReader, &f, &mut texts).expect("read");
    }
    let bytes: usize = texts.0.iter().map(|(s, b)| s.len() + b.len()).sum();
    let brand = hearth_model::BrandRules {
        names: ["Ettus", "USRP", "UHD", "RFNoC"].map(String::from).to_vec(),
        ..hearth_model::BrandRules::default()
    };
    let names = hearth_analysis::text::measures::Names::new(&brand);
    bencher
        .counter(ItemsCount::new(texts.0.len()))
        .counter(BytesCount::new(bytes))
        .bench_local(|| {
            for (subject, body) in &texts.0 {
                black_box(hearth_analysis::text::measures::measure(
                    subject, body, &names,
                ));
            }
        });
}

/// The role audit of the vendor's staff on usrp-users (texts already in memory).
#[divan::bench(sample_count = 20)]
fn role_audit(bencher: Bencher) {
    let (_dir, store) = stored();
    let snapshot = store.snapshot().expect("snapshot");
    let config = vendor();
    let all = texts(&store, &snapshot);
    let bodies: std::collections::HashMap<u32, String> =
        all.into_iter().map(|(i, (_, b))| (i, b)).collect();
    let prepared = hearth_analysis::Prepared::new(&snapshot, &config);
    let cx = hearth_analysis::Context::new(
        &snapshot,
        &prepared,
        hearth_analysis::Window::default(),
        None,
    );
    bencher
        .counter(ItemsCount::new(STORED))
        .bench_local(|| black_box(hearth_analysis::audit::audit(&cx, &bodies, true)));
}

/// Routing every inbound item of usrp-users (all time, texts in memory).
#[divan::bench(sample_count = 10)]
fn routing(bencher: Bencher) {
    let (_dir, store) = stored();
    let snapshot = store.snapshot().expect("snapshot");
    let mut config = vendor();
    config.brand.names = vec!["Ettus".into(), "USRP".into(), "UHD".into(), "RFNoC".into()];
    let mut t = hearth_analysis::route::Texts::default();
    for (i, (subject, body)) in texts(&store, &snapshot) {
        t.body.insert(i, body);
        t.subject.insert(i, subject);
    }
    let prepared = hearth_analysis::Prepared::new(&snapshot, &config);
    let cx = hearth_analysis::Context::new(
        &snapshot,
        &prepared,
        hearth_analysis::Window::default(),
        None,
    );
    bencher.counter(ItemsCount::new(STORED)).bench_local(|| {
        black_box(hearth_analysis::route::route(
            &cx,
            &config.route,
            &config.brand,
            &t,
        ))
    });
}

/// Crisis-alert detection over the daily message counts of usrp-users (2,622 days), and
/// the evaluation with 120 injected spikes: days per second.
#[divan::bench(sample_count = 20)]
fn alerts_detect(bencher: Bencher) {
    use hearth_analysis::social::alerts::{Day, Watched, detect, evaluate};
    let (_dir, store) = stored();
    let snapshot = store.snapshot().expect("snapshot");
    let times = &snapshot.messages.time;
    let first = times.iter().min().copied().unwrap_or(0).div_euclid(86_400);
    let last = times.iter().max().copied().unwrap_or(0).div_euclid(86_400);
    let mut days = vec![Day::default(); (last - first + 1) as usize];
    for &t in times {
        days[(t.div_euclid(86_400) - first) as usize].count += 1;
    }
    bencher
        .counter(ItemsCount::new(days.len()))
        .bench_local(|| {
            black_box((
                detect(first, &days, Watched::Messages, None),
                evaluate(&days, Watched::Messages, 20, 1),
            ))
        });
}

/// The job-posting check on the 36 labelled postings: postings per second.
#[divan::bench(sample_count = 50)]
fn job_check(bencher: Bencher) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/jobs");
    let mut postings: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/jobs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| std::fs::read_to_string(p).expect("posting"))
        .collect();
    postings.sort();
    bencher
        .counter(ItemsCount::new(postings.len()))
        .bench_local(|| {
            for p in &postings {
                black_box(hearth_analysis::jobs::check(p));
            }
        });
}

/// Reply inference on the irc-ubuntu `dev/` logs (12,500 lines): lines per second.
#[divan::bench(sample_count = 10)]
fn reply_inference(bencher: Bencher) {
    use hearth_analysis::replies::{self, ChatLine};
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/irc-ubuntu/dev");
    let logs = hearth_sources::irc::load_corpus(&dev).expect("corpus");
    let lines: usize = logs.iter().map(|l| l.lines.len()).sum();
    bencher.counter(ItemsCount::new(lines)).bench_local(|| {
        for log in &logs {
            let chat: Vec<ChatLine<'_>> = log
                .lines
                .iter()
                .map(|l| ChatLine {
                    time: l.minute * 60,
                    author: l.speaker,
                    text: &l.text,
                    system: l.system,
                    mentions: &l.mentions,
                })
                .collect();
            black_box(replies::infer(&chat, replies::shipped()));
        }
    });
}

/// Formats without shared data: their fixture's messages replicated to 20,000 with fresh
/// ids (a stand-in for a real export of that size), read from memory.
mod formats {
    use super::Count;
    use divan::Bencher;
    use divan::counter::{BytesCount, ItemsCount};
    use std::path::Path;

    const N: usize = 20_000;

    fn fixture(rel: &str) -> String {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures")
                .join(rel),
        )
        .expect("fixture")
    }

    /// The fixture's `messages` array replicated: message `k` of copy `c` gets id `c*1000+k`.
    fn json_messages(rel: &str, id_is_number: bool) -> Vec<u8> {
        let mut doc: serde_json::Value = serde_json::from_str(&fixture(rel)).expect("json");
        // Conversation only (joins and service messages are passed over by the readers).
        let template: Vec<serde_json::Value> = doc["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| matches!(m["type"].as_str(), Some("Default" | "Reply" | "message")))
            .cloned()
            .collect();
        let mut out = Vec::with_capacity(N);
        for c in 0.. {
            for m in &template {
                if out.len() == N {
                    break;
                }
                let mut m = m.clone();
                let id = 1_000_000 + out.len() as u64;
                m["id"] = if id_is_number {
                    id.into()
                } else {
                    id.to_string().into()
                };
                out.push(m);
            }
            if out.len() == N || c > N {
                break;
            }
        }
        doc["messages"] = serde_json::Value::Array(out);
        serde_json::to_vec(&doc).expect("json")
    }

    /// Reddit: the fixture's valid lines replicated with fresh ids.
    fn reddit_lines() -> Vec<u8> {
        let text = fixture("reddit/RC_RS_hearthtest.ndjson");
        let template: Vec<&str> = text.lines().filter(|l| !l.contains("[deleted]")).collect();
        let mut out = String::new();
        for i in 0..N {
            let line = template[i % template.len()];
            out.push_str(&line.replacen("\"id\":\"", &format!("\"id\":\"x{i}"), 1));
            out.push('\n');
        }
        out.into_bytes()
    }

    /// Generic records: 50 authors, each message answering the one before.
    fn generic(csv: bool) -> Vec<u8> {
        let mut out = String::new();
        if csv {
            out.push_str("id,time,author,author_name,role,space,parent,mentions,text\n");
        }
        for i in 0..N {
            let (author, parent, time) = (i % 50, i.saturating_sub(1), 1_709_546_400 + i);
            if csv {
                out.push_str(&format!(
                    "m{i},{time},u{author},User {author},member,forum,m{parent},u{},\"Thanks, that helped with \"\"{i}\"\".\"\n",
                    (author + 1) % 50
                ));
            } else {
                out.push_str(&format!(
                    "{{\"id\": \"m{i}\", \"time\": {time}, \"author\": \"u{author}\", \"author_name\": \"User {author}\", \"space\": \"forum\", \"parent\": \"m{parent}\", \"mentions\": [\"u{}\"], \"text\": \"Thanks, that helped with {i}.\"}}\n",
                    (author + 1) % 50
                ));
            }
        }
        out.into_bytes()
    }

    fn run(bencher: Bencher, bytes: Vec<u8>, read: fn(&[u8], &mut Count)) {
        bencher
            .counter(ItemsCount::new(N))
            .counter(BytesCount::new(bytes.len()))
            .bench(|| {
                let mut sink = Count::default();
                read(&bytes, &mut sink);
                assert_eq!(sink.0 as usize, N);
            });
    }

    #[divan::bench(sample_count = 10)]
    fn read_discord(bencher: Bencher) {
        run(
            bencher,
            json_messages("discord/hearth-guild-general.json", false),
            |b, s| {
                hearth_sources::discord::read_export(Path::new("x"), &mut &b[..], s).expect("read")
            },
        );
    }

    #[divan::bench(sample_count = 10)]
    fn read_telegram(bencher: Bencher) {
        run(
            bencher,
            json_messages("telegram/result.json", true),
            |b, s| {
                hearth_sources::telegram::read_export(Path::new("x"), &mut &b[..], s).expect("read")
            },
        );
    }

    #[divan::bench(sample_count = 10)]
    fn read_reddit(bencher: Bencher) {
        run(bencher, reddit_lines(), |b, s| {
            hearth_sources::reddit::read_lines(Path::new("x"), &mut &b[..], s).expect("read")
        });
    }

    #[divan::bench(sample_count = 10)]
    fn read_jsonl(bencher: Bencher) {
        run(bencher, generic(false), |b, s| {
            hearth_sources::jsonl::read_lines(Path::new("x"), &mut &b[..], s).expect("read")
        });
    }

    #[divan::bench(sample_count = 10)]
    fn read_csv(bencher: Bencher) {
        run(bencher, generic(true), |b, s| {
            hearth_sources::csv::read_csv(Path::new("x"), &mut &b[..], s).expect("read")
        });
    }

    #[divan::bench(sample_count = 10)]
    fn read_discourse_askci(bencher: Bencher) {
        use hearth_sources::Reader;
        let root =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/discourse/askci");
        let units = hearth_sources::discourse::DiscourseReader
            .units(&[root])
            .expect("units");
        let files: Vec<(std::path::PathBuf, Vec<u8>)> = units
            .into_iter()
            .map(|u| {
                let b = std::fs::read(&u).expect("read");
                (u, b)
            })
            .collect();
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        bencher
            .counter(ItemsCount::new(592usize))
            .counter(BytesCount::new(bytes))
            .bench(|| {
                let mut sink = Count::default();
                for (p, b) in &files {
                    hearth_sources::discourse::read_topic(p, b, &mut sink).expect("read");
                }
                assert_eq!(sink.0, 592);
            });
    }
}
