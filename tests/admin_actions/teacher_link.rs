//! A new teacher link: it replaces the old key at once, in a live room and in an empty one.

use classroom::api::admin_actions::ActionReply;
use classroom::protocol::{ErrorCode, Role, ServerMsg};
use classroom::server::{secret, store};

use super::{act, class, join_refused, NEW_LINK};
use crate::common::class::teacher;

/// The key in a teacher link `…/r/<room>#teacher=<key>`.
fn key_of(link: &str) -> &str {
    link.split_once("#teacher=").expect("a teacher link").1
}

#[tokio::test]
async fn a_new_teacher_link_replaces_the_old_one() {
    let (srv, session) = class().await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    let ActionReply::NewTeacherLink { teacher_link } =
        act(&srv, NEW_LINK, &session, "room=c1").await
    else {
        panic!("expected a new teacher link");
    };
    assert!(teacher_link.contains("/r/c1#teacher="), "{teacher_link}");
    let key = key_of(&teacher_link).to_string();
    assert_ne!(key, "tk");
    let row = store::find_room(&srv.pool, "c1").await.unwrap().unwrap();
    assert_eq!(
        row.teacher_key_hash,
        secret::hash(&key),
        "only the hash is kept"
    );

    // The live room took it at once; the teacher already in the call stays.
    join_refused(&srv, Some("tk"), ErrorCode::BadTeacherKey).await;
    let mut second = srv.client().await;
    second.send_join("c1", "Mr. Lee", Some(&key)).await;
    assert!(matches!(
        second.recv().await,
        ServerMsg::Joined {
            role: Role::Teacher,
            ..
        }
    ));
    t.expect_peer_joined("Mr. Lee").await;

    // In a room nobody is in, the next join reads the new key from the database.
    drop((t, second));
    let ActionReply::NewTeacherLink { teacher_link } =
        act(&srv, NEW_LINK, &session, "room=c1").await
    else {
        panic!("expected a new teacher link");
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let newest = key_of(&teacher_link);
    join_refused(&srv, Some(&key), ErrorCode::BadTeacherKey).await;
    let mut c = srv.client().await;
    c.send_join("c1", "Ms. Kim", Some(newest)).await;
    assert!(matches!(
        c.recv().await,
        ServerMsg::Joined {
            role: Role::Teacher,
            ..
        }
    ));
}
