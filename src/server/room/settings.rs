//! The room's switches and what turning them changes for the students.

use super::{Out, Output, Record, Room, Stage};
use crate::protocol::{PeerId, ServerMsg, SettingsChange, UnixMillis};

impl Room {
    /// Applies a teacher's change of the room's settings and what follows from it: rights and
    /// media of the students, the waiting room under auto-admit.
    pub(super) fn change_settings(
        &mut self,
        now: UnixMillis,
        by: PeerId,
        c: SettingsChange,
        out: &mut Out,
    ) {
        let before = self.settings;
        let s = &mut self.settings;
        s.auto_admit = c.auto_admit.unwrap_or(s.auto_admit);
        s.mics_locked = c.mics_locked.unwrap_or(s.mics_locked);
        s.room_locked = c.room_locked.unwrap_or(s.room_locked);
        s.chat_locked = c.chat_locked.unwrap_or(s.chat_locked);
        s.students_may_share = c.students_may_share.unwrap_or(s.students_may_share);
        s.class_mode = c.class_mode.unwrap_or(s.class_mode);
        let after = *s;
        let by_name = self.name_of(by);
        let msg = ServerMsg::Settings {
            settings: after,
            by: by_name.clone(),
        };
        self.tell_all(&msg, out);
        if after.auto_admit != before.auto_admit {
            out.push(Output::Persist(Record::AutoAdmit(after.auto_admit)));
        }
        for student in self.students() {
            let Some(m) = self.members.get(&student) else {
                continue;
            };
            let may_speak = !after.mics_locked || m.granted;
            let audio = m.info.media.audio && may_speak;
            let screen = m.info.media.screen && after.students_may_share;
            if (may_speak, audio, screen)
                != (m.info.may_speak, m.info.media.audio, m.info.media.screen)
            {
                self.update(student, by_name.clone(), out, |m| {
                    m.info.may_speak = may_speak;
                    m.info.media.audio = audio;
                    m.info.media.screen = screen;
                });
            }
        }
        if after.auto_admit && !before.auto_admit {
            // Turning auto-admit on lets in whoever is waiting (but those removed this session).
            let waiting: Vec<PeerId> = self
                .members
                .iter()
                .filter(|(_, m)| m.stage != Stage::Admitted && !self.removed.contains(&m.knock_key))
                .map(|(&id, _)| id)
                .collect();
            for peer in waiting {
                if self.admitted() < self.spec.capacity {
                    self.enter(now, peer, out);
                }
            }
        }
    }
}
