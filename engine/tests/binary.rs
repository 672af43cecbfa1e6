//! The `tiers` binary starts and knows its commands. (Having an integration
//! test here also makes `cargo test --workspace` build the binary that the
//! tests crate drives.)

#[test]
fn the_binary_lists_its_commands() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiers"))
        .arg("--help")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "assess", "check", "test", "whatif", "reforms", "diff", "fmt",
    ] {
        assert!(help.contains(cmd), "`tiers --help` lacks {cmd}:\n{help}");
    }
}
