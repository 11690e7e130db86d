//! What to do with our peer connections when the server takes us back (`joined {resumed: true}`).
//! Pure, over peer ids: the engine applies the answer to its links.

use crate::protocol::PeerId;

/// The peer connections to keep, to close and to open after a resume.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciliation {
    /// Still in the room and still linked: keep the connection (its media never stopped).
    pub keep: Vec<PeerId>,
    /// Linked but no longer in the room (they left while we were away): close.
    pub close: Vec<PeerId>,
    /// In the room with no link (they joined while we were away and were told about us only now,
    /// so they wait for our offer): connect and offer.
    pub offer: Vec<PeerId>,
}

/// Compares the ids we have links to (`linked`) with the room's members as the server lists them
/// (`present`); `me` is never linked to, should the list name us. Each id appears once, `keep` and
/// `offer` in the server's order, `close` ascending.
pub fn reconcile(linked: &[PeerId], present: &[PeerId], me: PeerId) -> Reconciliation {
    let mut out = Reconciliation::default();
    for &id in present {
        if id == me || out.keep.contains(&id) || out.offer.contains(&id) {
            continue;
        }
        if linked.contains(&id) {
            out.keep.push(id);
        } else {
            out.offer.push(id);
        }
    }
    out.close = linked
        .iter()
        .copied()
        .filter(|id| !out.keep.contains(id))
        .collect();
    out.close.sort_unstable();
    out.close.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(keep: &[PeerId], close: &[PeerId], offer: &[PeerId]) -> Reconciliation {
        Reconciliation {
            keep: keep.to_vec(),
            close: close.to_vec(),
            offer: offer.to_vec(),
        }
    }

    #[test]
    fn nobody_changed_while_we_were_away_so_every_link_is_kept() {
        assert_eq!(reconcile(&[2, 3], &[3, 2], 1), r(&[3, 2], &[], &[]));
    }

    #[test]
    fn someone_who_left_while_we_were_away_is_closed() {
        assert_eq!(reconcile(&[2, 3, 4], &[2, 4], 1), r(&[2, 4], &[3], &[]));
    }

    #[test]
    fn someone_who_joined_while_we_were_away_gets_our_offer() {
        assert_eq!(reconcile(&[2], &[2, 5], 1), r(&[2], &[], &[5]));
    }

    #[test]
    fn left_and_joined_at_once() {
        assert_eq!(
            reconcile(&[4, 2, 3], &[3, 6, 5], 1),
            r(&[3], &[2, 4], &[6, 5])
        );
    }

    #[test]
    fn alone_in_the_room_now_closes_everything() {
        assert_eq!(reconcile(&[2, 3], &[], 1), r(&[], &[2, 3], &[]));
    }

    #[test]
    fn resuming_from_the_waiting_room_offers_to_everyone() {
        assert_eq!(reconcile(&[], &[2, 3], 9), r(&[], &[], &[2, 3]));
    }

    #[test]
    fn ourselves_and_repeated_ids_in_the_list_are_ignored() {
        assert_eq!(reconcile(&[2], &[1, 2, 2, 3, 3], 1), r(&[2], &[], &[3]));
        assert_eq!(reconcile(&[1, 2], &[2], 1), r(&[2], &[1], &[]));
    }
}
