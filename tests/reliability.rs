//! Outputs written to files are whole: while `tiers assess --output` runs,
//! and after it is killed at any moment, a reader sees the old file or the
//! new one, never a torn one, and no temporary file is left behind by a
//! run that finished.
//!
//! `tests/mutations` keeps a writer that leaves the file torn for 80 ms;
//! this test fails on it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tiers_tests::{bin, root};

/// The files in `dir` other than `keep`.
fn others(dir: &Path, keep: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read the output directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect();
    v.sort();
    v
}

/// Whether `name` is the temporary file `tiers` writes beside `all.json`
/// (`.all.json.<random>.tiers-tmp`, created exclusively, name unpredictable).
fn is_temp(name: &str) -> bool {
    name.strip_prefix(".all.json.")
        .and_then(|rest| rest.strip_suffix(tiers::io::TEMP_SUFFIX))
        .is_some_and(|random| random.len() >= 6)
}

/// What a reader saw in the output file.
#[derive(Debug, PartialEq)]
enum Seen {
    Old,
    New,
}

fn classify(bytes: &[u8], old: &[u8], new: &[u8], when: &str) -> Seen {
    if bytes == old {
        Seen::Old
    } else if bytes == new {
        Seen::New
    } else {
        panic!(
            "torn output file {when}: {} bytes, neither the old file ({} bytes) nor the new one ({} bytes)",
            bytes.len(),
            old.len(),
            new.len()
        )
    }
}

#[test]
fn a_killed_assess_never_leaves_a_torn_output_file() {
    let dir = std::env::temp_dir().join(format!("tiers-atomic-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    let out = dir.join("all.json");
    let old = b"{\"old\": true}\n".to_vec();
    let assess = |target: &Path| {
        let mut c = Command::new(bin());
        c.args(["assess", "--format", "json", "--output"])
            .arg(target)
            .args(["cases/2017", "cases/edge"])
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };

    // a whole run: how long it takes here, what it writes, and nothing else
    let start = Instant::now();
    let status = assess(&out).status().expect("runs");
    let mut delay = start.elapsed();
    assert!(status.success());
    let new = std::fs::read(&out).expect("written");
    let v: serde_json::Value = serde_json::from_slice(&new).expect("json");
    assert!(v.as_array().is_some_and(|a| a.len() > 16), "an array");
    assert_eq!(
        others(&dir, "all.json"),
        Vec::<String>::new(),
        "left behind"
    );

    // runs killed around the moment of the write: the kill time follows
    // the write (later after a kill that came first, earlier after a run
    // that finished), while a reader polls the file and the directory
    let (mut finished, mut killed, mut killed_mid_write, mut polls) = (0, 0, 0, 0usize);
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut runs = 0;
    while runs < 24 || finished < 3 || killed < 3 {
        assert!(
            runs < 80,
            "after {runs} runs: {finished} finished, {killed} killed; the kills do not straddle the write"
        );
        runs += 1;
        std::fs::write(&out, &old).expect("seed the old file");
        let mut child = assess(&out).spawn().expect("spawn");
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let jitter = 0.9 + (rng % 200) as f64 / 1000.0;
        let kill_at = delay.mul_f64(jitter);
        let t = Instant::now();
        let mut seen_new_while_running = false;
        let mut exited = None;
        while t.elapsed() < kill_at {
            let bytes = std::fs::read(&out).expect("the output file is always there");
            polls += 1;
            if classify(&bytes, &old, &new, "while the command runs") == Seen::New {
                seen_new_while_running = true;
            }
            for f in others(&dir, "all.json") {
                assert!(is_temp(&f), "a stray file while the command runs: {f}");
            }
            if let Some(s) = child.try_wait().expect("wait") {
                exited = Some(s);
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        if exited.is_none() {
            let _ = child.kill();
        }
        let status = child.wait().expect("wait");
        let bytes = std::fs::read(&out).expect("the output file is always there");
        let after = classify(&bytes, &old, &new, "after the command");
        let left = others(&dir, "all.json");
        if status.success() {
            // it finished: the new file, no temporary file
            assert_eq!(after, Seen::New, "a finished run left the old file");
            assert_eq!(
                left,
                Vec::<String>::new(),
                "a finished run left files behind"
            );
            finished += 1;
            delay = delay.mul_f64(0.9);
        } else {
            // killed: a SIGKILL leaves at most its own temporary file
            assert!(!seen_new_while_running || after == Seen::New);
            assert!(
                left.len() <= 1,
                "more than one file left by a kill: {left:?}"
            );
            for f in &left {
                assert!(is_temp(f), "a stray file after a kill: {f}");
                killed_mid_write += 1;
                std::fs::remove_file(dir.join(f)).expect("remove");
            }
            killed += 1;
            delay = delay.mul_f64(1.1);
        }
    }
    assert!(
        polls > runs,
        "the reader polled {polls} times in {runs} runs"
    );
    eprintln!(
        "{runs} runs: {finished} finished, {killed} killed ({killed_mid_write} between creating and renaming the temporary file); {polls} reads while running"
    );

    // a finished run over a single file replaces the array
    let status = Command::new(bin())
        .args(["assess", "--format", "json", "--output"])
        .arg(&out)
        .arg("cases/2017/jamaica.yaml")
        .current_dir(root())
        .status()
        .expect("runs");
    assert!(status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(v["country"], "Jamaica");
    assert_eq!(
        others(&dir, "all.json"),
        Vec::<String>::new(),
        "left behind"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
