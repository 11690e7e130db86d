//! The server takes us in: `joined` (first, after the waiting room, or after a resume) and
//! `waiting`.
//!
//! After a resume (`joined {resumed: true}`) the links to everyone still here are kept — their
//! media never stopped — links to people who left are closed, and we offer to people who came
//! while we were away. In an SFU room the one link to the media peer is kept if it is still
//! `connected`, else replaced by a new one (a restarted server lost its side). A `joined` that is
//! not a resume while we still hold links (our resume failed and we joined afresh, with a new id)
//! starts over: the others saw us leave. Which links to hold is `call_model::topology`'s answer.

use super::engine::Engine;
use super::events::Update;
use web_sys::RtcPeerConnectionState;

use crate::call_model::topology::{roster_changes, Media, Moment};
use crate::call_model::view::ViewState;
use crate::call_model::{Announcement, Phase};
use crate::protocol::{ClientMsg, PeerId, PeerInfo, Role, ServerMsg, MEDIA_PEER};

impl Engine {
    pub(super) async fn on_joined(&mut self, msg: ServerMsg) {
        let ServerMsg::Joined {
            you,
            role,
            peers,
            ice_servers,
            topology,
            settings,
            waiting,
            chat,
            me,
            resume,
            resumed,
            ..
        } = msg
        else {
            return;
        };
        let (_, was_lost) = self.welcomed(resume);
        self.ice = ice_servers;
        let may_speak = me
            .as_ref()
            .map_or(role == Role::Teacher || !settings.mics_locked, |me| {
                me.may_speak
            });
        // A locked microphone is off: the server would refuse it anyway.
        if !may_speak && self.mic_on {
            self.set_mic(false).await;
        }
        let me = PeerInfo {
            id: you,
            name: self.request.name.clone(),
            role,
            // Our own media as we send it is the truth for our tile.
            media: self.media_state(),
            hand: me.and_then(|m| m.hand),
            may_speak,
        };
        self.me = Some(me.clone());
        self.may_share = settings.students_may_share || role == Role::Teacher;
        if !self.may_share {
            self.stop_share().await;
        }
        self.media = Media::from(topology);
        let present: Vec<PeerId> = peers.iter().map(|p| p.id).collect();
        if !resumed {
            // A new id: a view of ours from before names people who may have left meanwhile.
            self.view = ViewState::default();
        }
        // A resumed or restarted server may hold an older view, or none; the offers come next.
        self.view_ahead(&present);
        if resumed {
            self.reconnect_links(&peers).await;
        } else {
            self.drop_links();
            // We are the newcomer: we offer to everyone already here, or to the media peer. The
            // offers go out before the views hear of the call, so drawing it (the page's largest
            // change) overlaps the answers' round trip instead of coming before the offers.
            let plan = self.plan_links(Moment::Joined, &present);
            self.open_links(&plan).await;
        }
        self.emit(Update::Me(me));
        self.emit(Update::Settings(settings));
        self.emit(Update::Waiting(waiting));
        self.emit(Update::ChatHistory(chat));
        self.others = peers.clone();
        self.emit(Update::Peers(peers));
        self.set_phase(Phase::InCall);
        if !may_speak {
            self.send(&ClientMsg::Media(self.media_state()));
        }
        self.say_reconnected(was_lost);
    }

    /// `waiting`: a student's join (or resume) lands in the waiting room.
    pub(super) fn on_waiting(&mut self, resume: Option<String>) {
        let (_, was_lost) = self.welcomed(resume);
        // A fresh join after a failed resume: whatever we had of the class is gone.
        self.drop_links();
        self.emit(Update::Peers(Vec::new()));
        self.set_phase(Phase::Waiting);
        self.say_reconnected(was_lost);
    }

    /// Back after a resume: keep, close and open links as the room now is (its topology may
    /// have changed while we were away: nothing reaches the away), and say who came and went.
    async fn reconnect_links(&mut self, peers: &[PeerInfo]) {
        for link in self.peers.values() {
            // Fresh TURN credentials for the next ICE restart.
            link.use_ice_servers(&self.ice);
        }
        let present: Vec<PeerId> = peers.iter().map(|p| p.id).collect();
        let known: Vec<PeerId> = self.others.iter().map(|p| p.id).collect();
        let (departed, arrived) = roster_changes(&known, &present, self.me_id());
        let media_link_connected = self
            .peers
            .get(&MEDIA_PEER)
            .is_some_and(|link| link.connection_state() == RtcPeerConnectionState::Connected);
        let plan = self.plan_links(
            Moment::Resumed {
                media_link_connected,
            },
            &present,
        );
        self.close_links(&plan.close);
        for id in departed {
            self.forget_forwarded(id);
            if let Some(gone) = self.others.iter().find(|p| p.id == id) {
                self.emit(Update::Announce(Announcement::Left(gone.name.clone())));
            }
            self.emit(Update::PeerGone(id));
        }
        self.catch_up_links().await;
        self.open_links(&plan).await;
        for id in arrived {
            if let Some(new) = peers.iter().find(|p| p.id == id) {
                self.emit(Update::Announce(Announcement::Joined(new.name.clone())));
            }
        }
    }

    /// Closes every link and forgets everyone (quietly: they did not leave, we did).
    fn drop_links(&mut self) {
        let linked: Vec<PeerId> = self.peers.keys().copied().collect();
        self.close_links(&linked);
        let mut ids: Vec<PeerId> = self.others.iter().map(|p| p.id).collect();
        ids.extend(linked.into_iter().filter(|&id| id != MEDIA_PEER));
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            self.emit(Update::PeerGone(id));
        }
        self.others.clear();
    }
}
