//! Parked m-lines (`table/park.rs`) in a session: what str0m does with their directions when
//! offers cross, roll back or are lost, which is what the table's parking states follow.

use str0m::change::SdpOffer;
use str0m::media::{Direction, MediaKind, Mid};

use super::{cameras_of, joined, negotiate, Client, Offered, Plan, Session};

fn parking(mid: Mid) -> Plan {
    Plan {
        park: vec![mid],
        ..Plan::default()
    }
}

fn waking(mid: Mid) -> Plan {
    Plan {
        wake: vec![(mid, MediaKind::Video)],
        ..Plan::default()
    }
}

fn direction(rtc: &str0m::Rtc, mid: Mid) -> Option<Direction> {
    rtc.media(mid).map(|m| m.direction())
}

/// The client offers (it adds a microphone) and takes the session's answer. Like a browser, it
/// offers `recvonly` on every m-line it receives, parked or not (a browser's transceiver keeps
/// the direction it was created with; only its current direction follows the answers).
fn client_offers(session: &mut Session, client: &mut Client, receiving: &[Mid]) -> bool {
    let mut change = client.rtc.sdp_api();
    change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    for mid in receiving {
        change.set_direction(*mid, Direction::RecvOnly);
    }
    let (offer, pending) = change.apply().expect("an offer");
    let reply = session.reply().clone();
    let (rolled_back, answered) = session.answer_offer(&offer.to_sdp_string(), reply);
    answered.expect("the offer is answered");
    let answer = str0m::change::SdpAnswer::from_sdp_string(&client.last_sdp()).unwrap();
    client.rtc.sdp_api().accept_answer(pending, answer).unwrap();
    rolled_back
}

/// A parked m-line (`table/park.rs`) is offered `inactive` and keeps no send stream, through later
/// rounds too; woken, it is offered `sendonly` with a new SSRC, which the offer names.
#[test]
fn a_parked_m_line_keeps_no_send_stream_and_wakes_with_a_new_one() {
    let (mut session, mut client) = joined(1);
    let mids = negotiate(&mut session, &mut client, &cameras_of(2..4));
    let ssrc = |session: &mut Session, mid: Mid| {
        let mut api = session.rtc.direct_api();
        api.stream_tx_by_mid(mid, None).map(|s| s.ssrc())
    };
    let before = ssrc(&mut session, mids[0]).expect("a send stream");
    negotiate(&mut session, &mut client, &parking(mids[0]));
    assert!(!session.sends_on(mids[0]));
    assert!(session.sends_on(mids[1]), "the other m-line is untouched");
    assert_eq!(direction(&client.rtc, mids[0]), Some(Direction::Inactive));
    negotiate(&mut session, &mut client, &cameras_of(5..6));
    assert!(
        !session.sends_on(mids[0]),
        "a later round does not bring it back"
    );

    let Offered::Sent(_) = session.offer(&waking(mids[0])) else {
        panic!("an offer went out");
    };
    let offer = client.last_sdp();
    let after = ssrc(&mut session, mids[0]).expect("a new send stream");
    assert_ne!(after, before);
    assert!(offer.contains(&format!("a=ssrc:{after} ")), "{offer}");
    let answer = {
        let offer = SdpOffer::from_sdp_string(&offer).expect("a valid offer");
        let answer = client.rtc.sdp_api().accept_offer(offer).expect("an answer");
        answer.to_sdp_string()
    };
    assert!(session.accept_answer(&answer).expect("answer taken"));
    assert_eq!(direction(&client.rtc, mids[0]), Some(Direction::RecvOnly));
    assert!(session.sends_on(mids[0]));
}

/// Found in review: the table took a client offer as making every parked m-line send again
/// (a browser offers them `recvonly`), and routed frames to them. str0m keeps an m-line it made
/// `inactive` so whatever the client offers: it stays parked, with no send stream.
#[test]
fn a_client_offer_leaves_a_parked_m_line_parked() {
    let (mut session, mut client) = joined(1);
    let mids = negotiate(&mut session, &mut client, &cameras_of(2..4));
    negotiate(&mut session, &mut client, &parking(mids[0]));
    assert!(
        !client_offers(&mut session, &mut client, &mids),
        "nothing crossed"
    );
    assert_eq!(direction(&session.rtc, mids[0]), Some(Direction::Inactive));
    assert_eq!(direction(&client.rtc, mids[0]), Some(Direction::Inactive));
    assert!(!session.sends_on(mids[0]));
}

/// A wake whose offer a client offer rolls back: the session's answer is already `sendonly` for it
/// (str0m set the direction with the offer), so the client receives it at once.
#[test]
fn a_wake_crossed_by_a_client_offer_is_answered_sendonly() {
    let (mut session, mut client) = joined(1);
    let mids = negotiate(&mut session, &mut client, &cameras_of(2..4));
    negotiate(&mut session, &mut client, &parking(mids[0]));
    assert!(matches!(session.offer(&waking(mids[0])), Offered::Sent(_)));
    assert!(
        client_offers(&mut session, &mut client, &mids),
        "our offer rolled back"
    );
    assert_eq!(direction(&client.rtc, mids[0]), Some(Direction::RecvOnly));
    assert!(session.sends_on(mids[0]));
}

/// Found in review: a wake whose offer was rolled back without an answer (the client's crossing
/// offer could not be taken) was `sendonly` in the session already, so offering it again changed
/// nothing, str0m made no offer, and the table took it as open while the client still had it
/// `inactive`: a tile black for good. It is offered again.
#[test]
fn a_wake_rolled_back_unanswered_is_offered_again() {
    let (mut session, mut client) = joined(1);
    let mids = negotiate(&mut session, &mut client, &cameras_of(2..4));
    negotiate(&mut session, &mut client, &parking(mids[0]));
    assert!(matches!(session.offer(&waking(mids[0])), Offered::Sent(_)));
    client.last_sdp(); // the client never takes it
    let reply = session.reply().clone();
    let (rolled_back, answered) = session.answer_offer("v=0 garbage", reply);
    assert!(rolled_back && answered.is_err());

    assert!(
        matches!(session.offer(&waking(mids[0])), Offered::Sent(_)),
        "an offer, not `Applied`"
    );
    let answer = client.answer();
    assert!(session.accept_answer(&answer).unwrap());
    assert_eq!(direction(&client.rtc, mids[0]), Some(Direction::RecvOnly));
    assert!(session.sends_on(mids[0]));
}
