//! Writes what rooms ask to keep ([`Record`]s) to the database, in order, off the signaling path.
//!
//! Rooms run under the hub's lock and must never wait for SQLite, so their records go through a
//! channel to this one task. The channel is unbounded on purpose: dropping a chat message or an
//! attendance row would lose data, and what fills it is already bounded upstream (the per-connection
//! message budget, the chat's own rate limit). `flush` waits until everything sent so far is written
//! (shutdown, tests). Every few seconds the task also notes that the server is alive: rows a crash
//! leaves open are closed at that time on the next start.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use crate::protocol::{PeerId, Role};
use crate::server::db::now_ms;
use crate::server::room::{Record, Saved, SessionEnd};
use crate::server::room_cache::RoomCache;
use crate::server::store::{self, Participation};

enum Job {
    Write(String, Record),
    Flush(oneshot::Sender<()>),
    /// Open rows a restarted server took over (restored rooms): later records refer to them.
    Adopt(Open),
}

/// The sending side: cheap to clone, never blocks.
#[derive(Clone)]
pub struct Recorder(mpsc::UnboundedSender<Job>);

impl Recorder {
    /// Starts the writer task on the current Tokio runtime. A class's end closes its room, which
    /// `room_pages` then forgets.
    pub fn spawn(pool: SqlitePool, room_pages: Arc<RoomCache>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_loop(pool, room_pages, rx));
        Recorder(tx)
    }

    /// A recorder that writes nowhere (unit tests of the hub).
    pub fn discard() -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
        std::thread::spawn(move || {
            while let Some(job) = rx.blocking_recv() {
                if let Job::Flush(done) = job {
                    let _ = done.send(());
                }
            }
        });
        Recorder(tx)
    }

    /// Queues a record of room `room_id`.
    pub fn write(&self, room_id: &str, record: Record) {
        if self
            .0
            .send(Job::Write(room_id.to_string(), record))
            .is_err()
        {
            tracing::error!("the record writer is gone; a record was lost");
        }
    }

    /// Takes over the open stays and sessions of restored rooms, before any of their records, and
    /// starts noting that this run is alive (the last run's heartbeat has been read by then).
    pub fn adopt(&self, open: Open) {
        if self.0.send(Job::Adopt(open)).is_err() {
            tracing::error!("the record writer is gone; restored rooms' rows stay open");
        }
    }

    /// Waits until every record queued before this call is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.0.send(Job::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

/// How often the writer notes that the server is alive ([`store::beat`]): the most a crash can
/// add to an attendance row that it leaves open.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// What the writer remembers between records: the open rows records refer to.
#[derive(Debug, Default)]
pub struct Open {
    /// Open attendance rows by peer: peer ids are unique across restarts (see `server/restore.rs`).
    pub stays: HashMap<PeerId, i64>,
    /// The open class session of each room.
    pub sessions: HashMap<String, i64>,
}

/// Rooms' latest saved states not written yet: a busy room saves itself often, and only its last
/// state matters, so they are written when the queue runs dry (or on a flush).
type Pending = HashMap<String, Option<Box<Saved>>>;

async fn write_loop(
    pool: SqlitePool,
    room_pages: Arc<RoomCache>,
    mut rx: mpsc::UnboundedReceiver<Job>,
) {
    let mut open = Open::default();
    let mut pending = Pending::new();
    // Not at once: the last run's heartbeat is what a restart restores from (`restore.rs` reads it
    // and then hands over its open rows, upon which this run's first beat is written).
    let start = tokio::time::Instant::now() + HEARTBEAT;
    let mut heartbeat = tokio::time::interval_at(start, HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let job = tokio::select! {
            job = rx.recv() => job,
            _ = heartbeat.tick() => {
                if let Err(e) = store::beat(&pool, now_ms()).await {
                    tracing::warn!(error = %e, "the heartbeat was not stored");
                }
                continue;
            }
        };
        match job {
            Some(Job::Write(room, record)) => {
                let closes_room = matches!(record, Record::ClassEnded { .. });
                if let Err(e) = write(&pool, &mut open, &mut pending, &room, record).await {
                    tracing::error!(error = %e, room = %room, "a record was not stored");
                }
                if closes_room {
                    room_pages.forget(&room);
                }
            }
            Some(Job::Adopt(adopted)) => {
                open.stays.extend(adopted.stays);
                open.sessions.extend(adopted.sessions);
                if let Err(e) = store::beat(&pool, now_ms()).await {
                    tracing::warn!(error = %e, "the heartbeat was not stored");
                }
            }
            Some(Job::Flush(done)) => {
                write_saved(&pool, &mut pending).await;
                let _ = done.send(());
            }
            None => {
                write_saved(&pool, &mut pending).await;
                break;
            }
        }
        if !pending.is_empty() && rx.is_empty() {
            write_saved(&pool, &mut pending).await;
        }
    }
}

async fn write_saved(pool: &SqlitePool, pending: &mut Pending) {
    for (room, state) in pending.drain() {
        let result = match state {
            Some(state) => match serde_json::to_string(&state) {
                Ok(json) => store::save_live_room(pool, &room, &json, now_ms()).await,
                Err(e) => {
                    tracing::error!(error = %e, room = %room, "a room state did not serialize");
                    continue;
                }
            },
            None => store::forget_live_room(pool, &room).await,
        };
        if let Err(e) = result {
            tracing::error!(error = %e, room = %room, "a room state was not stored");
        }
    }
}

async fn write(
    pool: &SqlitePool,
    open: &mut Open,
    pending: &mut Pending,
    room: &str,
    record: Record,
) -> sqlx::Result<()> {
    let session_id = open.sessions.get(room).copied();
    match record {
        Record::SessionStarted { at } => {
            // A room never opens a session over an open one; if it did (a torn-down room whose
            // end was lost), the old one ends here rather than stay "in progress" forever.
            if let Some(stale) = open.sessions.remove(room) {
                store::end_session(pool, stale, at, SessionEnd::Empty).await?;
            }
            let id = store::start_session(pool, room, at).await?;
            open.sessions.insert(room.to_string(), id);
        }
        Record::SessionEnded { at, reason } => {
            if let Some(id) = open.sessions.remove(room) {
                store::end_session(pool, id, at, reason).await?;
            }
        }
        Record::Admitted {
            peer,
            name,
            role,
            attendee,
            at,
        } => {
            let stay = Participation {
                room_id: room,
                session_id,
                name: &name,
                role,
                attendee: attendee.as_deref(),
                at,
                peer: Some(peer),
            };
            let id = store::start_participation(pool, stay).await?;
            open.stays.insert(peer, id);
        }
        Record::Left { peer, at, restart } => {
            if let Some(id) = open.stays.remove(&peer) {
                store::end_participation(pool, id, at, restart).await?;
            }
        }
        Record::Denied { name, attendee, at } => {
            let refusal = Participation {
                room_id: room,
                session_id,
                name: &name,
                role: Role::Student,
                attendee: attendee.as_deref(),
                at,
                peer: None,
            };
            store::add_denied(pool, refusal).await?
        }
        Record::Chat(line) => store::add_chat(pool, room, &line).await?,
        Record::Hand { name, event, at } => {
            store::add_hand_event(pool, room, &name, event, at).await?
        }
        Record::AutoAdmit(on) => store::set_auto_admit(pool, room, on).await?,
        Record::ClassEnded { at } => store::close_room(pool, room, at).await?,
        // Written when the queue runs dry: only a room's last state matters.
        Record::Saved(state) => {
            pending.insert(room.to_string(), state);
        }
    }
    Ok(())
}
