//! Parking: m-lines unwanted for long are made inactive, and woken when wanted again.

use std::time::{Duration, Instant};

use super::*;
use crate::server::sfu::table::park::PARK_AFTER;

/// Publishers 1, 2 and 3 on camera; subscriber 4 shows 2, then pages to 3.
fn paged_away() -> (RoomTable, Instant) {
    let mut table = RoomTable::default();
    for p in [1, 2, 3] {
        table.join(p);
        table.publish(t(p, "0"), MediaKind::Video, p.to_string());
    }
    table.set_view(4, [2]);
    table.join(4);
    negotiate(&mut table, 4);
    table.set_view(4, [3]);
    negotiate(&mut table, 4);
    (table, Instant::now())
}

/// [`paged_away`], then camera 2 parked at 4 (its offer answered).
fn parked() -> (RoomTable, Instant) {
    let (mut table, t0) = paged_away();
    table.sweep(t0);
    table.sweep(t0 + PARK_AFTER);
    negotiate(&mut table, 4);
    (table, t0)
}

fn routed_to(table: &RoomTable, track: TrackId, sub: PeerId) -> bool {
    table.routes(track).iter().any(|(s, _)| *s == sub)
}

#[test]
fn an_m_line_unwanted_for_long_is_parked_and_woken_by_the_view() {
    let (mut table, t0) = paged_away();
    assert!(routed_to(&table, t(2, "0"), 4), "paused, still routed");
    assert!(table.sweep(t0).is_empty(), "the clock starts");
    assert!(table
        .sweep(t0 + PARK_AFTER - Duration::from_millis(1))
        .is_empty());
    assert_eq!(table.sweep(t0 + PARK_AFTER), vec![4]);
    let (plan, _) = negotiate(&mut table, 4);
    assert_eq!(plan.park, vec![Mid::from("o20")]);
    assert!(plan.add.is_empty() && plan.stop.is_empty());
    assert!(!routed_to(&table, t(2, "0"), 4), "parked: not routed");
    assert!(routed_to(&table, t(3, "0"), 4), "what it shows stays");
    assert!(table.sweep(t0 + PARK_AFTER * 3).is_empty(), "parked once");

    assert!(table.set_view(4, [2, 3]), "paging back wakes it");
    let (plan, fresh) = negotiate(&mut table, 4);
    assert_eq!(plan.wake, vec![(Mid::from("o20"), MediaKind::Video)]);
    assert!(plan.add.is_empty(), "the same m-line, no new one");
    assert_eq!(fresh, vec![t(2, "0")], "a keyframe for it");
    assert!(routed_to(&table, t(2, "0"), 4));
}

#[test]
fn wanted_again_before_the_offer_it_just_stays_open() {
    let (mut table, t0) = paged_away();
    table.sweep(t0);
    table.sweep(t0 + PARK_AFTER);
    assert!(!table.set_view(4, [2]), "nothing to offer");
    assert!(table.plan(4).is_empty());
    assert!(routed_to(&table, t(2, "0"), 4));
    // Paged away again: its clock starts over from this sweep.
    table.set_view(4, [3]);
    let t1 = t0 + PARK_AFTER * 2;
    assert!(table.sweep(t1).is_empty(), "its clock started over");
    assert!(table
        .sweep(t1 + PARK_AFTER - Duration::from_millis(1))
        .is_empty());
    assert_eq!(table.sweep(t1 + PARK_AFTER), vec![4]);
}

/// Found in review: a client offer was taken as making every parked m-line send again, so the
/// table routed frames to m-lines str0m kept `inactive` with no send stream, and a camera paged
/// back to was never woken. The table now follows the session's directions.
#[test]
fn a_client_offer_leaves_parked_m_lines_parked_and_a_gone_source_is_stopped() {
    let (mut table, _) = parked();
    let inactive = Mid::from("o20");
    let sending = |mid: Mid| mid != inactive;
    assert!(
        table.client_offered(4, sending).is_empty(),
        "nothing was being woken"
    );
    assert!(!routed_to(&table, t(2, "0"), 4), "still parked");
    assert!(table.set_view(4, [2, 3]), "and woken by the view");
    assert_eq!(table.plan(4).wake, vec![(inactive, MediaKind::Video)]);
    table.set_view(4, [3]);
    let mut told = table.unpublish(t(2, "0"));
    told.sort_unstable();
    assert_eq!(told, vec![1, 3, 4], "1 and 3 show every camera");
    assert_eq!(
        table.plan(4).stop,
        vec![inactive],
        "a parked m-line is stopped"
    );
}

/// A client offer answered while a wake was under way (or its offer lost): if the session sends
/// on the m-line, our answer said so, and it is open, with a keyframe; if not, it waits for the
/// wake's offer. A park applied but never delivered counts as parked once an answer told it.
#[test]
fn a_client_offer_settles_wakes_and_parks_by_the_sessions_directions() {
    let (mut table, t0) = parked();
    table.set_view(4, [2, 3]);
    assert!(table.client_offered(4, |_| false).is_empty(), "not yet");
    assert_eq!(table.plan(4).wake.len(), 1, "still to wake");
    table.offered(4, &[]);
    table.offer_dropped(4);
    assert_eq!(table.client_offered(4, |_| true), vec![t(2, "0")]);
    assert!(routed_to(&table, t(2, "0"), 4));

    table.set_view(4, [3]);
    let t1 = t0 + PARK_AFTER * 2;
    table.sweep(t1);
    assert_eq!(table.sweep(t1 + PARK_AFTER), vec![4]);
    table.client_offered(4, |_| false);
    assert!(table.plan(4).is_empty(), "parked: nothing left to offer");
}

/// Found in review: a woken m-line whose camera left before the answer became an orphan, which a
/// dropped offer forgets; but the m-line is in the session already (`sendonly`, a new stream), so
/// it stayed there, sending, for the session's life. It is stopped.
#[test]
fn a_waking_m_line_whose_source_leaves_is_stopped_even_if_the_offer_is_dropped() {
    let (mut table, _) = parked();
    table.set_view(4, [2, 3]);
    table.offered(4, &[]);
    table.unpublish(t(2, "0"));
    table.offer_dropped(4);
    assert_eq!(table.plan(4).stop, vec![Mid::from("o20")]);
}

#[test]
fn a_woken_m_line_whose_offer_is_dropped_is_woken_again() {
    let (mut table, _) = parked();
    table.set_view(4, [2, 3]);
    table.offered(4, &[]);
    table.offer_dropped(4);
    assert_eq!(
        table.plan(4).wake,
        vec![(Mid::from("o20"), MediaKind::Video)]
    );
    assert!(table.plan(4).add.is_empty());
}
