//! `classroom admin set-password`: sets the administrator password from a prompt or standard input.
//!
//! Never from the command line: argv is visible to every user of the machine (`ps`, /proc) and
//! lands in shell history.

use std::io::{BufRead, IsTerminal};

use sqlx::SqlitePool;

use super::password;

/// What `classroom admin …` can do.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Set (or replace) the administrator password, read from a prompt or from standard input
    /// (one line), e.g. `printf '%s\n' "$PASSWORD" | classroom admin set-password`. Ends every
    /// administrator session.
    SetPassword,
}

/// Runs `command` against the database; returns the process's exit code.
pub async fn run(command: &AdminCommand, pool: &SqlitePool) -> std::process::ExitCode {
    match command {
        AdminCommand::SetPassword => {
            let password = match read_password() {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            match password::set(pool, &password).await {
                Ok(()) => {
                    eprintln!("The administrator password is set. Log in at /admin/login.");
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}

/// From a terminal: asked twice without echo. Otherwise: the first line of standard input.
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New administrator password: ")
            .map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
