-- What a restarted server needs to give people their places back (resume): each room with somebody
-- in it, as the room last saved itself (JSON: members, roles, admissions, hands, rights, settings,
-- resume token hashes). The row goes when the room empties or ends.
CREATE TABLE live_rooms (
    room_id  TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    state    TEXT NOT NULL,
    saved_at INTEGER NOT NULL
);

-- The peer id of an open stay, so that a restarted server can end the stay of a member who does not
-- come back, and new peer ids stay clear of those a previous run gave out.
ALTER TABLE participations ADD COLUMN peer_id INTEGER;
