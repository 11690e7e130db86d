//! A subscriber's offers, step by step: what the next one must carry ([`Plan`]), and what its
//! outcome (sent, answered, dropped) makes of each m-line.

use str0m::media::{MediaKind, Mid};

use super::{Add, Out, Plan, RoomTable, TrackId};
use crate::protocol::PeerId;

impl RoomTable {
    /// The m-lines `sub`'s next offer must add, stop, park and wake (empty: no offer needed).
    pub fn plan(&self, sub: PeerId) -> Plan {
        let mut plan = Plan::default();
        for out in self.subscribers.get(&sub).into_iter().flatten() {
            match (out.state, out.source) {
                (Out::ToOpen, Some(source)) => {
                    if let Some((_, kind, stream)) =
                        self.published.iter().find(|(t, ..)| *t == source)
                    {
                        let track = format!("{}-{}", source.peer, source.mid);
                        plan.add.push(Add {
                            source,
                            kind: *kind,
                            stream: stream.clone(),
                            track,
                        });
                    }
                }
                (Out::ToStop(mid), _) => plan.stop.push(mid),
                (Out::ToPark(mid), _) => plan.park.push(mid),
                (Out::ToWake(mid), Some(source)) => {
                    plan.wake.push((mid, self.kind_of(source)));
                }
                _ => {}
            }
        }
        plan
    }

    /// The offer carrying `plan` went out; `added` maps each added source to its new mid. Parked
    /// m-lines are parked from now on: the session stopped sending on them at once.
    pub fn offered(&mut self, sub: PeerId, added: &[(TrackId, Mid)]) {
        for out in self.subscribers.get_mut(&sub).into_iter().flatten() {
            out.state = match (out.state, out.source) {
                (Out::ToOpen, Some(s)) => match added.iter().find(|(t, _)| *t == s) {
                    Some((_, mid)) => Out::Negotiating(*mid),
                    None => Out::ToOpen,
                },
                (Out::ToStop(m), _) => Out::NegotiatingStop(m),
                (Out::ToPark(m), _) => Out::Parked(m),
                (Out::ToWake(m), _) => Out::Waking(m),
                (other, _) => other,
            };
        }
        self.reindex();
    }

    /// `sub` answered the pending offer. Returns the video sources it now receives, which need a
    /// keyframe for its decoder to start.
    pub fn answered(&mut self, sub: PeerId) -> Vec<TrackId> {
        let mut fresh = Vec::new();
        if let Some(outs) = self.subscribers.get_mut(&sub) {
            outs.retain(|o| !matches!(o.state, Out::NegotiatingStop(_)));
            for out in outs.iter_mut() {
                match out.state {
                    Out::Negotiating(m) | Out::Waking(m) => {
                        out.state = Out::Open(m);
                        out.idle = None;
                        fresh.extend(out.source);
                    }
                    Out::Orphan(m) => out.state = Out::ToStop(m),
                    _ => {}
                }
            }
        }
        self.reindex();
        fresh.retain(|t| self.kind_of(*t) == MediaKind::Video);
        fresh
    }

    /// The pending offer to `sub` was rolled back (the client's offer crossed it) or lost: what it
    /// carried is planned again.
    pub fn offer_dropped(&mut self, sub: PeerId) {
        if let Some(outs) = self.subscribers.get_mut(&sub) {
            outs.retain(|o| !matches!(o.state, Out::Orphan(_)));
            for out in outs.iter_mut() {
                out.state = match out.state {
                    Out::Negotiating(_) => Out::ToOpen,
                    Out::NegotiatingStop(m) => Out::ToStop(m),
                    Out::Waking(m) => Out::ToWake(m),
                    other => other,
                };
            }
        }
    }

    /// The kind of published `track` (audio if it is gone: nothing to ask a keyframe of).
    pub(super) fn kind_of(&self, track: TrackId) -> MediaKind {
        self.published
            .iter()
            .find(|(t, ..)| *t == track)
            .map_or(MediaKind::Audio, |(_, kind, _)| *kind)
    }
}
