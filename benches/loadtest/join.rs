//! Getting peers into rooms: connecting from a chosen loopback address, joining, and holding a
//! joined peer's socket (answering pings) until the steady phase begins.

use std::net::{Ipv4Addr, SocketAddr};

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::peer::Ws;
use crate::server::Server;

/// Connects from 127.0.0.`ip` (one source address has ~28,000 ephemeral ports).
pub(crate) async fn connect(addr: &str, ip: u8) -> Result<Ws, String> {
    let target: SocketAddr = addr.parse().map_err(|e| format!("{e}"))?;
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket
        .bind(SocketAddr::from((Ipv4Addr::new(127, 0, 0, ip), 0)))
        .map_err(|e| e.to_string())?;
    let stream = socket.connect(target).await.map_err(|e| e.to_string())?;
    let (ws, _) = tokio_tungstenite::client_async(format!("ws://{addr}/ws"), stream)
        .await
        .map_err(|e| e.to_string())?;
    Ok(ws)
}

/// Joins and waits for `joined`: the peer id.
pub(crate) async fn join(
    ws: &mut Ws,
    room: &str,
    key: Option<&str>,
    name: &str,
) -> Result<u64, String> {
    let key = key
        .map(|k| format!(r#","teacher_key":"{k}""#))
        .unwrap_or_default();
    let msg = format!(r#"{{"type":"join","room":"{room}","name":"{name}"{key}}}"#);
    ws.send(Message::text(msg))
        .await
        .map_err(|e| e.to_string())?;
    while let Some(frame) = ws.next().await {
        if let Message::Text(t) = frame.map_err(|e| e.to_string())? {
            let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap_or_default();
            match v["type"].as_str() {
                Some("joined") => return v["you"].as_u64().ok_or("no id".into()),
                Some("error") | Some("waiting") => return Err(t.as_str().into()),
                _ => {}
            }
        }
    }
    Err("closed while joining".into())
}

/// Reads (and so answers pings) until `go`, then hands the socket back: a peer that has joined must
/// not look stalled while the other rooms fill (20,000 joins take over a minute).
async fn idle(mut ws: Ws, mut go: tokio::sync::watch::Receiver<bool>) -> Option<Ws> {
    loop {
        tokio::select! {
            _ = go.wait_for(|g| *g) => return Some(ws),
            frame = ws.next() => if !matches!(frame, Some(Ok(_))) { return None },
        }
    }
}

/// A room filled: its id, each joined peer's idle task and id, and the errors of those that failed.
pub(crate) type Filled = (
    String,
    Vec<(tokio::task::JoinHandle<Option<Ws>>, u64)>,
    Vec<String>,
);

/// One room: created, its teacher first, then the students. Peers that failed are left out.
pub(crate) async fn fill_room(
    srv: &Server,
    size: usize,
    first: usize,
    ips: usize,
    go: tokio::sync::watch::Receiver<bool>,
) -> Filled {
    let (room, key) = srv.create_room().await;
    let (mut peers, mut errors) = (Vec::new(), Vec::new());
    for i in 0..size {
        let ip = 1 + ((first + i) % ips) as u8;
        let key = (i == 0).then_some(key.as_str());
        match connect(&srv.addr, ip).await {
            Ok(mut ws) => match join(&mut ws, &room, key, &format!("P{i}")).await {
                Ok(id) => peers.push((tokio::spawn(idle(ws, go.clone())), id)),
                Err(e) => errors.push(format!("join: {e}")),
            },
            Err(e) => errors.push(format!("connect: {e}")),
        }
    }
    (room, peers, errors)
}
