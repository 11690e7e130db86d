//! Which peer connections to hold as the room's media topology says (docs/protocol.md "Media
//! topology"), and whose media a track forwarded by the server's media peer is. Pure, over peer ids
//! and stream ids: the engine applies the answers to its links and its views.
//!
//! In a mesh we hold one link per participant; in an SFU room one link, to the media peer
//! ([`MEDIA_PEER`]), which forwards everyone's tracks in streams named after their sender.

use super::reconcile::reconcile;
use crate::protocol::{PeerId, Topology, MEDIA_PEER};

/// How media flows for us. A topology this build does not know counts as a mesh: connect to the
/// peers we are told of (the protocol's forward-compatibility rule).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Media {
    #[default]
    Mesh,
    /// One link, to the media peer.
    Sfu,
}

impl From<Topology> for Media {
    fn from(topology: Topology) -> Self {
        match topology {
            Topology::Sfu => Media::Sfu,
            Topology::Mesh | Topology::Other => Media::Mesh,
        }
    }
}

/// Whose media a forwarded stream carries, from its id (`RTCTrackEvent.streams[0].id`):
/// `<peer id>` is that participant's camera and microphone, `<peer id>-screen` their screen share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamOwner {
    Camera(PeerId),
    Screen(PeerId),
}

impl StreamOwner {
    pub fn peer(self) -> PeerId {
        match self {
            StreamOwner::Camera(id) | StreamOwner::Screen(id) => id,
        }
    }
}

/// The owner of the forwarded stream `stream_id`, or `None` for an id that names nobody we could
/// show: not of the two forms, not a plain decimal id, the media peer itself, or ourselves (`me`).
pub fn stream_owner(stream_id: &str, me: PeerId) -> Option<StreamOwner> {
    let (digits, screen) = match stream_id.strip_suffix("-screen") {
        Some(digits) => (digits, true),
        None => (stream_id, false),
    };
    // `u64::from_str` would take "+5" too; only the form the server writes names a peer.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: PeerId = digits.parse().ok()?;
    if id == MEDIA_PEER || id == me {
        return None;
    }
    Some(if screen {
        StreamOwner::Screen(id)
    } else {
        StreamOwner::Camera(id)
    })
}

/// Why the links are being planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// A `joined` that is not a resume: every old link is already closed; we are the newcomer.
    Joined,
    /// A `topology` message: the room switched while we were in it.
    Switched,
    /// A `joined {resumed: true}`; `media_link_connected`: whether our link to the media peer, if
    /// we hold one, is `connected` (a restarted server has lost its side of it).
    Resumed { media_link_connected: bool },
}

/// What to do with the peer connections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkPlan {
    /// Close these (ascending).
    pub close: Vec<PeerId>,
    /// Open a link to each and offer on it.
    pub offer: Vec<PeerId>,
    /// Open a link to each and wait for its offer.
    pub answer: Vec<PeerId>,
    /// Offer again on these kept links: after a resume the media peer may have dropped an offer
    /// it made while we were away, and waits for ours to bring us up to date.
    pub renegotiate: Vec<PeerId>,
}

/// The links to hold for `media`, given the ids we hold links to (`linked`, the media peer
/// included), the room's other members as the server lists them (`present`), and our id `me`.
pub fn plan_links(
    media: Media,
    moment: Moment,
    linked: &[PeerId],
    present: &[PeerId],
    me: PeerId,
) -> LinkPlan {
    let mut plan = match media {
        Media::Sfu => sfu_links(moment, linked),
        Media::Mesh => mesh_links(moment, linked, present, me),
    };
    plan.close.sort_unstable();
    plan.close.dedup();
    plan
}

/// Every mesh link goes; one link to the media peer stays or is made (we offer on it: the media
/// peer never starts a session).
fn sfu_links(moment: Moment, linked: &[PeerId]) -> LinkPlan {
    let mut close: Vec<PeerId> = linked
        .iter()
        .copied()
        .filter(|&id| id != MEDIA_PEER)
        .collect();
    let has_media_link = linked.contains(&MEDIA_PEER);
    // After a resume a link that is not `connected` may be one the server no longer knows (it
    // restarted): a new connection with a new offer replaces the old media session. A fresh join
    // is a new participant: nothing of the old session is ours.
    let stale = matches!(
        moment,
        Moment::Joined
            | Moment::Resumed {
                media_link_connected: false
            }
    );
    if has_media_link && stale {
        close.push(MEDIA_PEER);
    }
    let keep = has_media_link && !stale;
    let resumed = matches!(moment, Moment::Resumed { .. });
    LinkPlan {
        close,
        offer: if keep { Vec::new() } else { vec![MEDIA_PEER] },
        answer: Vec::new(),
        renegotiate: if keep && resumed {
            vec![MEDIA_PEER]
        } else {
            Vec::new()
        },
    }
}

fn mesh_links(moment: Moment, linked: &[PeerId], present: &[PeerId], me: PeerId) -> LinkPlan {
    let mesh_linked: Vec<PeerId> = linked
        .iter()
        .copied()
        .filter(|&id| id != MEDIA_PEER)
        .collect();
    let media_link: Vec<PeerId> = linked
        .iter()
        .copied()
        .filter(|&id| id == MEDIA_PEER)
        .collect();
    let others = |id: &&PeerId| **id != me && **id != MEDIA_PEER;
    match moment {
        // The newcomer offers to everyone already there.
        Moment::Joined => LinkPlan {
            close: linked.to_vec(),
            offer: unique(present.iter().filter(others).copied()),
            ..LinkPlan::default()
        },
        // Keep links to those still here, close the others, offer to the new.
        Moment::Resumed { .. } => {
            let r = reconcile(&mesh_linked, present, me);
            let offer = r.offer.into_iter().filter(|&id| id != MEDIA_PEER).collect();
            LinkPlan {
                close: [r.close, media_link].concat(),
                offer,
                ..LinkPlan::default()
            }
        }
        // Everyone switches at once and nobody is a newcomer: of each pair the smaller id offers,
        // so exactly one side does.
        Moment::Switched => {
            let missing = unique(
                present
                    .iter()
                    .filter(others)
                    .filter(|id| !mesh_linked.contains(id))
                    .copied(),
            );
            let (offer, answer) = missing.into_iter().partition(|&id| me < id);
            LinkPlan {
                close: media_link,
                offer,
                answer,
                ..LinkPlan::default()
            }
        }
    }
}

fn unique(ids: impl Iterator<Item = PeerId>) -> Vec<PeerId> {
    let mut out: Vec<PeerId> = Vec::new();
    for id in ids {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Who came and who went while we were away: `(departed, arrived)`, comparing the members we knew
/// (`known`) with those the server lists now (`present`), each in the order of its list.
pub fn roster_changes(
    known: &[PeerId],
    present: &[PeerId],
    me: PeerId,
) -> (Vec<PeerId>, Vec<PeerId>) {
    let departed = unique(known.iter().filter(|id| !present.contains(id)).copied());
    let arrived = unique(
        present
            .iter()
            .filter(|&&id| id != me && !known.contains(&id))
            .copied(),
    );
    (departed, arrived)
}

#[cfg(test)]
mod tests;
