//! The flags' defaults and the rules between them.

use clap::Parser;

use super::Config;

#[test]
fn defaults_are_sane() {
    let c = Config::try_parse_from(["classroom"]).unwrap();
    assert_eq!((c.room_capacity, c.mesh_size, c.udp_port), (40, 4, 10000));
    assert!(c.ice_servers.is_empty());
    assert_eq!(
        (c.max_connections, c.room_idle_days, c.join_timeout_secs),
        (10_000, 30, 10)
    );
    assert!(Config::try_parse_from(["classroom", "--room-capacity", "1"]).is_err());
    assert_eq!(c.turn(), None);
    // A client stalled for ~10 s keeps its connection; a dead one is found within 15 s.
    assert_eq!((c.ws_ping_secs, c.ws_idle_secs), (5, 15));
    // Reserved up front for every socket: 8 KiB of a joined peer's ~24 before it was 1 KiB
    // (docs/BENCHMARKS.md); a buffer too small to hold a frame header is refused.
    assert_eq!(c.ws_read_buffer, 1024);
    assert!(Config::try_parse_from(["classroom", "--ws-read-buffer", "8"]).is_err());
}

#[test]
fn turn_needs_both_url_and_secret() {
    let url = ["--turn-url", "turn:127.0.0.1:3478"];
    let secret = ["--turn-secret", "s3cret"];
    assert!(Config::try_parse_from(["classroom"].iter().chain(&url)).is_err());
    assert!(Config::try_parse_from(["classroom"].iter().chain(&secret)).is_err());
    let c = Config::try_parse_from(["classroom"].iter().chain(&url).chain(&secret)).unwrap();
    let turn = c.turn().unwrap();
    assert_eq!(turn.urls, vec!["turn:127.0.0.1:3478"]);
    assert_eq!(turn.ttl_secs, 3600);
    assert!(
        !format!("{c:?}").contains("s3cret"),
        "the secret is in Debug output"
    );
    let long = ["--turn-ttl", "604800"];
    let c = Config::try_parse_from(["classroom"].iter().chain(&url).chain(&secret).chain(&long))
        .unwrap();
    assert_eq!(c.turn().unwrap().ttl_secs, 86_400);
}

#[test]
fn media_workers_default_to_the_cores_and_stay_in_range() {
    let c = Config::try_parse_from(["classroom"]).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(c.media_workers(), cores.min(64));
    let two = Config::try_parse_from(["classroom", "--media-workers", "2"]).unwrap();
    assert_eq!(two.media_workers(), 2);
    for bad in ["0", "65", "-1", "two"] {
        assert!(
            Config::try_parse_from(["classroom", "--media-workers", bad]).is_err(),
            "{bad}"
        );
    }
}
