//! The session's leave path when its task never gets to run it.

use super::*;
use crate::protocol::MediaState;
use crate::server::hub::queue::channel;
use crate::server::records::Recorder;
use crate::server::room::RoomSpec;
use crate::server::secret;
use clap::Parser;

fn services(hub: Arc<Hub>) -> Services {
    Services {
        hub,
        config: Arc::new(Config::try_parse_from(["classroom"]).unwrap()),
        pool: sqlx::SqlitePool::connect_lazy("sqlite::memory:").unwrap(),
        shutdown: Shutdown::new(),
        silence: Arc::new(SilenceWatch::new(3)),
    }
}

fn spec() -> RoomSpec {
    RoomSpec {
        id: "r".into(),
        name: "Math".into(),
        teacher_key_hash: secret::hash("key"),
        capacity: 6,
        mesh_size: 6,
        ice_servers: vec![],
        turn: None,
        auto_admit: true,
        chat: vec![],
        resume_grace: 15_000,
    }
}

/// Found in review: the leave path ran only after the loop returned, so a task that panicked (or
/// was dropped at shutdown while it waited on a write) left its member linked to a dead
/// connection — listed, and sent to, until a send failed.
#[tokio::test]
async fn a_session_dropped_before_its_leave_path_still_lets_go_of_its_member() {
    let hub = Arc::new(Hub::new(Recorder::discard()));
    let (tx, _rx) = channel(8);
    let mut session = Session::new_with(services(hub.clone()), 1, "10.0.0.1".into(), tx.clone());
    let join = ClientMsg::Join {
        room: "r".into(),
        name: "Minji".into(),
        teacher_key: None,
        media: MediaState::default(),
        attendee: None,
    };
    let request = JoinRequest {
        peer: 1,
        address: "10.0.0.1".into(),
        msg: join,
    };
    session.tx = None;
    assert!(matches!(hub.join(spec(), request, tx), Joined::Yes(1)));
    session.membership = Some(Membership {
        room_id: "r".into(),
        peer: 1,
    });
    assert_eq!(hub.connected(), 1);
    drop(session);
    assert_eq!(
        hub.connected(),
        0,
        "the hub still links the member to the dropped task"
    );
}
