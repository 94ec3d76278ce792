//! Bundles every `scenarios/*.yaml` into the library: adding a lab is adding
//! a file, with no list to keep in step.

use std::fmt::Write;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    // Paths relative to the package and to CARGO_MANIFEST_DIR: a target
    // directory shared by two checkouts must not keep the other one's labs.
    println!("cargo:rerun-if-changed=scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml"))
                .collect()
        })
        .unwrap_or_default();
    // A build script runs natively: the wasm bundle's one-sort rule (clippy.toml) does not apply.
    #[allow(clippy::disallowed_methods)]
    names.sort();
    let mut out = String::from("&[\n");
    for n in &names {
        println!("cargo:rerun-if-changed=scenarios/{n}");
        let _ = writeln!(
            out,
            "    LabFile {{ path: \"labs/scenarios/{n}\", text: include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/scenarios/{n}\")) }},"
        );
    }
    out.push(']');
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("bundled.rs");
    let _ = std::fs::write(dest, out);
}
