//! Carrying out a room's outputs under the hub's lock: queue, close, record, wake.

use std::panic::{catch_unwind, AssertUnwindSafe};

use tokio::sync::mpsc::error::TrySendError;

use super::{Hub, LiveRoom, Rooms};
use crate::protocol::{ErrorCode, PeerId, ServerMsg};
use crate::server::db::now_ms;
use crate::server::metrics;
use crate::server::room::{Input, Media, Output, Record, SessionEnd};

impl Hub {
    /// Carries out `out`; returns the peers to disconnect (their queue is closed, or full of room
    /// events they did not read).
    ///
    /// `culprit` is the member whose own message produced `out` (none for joins, disconnects and
    /// ticks). What a member's message causes is that member's responsibility: a message of it that
    /// does not fit another member's queue is dropped and the culprit is told to slow down, so no
    /// member can flood another out of the room — with signals, media, hand toggles or anything else.
    /// Only what no single member controls (joins, leaves) finds out a receiver that stopped reading.
    pub(super) fn apply(
        &self,
        live: &mut LiveRoom,
        room_id: &str,
        culprit: Option<PeerId>,
        out: Vec<Output>,
    ) -> Vec<PeerId> {
        let mut gone = Vec::new();
        let mut sender_throttled = false;
        for output in out {
            let (to, msg) = match output {
                Output::Send(to, msg) => (to, msg),
                Output::Rebind { conn, peer } => {
                    // The member's old connection, if any, loses its queue and ends.
                    if let Some(link) = live.queues.remove(&conn) {
                        if let Some(old) = live.queues.insert(peer, link) {
                            old.tx.release();
                        }
                    }
                    continue;
                }
                Output::Close(peer, reason) => {
                    // Its `ended` is already queued; its connection writes it and closes.
                    tracing::info!(peer, room = %room_id, ?reason, "sent off");
                    live.let_go(peer);
                    continue;
                }
                Output::Persist(record) => {
                    self.recorder.write(room_id, record);
                    continue;
                }
                Output::Media(cmd) => {
                    self.to_media(live, room_id, cmd);
                    continue;
                }
                Output::WakeAt(at) => {
                    live.wake = Some(live.wake.map_or(at, |w| w.min(at)));
                    continue;
                }
            };
            let Some(link) = live.queues.get(&to) else {
                continue;
            };
            metrics::count_refusal(&msg);
            let sent = match msg {
                // Last words: a `Close` for this member follows and releases its queue.
                msg @ ServerMsg::Ended { .. } => {
                    link.tx.send_last(msg);
                    Ok(())
                }
                msg => link.tx.try_send(msg),
            };
            match sent {
                Ok(()) => {}
                Err(TrySendError::Full(_)) if culprit.is_some_and(|c| c != to) => {
                    sender_throttled = true
                }
                Err(TrySendError::Full(_)) | Err(TrySendError::Closed(_)) => {
                    // Its connection ends; the member is away and may resume (see `settle`).
                    tracing::warn!(
                        peer = to,
                        "outbound queue full or closed; dropping its connection"
                    );
                    metrics::dropped_connection("queue_full");
                    live.let_go(to);
                    gone.push(to);
                }
            }
        }
        if sender_throttled {
            metrics::rate_limited();
            if let Some(link) = culprit.and_then(|c| live.queues.get(&c)) {
                let _ = link.tx.try_send(ServerMsg::error(ErrorCode::RateLimited));
            }
        }
        gone
    }

    /// Steps `live` with `input` and carries out what it decided (see [`Hub::apply`]); `None` if
    /// the transition panicked, in which case the caller tears the room down.
    pub(super) fn run(
        &self,
        live: &mut LiveRoom,
        room_id: &str,
        culprit: Option<PeerId>,
        input: Input,
    ) -> Option<Vec<PeerId>> {
        let out = guarded(room_id, || live.room.step(now_ms(), input))?;
        Some(self.apply(live, room_id, culprit, out))
    }

    /// Drops the connections of the given peers (and of whoever that makes stuck, in turn) — they
    /// are away now, and may resume — then forgets an empty or ended room.
    pub(super) fn settle(&self, rooms: &mut Rooms, room_id: &str, mut gone: Vec<PeerId>) {
        let Some(live) = rooms.live.get_mut(room_id) else {
            return;
        };
        while let Some(peer) = gone.pop() {
            live.let_go(peer);
            match self.run(live, room_id, None, Input::Lost(peer)) {
                Some(more) => gone.extend(more),
                None => return self.tear_down(rooms, room_id),
            }
        }
        if live.room.has_ended() {
            rooms.ended.insert(room_id.to_string());
            rooms.live.remove(room_id);
        } else if live.room.is_empty() {
            rooms.live.remove(room_id);
        }
    }

    /// Ends a room whose state can no longer be trusted: every member is told and disconnected, and
    /// their attendance ends now.
    pub(super) fn tear_down(&self, rooms: &mut Rooms, room_id: &str) {
        let Some(live) = rooms.live.remove(room_id) else {
            return;
        };
        let at = now_ms();
        for link in live.queues.values() {
            let _ = link.tx.try_send(ServerMsg::error(ErrorCode::Internal));
            // Closed for good, whoever else holds a sender (the media server, one per member).
            link.tx.release();
        }
        // Everyone, connected or away (a record for one who has no stay changes nothing).
        for peer in live.room.peers() {
            self.to_media(&live, room_id, Media::Leave { peer });
            let restart = false;
            self.recorder
                .write(room_id, Record::Left { peer, at, restart });
        }
        if let Some(media) = &self.media {
            media.end_room(room_id);
        }
        self.recorder.write(room_id, Record::Saved(None));
        // The room is gone, so is its class session (the room would have closed it on emptying).
        let reason = SessionEnd::Empty;
        self.recorder
            .write(room_id, Record::SessionEnded { at, reason });
    }
}

/// Runs a room transition; `None` if it panicked (a bug, logged), in which case the room is torn down.
pub(super) fn guarded<T>(room_id: &str, transition: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(transition)) {
        Ok(out) => Some(out),
        Err(_) => {
            tracing::error!(room = %room_id, "room transition panicked; closing the room");
            None
        }
    }
}
