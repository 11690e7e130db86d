//! The class chat: text only, to the admitted only, kept, rate-limited, switchable by teachers.

use super::*;
use crate::protocol::{ChatLine, Role, SettingsChange, MAX_CHAT_CHARS};

fn class() -> Sim {
    let mut sim = Sim::new(10);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.student(3, "Joon");
    sim
}

#[test]
fn a_message_goes_to_every_admitted_member_and_is_recorded() {
    let mut sim = class();
    let out = sim.send(
        2,
        ClientMsg::Chat {
            text: "  <b>hi</b>\n 2+2?  ".into(),
        },
    );
    let line = ChatLine {
        from: Some(2),
        name: "Minji".into(),
        role: Role::Student,
        text: "<b>hi</b>\n 2+2?".into(),
        at: sim.now,
    };
    let msg = ServerMsg::Chat { line: line.clone() };
    assert_eq!(to(&out, 1), vec![msg.clone()]);
    assert_eq!(to(&out, 2), vec![msg], "the sender sees it as stored");
    assert!(to(&out, 3).is_empty(), "the waiting read nothing");
    assert_eq!(records(&out), vec![Record::Chat(line.clone())]);
    // The history comes with admission.
    let out = sim.send(1, ClientMsg::Admit { peer: 3 });
    assert!(matches!(&to(&out, 3)[..], [ServerMsg::Joined { chat, .. }] if chat == &vec![line]));
}

#[test]
fn empty_and_oversized_messages_are_refused() {
    let mut sim = class();
    for text in ["", " \n \u{200B}", &"a".repeat(MAX_CHAT_CHARS + 1)] {
        assert_eq!(
            refusal(&sim.send(2, ClientMsg::Chat { text: text.into() })),
            Some(ErrorCode::BadMessage)
        );
    }
    let longest = "가".repeat(MAX_CHAT_CHARS);
    assert!(refusal(&sim.send(2, ClientMsg::Chat { text: longest })).is_none());
}

#[test]
fn a_flood_is_refused_and_the_budget_refills_with_time() {
    let mut sim = class();
    let say = |sim: &mut Sim| {
        sim.send(
            2,
            ClientMsg::Chat {
                text: "spam".into(),
            },
        )
    };
    for _ in 0..5 {
        assert!(refusal(&say(&mut sim)).is_none());
    }
    assert_eq!(refusal(&say(&mut sim)), Some(ErrorCode::RateLimited));
    sim.advance(1_000);
    assert!(refusal(&say(&mut sim)).is_none());
    assert_eq!(refusal(&say(&mut sim)), Some(ErrorCode::RateLimited));
    // Others are not held back by one student's flood.
    assert!(refusal(&sim.send(
        1,
        ClientMsg::Chat {
            text: "stop".into()
        }
    ))
    .is_none());
    // A clock that goes back does not lock anyone out: the bucket starts again, full.
    sim.advance(-1_000_000);
    assert!(refusal(&say(&mut sim)).is_none());
}

/// Found by fuzzing: with an empty bucket, a message at an earlier time was refused *and* moved the
/// bucket's clock back — a refusal that changed the room.
#[test]
fn a_refused_message_changes_nothing_whatever_the_clock_does() {
    let mut sim = class();
    for _ in 0..5 {
        sim.send(2, ClientMsg::Chat { text: "hi".into() });
    }
    for dt in [0, 10, 500] {
        sim.advance(dt);
        let before = sim.room.clone();
        let out = sim.send(2, ClientMsg::Chat { text: "hi".into() });
        assert_eq!(refusal(&out), Some(ErrorCode::RateLimited));
        assert_eq!(sim.room, before);
    }
}

#[test]
fn teachers_can_turn_student_chat_off() {
    let mut sim = class();
    let off = ClientMsg::Settings(SettingsChange {
        chat_locked: Some(true),
        ..Default::default()
    });
    sim.send(1, off);
    assert_eq!(
        refusal(&sim.send(2, ClientMsg::Chat { text: "hi".into() })),
        Some(ErrorCode::Forbidden)
    );
    assert!(refusal(&sim.send(
        1,
        ClientMsg::Chat {
            text: "quiet please".into()
        }
    ))
    .is_none());
}

#[test]
fn history_is_bounded_in_memory() {
    let mut sim = class();
    for i in 0..super::super::chat::HISTORY + 10 {
        sim.advance(10_000);
        sim.send(
            1,
            ClientMsg::Chat {
                text: format!("line {i}"),
            },
        );
    }
    let out = sim.send(1, ClientMsg::Admit { peer: 3 });
    let [ServerMsg::Joined { chat, .. }] = &to(&out, 3)[..] else {
        panic!()
    };
    assert_eq!(chat.len(), super::super::chat::HISTORY);
    assert_eq!(chat[0].text, "line 10");
}

/// Found in review (session 27): 200 full-length lines of emoji (or Hangul) made `joined`
/// 1.2–1.6 MB, more than a connection may be sent in one message, so nobody could join or resume
/// in that room again: the chat shown on joining is bounded in bytes too.
#[test]
fn the_chat_shown_on_joining_fits_in_one_message() {
    let mut sim = class();
    let long = "😀".repeat(MAX_CHAT_CHARS);
    for i in 0..super::super::chat::HISTORY {
        sim.advance(10_000);
        sim.send(
            1,
            ClientMsg::Chat {
                text: format!("{i} {}", &long[..long.len() - 16]),
            },
        );
    }
    let out = sim.send(1, ClientMsg::Admit { peer: 3 });
    let [joined @ ServerMsg::Joined { chat, .. }] = &to(&out, 3)[..] else {
        panic!()
    };
    let bytes = serde_json::to_string(joined).unwrap().len();
    assert!(bytes < 512 * 1024, "joined is {bytes} bytes");
    let last = chat.last().expect("the latest lines");
    assert!(last.text.starts_with("199 "), "the newest line comes last");
    assert!(chat.len() > 20, "as many as fit: {}", chat.len());
}
