-- The administrator: one password (an argon2id PHC string) and the sessions opened with it.
-- Times are Unix milliseconds (UTC).

CREATE TABLE admin_password (
    id     INTEGER PRIMARY KEY CHECK (id = 1),           -- one administrator, one row
    hash   TEXT NOT NULL,                                -- argon2id, salt and parameters included
    set_at INTEGER NOT NULL
);

-- A session's id lives only in the administrator's cookie; the table keeps its SHA-256, so a copy
-- of the database opens no session.
CREATE TABLE admin_sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    created_at   INTEGER NOT NULL,                       -- for the absolute expiry
    last_seen_at INTEGER NOT NULL                        -- for the idle expiry
);

-- The admin room list: newest first (read backwards), one page at a time.
CREATE INDEX rooms_by_created ON rooms (created_at, id);
