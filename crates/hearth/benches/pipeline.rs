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
struct Count(u64);

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
