-- The teacher-led classroom: the room's auto-admit setting, the chat, and the raise-hand history.
-- Times are Unix milliseconds (UTC).

ALTER TABLE rooms ADD COLUMN auto_admit INTEGER NOT NULL DEFAULT 0 CHECK (auto_admit IN (0, 1));

-- Every chat message, shown to whoever is admitted to the room (the latest 200 on joining).
CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id     TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    sender_name TEXT NOT NULL,
    sender_role TEXT NOT NULL CHECK (sender_role IN ('teacher', 'student')),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sent_at     INTEGER NOT NULL
);

CREATE INDEX chat_messages_by_room ON chat_messages (room_id, id);

-- Raised and lowered hands and the word given and taken back: who asked to speak, and when.
CREATE TABLE hand_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id      TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN ('raised', 'lowered', 'speak_granted', 'speak_revoked')),
    at           INTEGER NOT NULL
);

CREATE INDEX hand_events_by_room ON hand_events (room_id, at);
