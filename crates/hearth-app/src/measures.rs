//! Text measures stored per message (see `hearth_analysis::text::measures`): the measurer
//! every ingest uses, and the refresh that computes them again from the stored text when
//! `hearth.toml`'s names or the lexicon changed (once, by the first reader that finds them
//! stale while no ingest runs; until then readers compute from the text).

use crate::Result;
use hearth_analysis::text::measures::{LEXICON, Names, measure};
use hearth_model::Config;
use hearth_store::Store;
use hearth_store::measures::Measurer;
use std::path::Path;

/// The key the measures of `config` are stored under: (lexicon, names key).
pub fn key(config: &Config) -> (i64, i64) {
    (LEXICON, Names::new(&config.brand).key())
}

/// What computes a message's measures for `config`.
pub fn measurer(config: &Config) -> Measurer {
    let names = Names::new(&config.brand);
    Measurer {
        key: (LEXICON, names.key()),
        measure: Box::new(move |subject, body| measure(subject, body, &names)),
    }
}

/// Brings the stored measures up to date for `config`, unless an ingest is running in `data`
/// (it leaves them incomplete: readers then compute from the text).
pub fn refresh_if_idle(data: &Path, store: &Store, config: &Config) -> Result<()> {
    if store.measures_state()? == Some(key(config)) {
        return Ok(());
    }
    let Some(_lock) = crate::ingest::try_lock(data)? else {
        tracing::info!("an ingest is running; text measures are read from the text meanwhile");
        return Ok(());
    };
    let started = std::time::Instant::now();
    let measurer = measurer(config);
    let done = store.refresh_measures(&measurer, &mut |done, total| {
        tracing::info!(done, total, "measuring message text");
    })?;
    tracing::info!(
        messages = done,
        seconds = started.elapsed().as_secs_f64(),
        "text measures computed from the stored text"
    );
    Ok(())
}

/// Whether the loaded snapshot carries text measures for its own rules (else readers compute
/// from the text).
/// `HEARTH_TEXT_MEASURES=off` makes every reader compute from the text (the tests compare
/// both ways).
pub fn measured(loaded: &crate::scope::Loaded) -> bool {
    std::env::var_os("HEARTH_TEXT_MEASURES").is_none_or(|v| v != "off")
        && loaded.snapshot.messages.measure_key == Some(key(&loaded.config))
}
