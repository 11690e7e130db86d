//! Writes what rooms ask to keep ([`Record`]s) to the database, in order, off the signaling path.
//!
//! Rooms run under the hub's lock and must never wait for SQLite, so their records go through a
//! channel to this one task. The channel is unbounded on purpose: dropping a chat message or an
//! attendance row would lose data, and what fills it is already bounded upstream (the per-connection
//! message budget, the chat's own rate limit). `flush` waits until everything sent so far is written
//! (shutdown, tests).

use std::collections::HashMap;

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use crate::protocol::PeerId;
use crate::server::room::Record;
use crate::server::store;

enum Job {
    Write(String, Record),
    Flush(oneshot::Sender<()>),
}

/// The sending side: cheap to clone, never blocks.
#[derive(Clone)]
pub struct Recorder(mpsc::UnboundedSender<Job>);

impl Recorder {
    /// Starts the writer task on the current Tokio runtime.
    pub fn spawn(pool: SqlitePool) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_loop(pool, rx));
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

    /// Waits until every record queued before this call is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.0.send(Job::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write_loop(pool: SqlitePool, mut rx: mpsc::UnboundedReceiver<Job>) {
    // Open attendance rows by peer: peer ids are unique for the life of the process.
    let mut open: HashMap<PeerId, i64> = HashMap::new();
    while let Some(job) = rx.recv().await {
        match job {
            Job::Write(room, record) => {
                if let Err(e) = write(&pool, &mut open, &room, record).await {
                    tracing::error!(error = %e, room = %room, "a record was not stored");
                }
            }
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
}

async fn write(
    pool: &SqlitePool,
    open: &mut HashMap<PeerId, i64>,
    room: &str,
    record: Record,
) -> sqlx::Result<()> {
    match record {
        Record::Admitted {
            peer,
            name,
            role,
            at,
        } => {
            let id = store::start_participation(pool, room, &name, role, at).await?;
            open.insert(peer, id);
        }
        Record::Left { peer, at } => {
            if let Some(id) = open.remove(&peer) {
                store::end_participation(pool, id, at).await?;
            }
        }
        Record::Chat(line) => store::add_chat(pool, room, &line).await?,
        Record::Hand { name, event, at } => {
            store::add_hand_event(pool, room, &name, event, at).await?
        }
        Record::AutoAdmit(on) => store::set_auto_admit(pool, room, on).await?,
        Record::ClassEnded { at } => store::close_room(pool, room, at).await?,
    }
    Ok(())
}
