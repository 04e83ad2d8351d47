//! Runs the built `sitewatch` and `check` binaries against a test database, isolated from the
//! caller's settings.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};

use super::TestDb;

pub struct SwCommand<'a> {
    program: &'static str,
    /// A program (and its arguments) that runs the binary, e.g. to drop a capability.
    launcher: Vec<String>,
    db: &'a TestDb,
    args: Vec<String>,
    stdin: Option<String>,
    env: Vec<(String, String)>,
}

/// The outcome of one run: exit code and captured output.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Asserts success and returns stdout.
    pub fn ok(self) -> String {
        assert_eq!(self.code, 0, "expected success; stderr: {}\nstdout: {}", self.stderr, self.stdout);
        self.stdout
    }

    /// Asserts exit code 2 with exactly one line on stderr, and returns that line.
    pub fn usage_error(self) -> String {
        assert_eq!(self.code, 2, "expected exit 2; stderr: {}\nstdout: {}", self.stderr, self.stdout);
        let lines: Vec<&str> = self.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "expected one line on stderr, got: {}", self.stderr);
        lines[0].to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

/// `sitewatch ARGS...` against `db`.
pub fn sw<'a>(db: &'a TestDb, args: &[&str]) -> SwCommand<'a> {
    SwCommand {
        program: env!("CARGO_BIN_EXE_sitewatch"),
        launcher: Vec::new(),
        db,
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        stdin: None,
        env: Vec::new(),
    }
}

/// `check ARGS...` against `db` (sandbox off; tests add their own settings with `.env`).
pub fn check<'a>(db: &'a TestDb, args: &[&str]) -> SwCommand<'a> {
    SwCommand { program: env!("CARGO_BIN_EXE_check"), ..sw(db, args) }
}

impl SwCommand<'_> {
    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    /// Runs the binary through `launcher` (its first word is the program).
    pub fn through(mut self, launcher: &[&str]) -> Self {
        self.launcher = launcher.iter().map(|a| (*a).to_owned()).collect();
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    fn command(&self) -> Command {
        let mut command = match self.launcher.split_first() {
            Some((launcher, args)) => {
                let mut command = Command::new(launcher);
                command.args(args).arg(self.program);
                command
            }
            None => Command::new(self.program),
        };
        command.args(&self.args).current_dir(self.db.path());
        isolate(&mut command, &self.db.url);
        for (k, v) in &self.env {
            command.env(k, v);
        }
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command
    }

    /// Starts the command in the background (stdin closed), for tests of concurrent runs.
    pub fn spawn(self) -> Child {
        let mut child = self.command().spawn().expect("start the binary");
        drop(child.stdin.take());
        child
    }

    pub fn run(self) -> Outcome {
        let mut child = self.command().spawn().expect("start the binary");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        if let Some(text) = &self.stdin {
            // A command that refuses its arguments may exit before reading its input.
            if let Err(error) = stdin.write_all(text.as_bytes()) {
                assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {error}");
            }
        }
        drop(stdin);
        outcome_of(child)
    }

    pub fn ok(self) -> String {
        self.run().ok()
    }

    pub fn usage_error(self) -> String {
        self.run().usage_error()
    }
}

/// Waits for a started command and collects its outcome.
pub fn outcome_of(child: Child) -> Outcome {
    let output = child.wait_with_output().expect("wait for the binary");
    Outcome {
        // Killed by a signal: its number, negated, so a failure message says which one.
        code: output.status.code().unwrap_or_else(|| -output.status.signal().unwrap_or(0)),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Clears the caller's `SITEWATCH_*` variables and points the binary at the test database.
pub fn isolate(command: &mut Command, database_url: &str) {
    for (key, _) in std::env::vars() {
        if key.starts_with("SITEWATCH_") {
            command.env_remove(key);
        }
    }
    command.env("SITEWATCH_DATABASE_URL", database_url).env("SITEWATCH_CHECK_SANDBOX_URLS", "");
}
