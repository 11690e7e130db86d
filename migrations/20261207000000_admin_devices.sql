-- Browsers an administrator logged in from: a long-lived random token in a cookie, of which only the
-- SHA-256 is kept. Such a browser has a login budget of its own, so that guessers behind the same
-- address (a school's NAT) cannot lock the administrator out. Forgotten 180 days after its last
-- login there, when the password is set again, and past the 20 most recently used.
CREATE TABLE admin_devices (
    token_hash TEXT PRIMARY KEY,
    last_login_at INTEGER NOT NULL
);
