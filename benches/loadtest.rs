//! Load on the signaling server: N rooms × M peers join, run a negotiation burst, then send
//! addressed `signal`s at a steady rate; reports connections held, relay throughput and latency,
//! errors, and the server's memory and CPU from `/proc`. See docs/BENCHMARKS.md for figures.
//!
//! ```sh
//! BENCH_ROOMS=1000 BENCH_ROOM_SIZE=5 BENCH_RATE=1 BENCH_SECS=30 \
//!   cargo bench --features ssr --bench loadtest
//! ```
//! Env: `BENCH_ROOMS` (100), `BENCH_ROOM_SIZE` (5), `BENCH_RATE` (signals per second per peer, 1;
//! 0 = idle after the burst), `BENCH_SECS` (steady seconds, 20), `BENCH_STALL` (seconds the
//! generator stops reading and writing, 0) at `BENCH_STALL_AT` (seconds into the steady phase, 5),
//! `BENCH_CLIENT_IPS` (spread clients over 127.0.0.1..n, 1), `BENCH_SERVER` (binary),
//! `BENCH_SERVER_ARGS` (extra flags), or `BENCH_ADDR` + `BENCH_PID` for a server already running.
//! Churn (`BENCH_CHURN`: extra stays begun per second through the steady phase, 0): each one joins
//! a room as a student, offers to the teacher, stays ~`BENCH_CHURN_HOLD` ms (2000) and leaves;
//! the server's RSS, file descriptors and threads are printed every `BENCH_SAMPLE` s (30).
//!
//! ```sh
//! BENCH_ROOMS=200 BENCH_CHURN=20 BENCH_SECS=600 cargo bench --features ssr --bench loadtest
//! ```

#[path = "loadtest/churn.rs"]
mod churn;
#[path = "loadtest/join.rs"]
mod join;
#[path = "loadtest/peer.rs"]
mod peer;
#[path = "common/procfs.rs"]
mod procfs;
#[path = "loadtest/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt;
use tokio::time::{sleep_until, Instant};

use churn::Churner;
use join::fill_room;
pub(crate) use join::{connect, join};
use peer::{Plan, Report};
use server::Server;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

fn tally(items: impl IntoIterator<Item = String>) -> String {
    let mut counts = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_insert(0u64) += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n}× {k}")).collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

#[tokio::main]
async fn main() {
    let rooms: usize = env("BENCH_ROOMS", 100);
    let size: usize = env("BENCH_ROOM_SIZE", 5);
    let rate: f64 = env("BENCH_RATE", 1.0);
    let secs: u64 = env("BENCH_SECS", 20);
    let stall: u64 = env("BENCH_STALL", 0);
    let stall_at: u64 = env("BENCH_STALL_AT", 5);
    let ips: usize = env("BENCH_CLIENT_IPS", 1usize).clamp(1, 250);
    let churn_rate: f64 = env("BENCH_CHURN", 0.0);
    let churn_hold: u64 = env("BENCH_CHURN_HOLD", 2000);
    let sample_every: u64 = env("BENCH_SAMPLE", 30);
    let n = rooms * size;
    // Churners come on top of a full room, and a dropped one keeps its place for the grace.
    let headroom = if churn_rate > 0.0 { 10 } else { 0 };
    let srv = std::sync::Arc::new(Server::start(n, size + headroom));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (base_rss, _) = srv.usage();
    let (base_fds, base_threads) = srv.handles();

    let started = Instant::now();
    let (go_tx, go) = tokio::sync::watch::channel(false);
    let filled: Vec<_> = futures::stream::iter(0..rooms)
        .map(|r| fill_room(&srv, size, r * size, ips, go.clone()))
        .buffer_unordered(32)
        .collect()
        .await;
    let join_secs = started.elapsed().as_secs_f64();
    let mut join_errors = Vec::new();
    let _ = go_tx.send(true);
    let epoch = Instant::now();
    let burst = epoch + Duration::from_secs(2);
    let steady = burst + Duration::from_secs(3);
    let end = steady + Duration::from_secs(secs);
    let plan = Plan {
        epoch,
        burst,
        steady,
        end,
        period: (rate > 0.0).then(|| Duration::from_secs_f64(1.0 / rate)),
        stall: (stall > 0).then(|| {
            let from = steady + Duration::from_secs(stall_at);
            (from, from + Duration::from_secs(stall))
        }),
    };
    let mut tasks = Vec::new();
    let mut index = 0;
    let mut churn_rooms = Vec::new();
    for (room, peers, errors) in filled {
        join_errors.extend(errors);
        let ids: Vec<u64> = peers.iter().map(|(_, id)| *id).collect();
        if let Some(&teacher) = ids.first() {
            churn_rooms.push(churn::Room { id: room, teacher });
        }
        for (idle, me) in peers {
            let Some(ws) = idle.await.unwrap() else {
                join_errors.push("lost before the burst".into());
                continue;
            };
            let mates = ids.iter().copied().filter(|&m| m != me).collect();
            tasks.push(tokio::spawn(peer::run(ws, me, mates, index, plan)));
            index += 1;
        }
    }
    let joined = tasks.len();
    sleep_until(burst - Duration::from_millis(200)).await;
    let (joined_rss, burst_cpu0) = srv.usage();
    sleep_until(steady).await;
    let (burst_rss, cpu0) = srv.usage();
    let churner = (churn_rate > 0.0).then(|| {
        let c = Churner::new(srv.addr.clone(), churn_rooms, ips, churn_hold);
        let driver = tokio::spawn(c.clone().drive(steady, end, churn_rate));
        (c, driver)
    });
    if let Some((c, _)) = &churner {
        println!("churn: {churn_rate} stays begun per second for {secs} s, ~{churn_hold} ms each");
        println!("{}", churn::HEADER);
        println!("|---|---|---|---|---|---|---|---|");
        let mut prev = c.sample(&srv, steady);
        println!("{}", prev.row(None));
        let mut at = steady;
        while at + Duration::from_secs(sample_every) < end {
            at += Duration::from_secs(sample_every);
            sleep_until(at).await;
            let s = c.sample(&srv, steady);
            println!("{}", s.row(Some(&prev)));
            prev = s;
        }
    }
    sleep_until(end).await;
    let (end_rss, cpu1) = srv.usage();

    if let Some((c, driver)) = churner {
        let last = c.sample(&srv, steady);
        println!("{}  (end)", last.row(None));
        let _ = driver.await;
        churn::settle(Duration::from_secs(15)).await;
        let settled = c.sample(&srv, steady);
        println!(
            "{}  (settled: every socket closed, the grace over)",
            settled.row(None)
        );
        println!(
            "before any connection: {base_fds} fds, {base_threads} threads, {:.1} MiB",
            base_rss as f64 / 1024.0
        );
        println!("churn failures: {}", tally(c.failures()));
    }
    let mut reports: Vec<Report> = Vec::with_capacity(joined);
    for t in tasks {
        reports.push(t.await.unwrap());
    }
    let held = reports.iter().filter(|r| r.held).count();
    let sent: u64 = reports.iter().map(|r| r.sent).sum();
    let received: u64 = reports.iter().map(|r| r.received).sum();
    let burst_received: u64 = reports.iter().map(|r| r.received_all - r.received).sum();
    let peer_left: u64 = reports.iter().map(|r| r.peer_left).sum();
    let stalled_max = reports.iter().map(|r| r.stalled_max).max().unwrap_or(0);
    let mut lat: Vec<u32> = reports
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.latencies))
        .collect();
    lat.sort_unstable();
    let cpu = cpu1 - cpu0;
    let per_peer = |rss: u64| (rss.saturating_sub(base_rss)) as f64 / joined.max(1) as f64;

    println!("load: {rooms} rooms × {size} peers, {rate} signal/s each, {secs} s steady, stall {stall} s at +{stall_at} s");
    println!(
        "joined {joined}/{n} in {join_secs:.1} s; join errors: {}",
        tally(join_errors)
    );
    println!(
        "server RSS: base {:.1} MiB, joined {:.1} MiB ({:.1} KiB per joined peer), end {:.1} MiB ({:.1} KiB per peer)",
        base_rss as f64 / 1024.0,
        joined_rss as f64 / 1024.0,
        per_peer(joined_rss),
        end_rss as f64 / 1024.0,
        per_peer(end_rss)
    );
    let burst_cpu = cpu0 - burst_cpu0;
    println!(
        "burst: {burst_received} signals relayed; server CPU {burst_cpu:.2} s ({:.1} ms per 1,000), RSS after it {:.1} KiB per peer",
        if burst_received > 0 { burst_cpu * 1e6 / burst_received as f64 } else { 0.0 },
        per_peer(burst_rss)
    );
    println!(
        "steady: sent {sent}, received {received} ({:.0} msgs/s); server CPU {cpu:.2} s = {:.1} % of a core, {:.1} ms per 1,000 relayed",
        received as f64 / secs as f64,
        cpu * 100.0 / secs as f64,
        if received > 0 { cpu * 1e6 / received as f64 } else { 0.0 }
    );
    println!(
        "relay latency ms (n={}): p50 {:.2}, p95 {:.2}, p99 {:.2}, max {:.2}; around the stall max {:.0} ms",
        lat.len(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(0) as f64 / 1000.0,
        stalled_max as f64 / 1000.0
    );
    println!(
        "connections held {held}/{joined}; ended: {}; peer_left seen {peer_left}; errors: {}; server warn/error lines {}",
        tally(reports.iter().filter_map(|r| r.closed.clone())),
        tally(reports.iter().flat_map(|r| r.errors.clone())),
        srv.warnings.load(std::sync::atomic::Ordering::Relaxed)
    );
}
