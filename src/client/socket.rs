//! The signaling WebSocket, feeding parsed server messages into the engine's channel, and the
//! [`Standby`] connection the lobby opens ahead of the click on Join.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc::UnboundedSender;
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::client::events::Event;
use crate::client::timer;
use crate::protocol::{ClientMsg, ServerMsg};

/// An open signaling connection. Dropping it closes the socket and detaches its callbacks.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Connects to `/ws` on the page's own host; its events carry `generation`.
    pub fn open(events: UnboundedSender<Event>, generation: u32) -> Result<Self, JsValue> {
        Ok(Self::adopt(connect()?, events, generation))
    }

    /// Takes over a socket that is connecting or open (a [`Standby`]); one already open reports
    /// its opening at once.
    pub fn adopt(ws: WebSocket, events: UnboundedSender<Event>, generation: u32) -> Self {
        if ws.ready_state() == WebSocket::OPEN {
            let _ = events.unbounded_send(Event::SocketOpen(generation));
        }
        let tx = events.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let _ = tx.unbounded_send(Event::SocketOpen(generation));
        });
        let tx = events.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            match serde_json::from_str::<ServerMsg>(&text) {
                Ok(msg) => {
                    let _ = tx.unbounded_send(Event::Server(generation, msg));
                }
                // A newer server may send message types this client does not know: skip them.
                Err(e) => web_sys::console::debug_1(&format!("ignored message: {e}").into()),
            }
        });
        let tx = events;
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            // 1012: the server is restarting, so the engine tries again about every second.
            let _ = tx.unbounded_send(Event::SocketClosed(generation, e.code()));
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        }
    }

    /// Sends one message; a closed socket drops it (the close event tells the engine).
    pub fn send(&self, msg: &ClientMsg) {
        let text = serde_json::to_string(msg).expect("ClientMsg serializes");
        let _ = self.ws.send_with_str(&text);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// A new WebSocket to `/ws` on the page's own host.
fn connect() -> Result<WebSocket, JsValue> {
    let location = web_sys::window().ok_or("no window")?.location();
    let scheme = if location.protocol()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    WebSocket::new(&format!("{scheme}://{}/ws", location.host()?))
}

/// How long a standby connection is kept: below the server's default `--join-timeout` (10 s),
/// so an unused one is closed by us (a normal close) rather than counted as a join timeout.
const STANDBY_MS: i32 = 8_000;

/// A signaling connection opened while the lobby shows (once a name is being typed), so that
/// Join finds it open: the TCP and WebSocket handshakes (~10 ms of a join on loopback, a round
/// trip or more on a real network) are done before the click. It says nothing until the engine
/// adopts it; unused, it closes itself after [`STANDBY_MS`] and a later keystroke opens another.
pub struct Standby {
    ws: Option<WebSocket>,
    /// Set once it is adopted or dropped: the expiry then leaves the socket alone.
    settled: Rc<Cell<bool>>,
}

impl Standby {
    /// Opens one; `None` if the browser refuses (the click then connects as before).
    pub fn open() -> Option<Self> {
        let ws = connect().ok()?;
        let settled = Rc::new(Cell::new(false));
        let (expiring, done) = (Clone::clone(&ws), settled.clone());
        // A timer promise, not an owned callback: nothing can call into a dropped closure.
        wasm_bindgen_futures::spawn_local(async move {
            timer::sleep_ms(STANDBY_MS).await;
            if !done.get() {
                let _ = expiring.close();
            }
        });
        Some(Standby {
            ws: Some(ws),
            settled,
        })
    }

    /// Whether it is still connecting or open.
    pub fn usable(&self) -> bool {
        self.ws
            .as_ref()
            .is_some_and(|ws| matches!(ws.ready_state(), WebSocket::CONNECTING | WebSocket::OPEN))
    }

    /// The socket, for the engine to adopt, if it is still usable.
    pub fn take(mut self) -> Option<WebSocket> {
        if !self.usable() {
            return None;
        }
        self.ws.take() // dropping `self` then settles it
    }
}

impl Drop for Standby {
    fn drop(&mut self) {
        self.settled.set(true);
        if let Some(ws) = self.ws.take() {
            let _ = ws.close();
        }
    }
}
