//! Reads mbox files and prints counts: `cargo run --release -p hearth-sources --example read_mbox -- FILE...`
use hearth_sources::{Reader, conformance::CollectSink, mbox::MboxReader};
use std::io::BufReader;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let mut sink = CollectSink::default();
    for path in std::env::args().skip(1) {
        let file = std::fs::File::open(&path)?;
        MboxReader.read(
            path.as_ref(),
            &mut BufReader::with_capacity(1 << 16, file),
            &mut sink,
        )?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} messages, {} diagnostics in {secs:.3}s ({:.0} msg/s)",
        sink.messages.len(),
        sink.diagnostics.len(),
        sink.messages.len() as f64 / secs
    );
    for d in sink.diagnostics.iter().take(5) {
        println!("{d}");
    }
    Ok(())
}
