//! Keyframe requests: a subscriber's request reaches the publisher, throttled.

use std::time::Duration;

use str0m::media::MediaKind;

use super::client::{run, Client};
use super::{start, SETTLE};

#[test]
fn a_subscriber_s_keyframe_request_reaches_the_publisher() {
    let sfu = start();
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);
    // The join itself asked for one (a new video subscriber); after that it is quiet.
    assert!(
        publisher.keyframe_requests >= 1,
        "a new subscriber's video starts with a keyframe request"
    );
    let quiet = publisher.keyframe_requests;
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(1200),
    );
    assert_eq!(
        publisher.keyframe_requests, quiet,
        "no requests without a reason"
    );

    let mid = *sub
        .received
        .iter()
        .find(|(_, e)| e.1 == MediaKind::Video)
        .unwrap()
        .0;
    sub.request_keyframe(mid);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(500),
    );
    assert_eq!(
        publisher.keyframe_requests,
        quiet + 1,
        "the request went upstream"
    );

    // Many at once: at most one per second reaches the publisher.
    for _ in 0..5 {
        sub.request_keyframe(mid);
        run(
            &sfu,
            &mut [&mut publisher, &mut sub],
            Duration::from_millis(60),
        );
    }
    assert!(
        publisher.keyframe_requests <= quiet + 2,
        "throttled: {}",
        publisher.keyframe_requests
    );
}
