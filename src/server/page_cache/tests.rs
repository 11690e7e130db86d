use super::*;

fn get(path: &str, headers: &[(&str, &str)]) -> Request {
    let mut req = Request::builder().uri(path);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.body(Body::empty()).unwrap()
}

#[test]
fn only_plain_room_page_requests_are_kept() {
    assert!(cache_key(&get("/r/abc", &[])).is_some());
    assert!(cache_key(&get("/r/abc", &[("cookie", "classroom_lang=ko")])).is_some());
    // Anything that could make the page someone's own, or another page, is not.
    assert!(cache_key(&get("/r/abc", &[("cookie", "classroom_admin=s3cret")])).is_none());
    let both = "classroom_lang=ko; classroom_new_room=x.y";
    assert!(cache_key(&get("/r/abc", &[("cookie", both)])).is_none());
    assert!(cache_key(&get("/r/abc?x=1", &[])).is_none());
    // A cookie header that is not text is not parsed, and not kept.
    let raw = Request::builder()
        .uri("/r/abc")
        .header(
            "cookie",
            HeaderValue::from_bytes(b"classroom_lang=\xff").unwrap(),
        )
        .body(Body::empty())
        .unwrap();
    assert!(cache_key(&raw).is_none());
    assert!(cache_key(&get("/r/", &[])).is_none());
    assert!(cache_key(&get("/r/abc/more", &[])).is_none());
    assert!(cache_key(&get("/", &[])).is_none());
    assert!(cache_key(&get("/admin", &[])).is_none());
    let post = Request::builder()
        .method("POST")
        .uri("/r/abc")
        .body(Body::empty())
        .unwrap();
    assert!(cache_key(&post).is_none());
}

#[test]
fn the_language_inputs_are_part_of_the_key() {
    let en = cache_key(&get("/r/abc", &[("accept-language", "en-US")]));
    let ko = cache_key(&get("/r/abc", &[("accept-language", "ko-KR")]));
    let cookie = cache_key(&get("/r/abc", &[("cookie", "classroom_lang=ko")]));
    assert!(en != ko && ko != cookie && en != cookie);
    // Two headers are read together by the page, and so by the key.
    let two = [("accept-language", "en-US"), ("accept-language", "ko-KR")];
    assert_ne!(cache_key(&get("/r/abc", &two)), en);
}

#[test]
fn the_nonce_is_read_from_the_policy() {
    let policy = "default-src 'self'; script-src 'self' 'nonce-AbC123' 'wasm-unsafe-eval'";
    assert_eq!(nonce_in(policy).as_deref(), Some("AbC123"));
    assert_eq!(nonce_in("script-src 'self'"), None);
    assert_eq!(nonce_in("script-src 'nonce-'"), None);
    assert_eq!(nonce_in("script-src 'nonce-unterminated"), None);
}

#[test]
fn a_page_is_served_again_only_while_fresh_and_until_a_room_is_forgotten() {
    let cache = PageCache::default();
    let key = cache_key(&get("/r/abc", &[])).unwrap();
    let t0 = Instant::now();
    let page = Page {
        rendered: t0,
        generation: 7,
        headers: HeaderMap::new(),
        body: "<script nonce=\"N1\"></script>".into(),
        nonce: "N1".into(),
    };
    let copy = |p: &Page| Page {
        headers: p.headers.clone(),
        body: p.body.clone(),
        nonce: p.nonce.clone(),
        ..*p
    };
    cache.put(key.clone(), copy(&page));
    assert!(cache.get(&key, 7, t0 + FRESH / 2).is_some());
    assert!(cache.get(&key, 7, t0 + FRESH).is_none(), "stale");
    cache.put(key.clone(), page);
    assert!(
        cache.get(&key, 8, t0).is_none(),
        "a room was forgotten since"
    );
    assert!(cache.is_empty());
}

#[test]
fn a_replayed_page_carries_a_nonce_of_its_own() {
    let mut headers = HeaderMap::new();
    let policy = "script-src 'self' 'nonce-N1xyz'";
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    let page = Page {
        rendered: Instant::now(),
        generation: 0,
        headers,
        body: "<script nonce=\"N1xyz\">a</script><script nonce=\"N1xyz\">b</script>".into(),
        nonce: "N1xyz".into(),
    };
    let res = replay(&page);
    let policy = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let fresh = nonce_in(&policy).unwrap();
    assert_ne!(fresh, "N1xyz");
    assert!(fresh.len() >= 16);
    let body = futures::executor::block_on(axum::body::to_bytes(res.into_body(), usize::MAX));
    let body = String::from_utf8(body.unwrap().to_vec()).unwrap();
    assert_eq!(
        body.matches(&format!("nonce=\"{fresh}\"")).count(),
        2,
        "{body}"
    );
    assert!(!body.contains("N1xyz"));
}

#[test]
fn a_flood_of_language_lists_keeps_at_most_the_capacity() {
    let cache = PageCache::default();
    for i in 0..CAPACITY + 500 {
        let lang = format!("x-{i}");
        let key = cache_key(&get("/r/abc", &[("accept-language", lang.as_str())])).unwrap();
        let page = Page {
            rendered: Instant::now(),
            generation: 0,
            headers: HeaderMap::new(),
            body: String::new(),
            nonce: "n".into(),
        };
        cache.put(key, page);
    }
    assert_eq!(cache.len(), CAPACITY);
}
