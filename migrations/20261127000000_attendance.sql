-- Attendance: class sessions, and who took part in each, as one person across re-joins.
-- Times are Unix milliseconds (UTC).

-- A class session: from the first person in the room until it empties or the class is ended.
-- end_reason: 'empty' (the last person left), 'ended' (a teacher or the administrator ended the
-- class), 'restart' (the server stopped while it was open; ended_at is the last time the server
-- was known to be running).
CREATE TABLE class_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id    TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    end_reason TEXT CHECK (end_reason IN ('empty', 'ended', 'restart')),
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);

CREATE INDEX class_sessions_by_room ON class_sessions (room_id, started_at);

-- Each participation (one stay, or one refusal) now belongs to a session and to an attendee: the
-- SHA-256 (hex) of a random token the browser keeps for the room, so two students with the same
-- display name are two people and one student re-joining is one. NULL for clients that send no
-- token: each such stay is its own person.
ALTER TABLE participations ADD COLUMN session_id INTEGER REFERENCES class_sessions (id) ON DELETE CASCADE;
ALTER TABLE participations ADD COLUMN attendee TEXT;
-- 'admitted': a stay in the call (joined_at .. left_at); 'denied': a teacher turned the student
-- away from the waiting room (joined_at = left_at = the refusal).
ALTER TABLE participations ADD COLUMN outcome TEXT NOT NULL DEFAULT 'admitted'
    CHECK (outcome IN ('admitted', 'denied'));
-- 1 when the row was left open by a server that stopped (crash or kill) and closed at the next
-- start with the last time the server was known to be running.
ALTER TABLE participations ADD COLUMN closed_at_restart INTEGER NOT NULL DEFAULT 0
    CHECK (closed_at_restart IN (0, 1));

CREATE INDEX participations_by_session ON participations (session_id, attendee, joined_at);

-- The last time the running server was known to be alive (written every few seconds): the end
-- given to rows a crash left open.
CREATE TABLE server_heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
