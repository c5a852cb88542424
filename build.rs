//! Build script. By default it only tells the linker the shared library's SONAME; it writes
//! nothing, anywhere, and a crate depending on `trillet` compiles no code generator.
//!
//! - On Linux the cdylib gets the SONAME `libtrillet.so.<major>` (`libtrillet.so.0` for 0.x), so
//!   a program linked against the installed `libtrillet.so.0.1.0` records the ABI it was built
//!   for. `bindings/c/Makefile` (`make install`) installs the versioned file and its symlinks.
//! - With the off-by-default `header` feature it also generates the C header from `src/ffi` with
//!   cbindgen, into `$OUT_DIR/trillet.h` and nowhere else. The header is committed as
//!   `include/trillet.h`; `scripts/check-header` builds with `--features header`, compares the
//!   two and fails on drift (`scripts/check-header --fix` copies the new one into place).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libtrillet.so.{version}");
    }
    #[cfg(feature = "header")]
    header::generate();
}

#[cfg(feature = "header")]
mod header {
    use std::path::PathBuf;

    /// Writes `$OUT_DIR/trillet.h` from `src/ffi` (see the file's documentation).
    pub fn generate() {
        println!("cargo:rerun-if-changed=cbindgen.toml");
        println!("cargo:rerun-if-changed=src/ffi");
        let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
        let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("trillet.h");

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
        std::fs::write(&out, text).unwrap_or_else(|e| panic!("could not write {}: {e}", out.display()));
    }
}
