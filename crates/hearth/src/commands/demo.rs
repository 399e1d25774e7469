//! `hearth demo`: the product on real data in one command.

use super::Ui;
use hearth_analysis::Window;
use hearth_app::config::CONFIG_FILE;
use std::path::{Path, PathBuf};

/// Used when the shared data folder is not beside the checkout. The built-in sample: 25 whole threads of usrp-users in 2024 (80 messages), drawn by
/// `fixtures/mbox/draw_sample.py` so that its numbers tell the archive's story (a community:
/// peer share 71.7 % against 70.0 %, first answers by members 70.8 % against 68.5 %).
const SAMPLE: &[u8] = include_bytes!("../../../../fixtures/mbox/usrp-users-sample.mbox");

/// The vendor's mail domains: Ettus Research, later part of NI, later of Emerson.
const DEMO_CONFIG: &str = r#"# Written by `hearth demo`: the usrp-users list, with the vendor's staff as brand.
[roles]
brand_email_domains = ["ettus.com", "ni.com", "emerson.com"]
brand_accounts = []
bot_accounts = []

[brand]
# The vendor and its product names, as people write them (routing looks for them).
names = ["Ettus", "USRP", "UHD", "RFNoC"]
"#;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the demo's store goes.
    #[arg(long, default_value = "hearth-demo")]
    dir: PathBuf,
    /// The usrp-users mbox folder (default: found in ../shared/data beside the checkout).
    #[arg(long)]
    mbox: Option<PathBuf>,
    /// Use the real 80-message sample built into the binary (25 whole threads of 2024 whose
    /// numbers tell the archive's story), even when the archive is here.
    #[arg(long, conflicts_with = "mbox")]
    sample: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Where the shared usrp-users archive is, if anywhere near.
fn find_shared() -> Option<PathBuf> {
    let rel = Path::new("shared/data/mbox/usrp-users");
    let mut candidates = vec![PathBuf::from("..").join(rel)];
    if let Ok(exe) = std::env::current_exe() {
        // target/<profile>/hearth → the checkout's parent
        candidates.extend(exe.ancestors().skip(1).map(|a| a.join("..").join(rel)));
    }
    candidates.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../..")
            .join(rel),
    );
    candidates.into_iter().find(|c| c.is_dir())
}

pub fn run(args: Args, ui: Ui) -> anyhow::Result<()> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir)?;
    let config = dir.join(CONFIG_FILE);
    if !config.exists() {
        std::fs::write(&config, DEMO_CONFIG)?;
    }
    let found = if args.sample {
        None
    } else {
        args.mbox.clone().or_else(find_shared)
    };
    let input = match found {
        Some(path) => path,
        None => {
            let path = dir.join("usrp-users-sample.mbox");
            std::fs::write(&path, SAMPLE)?;
            if !args.sample {
                eprintln!(
                    "note: ../shared/data is not here; using the real sample built into hearth (25 threads of 2024)"
                );
            }
            path
        }
    };
    eprintln!("Reading {} into {}", input.display(), dir.display());
    let summary = super::ingest::ingest(dir, "mbox", &[input], ui)?;
    let report = super::report::render(dir, Window::default(), args.json)?;
    if args.json {
        out!("{report}");
    } else {
        out!("{}", super::ingest::summary_text(&summary));
        outln!();
        out!("{report}");
        outln!();
        outln!(
            "Next: `hearth --data {} people list --role brand` shows who counts as brand and why;",
            dir.display()
        );
        outln!(
            "      edit {} to change the rules, then `hearth --data {} report` again.",
            config.display(),
            dir.display()
        );
    }
    Ok(())
}
