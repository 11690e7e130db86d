//! Liveness over real sockets: a client that stalls for seconds keeps its connection, a dead one is
//! still found, and many connections lost to silence at once are logged at `warn`.

mod common;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use classroom::protocol::{ClientMsg, ServerMsg};
use common::TestServer;

/// Issue 11: a load generator that paused for ~10 s lost every connection (6 s of silence was
/// "lost"). With the defaults a client silent for 8 s — answering no ping, sending nothing — stays.
#[tokio::test]
async fn a_client_stalled_for_eight_seconds_keeps_its_connection() {
    let srv = TestServer::with_room().await;
    let (mut a, a_id) = srv.join("room1", "A").await;
    let (mut b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;
    // B stalls: nobody reads or writes its socket. A reads (and answers pings) all along.
    if let Some(frame) = a.next_frame(Duration::from_secs(8)).await {
        panic!("A was told something while B stalled (B dropped?): {frame:?}");
    }
    a.send(&ClientMsg::Signal {
        to: b_id,
        from: Some(a_id),
        data: common::offer(),
    })
    .await;
    match b.recv().await {
        ServerMsg::Signal { data, .. } => assert_eq!(data, common::offer()),
        other => panic!("B expected the signal, got {other:?}"),
    }
}

/// Counts the pings `client` gets over `span`, sending an unsolicited pong every `speak` if given.
async fn pings_seen(client: &mut common::Client, span: Duration, speak: Option<Duration>) -> usize {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let end = tokio::time::Instant::now() + span;
    let mut next_word = speak.map(|every| tokio::time::Instant::now() + every);
    let mut pings = 0;
    loop {
        let wake = next_word.map_or(end, |w| w.min(end));
        tokio::select! {
            frame = client.ws.next() => match frame {
                Some(Ok(Message::Ping(_))) => pings += 1,
                Some(Ok(_)) => {}
                other => panic!("the connection ended: {other:?}"),
            },
            _ = tokio::time::sleep_until(wake) => {
                if tokio::time::Instant::now() >= end {
                    return pings;
                }
                client.ws.send(Message::Pong(Default::default())).await.unwrap();
                next_word = speak.map(|every| wake + every);
            }
        }
    }
}

/// Issue 11: every connection was pinged on a fixed beat, and each ping and its pong cost the server
/// about what relaying a message does (~17 % of its CPU at 5,000 peers sending 1 signal/s). Now
/// only a connection quiet for a whole interval is pinged; anything the client sends (here an
/// unsolicited pong, which RFC 6455 allows as a heartbeat) counts.
#[tokio::test]
async fn only_a_quiet_connection_is_pinged() {
    let srv = TestServer::start_with(&["--ws-ping-secs", "1", "--ws-idle-secs", "3"]).await;
    let mut quiet = srv.client().await;
    let mut talker = srv.client().await;
    let span = Duration::from_millis(4500);
    let (quiet_pings, talker_pings) = tokio::join!(
        pings_seen(&mut quiet, span, None),
        pings_seen(&mut talker, span, Some(Duration::from_millis(300))),
    );
    // The quiet one answers each ping (tungstenite does) and is pinged about once a second,
    // never dropped; the one that speaks every 300 ms is never pinged.
    assert!(
        (3..=5).contains(&quiet_pings),
        "quiet connection: {quiet_pings} pings"
    );
    assert_eq!(talker_pings, 0, "a connection that speaks was pinged");
}

/// A ping interval set longer than the idle limit must not delay finding a silent connection lost
/// (the one timer first fired a ping interval after the last frame).
#[tokio::test]
async fn a_silent_connection_is_lost_in_time_whatever_the_ping_interval() {
    let srv = TestServer::start_with(&["--ws-ping-secs", "30", "--ws-idle-secs", "2"]).await;
    let mut silent = srv.client().await;
    let started = std::time::Instant::now();
    // Nothing is sent or read meanwhile; the server must close within the idle limit (+ slack).
    tokio::time::timeout(Duration::from_secs(5), silent.expect_closed())
        .await
        .expect("a connection silent for 2 s was still open after 5 s");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "closed too early"
    );
}

/// Everything the server logs at `warn` and above in this test binary.
fn warnings() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || Capture(sink.clone()))
            .init();
        log
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Issue 11: 19,900 peers dropped at once and nothing was logged at `warn`. More connections lost
/// to silence within a second than `--ws-mass-drop` is one loud line (not one per connection).
#[tokio::test]
async fn many_connections_lost_to_silence_at_once_are_logged_at_warn() {
    let log = warnings();
    let flags = ["--ws-ping-secs", "1", "--ws-idle-secs", "2"];
    let srv = TestServer::start_with(&[&flags[..], &["--ws-mass-drop", "3"]].concat()).await;
    let mut silent = Vec::new();
    for _ in 0..6 {
        silent.push(srv.client().await);
    }
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let text = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("mass drop")).collect();
    assert_eq!(
        lines.len(),
        1,
        "one warning for the whole drop, got: {text}"
    );
    assert!(lines[0].contains("WARN"), "not at warn: {}", lines[0]);
    for mut c in silent {
        c.expect_closed().await;
    }
}
