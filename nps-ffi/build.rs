//! Gives the shared library its SONAME on Linux: `libnps.so.<major>`, the major version of the
//! crate (the workspace version), so that programs linked with `-lnps` record `libnps.so.0` as
//! NEEDED and keep loading it across compatible releases. `make install` lays the files out as
//! ldconfig expects: `libnps.so.<version>`, with the links `libnps.so.<major>` (the SONAME) and
//! `libnps.so` (for the linker). Other targets keep the linker's default.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        println!("cargo::rustc-cdylib-link-arg=-Wl,-soname,libnps.so.{major}");
    }
}
