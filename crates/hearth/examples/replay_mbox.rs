//! Builds a large benchmark input from a real mbox archive by replaying it N times.
//!
//! `cargo run --release --example replay_mbox -- N INPUT_DIR OUTPUT_DIR`
//!
//! Replica `k` (0..N) is written to `OUTPUT_DIR/replica-KKK.mbox` with the archive's files
//! concatenated in name order. In every header block:
//! - message ids in `Message-ID`, `In-Reply-To` and `References` get `r<k>.` after their `@`
//!   (so replies still find their parents, inside their own replica only);
//! - addresses in `From`, `Reply-To`, `X-Original-From`, `To` and `Cc` get `.r<k>` at the end
//!   of their local part (so each replica has its own people; domains, and so brand, stay).
//!
//! Bodies, dates and the thread shape are left as they are: each replica has the real
//! archive's shape.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, input, output] = args.as_slice() else {
        return Err("usage: replay_mbox N INPUT_DIR OUTPUT_DIR".into());
    };
    let n: usize = n.parse()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(input)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|f| f.extension().is_some_and(|e| e == "mbox"));
    files.sort();
    std::fs::create_dir_all(output)?;
    for k in 0..n {
        let path = PathBuf::from(output).join(format!("replica-{k:03}.mbox"));
        let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        for f in &files {
            replay(f, k, &mut out)?;
        }
        out.flush()?;
    }
    Ok(())
}

fn replay(file: &PathBuf, k: usize, out: &mut impl Write) -> std::io::Result<()> {
    let mut input = BufReader::with_capacity(1 << 20, std::fs::File::open(file)?);
    let mut line = Vec::new();
    let mut in_headers = false;
    let mut prev_blank = true;
    let mut field = Field::Other;
    let id_tag = format!("r{k}.");
    let addr_tag = format!(".r{k}");
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let blank = line == b"\n" || line == b"\r\n";
        if prev_blank && line.starts_with(b"From ") {
            in_headers = true;
            field = Field::Other;
        } else if in_headers && blank {
            in_headers = false;
        } else if in_headers {
            if !line.starts_with(b" ") && !line.starts_with(b"\t") {
                field = Field::of(&line);
            }
            match field {
                Field::Ids => line = insert_after_at(&line, id_tag.as_bytes()),
                Field::Addresses => line = insert_before_at(&line, addr_tag.as_bytes()),
                Field::Other => {}
            }
        }
        prev_blank = blank;
        out.write_all(&line)?;
    }
}

#[derive(Clone, Copy)]
enum Field {
    Ids,
    Addresses,
    Other,
}

impl Field {
    fn of(line: &[u8]) -> Field {
        let name = line.split(|b| *b == b':').next().unwrap_or_default();
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        match name.as_str() {
            "message-id" | "in-reply-to" | "references" => Field::Ids,
            "from" | "reply-to" | "x-original-from" | "to" | "cc" => Field::Addresses,
            _ => Field::Other,
        }
    }
}

fn insert_after_at(line: &[u8], tag: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len() + 16);
    for &b in line {
        out.push(b);
        if b == b'@' {
            out.extend_from_slice(tag);
        }
    }
    out
}

fn insert_before_at(line: &[u8], tag: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len() + 16);
    for &b in line {
        if b == b'@' {
            out.extend_from_slice(tag);
        }
        out.push(b);
    }
    out
}
