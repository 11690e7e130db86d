//! A session against a str0m client, offer by offer: what a stopped or parked m-line leaves
//! behind, and how a parked one comes back.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind, MediaTime, Mid};
use str0m::{Input, Rtc};

use super::{Offered, Session};
use crate::protocol::{PeerId, ServerMsg, Signal};
use crate::server::hub::queue;
use crate::server::sfu::table::{Add, Plan, TrackId};

mod park;

/// A member's browser: one camera, answering whatever the media peer offers.
struct Client {
    rtc: Rtc,
    replies: queue::Rx,
}

impl Client {
    /// The last description the media peer sent this client.
    fn last_sdp(&mut self) -> String {
        let mut last = None;
        while let Ok(msg) = self.replies.try_recv() {
            if let ServerMsg::Signal {
                data: Signal::Description { sdp, .. },
                ..
            } = msg
            {
                last = Some(sdp);
            }
        }
        last.expect("the media peer sent a description")
    }

    /// Answers the media peer's last offer.
    fn answer(&mut self) -> String {
        let offer = SdpOffer::from_sdp_string(&self.last_sdp()).expect("a valid offer");
        let answer = self.rtc.sdp_api().accept_offer(offer).expect("an answer");
        answer.to_sdp_string()
    }
}

/// A session for a client that sends a camera, answered.
fn joined(peer: PeerId) -> (Session, Client) {
    str0m::crypto::from_feature_flags().install_process_default();
    let now = Instant::now();
    let mut rtc = Rtc::builder().build(now);
    let mut change = rtc.sdp_api();
    change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, pending) = change.apply().expect("an offer");
    let (tx, replies) = queue::channel(16);
    let host = SocketAddr::from((Ipv4Addr::LOCALHOST, 9));
    let session = Session::accept(1, "r".into(), peer, &offer.to_sdp_string(), tx, host, now)
        .expect("the session");
    let mut client = Client { rtc, replies };
    let answer = SdpAnswer::from_sdp_string(&client.last_sdp()).expect("an answer");
    client
        .rtc
        .sdp_api()
        .accept_answer(pending, answer)
        .expect("answer taken");
    (session, client)
}

/// One offer/answer round for `plan`; the mids it added.
fn negotiate(session: &mut Session, client: &mut Client, plan: &Plan) -> Vec<Mid> {
    let Offered::Sent(added) = session.offer(plan) else {
        panic!("an offer went out");
    };
    let answer = client.answer();
    assert!(session.accept_answer(&answer).expect("answer taken"));
    added.into_iter().map(|(_, mid)| mid).collect()
}

/// A plan adding the cameras of `peers`.
fn cameras_of(peers: std::ops::Range<PeerId>) -> Plan {
    let camera = |peer: PeerId| Add {
        source: TrackId {
            peer,
            mid: Mid::from("0"),
        },
        kind: MediaKind::Video,
        stream: peer.to_string(),
        track: format!("{peer}-cam"),
    };
    Plan {
        add: peers.map(camera).collect(),
        ..Plan::default()
    }
}

/// A plan stopping `mids`.
fn stopping(mids: &[Mid]) -> Plan {
    Plan {
        stop: mids.to_vec(),
        ..Plan::default()
    }
}

/// A stopped m-line never carries media again, so nothing of it may stay in the session's send
/// path: str0m walks every send stream on each pacer timeout (one per packet it releases), and a
/// class whose members come and go would otherwise pay for every m-line it ever had.
#[test]
fn a_stopped_m_line_keeps_no_send_stream() {
    let (mut session, mut client) = joined(1);
    let mids = negotiate(&mut session, &mut client, &cameras_of(2..5));
    assert_eq!(mids.len(), 3);
    for mid in &mids {
        assert!(session.sends_on(*mid), "m-line {mid} sends once answered");
    }

    negotiate(&mut session, &mut client, &stopping(&[mids[0], mids[2]]));
    assert!(!session.sends_on(mids[0]));
    assert!(
        session.sends_on(mids[1]),
        "the m-line still in use keeps its stream"
    );
    assert!(!session.sends_on(mids[2]));

    // A later round (someone new) does not bring the stopped streams back.
    let more = negotiate(&mut session, &mut client, &cameras_of(6..7));
    assert!(session.sends_on(more[0]));
    assert!(!session.sends_on(mids[0]) && !session.sends_on(mids[2]));
}

/// A frame written to an m-line in the same round as its stop (its sender left while the worker
/// still held its last packets) must not reach the dropped send stream: str0m clears what waits
/// to be packetized when an m-line stops sending. Were it kept, the timeout that packetizes it
/// would fail (`NoSenderSource`) and skip the rest of that session's timeout work.
#[test]
fn a_frame_queued_for_a_stopped_m_line_is_discarded() {
    let (mut session, mut client) = joined(1);
    let mids = negotiate(&mut session, &mut client, &cameras_of(2..4));
    let now = Instant::now();
    let write = |session: &mut Session, mid: Mid| {
        let writer = session.rtc.writer(mid).expect("an m-line to write to");
        let pt = writer.payload_params().next().expect("a codec").pt();
        writer
            .write(pt, now, MediaTime::from_90khz(0), vec![0x10, 1, 2, 3])
            .expect("the frame is queued");
    };
    write(&mut session, mids[0]);
    write(&mut session, mids[1]);
    let stop = stopping(&[mids[0]]);
    assert!(matches!(session.offer(&stop), Offered::Sent(_)));
    session
        .rtc
        .handle_input(Input::Timeout(now))
        .expect("nothing was left for the stopped m-line");
    assert!(session.rtc.is_alive());
    write(&mut session, mids[1]);
    session
        .rtc
        .handle_input(Input::Timeout(now))
        .expect("the next timeout is clean");
    assert!(session.rtc.is_alive() && session.sends_on(mids[1]));
}

/// Found in review: every distinct remote candidate stayed in str0m's list, each added after a
/// search of it, so a member trickling thousands (or sending them in its descriptions) stalled the
/// worker and every room's media with it.
#[test]
fn a_flood_of_remote_candidates_stops_at_the_bound_and_the_session_goes_on() {
    use crate::server::sfu::candidates::MAX_REMOTE_CANDIDATES;
    let (mut session, mut client) = joined(1);
    let candidate = |port: u32| {
        format!(
            "candidate:1 1 udp 2122260223 192.0.2.7 {} typ host",
            1024 + port
        )
    };
    for port in 0..1_000 {
        session.add_candidate(&candidate(port));
    }
    assert_eq!(session.candidates.len(), MAX_REMOTE_CANDIDATES);
    // A re-offer carrying more of them is answered, without them.
    let mut change = client.rtc.sdp_api();
    change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    let (offer, _pending) = change.apply().expect("an offer");
    let mut sdp = offer.to_sdp_string();
    for port in 1_000..1_100 {
        sdp.push_str(&format!("a={}\r\n", candidate(port)));
    }
    let (tx, _replies) = queue::channel(16);
    session.answer_offer(&sdp, tx).1.expect("answered");
    assert_eq!(session.candidates.len(), MAX_REMOTE_CANDIDATES);
}
