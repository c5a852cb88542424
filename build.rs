//! Build script: generates the C header `include/trillet.h` from `src/ffi` with cbindgen.
//!
//! It reruns only when `src/ffi`, `cbindgen.toml` or this file change, so library users pay for
//! it once. The header is rewritten only when its content changes (no needless rebuilds of C
//! code, and a read-only checkout with an up-to-date header is never touched). With
//! `TRILLET_HEADER_OUT=<file>` the header is written there instead (`scripts/check-header`
//! compares that against the committed one); `TRILLET_SKIP_HEADER=1` skips generation.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-env-changed=TRILLET_HEADER_OUT");
    println!("cargo:rerun-if-env-changed=TRILLET_SKIP_HEADER");
    if std::env::var_os("TRILLET_SKIP_HEADER").is_some_and(|v| v == "1") {
        return;
    }
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = std::env::var_os("TRILLET_HEADER_OUT").map(PathBuf::from);
    let target = out.clone().unwrap_or_else(|| root.join("include").join("trillet.h"));

    let mut config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    config.after_includes = Some(format!(
        "\n/** The version of the library this header was generated for (see also trillet_version()). */\n\
         #define TRILLET_HEADER_VERSION \"{}\"\n",
        env!("CARGO_PKG_VERSION")
    ));
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src").join("ffi").join("mod.rs"))
        .generate()
        .expect("cbindgen could not read src/ffi");
    let mut text = Vec::new();
    bindings.write(&mut text);

    if std::fs::read(&target).ok().as_deref() == Some(&text[..]) {
        return;
    }
    if let Err(e) = write(&target, &text) {
        if out.is_some() {
            panic!("cannot write {}: {e}", target.display());
        }
        // A read-only source tree (a dependency in the cargo registry): keep going, say so.
        println!("cargo:warning=could not update {}: {e}", target.display());
    }
}

fn write(path: &Path, text: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}
