//! The committed C header `include/nps.h` must be what the pinned cbindgen generates from this
//! crate. `make test-header` runs this check; `make header` (`NPS_UPDATE_HEADER=1`) rewrites the
//! header instead.

use std::path::{Path, PathBuf};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    manifest_dir().join("../include/nps.h")
}

fn generate() -> String {
    let config = cbindgen::Config::from_file(manifest_dir().join("cbindgen.toml"))
        .expect("nps-ffi/cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(manifest_dir())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn header_is_up_to_date() {
    let generated = generate();
    let path = header_path();
    if std::env::var_os("NPS_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("include/nps.h is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()))
            + 1;
        panic!(
            "include/nps.h is stale (first difference at line {line}); run `make header` \
             and commit the result"
        );
    }
}

#[test]
fn pkg_config_version_is_the_crate_version() {
    let pc = std::fs::read_to_string(manifest_dir().join("nps.pc.in"))
        .expect("nps-ffi/nps.pc.in is readable");
    let version = pc
        .lines()
        .find_map(|l| l.strip_prefix("Version:"))
        .map(str::trim);
    assert_eq!(
        version,
        Some(env!("CARGO_PKG_VERSION")),
        "nps-ffi/nps.pc.in must carry the crate version"
    );
}
