-- Rooms created from the home page, and who took part in which room.
-- Times are Unix milliseconds (UTC); the UI formats them for the reader's locale.

CREATE TABLE rooms (
    id               TEXT PRIMARY KEY NOT NULL,          -- random, appears in the student link
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    teacher_key_hash TEXT NOT NULL,                      -- hex SHA-256; the key itself is never stored
    created_at       INTEGER NOT NULL,
    closed_at        INTEGER                             -- NULL while the room is open
);

-- One row per stay in a room: joining again after leaving makes a new row, so attendance can sum the
-- time actually spent. left_at is NULL only while the person is in the room.
CREATE TABLE participations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id      TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('teacher', 'student')),
    joined_at    INTEGER NOT NULL,
    left_at      INTEGER,
    CHECK (left_at IS NULL OR left_at >= joined_at)
);

CREATE INDEX participations_by_room ON participations (room_id, joined_at);
