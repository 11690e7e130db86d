//! The forwarding table, negotiation by negotiation.

use super::*;

fn t(peer: PeerId, mid: &str) -> TrackId {
    TrackId {
        peer,
        mid: Mid::from(mid),
    }
}

/// Offers `sub` what its plan says, giving each added source the mid `o<publisher><mid>` (unique
/// in a subscriber's session, as str0m's are), and answers.
fn negotiate(table: &mut RoomTable, sub: PeerId) -> (Plan, Vec<TrackId>) {
    let plan = table.plan(sub);
    let added: Vec<(TrackId, Mid)> = plan
        .add
        .iter()
        .map(|a| {
            let mid = format!("o{}{}", a.source.peer, a.source.mid);
            (a.source, Mid::from(mid.as_str()))
        })
        .collect();
    table.offered(sub, &added);
    let fresh = table.answered(sub);
    (plan, fresh)
}

fn room_of_two_publishers() -> RoomTable {
    let mut table = RoomTable::default();
    table.set_audio(1, true);
    table.join(1);
    table.join(2);
    table.publish(t(1, "0"), MediaKind::Audio, "1".into());
    table.publish(t(1, "1"), MediaKind::Video, "1".into());
    table.publish(t(2, "0"), MediaKind::Video, "2".into());
    table.voiced(t(1, "0"));
    table
}

#[test]
fn a_publication_is_offered_to_everyone_else_with_its_label() {
    let mut table = room_of_two_publishers();
    let plan = table.plan(2);
    let labels: Vec<_> = plan
        .add
        .iter()
        .map(|a| (a.kind, a.stream.as_str(), a.track.as_str()))
        .collect();
    assert_eq!(
        labels,
        vec![
            (MediaKind::Video, "1", "1-1"),
            (MediaKind::Audio, "1", "1-0")
        ],
        "the voice once it was forwarded"
    );
    assert_eq!(
        table.plan(1).add.len(),
        1,
        "peer 1 gets only peer 2's video, not its own"
    );
    assert!(
        table.routes(t(1, "1")).is_empty(),
        "nothing routes before the answer"
    );

    let (_, fresh) = negotiate(&mut table, 2);
    assert_eq!(
        fresh,
        vec![t(1, "1")],
        "the new video subscriber needs a keyframe"
    );
    assert_eq!(table.routes(t(1, "1")), &[(2, Mid::from("o11"))]);
    assert_eq!(table.source_of(2, Mid::from("o11")), Some(t(1, "1")));
    assert_eq!(table.plan(2), Plan::default(), "nothing left to negotiate");
}

#[test]
fn a_late_joiner_gets_what_was_published_before() {
    let mut table = room_of_two_publishers();
    table.join(3);
    assert_eq!(table.plan(3).add.len(), 3);
}

#[test]
fn audio_is_forwarded_only_while_allowed() {
    let mut table = room_of_two_publishers();
    negotiate(&mut table, 2);
    assert_eq!(table.routes(t(1, "0")).len(), 1);
    table.set_audio(1, false);
    assert!(table.routes(t(1, "0")).is_empty());
    assert_eq!(table.routes(t(1, "1")).len(), 1, "video still flows");
}

#[test]
fn a_leaver_s_m_lines_are_stopped_at_the_others() {
    let mut table = room_of_two_publishers();
    negotiate(&mut table, 2);
    assert_eq!(table.leave(1), vec![2]);
    let (plan, _) = negotiate(&mut table, 2);
    assert_eq!(plan.stop, vec![Mid::from("o11"), Mid::from("o10")]);
    assert!(plan.add.is_empty());
    assert!(table.routes(t(1, "1")).is_empty());
    assert_eq!(
        table.plan(2),
        Plan::default(),
        "stopped m-lines are forgotten after the answer"
    );
}

#[test]
fn a_source_that_leaves_before_the_answer_is_stopped_after_it() {
    let mut table = room_of_two_publishers();
    let plan = table.plan(2);
    let added: Vec<_> = plan
        .add
        .iter()
        .map(|a| (a.source, Mid::from(a.track.as_str())))
        .collect();
    table.offered(2, &added);
    table.leave(1);
    assert_eq!(
        table.plan(2),
        Plan::default(),
        "nothing to stop while the offer is pending"
    );
    table.answered(2);
    assert_eq!(
        table.plan(2).stop.len(),
        2,
        "the answered m-lines are then stopped"
    );
}

#[test]
fn a_dropped_offer_is_planned_again_and_orphans_are_forgotten() {
    let mut table = room_of_two_publishers();
    let plan = table.plan(2);
    let added: Vec<_> = plan
        .add
        .iter()
        .map(|a| (a.source, Mid::from(a.track.as_str())))
        .collect();
    table.offered(2, &added);
    assert!(
        table.plan(2).add.is_empty(),
        "offered m-lines are not planned twice"
    );
    table.offer_dropped(2);
    assert_eq!(table.plan(2), plan);

    table.offered(2, &added);
    table.unpublish(t(1, "0"));
    table.offer_dropped(2);
    assert_eq!(
        table.plan(2).add.len(),
        1,
        "only the video is planned again"
    );
    assert!(table.plan(2).stop.is_empty());
}

#[test]
fn unpublishing_an_unanswered_track_just_forgets_it() {
    let mut table = room_of_two_publishers();
    assert_eq!(table.unpublish(t(2, "0")), vec![1]);
    assert_eq!(table.plan(1), Plan::default());
}

#[test]
fn republishing_is_idempotent_and_rooms_empty_out() {
    let mut table = room_of_two_publishers();
    assert!(table
        .publish(t(1, "1"), MediaKind::Video, "1".into())
        .is_empty());
    table.leave(1);
    table.leave(2);
    assert!(!table.is_empty(), "peer 1's audio permission is kept");
    table.forget(1);
    assert!(table.is_empty());
}

/// Found in review: one member offering hundreds of m-lines gave every subscriber as many, for
/// good, and their answers grew past what the server accepts, which stopped renegotiation.
#[test]
fn a_publisher_s_tracks_past_the_limit_are_not_forwarded() {
    let mut table = RoomTable::default();
    table.set_screen(1, true);
    table.join(1);
    table.join(2);
    for n in 0..200 {
        table.publish(t(1, &n.to_string()), MediaKind::Video, format!("s{n}"));
    }
    let (plan, _) = negotiate(&mut table, 2);
    assert_eq!(plan.add.len(), MAX_TRACKS_PER_PUBLISHER);
    // A stopped one makes room for another.
    table.unpublish(t(1, "0"));
    assert_eq!(
        table.publish(t(1, "new"), MediaKind::Video, "s".into()),
        vec![2]
    );
}

mod park;
mod wants;
