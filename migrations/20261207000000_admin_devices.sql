-- Browsers an administrator logged in from: a long-lived random token in a cookie, of which only the
-- SHA-256 is kept. Such a browser has a login budget of its own, so that guessers behind the same
-- address (a school's NAT) cannot lock the administrator out. Forgotten after 180 days, when the
-- password is set again, and past the 20 most recent.
CREATE TABLE admin_devices (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
