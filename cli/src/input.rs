//! Where secrets come from: the environment, standard input, or the terminal. Standard input is
//! read once, whole, into zeroizing memory, and handed out line by line.

use std::io::{BufRead, IsTerminal, Read, Write};

use keydeck_core::{Error, Result, SecretText};
use zeroize::Zeroizing;

/// Standard input, read on first use.
pub struct Stdin {
    text: Option<Zeroizing<String>>,
    pos: usize,
}

impl Stdin {
    pub fn new() -> Self {
        Stdin { text: None, pos: 0 }
    }

    fn load(&mut self) -> Result<&str> {
        if self.text.is_none() {
            let mut buf = Zeroizing::new(Vec::new());
            // Bounded like a file: `keydeck import - < /dev/zero` stops at the cap.
            std::io::stdin()
                .take(MAX_STDIN + 1)
                .read_to_end(&mut buf)
                .map_err(|e| Error::invalid("stdin", format!("could not be read: {e}")))?;
            if buf.len() as u64 > MAX_STDIN {
                return Err(Error::invalid(
                    "stdin",
                    format!(
                        "Standard input is larger than the {} MiB Keydeck reads.",
                        MAX_STDIN >> 20
                    ),
                ));
            }
            let text = match std::str::from_utf8(&buf) {
                Ok(s) => s.to_owned(),
                Err(e) => {
                    return Err(Error::invalid(
                        "stdin",
                        format!("not valid UTF-8 (bad byte at offset {})", e.valid_up_to()),
                    ))
                }
            };
            self.text = Some(Zeroizing::new(text));
        }
        Ok(self.text.as_deref().map(|s| &s[self.pos..]).unwrap_or(""))
    }

    /// The next line, without its line ending; `None` at the end.
    pub fn line(&mut self) -> Result<Option<SecretText>> {
        let rest = self.load()?;
        if rest.is_empty() {
            return Ok(None);
        }
        let (line, used) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let line = SecretText::new(line.strip_suffix('\r').unwrap_or(line));
        self.pos += used;
        Ok(Some(line))
    }

    /// Everything not yet read.
    pub fn rest(&mut self) -> Result<Zeroizing<String>> {
        let rest = Zeroizing::new(self.load()?.to_owned());
        self.pos += rest.len();
        Ok(rest)
    }

    /// The value of an option given as `-` (`--uri -`, `--secret -`, `recovery use NAME -`):
    /// the next line of standard input, its line ending stripped. Read before the master
    /// password, so with `--password-stdin` the value is the first line and the password the
    /// second. An empty value is refused, naming the option.
    pub fn value(&mut self, option: &str) -> Result<SecretText> {
        let v = self.line()?.unwrap_or_else(|| SecretText::new(""));
        if v.is_empty() {
            return Err(empty_value(option));
        }
        Ok(v)
    }

    /// The value of an option that may span lines (`--notes -`): the rest of standard input,
    /// one trailing line ending stripped. An empty value is refused, naming the option.
    pub fn text_value(&mut self, option: &str) -> Result<Zeroizing<String>> {
        let mut v = self.rest()?;
        if v.ends_with('\n') {
            v.pop();
            if v.ends_with('\r') {
                v.pop();
            }
        }
        if v.is_empty() {
            return Err(empty_value(option));
        }
        Ok(v)
    }
}

/// The most read from standard input: the import cap (64 MiB).
pub const MAX_STDIN: u64 = keydeck_core::import::MAX_FILE_BYTES;

fn empty_value(option: &str) -> Error {
    Error::invalid(
        option,
        format!(
            "{option} - reads the value from standard input, which is empty: pipe it in, \
             e.g. printf '%s' \"$VALUE\" | keydeck … {option} -"
        ),
    )
}

/// Where the master password comes from, in order: `KEYDECK_PASSWORD`, `--password-stdin`,
/// a prompt on the terminal.
pub struct PasswordSource<'a> {
    pub from_stdin: bool,
    pub stdin: &'a mut Stdin,
}

impl PasswordSource<'_> {
    pub fn current(&mut self) -> Result<SecretText> {
        self.get("KEYDECK_PASSWORD", "Master password: ", false)
    }

    /// A new password (init, passwd): asked twice on a terminal.
    pub fn new_password(&mut self, env: &str) -> Result<SecretText> {
        self.get(env, "New master password: ", true)
    }

    fn get(&mut self, env: &str, prompt: &str, confirm: bool) -> Result<SecretText> {
        if let Some(v) = std::env::var_os(env) {
            let v = v
                .into_string()
                .map_err(|_| Error::invalid(env, "not valid UTF-8"))?;
            return non_empty(SecretText::new(v), env);
        }
        if self.from_stdin {
            let line = self.stdin.line()?.ok_or_else(|| {
                Error::invalid(
                    "--password-stdin",
                    "standard input ended before the password",
                )
            })?;
            return non_empty(line, "--password-stdin");
        }
        if !std::io::stdin().is_terminal() {
            return Err(Error::invalid(
                "master password",
                format!("not given: set {env}, use --password-stdin, or run in a terminal"),
            ));
        }
        let first = prompt_tty(prompt)?;
        if confirm {
            let again = prompt_tty("Repeat it: ")?;
            if first.expose() != again.expose() {
                return Err(Error::invalid("master password", "the two entries differ"));
            }
            if let Some(hint) = strength_hint(&first) {
                eprintln!("{hint}");
            }
        }
        non_empty(first, "master password")
    }
}

fn prompt_tty(prompt: &str) -> Result<SecretText> {
    rpassword::prompt_password(prompt)
        .map(SecretText::from)
        .map_err(|e| {
            Error::invalid(
                "master password",
                format!("could not read the terminal: {e}"),
            )
        })
}

fn non_empty(p: SecretText, what: &str) -> Result<SecretText> {
    if p.is_empty() {
        Err(Error::invalid(what, "the password is empty"))
    } else {
        Ok(p)
    }
}

fn strength_hint(p: &SecretText) -> Option<String> {
    use keydeck_core::security::{strength, PasswordPurpose};
    let s = strength(p.expose(), &[], PasswordPurpose::Master, &[]);
    (!s.good).then(|| {
        format!(
            "note: this master password is rated {} ({}/4); a master password needs 4/4 — a long passphrase of random words is better",
            s.label.to_lowercase(),
            s.score
        )
    })
}

/// Asks `question` with "[y/N]" on the terminal; `what` names the command in the error when
/// standard input is not a terminal (a script must pass `--yes`).
pub fn confirm(what: &str, question: &str) -> Result<bool> {
    can_confirm(what)?;
    // Never print!: it panics when standard output is a closed pipe.
    let mut o = std::io::stdout();
    let _ = write!(o, "{question} [y/N] ").and_then(|()| o.flush());
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::invalid(what, format!("could not read the answer: {e}")))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Fails (bad input) when no confirmation can be asked for: standard input is not a terminal.
pub fn can_confirm(what: &str) -> Result<()> {
    if std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            "this needs a confirmation: run in a terminal, or pass --yes",
        ))
    }
}
