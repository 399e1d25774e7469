//! Prints the own words of a body read from stdin (for checking the extractor by hand).
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).expect("stdin");
    print!("{}", hearth_sources::mailtext::own_words(&s));
}
