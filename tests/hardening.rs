//! Hardening (issue 11): what an attacker, a full disk and a careless user
//! can still do. Each test reproduces one finding of that issue and fails
//! on the code before its fix (several by hanging, which `run` turns into
//! a failure after a deadline).
//!
//! Devices, FIFOs, symlinks and permissions are made only in a fresh
//! temporary directory; `/dev/full` is only opened for writing.

#![cfg(unix)]

use std::io::{BufRead, Read};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tiers::case::{self, LoadOptions};
use tiers_tests::{bin, root, tvpa};

/// A fresh, empty directory for one test, removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("tiers-hardening-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    Scratch(d)
}

/// Waits for `child` at most `secs` seconds (killing it then, and failing
/// the test: a hang is a finding too), reading its output meanwhile.
fn finish(mut child: Child, what: &str, secs: u64) -> (i32, String, String) {
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`tiers {what}` did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let o = out_t.join().unwrap_or_default();
    let e = err_t.join().unwrap_or_default();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o).into_owned(),
        String::from_utf8_lossy(&e).into_owned(),
    )
}

/// Runs `tiers ARGS` in `dir` with a deadline: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str], secs: u64) -> (i32, String, String) {
    let child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tiers");
    finish(child, &args.join(" "), secs)
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success(), "mkfifo {}", path.display());
}

fn jamaica() -> PathBuf {
    root().join("cases/2017/jamaica.yaml")
}

fn assert_no_panic(stderr: &str) {
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "a panic:\n{stderr}"
    );
}

// ------------------------------------------------------------ safe writes

#[test]
fn output_through_a_symlink_keeps_the_link_and_the_mode() {
    let d = scratch("symlink-out");
    std::fs::write(d.join("real.txt"), "old\n").expect("write");
    std::fs::set_permissions(d.join("real.txt"), std::fs::Permissions::from_mode(0o600))
        .expect("chmod");
    std::os::unix::fs::symlink("real.txt", d.join("link.txt")).expect("symlink");
    let j = jamaica();
    let (code, _, err) = run(&d, &["assess", "-o", "link.txt", j.to_str().unwrap()], 60);
    assert_eq!(code, 0, "{err}");
    let link = std::fs::symlink_metadata(d.join("link.txt")).expect("link");
    assert!(link.file_type().is_symlink(), "the symlink was replaced");
    let real = std::fs::metadata(d.join("real.txt")).expect("real");
    assert_eq!(
        real.permissions().mode() & 0o777,
        0o600,
        "the mode was reset"
    );
    let text = std::fs::read_to_string(d.join("real.txt")).expect("read");
    assert!(text.starts_with("Jamaica"), "{text}");
    // only the two files: no temporary file left
    assert_eq!(std::fs::read_dir(&d).expect("dir").count(), 2);
}

#[test]
fn output_to_a_fifo_or_to_standard_output_is_written_in_place() {
    let d = scratch("fifo-out");
    let fifo = d.join("out.fifo");
    mkfifo(&fifo);
    let (tx, rx) = std::sync::mpsc::channel();
    let reader_path = fifo.clone();
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Ok(mut f) = std::fs::File::open(&reader_path) {
            let _ = f.read_to_string(&mut s);
        }
        let _ = tx.send(s);
    });
    let j = jamaica();
    let (code, _, err) = run(&d, &["assess", "-o", "out.fifo", j.to_str().unwrap()], 60);
    let got = rx.recv_timeout(Duration::from_secs(10));
    if got.is_err() {
        // free the reader (it waits for a writer that never came)
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
    }
    assert_eq!(code, 0, "{err}");
    let got = got.expect("the FIFO's reader got the assessment");
    assert!(got.starts_with("Jamaica"), "{got}");
    let ft = std::fs::symlink_metadata(&fifo).expect("fifo").file_type();
    assert!(ft.is_fifo(), "the FIFO was replaced by a regular file");

    // `/dev/stdout` is a link to the process's own standard output: made
    // here as a link of our own to the same place
    std::os::unix::fs::symlink("/proc/self/fd/1", d.join("stdout")).expect("symlink");
    let (code, out, err) = run(&d, &["assess", "-o", "stdout", j.to_str().unwrap()], 60);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Jamaica"), "{out}");
    assert!(std::fs::symlink_metadata(d.join("stdout"))
        .expect("link")
        .file_type()
        .is_symlink());
}

#[test]
fn a_symlink_planted_at_a_predictable_temporary_name_is_not_followed() {
    let d = scratch("planted");
    std::fs::write(d.join("victim"), "precious\n").expect("write");
    // the name the old writer used: `.out.txt.tiers-<pid>.tmp`, the pid
    // being the shell's, which `exec` keeps
    let script = format!(
        "ln -s victim .out.txt.tiers-$$.tmp && exec '{}' assess -o out.txt '{}'",
        bin().display(),
        jamaica().display()
    );
    let child = Command::new("sh")
        .args(["-c", &script])
        .current_dir(&d)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh");
    let (code, _, err) = finish(child, "assess -o out.txt", 60);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("victim")).expect("victim"),
        "precious\n",
        "the planted symlink's target was overwritten"
    );
    let out = std::fs::symlink_metadata(d.join("out.txt")).expect("out");
    assert!(out.file_type().is_file());
}

#[test]
fn what_cannot_be_written_is_refused_clearly() {
    let d = scratch("refused");
    let j = jamaica();
    let (code, _, err) = run(&d, &["assess", "-o", ".", j.to_str().unwrap()], 60);
    assert_eq!(code, 1);
    assert!(err.contains("is a directory"), "{err}");
    let (code, _, err) = run(
        &d,
        &["assess", "-o", "no/such/x.txt", j.to_str().unwrap()],
        60,
    );
    assert_eq!(code, 1);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

// ------------------------------------------------------- escaped output

#[test]
fn control_characters_are_escaped_for_the_terminal() {
    let d = scratch("escapes");
    std::fs::write(
        d.join("evil.yaml"),
        "country: \"Evil\\e[2J\\a\\rX\\u202Eyad\\0Z\"\nyear: 2017\n",
    )
    .expect("write");
    let (code, out, err) = run(&d, &["assess", "evil.yaml"], 60);
    assert_eq!(code, 0, "{err}");
    for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\0'] {
        assert!(!out.contains(c), "{c:?} reached the terminal");
    }
    assert!(
        out.contains("Evil\\u{1b}[2J\\u{7}\\rX\\u{202e}yad\\u{0}Z"),
        "{out}"
    );
    // JSON stays exact
    let (code, out, _) = run(&d, &["assess", "--format", "json", "evil.yaml"], 60);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["country"], "Evil\u{1b}[2J\u{7}\rX\u{202e}yad\0Z");

    // keys and file names in diagnostics
    std::fs::write(
        d.join("bad\u{1b}]0;title\u{7}.yaml"),
        "country: X\nyear: 2017\n\"k\\e[31m\": 1\n",
    )
    .expect("write");
    let (code, _, err) = run(&d, &["assess", "bad\u{1b}]0;title\u{7}.yaml"], 60);
    assert_eq!(code, 1);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("bad\\u{1b}]0;title\\u{7}.yaml"), "{err}");
    assert!(err.contains("k\\u{1b}[31m"), "{err}");
}

#[test]
fn markdown_escapes_what_would_break_tables_or_inject_markup() {
    let d = scratch("markdown");
    let facts = std::fs::read_to_string(jamaica()).expect("jamaica");
    let evil = facts.replacen(
        "country: Jamaica",
        "country: \"Jamaica | x\\n# Injected heading\\n<script>alert(1)</script> [click](https://evil.example)\"",
        1,
    );
    assert_ne!(evil, facts);
    std::fs::write(d.join("jamaica.yaml"), evil).expect("write");
    let (code, out, err) = run(&d, &["assess", "--format", "md", "jamaica.yaml"], 60);
    assert_eq!(code, 0, "{err}");
    assert!(!out.lines().any(|l| l.starts_with("# Injected")), "{out}");
    assert!(!out.contains("<script>"), "{out}");
    assert!(!out.contains("[click](https://evil"), "{out}");
    // every row of the criteria table has the header's five cells
    let unescaped_pipes = |l: &str| {
        let b = l.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("| outcome | criterion"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(table.len() > 3, "{out}");
    for row in table {
        assert_eq!(unescaped_pipes(row), 6, "a broken row: {row}");
    }
}

// ------------------------------------------------- what a scenario reads

#[test]
fn a_scenario_base_must_be_a_facts_file_and_is_never_quoted() {
    let d = scratch("base");
    std::fs::write(d.join("secret.txt"), "password: hunter2\nroot:x:0:0\n").expect("write");
    std::os::unix::fs::symlink("secret.txt", d.join("secret.yaml")).expect("symlink");
    mkfifo(&d.join("pipe.yaml"));
    for (base, why) in [
        ("secret.txt", "must end in .yaml or .yml"),
        ("secret.yaml", "is not a facts file"),
        ("pipe.yaml", "not a regular file"),
    ] {
        let sc = d.join("scenario.yaml");
        std::fs::write(
            &sc,
            format!("base: {base}\nset:\n  law.requires_movement: false\n"),
        )
        .expect("write");
        for args in [
            vec!["assess", "scenario.yaml"],
            vec!["whatif", "--scenario", "scenario.yaml"],
        ] {
            let (code, _, err) = run(&d, &args, 30);
            assert_eq!(code, 1, "{base}: {err}");
            assert!(err.contains(why), "{base}: {err}");
            assert!(!err.contains("hunter2") && !err.contains("root:x"), "{err}");
        }
    }
}

#[test]
fn whatif_scenario_gets_the_text_and_size_checks() {
    let d = scratch("scenario-checks");
    let base = jamaica();
    let mut bytes = format!("base: {}\nnote: \"", base.display()).into_bytes();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(b"\"\n");
    std::fs::write(d.join("latin1.yaml"), &bytes).expect("write");
    let (code, _, err) = run(&d, &["whatif", "--scenario", "latin1.yaml"], 30);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[not-text]"), "{err}");
    let mut big = format!("base: {}\nnote: \"", base.display()).into_bytes();
    big.extend(std::iter::repeat_n(b'x', 9 * 1024 * 1024));
    big.extend(b"\"\n");
    std::fs::write(d.join("big.yaml"), &big).expect("write");
    let (code, _, err) = run(&d, &["whatif", "--scenario", "big.yaml"], 60);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[input-too-large]"), "{err}");
}

// --------------------------------------------------- diff against git

#[test]
fn diff_refuses_a_revision_that_looks_like_an_option() {
    let (code, _, err) = run(
        &root(),
        &[
            "diff",
            "--base-rules",
            "git:--output=/tmp/tiers-hardening-injected",
        ],
        60,
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not a revision"), "{err}");
    assert!(!Path::new("/tmp/tiers-hardening-injected").exists());
}

#[test]
fn diff_reads_the_base_pack_by_tree_entries_from_any_directory() {
    let d = scratch("git-tree");
    let git = |args: &[&str], dir: &Path| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"], &d);
    // a pack directory and a rule file with names git would quote
    let pack = d.join("packs").join("règles tvpa");
    std::fs::create_dir_all(&pack).expect("mkdir");
    for e in std::fs::read_dir(root().join("rules/tvpa"))
        .expect("pack")
        .flatten()
    {
        let name = e
            .file_name()
            .to_string_lossy()
            .replace("00-pack", "00-pâck");
        std::fs::copy(e.path(), pack.join(name)).expect("copy");
    }
    // a symlink named *.rules in the tree is no rule file of the pack
    std::os::unix::fs::symlink("00-pâck.rules", pack.join("zz-link.rules")).expect("symlink");
    std::fs::create_dir_all(d.join("cases")).expect("mkdir");
    std::fs::copy(jamaica(), d.join("cases/jamaica.yaml")).expect("copy");
    git(&["add", "."], &d);
    git(&["commit", "-q", "-m", "pack"], &d);
    std::fs::remove_file(pack.join("zz-link.rules")).expect("rm");
    // from a subdirectory, with an absolute --rules
    let sub = d.join("packs");
    let abs_pack = pack.canonicalize().expect("abs");
    let cases = d.join("cases").canonicalize().expect("abs");
    let (code, out, err) = run(
        &sub,
        &[
            "diff",
            "--base-rules",
            "git:HEAD",
            "--rules",
            abs_pack.to_str().unwrap(),
            cases.to_str().unwrap(),
        ],
        120,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 of 1 cases change"), "{out}");
}

// ---------------------------------------- full disks and closed pipes

#[test]
fn a_full_disk_is_a_clear_error_and_a_closed_pipe_ends_quietly() {
    let d = scratch("pipes");
    std::fs::write(d.join("messy.rules"), "criterion a.b {\nwhen x => met\n}\n").expect("write");
    let j = jamaica();
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["test", "cases"],
        vec!["test", "--coverage", "cases"],
        vec!["assess", j.to_str().unwrap()],
        vec!["schema"],
    ];
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let mut with_fmt = commands.clone();
        let messy = d.join("messy.rules");
        with_fmt.push(vec!["fmt", "--check", messy.to_str().unwrap()]);
        for args in &with_fmt {
            let child = Command::new(bin())
                .args(args)
                .current_dir(root())
                .stdout(full.try_clone().expect("dup"))
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn");
            let (code, _, err) = finish(child, &args.join(" "), 120);
            assert_no_panic(&err);
            assert_eq!(code, 1, "tiers {args:?} on a full disk: {err}");
            assert!(err.contains("no space left"), "tiers {args:?}: {err}");
        }
    }
    // a reader that takes one line and goes (`| head -1`)
    for args in &commands {
        let mut child = Command::new(bin())
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = std::io::BufReader::new(out).read_line(&mut first);
        }
        let (code, _, err) = finish(child, &args.join(" "), 120);
        assert_no_panic(&err);
        assert!(
            err.trim().is_empty(),
            "tiers {args:?} after the pipe closed: {err}"
        );
        assert_eq!(code, 0, "tiers {args:?}");
    }
}

// --------------------------------------------------- resource limits

#[test]
fn a_def_that_doubles_a_text_40_times_is_bounded_and_says_so() {
    let mut src = String::from(
        "pack t { editions 2017 edition_fact year }\ntype tier = enum { \"1\" }\nfacts { year: number }\ndef dbl(x) = \"{x}{x}\"\n",
    );
    let mut e = "\"ab\"".to_string();
    for _ in 0..40 {
        e = format!("dbl({e})");
    }
    src.push_str(&format!("def big = {e}\n"));
    src.push_str("criterion a.b { when big = \"x\" => met because \"m\" otherwise => not_met because \"n\" }\n");
    src.push_str("placement tier { decide d { otherwise => \"1\" because \"placed\" } }\n");
    let pack = tiers::load_pack_from(vec![("dbl.rules".into(), src.into_bytes())]).expect("checks");
    let facts =
        case::load_bytes(&pack, "f.yaml", b"year: 2017\n", LoadOptions::default()).expect("loads");
    let a = tiers::evaluate(&pack, &facts);
    assert_eq!(a.outcome("a.b"), Some(tiers::Outcome::Unknown));
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("text value grew past")),
        "{:?}",
        a.warnings
    );
}

#[test]
fn chains_of_defs_that_nest_too_deep_are_refused_at_check_time() {
    let mut src = String::from(
        "pack t { editions 2017 edition_fact year }\ntype tier = enum { \"1\" }\nfacts { year: number  n: number }\ndef d0 = n + 1\n",
    );
    for i in 1..5_000 {
        src.push_str(&format!("def d{i} = d{} + 1\n", i - 1));
    }
    src.push_str("criterion a.b { when d4999 > 0 => met otherwise => not_met }\n");
    src.push_str("placement tier { decide d { otherwise => \"1\" because \"placed\" } }\n");
    let f =
        tiers::load_pack_from(vec![("chain.rules".into(), src.into_bytes())]).expect_err("refused");
    assert_eq!(
        f.diags[0].code.as_str(),
        "nesting-too-deep",
        "{}",
        f.render()
    );
    // the shipped pack is far from the bound
    let _ = tvpa();
}

#[test]
fn a_fifo_a_dangling_link_or_an_unreadable_file_in_a_pack_is_an_io_error() {
    let d = scratch("pack-files");
    for e in std::fs::read_dir(root().join("rules/tvpa"))
        .expect("pack")
        .flatten()
    {
        std::fs::copy(e.path(), d.join(e.file_name())).expect("copy");
    }
    let odd = d.join("zz.rules");
    mkfifo(&odd);
    let (code, out, err) = run(&root(), &["check", "--rules", d.to_str().unwrap()], 30);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("error[io]") && err.contains("FIFO"), "{err}");
    std::fs::remove_file(&odd).expect("rm");
    std::os::unix::fs::symlink("nowhere.rules", &odd).expect("symlink");
    let (code, out, err) = run(&root(), &["check", "--rules", d.to_str().unwrap()], 30);
    assert_eq!(code, 1, "a dangling rule file counted as empty: {out}");
    assert!(err.contains("error[io]"), "{err}");
    std::fs::remove_file(&odd).expect("rm");
    // a rule file that cannot be read (when this user is refused at all)
    std::fs::write(&odd, "# nothing\n").expect("write");
    std::fs::set_permissions(&odd, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&odd).is_err() {
        let (code, _, err) = run(&root(), &["check", "--rules", d.to_str().unwrap()], 30);
        assert_eq!(code, 1);
        assert!(err.contains("permission denied"), "{err}");
    }
    // the same walk for facts files: a FIFO case is refused, not opened
    let cases = scratch("fifo-case");
    mkfifo(&cases.join("stuck.yaml"));
    let (code, _, err) = run(&root(), &["assess", cases.to_str().unwrap()], 30);
    assert_eq!(code, 1);
    assert!(err.contains("FIFO"), "{err}");
}

#[test]
fn directory_symlink_loops_do_not_explode_the_walk() {
    let d = scratch("loops");
    std::fs::copy(jamaica(), d.join("jamaica.yaml")).expect("copy");
    std::os::unix::fs::symlink(".", d.join("x")).expect("symlink");
    std::os::unix::fs::symlink(".", d.join("y")).expect("symlink");
    let (code, out, err) = run(&root(), &["test", d.to_str().unwrap()], 60);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
}

#[test]
fn thousands_of_problems_show_the_first_fifty() {
    let d = scratch("many");
    let mut facts = String::from("country: X\nyear: 2017\n");
    for i in 0..40_000 {
        facts.push_str(&format!("unknown_key_{i}: 1\n"));
    }
    std::fs::write(d.join("many.yaml"), facts).expect("write");
    let (code, _, err) = run(&d, &["assess", "many.yaml"], 120);
    assert_eq!(code, 1);
    assert!(err.lines().count() < 600, "{} lines", err.lines().count());
    assert!(
        err.contains("39950 more problems"),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );

    let pack = d.join("pack");
    std::fs::create_dir_all(&pack).expect("mkdir");
    std::fs::copy(
        root().join("tests/fixtures/rules/ok/minimal.rules"),
        pack.join("a.rules"),
    )
    .expect("copy");
    let mut rules = String::new();
    for i in 0..5_000 {
        rules.push_str(&format!("def d{i} = e{i}\n"));
    }
    std::fs::write(pack.join("b.rules"), rules).expect("write");
    let (code, _, err) = run(&d, &["check", "--rules", "pack"], 120);
    assert_eq!(code, 1);
    assert!(err.lines().count() < 600, "{} lines", err.lines().count());
    assert!(
        err.contains("4950 more problems"),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
}

#[test]
fn a_caret_on_a_long_line_stays_within_the_text_shown() {
    let d = scratch("long-line");
    let line = format!("notes: \"{}\" oops: 1\n", "x".repeat(1_000_000));
    std::fs::write(
        d.join("long.yaml"),
        format!("country: X\nyear: 2017\n{line}"),
    )
    .expect("write");
    let (code, _, err) = run(&d, &["assess", "long.yaml"], 60);
    assert_eq!(code, 1);
    assert!(err.len() < 2_000, "{} bytes of diagnostics", err.len());
    // the caret sits under the text shown
    let lines: Vec<&str> = err.lines().collect();
    let caret = lines.iter().position(|l| l.contains('^')).expect("a caret");
    let at = lines[caret].find('^').unwrap_or(0);
    assert!(at < lines[caret - 1].chars().count(), "{err}");
}

#[test]
fn reforms_stops_early_when_the_target_is_out_of_reach() {
    let nk = root().join("cases/2017/korea-democratic-peoples-republic-of.yaml");
    let (code, out, err) = run(
        &root(),
        &[
            "reforms",
            nk.to_str().unwrap(),
            "--max-size",
            "22",
            "--target",
            "1",
            "--no-findings",
            "--assume-unknown-fails",
        ],
        120,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("were not searched"), "{out}");
    let bound = 100_000; // tiers::whatif::MAX_SETS
    let evaluated: usize = out
        .lines()
        .find_map(|l| l.strip_prefix('(')?.split(' ').next()?.parse().ok())
        .expect("the closing count");
    assert!(evaluated <= bound, "{evaluated}");
}

// ------------------------------------------- one set of input checks

#[test]
fn set_scenario_set_and_levers_get_the_loaders_checks() {
    let j = jamaica();
    let j = j.to_str().unwrap();
    for (set, code) in [
        ("law.provisions[0].max_years=-1", "bad-value"),
        ("year=3000", "bad-value"),
        ("year=2016.5", "bad-value"),
        ("country=null", "missing-field"),
    ] {
        let (c, out, err) = run(&root(), &["whatif", j, "--set", set], 60);
        assert_eq!(c, 1, "--set {set} was accepted: {out}");
        assert!(
            err.contains(&format!("error[{code}]")),
            "--set {set}: {err}"
        );
    }
    let d = scratch("scenario-set");
    std::fs::write(
        d.join("s.yaml"),
        format!("base: {j}\nset:\n  law.provisions[0].max_years: -1\n"),
    )
    .expect("write");
    for args in [
        vec!["assess", "s.yaml"],
        vec!["whatif", "--scenario", "s.yaml"],
    ] {
        let (c, _, err) = run(&d, &args, 60);
        assert_eq!(c, 1, "{args:?}");
        assert!(
            err.contains("error[bad-value]") && err.contains("s.yaml:3:"),
            "{err}"
        );
    }
    // a lever's value is checked with the pack (fixture bad-lever-out-of-range)
    let pack = d.join("pack");
    tiers_tests::edited_pack(
        &pack,
        "90-levers.rules",
        "set law.provisions[*].fine = \"cumulative\"",
        "set law.provisions[*].max_years = -1",
    );
    let (c, _, err) = run(&root(), &["check", "--rules", pack.to_str().unwrap()], 60);
    assert_eq!(c, 1);
    assert!(
        err.contains("error[bad-lever]") && err.contains("is -1"),
        "{err}"
    );
}

#[test]
fn numbers_print_as_compared() {
    let d = scratch("numbers");
    let text = std::fs::read_to_string(jamaica()).expect("read").replacen(
        "max_years: 20",
        "max_years: 3.999",
        1,
    );
    std::fs::write(d.join("j.yaml"), text).expect("write");
    let (code, out, err) = run(&d, &["assess", "j.yaml"], 60);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3.999 years"), "{out}");
    assert!(!out.contains("up to 4 years"), "{out}");
}

#[test]
fn unloadable_input_is_never_a_quiet_success() {
    let d = scratch("quiet");
    std::fs::create_dir_all(d.join("empty")).expect("mkdir");
    let (code, _, err) = run(&d, &["assess", "empty"], 60);
    assert_eq!(code, 1);
    assert!(err.contains("no facts files"), "{err}");
    std::fs::create_dir_all(d.join("cases")).expect("mkdir");
    std::fs::write(d.join("cases/broken.yaml"), "country: [\n").expect("write");
    let (code, out, err) = run(
        &root(),
        &[
            "diff",
            "--base-rules",
            "rules/tvpa",
            d.join("cases").to_str().unwrap(),
        ],
        60,
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("yaml-syntax"), "{err}");
}

#[test]
fn a_file_in_a_year_directory_states_that_year() {
    let d = scratch("year-dirs");
    let facts = std::fs::read_to_string(jamaica()).expect("read");
    let no_history: String = facts
        .lines()
        .filter(|l| !l.starts_with("history:") && !l.starts_with("  - {year:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::create_dir_all(d.join("2016")).expect("mkdir");
    std::fs::create_dir_all(d.join("2017")).expect("mkdir");
    // a 2016/ file that says 2017
    std::fs::write(d.join("2016/jamaica.yaml"), &no_history).expect("write");
    std::fs::write(d.join("2017/jamaica.yaml"), &no_history).expect("write");
    let (code, out, err) = run(&d, &["assess", "2017/jamaica.yaml"], 60);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("in the directory `2016/`"), "{err}");
}

#[test]
fn library_wording_never_reaches_a_diagnostic() {
    let pack = tvpa();
    let inputs: Vec<Vec<u8>> = vec![
        b"country: X\nyear: 2017\n---\ncountry: Y\n".to_vec(),
        b"country: !!binary //79\nyear: 2017\n".to_vec(),
        format!(
            "country: X\nyear: 2017\nnotes: {}{}\n",
            "[".repeat(40),
            "]".repeat(40)
        )
        .into_bytes(),
        b"country: X\nyear: !!int 2017.5\n".to_vec(),
        b"country: X\nyear: 2017\nlaw: &a [*a]\n".to_vec(),
        b"country: X\nyear: 2017\nlaw: *nope\n".to_vec(),
        b"country: X\nyear: .nan\n".to_vec(),
    ];
    for bytes in inputs {
        let f =
            case::load_bytes(&pack, "x.yaml", &bytes, LoadOptions::default()).expect_err("refused");
        let text = f.render();
        for leak in [
            "from_str",
            "ignore_binary",
            "Options",
            "Depth {",
            "budget breached",
            "Option<",
            "rejected by the configured policy",
        ] {
            assert!(!text.contains(leak), "`{leak}` in:\n{text}");
        }
        let first = text.lines().next().unwrap_or("");
        assert!(!first.ends_with('.') && !first.ends_with(','), "{first}");
    }
}
