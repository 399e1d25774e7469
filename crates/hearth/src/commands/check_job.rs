//! `hearth check-job FILE`: which duties of a job description are community work and which
//! social media work, with the phrases behind each decision and the honest title; and
//! `hearth eval job-postings DIR`: the check's accuracy on a labelled set of postings.

use super::text::print_json;
use hearth_analysis::jobs::{self, JobCheck, Side};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The job description: plain text or Markdown (`-` reads standard input).
    file: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let text = hearth_app::check_job::read(&args.file)?;
    let r = jobs::check(&text);
    if args.json {
        print_json(&hearth_app::check_job::to_json(&r));
    } else {
        out!("{}", render(&r));
    }
    Ok(())
}

fn render(r: &JobCheck) -> String {
    let mut s = String::new();
    let verdict = match r.verdict {
        "community" => "community work",
        "social_media" => "social media work",
        "mixed" => "a mix of community and social media work",
        _ => "no duty Hearth recognises",
    };
    s.push_str(&format!("\"{}\" describes {verdict}.\n", r.title));
    if r.matched_duties > 0 {
        s.push_str(&format!(
            "community {:.0}% · social media {:.0}% of {} duties (community ≥ 67% → community, ≤ 33% → social media, between → mixed)\n",
            r.community_share * 100.0,
            r.social_media_share * 100.0,
            r.matched_duties
        ));
    }
    match r.title_fits {
        Some(false) => s.push_str(&format!(
            "The title does not fit the duties; an honest title: {}\n",
            r.suggested_title
        )),
        _ => s.push_str(&format!("Honest title: {}\n", r.suggested_title)),
    }
    s.push('\n');
    for d in &r.duties {
        let tag = if d.matches.is_empty() {
            "  ·  ".to_owned()
        } else if d.community >= 0.999 {
            "  C  ".to_owned()
        } else if d.social_media >= 0.999 {
            "  S  ".to_owned()
        } else {
            format!("C{:.1}S", d.community)
        };
        s.push_str(&format!("{tag} {}\n", d.text));
        if !d.matches.is_empty() {
            let parts: Vec<String> = d
                .matches
                .iter()
                .map(|m| {
                    format!(
                        "{} \"{}\"",
                        if m.side == Side::Community { "C" } else { "S" },
                        m.text
                    )
                })
                .collect();
            s.push_str(&format!("      ↳ {}\n", parts.join(", ")));
        }
    }
    s.push_str("\nC = community work, S = social media work, · = no known phrase (not counted).\n");
    s
}

/// `hearth eval job-postings DIR`: the check's accuracy on a labelled folder.
pub fn evaluate(dir: &Path, json_out: bool) -> anyhow::Result<()> {
    let out = hearth_app::check_job::evaluate(dir)?;
    let ratio = |v: &Value| v.as_f64().unwrap_or(0.0);
    if json_out {
        print_json(&out);
        return Ok(());
    }
    outln!(
        "{} postings: {} right ({:.1}%) — clear {}/{}, borderline {}/{}",
        out["postings"],
        out["correct"],
        ratio(&out["accuracy"]) * 100.0,
        out["clear"]["correct"],
        out["clear"]["postings"],
        out["borderline"]["correct"],
        out["borderline"]["postings"]
    );
    for g in out["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["correct"] == false)
    {
        outln!(
            "  wrong: {:<36} label {:<12} got {:<12} (community {:.0}%)",
            g["file"].as_str().unwrap_or(""),
            g["label"].as_str().unwrap_or(""),
            g["verdict"].as_str().unwrap_or(""),
            ratio(&g["community_share"]) * 100.0
        );
    }
    Ok(())
}
