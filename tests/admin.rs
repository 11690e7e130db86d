//! Administrator access over real HTTP: the setup hint, login, the rate limit, sessions, log out,
//! expiry, and `classroom admin set-password` run as a real process; browsers that logged in
//! before in `tests/admin/devices.rs`.

mod common;
#[path = "admin/devices.rs"]
mod devices;

use std::io::Write;
use std::process::{Command, Stdio};

use classroom::api::admin::{AdminLogout, LoginReply};
use classroom::server::admin::{password, LOGIN_ATTEMPTS_PER_MINUTE};
use classroom::server::{db::now_ms, secret};
use common::admin::{login, page, reply, session_cookie, with_password, PASSWORD};
use common::http::Response;
use common::TestServer;
use leptos::server_fn::ServerFn;

fn assert_sent_to_login(res: &Response) {
    assert_eq!(res.status, 302, "{}", res.raw_head);
    assert!(
        res.headers.contains("location: /admin/login\r\n")
            || res.headers.ends_with("location: /admin/login"),
        "{}",
        res.raw_head
    );
}

#[tokio::test]
async fn a_fresh_install_says_how_to_set_the_password_in_both_languages() {
    let srv = TestServer::start().await;
    let en = page(&srv, "/admin", None).await;
    assert_eq!(en.status, 200, "{}", en.body);
    assert!(
        en.body.contains("classroom admin set-password"),
        "{}",
        en.body
    );
    assert!(en.body.contains("CLASSROOM_ADMIN_PASSWORD"), "{}", en.body);
    assert!(en.body.contains("No administrator password is set yet"));
    let headers = [("Accept", "text/html"), ("Accept-Language", "ko-KR,ko")];
    let ko = srv.http("GET", "/admin", &headers, "").await;
    assert!(
        ko.body.contains("아직 관리자 비밀번호가 없습니다"),
        "{}",
        ko.body
    );
    assert!(ko.body.contains("classroom admin set-password"));
    let res = login(&srv, "anything at all", "application/json").await;
    assert_eq!(reply(&res), LoginReply::NoPassword);
}

#[tokio::test]
async fn admin_pages_without_a_session_send_the_browser_to_login() {
    let srv = with_password().await;
    assert_sent_to_login(&page(&srv, "/admin", None).await);
    assert_sent_to_login(&page(&srv, "/admin", Some("made-up-session")).await);
    let form = page(&srv, "/admin/login", None).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form
        .body
        .contains(r#"<label for="admin-password">Password</label>"#));
    assert!(form.body.contains(r#"type="password""#));
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_guessing_is_rate_limited() {
    let srv = with_password().await;
    let plain = login(&srv, "wrong password", "text/html").await;
    assert_eq!(plain.status, 302, "{}", plain.raw_head);
    assert!(plain
        .headers
        .contains("location: /admin/login?problem=wrong"));
    assert!(!plain.headers.contains("set-cookie: classroom_admin"));
    let shown = page(&srv, "/admin/login?problem=wrong", None).await;
    assert!(
        shown.body.contains("That password is not right."),
        "{}",
        shown.body
    );
    for _ in 1..LOGIN_ATTEMPTS_PER_MINUTE {
        let res = login(&srv, "still wrong", "application/json").await;
        assert_eq!(reply(&res), LoginReply::WrongPassword);
    }
    // The budget is spent: even the right password waits.
    let res = login(&srv, PASSWORD, "application/json").await;
    assert_eq!(reply(&res), LoginReply::RateLimited);
    assert!(!res.headers.contains("set-cookie: classroom_admin"));
    let plain = login(&srv, PASSWORD, "text/html").await;
    assert!(plain
        .headers
        .contains("location: /admin/login?problem=rate_limited"));
    let shown = page(&srv, "/admin/login?problem=rate_limited", None).await;
    assert!(
        shown.body.contains("Too many login attempts"),
        "{}",
        shown.body
    );
}

#[tokio::test]
async fn the_right_password_opens_a_session_until_log_out() {
    let srv = with_password().await;
    let res = login(&srv, PASSWORD, "text/html").await;
    assert_eq!(res.status, 302, "{}", res.raw_head);
    assert!(
        res.headers.contains("location: /admin\r\n"),
        "{}",
        res.raw_head
    );
    let id = session_cookie(&res);
    assert_eq!(id.len(), 64);

    let admin = page(&srv, "/admin", Some(&id)).await;
    assert_eq!(admin.status, 200, "{}", admin.body);
    assert!(admin.headers.contains("cache-control: no-store"));
    assert!(admin.body.contains("Log out"), "{}", admin.body);
    // The login page sends a logged-in administrator on.
    let again = page(&srv, "/admin/login", Some(&id)).await;
    assert_eq!(again.status, 302);

    let cookie = format!("classroom_admin={id}");
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "text/html"),
        ("Cookie", cookie.as_str()),
    ];
    let out = srv
        .http("POST", <AdminLogout as ServerFn>::PATH, &headers, "")
        .await;
    assert_eq!(out.status, 302, "{}", out.raw_head);
    assert!(out.headers.contains("location: /admin/login"));
    assert!(out
        .headers
        .contains("set-cookie: classroom_admin=; path=/; max-age=0"));
    assert_sent_to_login(&page(&srv, "/admin", Some(&id)).await);
}

#[tokio::test]
async fn expired_sessions_are_refused_and_forgotten() {
    let srv = with_password().await;
    let minute = 60_000;
    // Idle for 31 minutes (the limit is 30); opened 13 hours ago (the limit is 12) but used now.
    for (id, created, seen) in [
        ("idle", now_ms() - 40 * minute, now_ms() - 31 * minute),
        ("old", now_ms() - 13 * 60 * minute, now_ms()),
        ("fresh", now_ms() - 11 * 60 * minute, now_ms() - 29 * minute),
    ] {
        sqlx::query(
            "INSERT INTO admin_sessions (id_hash, created_at, last_seen_at) VALUES (?, ?, ?)",
        )
        .bind(secret::hash(id))
        .bind(created)
        .bind(seen)
        .execute(&srv.pool)
        .await
        .unwrap();
    }
    assert_sent_to_login(&page(&srv, "/admin", Some("idle")).await);
    assert_sent_to_login(&page(&srv, "/admin", Some("old")).await);
    assert_eq!(page(&srv, "/admin", Some("fresh")).await.status, 200);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM admin_sessions")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(left, 1, "expired sessions are deleted when presented");
}

/// Runs the real binary's `admin set-password` with `args` after it, `stdin` piped in.
fn set_password(db: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_classroom"))
        .args(["--database-url", db, "admin", "set-password"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn set_password_reads_stdin_and_never_argv() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let argv = set_password(&db, &["hunter2hunter2"], "");
    assert!(!argv.status.success(), "a password in argv is refused");
    let short = set_password(&db, &[], "short\n");
    assert!(!short.status.success());
    let ok = set_password(&db, &[], &format!("{PASSWORD}\n"));
    let said = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{said}");

    let pool = classroom::server::db::connect(&db).await.unwrap();
    let stored = password::stored(&pool).await.unwrap().expect("a hash");
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(password::check(&pool, PASSWORD).await.unwrap());
    assert!(!password::check(&pool, "hunter2hunter2").await.unwrap());
}

#[tokio::test]
async fn the_environment_variable_sets_the_first_password_only() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let start = |password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_classroom"))
            .args(["--bind", "127.0.0.1:0", "--database-url", &db])
            .env("CLASSROOM_ADMIN_PASSWORD", password)
            .env("RUST_LOG", "info")
            .env("LEPTOS_OUTPUT_NAME", "classroom")
            .env("LEPTOS_SITE_ROOT", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        // It listens only after the password step: wait for that line, then stop it.
        let out = std::io::BufReader::new(child.stdout.take().unwrap());
        let ready = std::io::BufRead::lines(out)
            .map_while(Result::ok)
            .any(|l| l.contains("running at"));
        let _ = child.kill();
        let _ = child.wait();
        assert!(ready, "the server started");
    };
    start(PASSWORD);
    start("a different password");
    let pool = classroom::server::db::connect(&db).await.unwrap();
    assert!(password::check(&pool, PASSWORD).await.unwrap());
    assert!(!password::check(&pool, "a different password")
        .await
        .unwrap());
}

#[tokio::test]
async fn over_https_the_session_cookie_is_secure() {
    let srv = TestServer::start_with(&["--public-url", "https://class.example.org"]).await;
    password::set(&srv.pool, PASSWORD).await.unwrap();
    let res = login(&srv, PASSWORD, "application/json").await;
    assert_eq!(reply(&res), LoginReply::LoggedIn);
    session_cookie(&res);
    let cookies = res
        .headers
        .matches("httponly; samesite=strict; secure")
        .count();
    assert_eq!(
        cookies, 2,
        "the session and the device cookie: {}",
        res.raw_head
    );
}
