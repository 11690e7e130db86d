//! The signaling WebSocket, feeding parsed server messages into the engine's channel.

use futures::channel::mpsc::UnboundedSender;
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::client::events::Event;
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
        let location = web_sys::window().ok_or("no window")?.location();
        let scheme = if location.protocol()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let ws = WebSocket::new(&format!("{scheme}://{}/ws", location.host()?))?;

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
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
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
