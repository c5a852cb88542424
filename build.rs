//! Build script: generates the C header `include/trillet.h` from `src/ffi` with cbindgen.
//!
//! It reruns only when `src/ffi`, `cbindgen.toml`, the header itself or this file change, so
//! library users pay for it once. The header is rewritten only when its content changes (no
//! needless rebuilds of C code, and a read-only checkout with an up-to-date header is never
//! touched). The header is committed; `scripts/check-header` fails when a build changes it.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=include/trillet.h");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let target = root.join("include").join("trillet.h");

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
