//! The `trillet` command-line tool (built with `--features cli`).
fn main() {
    eprintln!("trillet CLI: under construction");
    std::process::exit(2);
}
