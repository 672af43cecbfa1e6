//! Outputs written to files are whole: a killed `tiers` leaves the old
//! file or the new one, never a torn one.

use std::process::{Command, Stdio};
use std::time::Duration;
use tiers_tests::{bin, root};

#[test]
fn a_killed_assess_never_leaves_a_torn_output_file() {
    let dir = std::env::temp_dir().join(format!("tiers-atomic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let out = dir.join("all.json");
    let old = "{\"old\": true}\n";
    std::fs::write(&out, old).expect("seed");
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut saw_new = false;
    for _ in 0..24 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut child = Command::new(bin())
            .args(["assess", "--format", "json", "--output"])
            .arg(&out)
            .arg("cases/")
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(rng % 120_000));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&out).expect("the output file is always there");
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(v) if v.is_array() => saw_new = true,
            Ok(v) => assert_eq!(v, serde_json::json!({"old": true}), "neither old nor new"),
            Err(e) => panic!("torn output file ({e}): {} bytes", text.len()),
        }
    }
    // no temporary file is left behind for a finished run
    let status = Command::new(bin())
        .args(["assess", "--format", "json", "--output"])
        .arg(&out)
        .arg("cases/2017/jamaica.yaml")
        .current_dir(root())
        .status()
        .expect("runs");
    assert!(status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    assert_eq!(v["country"], "Jamaica");
    let _ = saw_new;
    let _ = std::fs::remove_dir_all(&dir);
}
