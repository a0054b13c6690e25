//! Gives the shared library its SONAME on Linux: `libnps.so.<ABI>`, where the ABI version is the
//! major version of the crate (the workspace version), or `0.<minor>` while the major version is
//! 0 (Cargo's rule: before 1.0 a minor release may break compatibility, and it does break the C
//! ABI). Programs linked with `-lnps` record that name (`libnps.so.0.1` today) as NEEDED and
//! keep loading the library across compatible releases, never an incompatible one. `make
//! install` lays the files out as ldconfig expects: `libnps.so.<version>`, with the links
//! `libnps.so.<ABI>` (the SONAME) and `libnps.so` (for the linker). Other targets keep the
//! linker's default.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        let abi = match major {
            "0" => format!("0.{}", env!("CARGO_PKG_VERSION_MINOR")),
            major => major.to_owned(),
        };
        println!("cargo::rustc-cdylib-link-arg=-Wl,-soname,libnps.so.{abi}");
    }
}
