use super::*;

const ME: PeerId = 5;

fn plan(close: &[PeerId], offer: &[PeerId], answer: &[PeerId]) -> LinkPlan {
    LinkPlan {
        close: close.to_vec(),
        offer: offer.to_vec(),
        answer: answer.to_vec(),
        renegotiate: Vec::new(),
    }
}

const CONNECTED: Moment = Moment::Resumed {
    media_link_connected: true,
};
const NOT_CONNECTED: Moment = Moment::Resumed {
    media_link_connected: false,
};

// Whose stream is it.

#[test]
fn a_plain_id_is_that_participants_camera_and_microphone() {
    assert_eq!(stream_owner("17", ME), Some(StreamOwner::Camera(17)));
}

#[test]
fn an_id_with_screen_is_that_participants_screen_share() {
    assert_eq!(stream_owner("17-screen", ME), Some(StreamOwner::Screen(17)));
    assert_eq!(StreamOwner::Screen(17).peer(), 17);
}

#[test]
fn stream_ids_of_another_form_name_nobody() {
    for id in [
        "",
        "-screen",
        "abc",
        "+17",
        "17 ",
        " 17",
        "17-Screen",
        "17-screen-screen",
        "17-camera",
        "1.5",
        "-17",
        "{a1b2c3d4-0000-4000-8000-000000000000}",
        "99999999999999999999999",
    ] {
        assert_eq!(stream_owner(id, ME), None, "{id:?}");
    }
}

#[test]
fn the_media_peer_and_ourselves_own_no_forwarded_stream() {
    assert_eq!(stream_owner("0", ME), None);
    assert_eq!(stream_owner("0-screen", ME), None);
    assert_eq!(
        stream_owner("5", ME),
        None,
        "our own media is never shown back to us"
    );
    assert_eq!(stream_owner("5-screen", ME), None);
}

#[test]
fn an_unknown_topology_is_a_mesh() {
    assert_eq!(Media::from(Topology::Other), Media::Mesh);
    assert_eq!(Media::from(Topology::Mesh), Media::Mesh);
    assert_eq!(Media::from(Topology::Sfu), Media::Sfu);
}

// Joining.

#[test]
fn joining_a_mesh_offers_to_everyone_already_there() {
    assert_eq!(
        plan_links(Media::Mesh, Moment::Joined, &[], &[2, 3], ME),
        plan(&[], &[2, 3], &[])
    );
}

#[test]
fn joining_an_sfu_room_offers_once_to_the_media_peer_and_to_nobody_else() {
    assert_eq!(
        plan_links(Media::Sfu, Moment::Joined, &[], &[2, 3, 4], ME),
        plan(&[], &[MEDIA_PEER], &[])
    );
}

#[test]
fn joining_afresh_while_still_holding_links_starts_over() {
    assert_eq!(
        plan_links(Media::Sfu, Moment::Joined, &[MEDIA_PEER], &[2], ME),
        plan(&[MEDIA_PEER], &[MEDIA_PEER], &[])
    );
    assert_eq!(
        plan_links(Media::Mesh, Moment::Joined, &[3, 2], &[2], ME),
        plan(&[2, 3], &[2], &[])
    );
}

// Switching.

#[test]
fn switching_to_sfu_closes_every_mesh_link_and_offers_to_the_media_peer() {
    assert_eq!(
        plan_links(Media::Sfu, Moment::Switched, &[4, 2, 3], &[2, 3, 4, 6], ME),
        plan(&[2, 3, 4], &[MEDIA_PEER], &[])
    );
}

#[test]
fn switching_to_sfu_alone_in_the_room_still_connects_to_the_media_peer() {
    assert_eq!(
        plan_links(Media::Sfu, Moment::Switched, &[], &[], ME),
        plan(&[], &[MEDIA_PEER], &[])
    );
}

#[test]
fn a_repeated_switch_to_sfu_keeps_the_media_link() {
    assert_eq!(
        plan_links(Media::Sfu, Moment::Switched, &[MEDIA_PEER], &[2], ME),
        plan(&[], &[], &[])
    );
}

#[test]
fn a_switch_back_to_mesh_closes_the_media_link_and_the_smaller_id_of_each_pair_offers() {
    assert_eq!(
        plan_links(
            Media::Mesh,
            Moment::Switched,
            &[MEDIA_PEER],
            &[2, 7, 9, 3],
            ME
        ),
        plan(&[MEDIA_PEER], &[7, 9], &[2, 3])
    );
}

#[test]
fn a_switch_to_mesh_while_in_a_mesh_changes_nothing() {
    assert_eq!(
        plan_links(Media::Mesh, Moment::Switched, &[2, 7], &[2, 7], ME),
        plan(&[], &[], &[])
    );
}

// Resuming.

#[test]
fn resuming_in_sfu_keeps_a_connected_media_link_and_offers_again_on_it() {
    // The media peer drops an offer it could not deliver while we were away and waits for ours.
    assert_eq!(
        plan_links(Media::Sfu, CONNECTED, &[MEDIA_PEER], &[2, 3], ME),
        LinkPlan {
            renegotiate: vec![MEDIA_PEER],
            ..plan(&[], &[], &[])
        }
    );
}

#[test]
fn resuming_in_sfu_replaces_a_media_link_that_is_not_connected() {
    assert_eq!(
        plan_links(Media::Sfu, NOT_CONNECTED, &[MEDIA_PEER], &[2, 3], ME),
        plan(&[MEDIA_PEER], &[MEDIA_PEER], &[])
    );
}

#[test]
fn resuming_into_a_room_that_switched_to_sfu_while_we_were_away() {
    // The switch was not told to us (nothing reaches the away): `joined` says `sfu`.
    assert_eq!(
        plan_links(Media::Sfu, NOT_CONNECTED, &[2, 3], &[2, 3, 4], ME),
        plan(&[2, 3], &[MEDIA_PEER], &[])
    );
}

#[test]
fn resuming_in_a_mesh_reconciles_as_before() {
    assert_eq!(
        plan_links(Media::Mesh, CONNECTED, &[2, 3, 4], &[2, 4, 6], ME),
        plan(&[3], &[6], &[])
    );
}

#[test]
fn resuming_in_a_mesh_never_links_to_the_media_peer_nor_to_ourselves() {
    assert_eq!(
        plan_links(Media::Mesh, CONNECTED, &[MEDIA_PEER, 2], &[0, 2, ME, 3], ME),
        plan(&[MEDIA_PEER], &[3], &[])
    );
}

#[test]
fn a_joined_list_naming_us_or_someone_twice_opens_one_link_each() {
    assert_eq!(
        plan_links(Media::Mesh, Moment::Joined, &[], &[2, ME, 2, 3], ME),
        plan(&[], &[2, 3], &[])
    );
}

// Who came and went.

#[test]
fn roster_changes_name_who_left_and_who_came_while_we_were_away() {
    assert_eq!(
        roster_changes(&[2, 3, 4], &[4, 6, 2, 7], ME),
        (vec![3], vec![6, 7])
    );
}

#[test]
fn roster_changes_ignore_ourselves() {
    assert_eq!(roster_changes(&[2], &[2, ME], ME), (vec![], vec![]));
}
