//! The signaling client of the tests: a WebSocket that sends `ClientMsg`s, reads `ServerMsg`s and
//! checks what arrives (or that nothing does), and an SDP offer to relay.

use std::time::Duration;

use classroom::protocol::{
    ClientMsg, ErrorCode, MediaState, PeerId, PeerInfo, SdpType, ServerMsg, Signal,
};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{RECV_TIMEOUT, SILENCE};

/// An SDP offer with non-ASCII text, to check data is relayed byte for byte.
pub fn offer() -> Signal {
    Signal::Description {
        sdp_type: SdpType::Offer,
        sdp: "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=수업 ✓\r\n".into(),
    }
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    /// Closes as a browser whose page is closed does (1001, going away): it leaves at once.
    pub async fn close_page(mut self) {
        use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
        let frame = CloseFrame {
            code: CloseCode::Away,
            reason: "".into(),
        };
        let _ = self.ws.close(Some(frame)).await;
        // Read to the end so the close handshake completes.
        while let Some(Ok(_)) = self.ws.next().await {}
    }

    pub async fn send(&mut self, msg: &ClientMsg) {
        let text = serde_json::to_string(msg).expect("ClientMsg serializes");
        self.send_raw(Message::text(text)).await;
    }

    pub async fn send_raw(&mut self, frame: Message) {
        self.ws.send(frame).await.expect("websocket send");
    }

    /// The next data frame (ping/pong skipped), or `None` if nothing came within `wait`.
    pub async fn next_frame(&mut self, wait: Duration) -> Option<Message> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(Some(Ok(frame))) => return Some(frame),
                Ok(Some(Err(e))) => panic!("websocket error while waiting for a message: {e}"),
                Ok(None) => panic!("websocket ended while waiting for a message"),
            }
        }
    }

    pub async fn recv(&mut self) -> ServerMsg {
        match self.next_frame(RECV_TIMEOUT).await {
            None => panic!("no server message within {RECV_TIMEOUT:?}"),
            Some(Message::Text(t)) => serde_json::from_str(t.as_str())
                .unwrap_or_else(|e| panic!("server sent an unparsable message {t}: {e}")),
            Some(other) => panic!("expected a text frame, got {other:?}"),
        }
    }

    pub async fn expect_silence(&mut self) {
        if let Some(frame) = self.next_frame(SILENCE).await {
            panic!("expected nothing, got {frame:?}");
        }
    }

    pub async fn expect_error(&mut self, want: ErrorCode) {
        match self.recv().await {
            ServerMsg::Error { code, .. } if code == want => {}
            other => panic!("expected error {want:?}, got {other:?}"),
        }
    }

    pub async fn expect_peer_joined(&mut self, name: &str) -> PeerInfo {
        match self.recv().await {
            ServerMsg::PeerJoined { peer } if peer.name == name => peer,
            other => panic!("expected peer_joined of {name}, got {other:?}"),
        }
    }

    pub async fn expect_peer_left(&mut self, id: PeerId) {
        match self.recv().await {
            ServerMsg::PeerLeft { peer } if peer == id => {}
            other => panic!("expected peer_left of {id}, got {other:?}"),
        }
    }

    /// Waits for the server to close the socket (a close frame or the stream's end).
    pub async fn expect_closed(&mut self) {
        let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => panic!("socket still open after {RECV_TIMEOUT:?}"),
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return,
                Ok(Some(Ok(frame))) => panic!("expected the socket to close, got {frame:?}"),
            }
        }
    }

    /// Waits for the server's close frame and returns its code (panics if the socket just ends).
    pub async fn expect_close_frame(&mut self) -> u16 {
        let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => panic!("no close frame within {RECV_TIMEOUT:?}"),
                Ok(Some(Ok(Message::Close(Some(frame))))) => return frame.code.into(),
                Ok(Some(Ok(Message::Close(None)))) => panic!("close frame without a code"),
                Ok(Some(Ok(_))) => continue,
                Ok(None) | Ok(Some(Err(_))) => panic!("the socket ended without a close frame"),
            }
        }
    }

    pub async fn send_join(&mut self, room: &str, name: &str, teacher_key: Option<&str>) {
        self.send_join_as(room, name, teacher_key, None).await;
    }

    /// [`Self::send_join`] with an attendee token (one person across re-joins).
    pub async fn send_join_as(
        &mut self,
        room: &str,
        name: &str,
        teacher_key: Option<&str>,
        attendee: Option<&str>,
    ) {
        self.send(&ClientMsg::Join {
            room: room.into(),
            name: name.into(),
            teacher_key: teacher_key.map(Into::into),
            media: MediaState {
                audio: true,
                video: true,
                screen: false,
            },
            attendee: attendee.map(Into::into),
        })
        .await;
    }

    /// Joins as a student and returns the assigned id.
    pub async fn join(&mut self, room: &str, name: &str) -> PeerId {
        self.send_join(room, name, None).await;
        match self.recv().await {
            ServerMsg::Joined { you, .. } => you,
            other => panic!("{name} expected joined, got {other:?}"),
        }
    }
}
