//! Reads mbox files and prints counts: `cargo run --release -p hearth-sources --example read_mbox -- FILE...`
use hearth_sources::{Reader, conformance::CollectSink, mbox::MboxReader};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let mut sink = CollectSink::default();
    for path in std::env::args().skip(1) {
        MboxReader.read(path.as_ref(), &mut sink)?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} messages, {} diagnostics in {secs:.3}s ({:.0} msg/s)",
        sink.messages.len(),
        sink.diagnostics.len(),
        sink.messages.len() as f64 / secs
    );
    let empty: Vec<_> = sink
        .messages
        .iter()
        .filter(|m| m.text.trim().is_empty())
        .collect();
    let bytes: usize = sink.messages.iter().map(|m| m.text.len()).sum();
    println!(
        "{} messages without own words; {bytes} bytes of text kept",
        empty.len()
    );
    if let Ok(pat) = std::env::var("SHOW_MATCH") {
        for m in sink
            .messages
            .iter()
            .filter(|m| m.text.contains(&pat))
            .take(3)
        {
            println!("=== {}\n{}", m.native_id, m.text);
        }
    }
    if std::env::var("SHOW_EMPTY").is_ok() {
        for m in empty.iter().take(8) {
            println!("  {} {:?}", m.native_id, m.subject);
        }
    }
    for d in sink.diagnostics.iter().take(5) {
        println!("{d}");
    }
    Ok(())
}
