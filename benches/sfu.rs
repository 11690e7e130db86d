//! Load on the embedded SFU: synthetic str0m browsers publish (audio 50 frames/s + ~500 kbit/s
//! VP8-like video at 30 frames/s; in `slides` also a shared screen) and receive through
//! `classroom::server::sfu::Sfu`, in this process. Prints one table row per phase: the
//! `sfu-worker` thread's CPU apart from the generator threads', memory per receiver, what reached
//! the receivers, forwarding delay and join → first video. See docs/BENCHMARKS.md for figures.
//!
//! ```sh
//! cargo bench --features ssr --bench sfu
//! ```
//! Env: `BENCH_SCENARIOS` (`steps,lecture,slides,class,class-view`), `BENCH_STREAMS` (forwarded
//! video streams per step, `100,200,400,800`), `BENCH_ROOM_SUBS` (receive-only members per
//! one-publisher room, 25), `BENCH_CLASS` (members of `class` and `class-view`, all on camera,
//! 31), `BENCH_MICS` (members of `class-view` whose audio is forwarded, the teacher first; all),
//! `BENCH_PAGE` (tiles per page in `class-view`, own tile included; comma-separated for several
//! phases, `9,4`), `BENCH_SIMULCAST` (`class-view` cameras send layers l/m/h, 1; 0: one
//! 500 kbit/s stream), `BENCH_RENEW` (1: after each `class-view` phase, every student renews its
//! media connection once and the class is measured again), `BENCH_TURN_PAGES` (1: then every
//! member pages through the whole class once, back to its page, and the class is measured again),
//! `BENCH_BUDGET` (bit/s every subscriber is assumed to have when the SFU
//! chooses layers; unset: its bandwidth estimate, as the server does), `BENCH_SECS` (measured
//! seconds per phase, 10), `BENCH_WARMUP` (seconds between the last new receiver's first video and
//! the measurement, 2), `BENCH_GEN_THREADS` (2), `BENCH_JOIN_GAP_MS` (between two joins, 5).

#[path = "sfu/client.rs"]
mod client;
#[path = "sfu/heap.rs"]
mod heap;
#[path = "sfu/load.rs"]
mod load;
#[path = "sfu/media.rs"]
mod media;
#[path = "common/procfs.rs"]
mod procfs;
#[path = "sfu/rooms.rs"]
mod rooms;
#[path = "sfu/slides.rs"]
mod slides;
#[path = "sfu/stats.rs"]
mod stats;
#[path = "sfu/views.rs"]
mod views;

use std::time::Duration;

use load::{Load, Settings};

#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    heap::mark_thread();
    // RUST_LOG=classroom::server::sfu=debug: each subscriber's estimate and selection, on stderr.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let scenarios = env(
        "BENCH_SCENARIOS",
        "steps,lecture,slides,class,class-view".to_string(),
    );
    let streams = env("BENCH_STREAMS", "100,200,400,800".to_string());
    let subs: u64 = env("BENCH_ROOM_SUBS", 25);
    let threads: usize = env("BENCH_GEN_THREADS", 2);
    let class: u64 = env("BENCH_CLASS", 31);
    let mics: u64 = env("BENCH_MICS", class);
    let pages = env("BENCH_PAGE", "9,4".to_string());
    let renew = env("BENCH_RENEW", 0) == 1;
    let turn = env("BENCH_TURN_PAGES", 0) == 1;
    let layers: &[(&str, usize)] = match env("BENCH_SIMULCAST", 1) {
        0 => &[],
        _ => &media::LAYERS,
    };
    let settings = Settings {
        measure: Duration::from_secs(env("BENCH_SECS", 10)),
        warmup: Duration::from_secs(env("BENCH_WARMUP", 2)),
        join_gap: Duration::from_millis(env("BENCH_JOIN_GAP_MS", 5)),
        budget: std::env::var("BENCH_BUDGET")
            .ok()
            .and_then(|v| v.parse().ok()),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("sfu-gen")
        .on_thread_start(heap::mark_thread)
        .enable_all()
        .build()
        .expect("the generator runtime");
    println!(
        "SFU load: {threads} generator threads, {} s measured per phase, layer budget {}, load \
average {} at start",
        settings.measure.as_secs(),
        settings
            .budget
            .map_or("each subscriber's estimate".into(), |b| format!(
                "{b} bit/s"
            )),
        procfs::load_average()
    );
    println!("{}", load::HEADER);
    for scenario in scenarios.split(',') {
        let mut load = Load::start(&runtime, settings);
        match scenario {
            // One publisher per room and `subs` receivers; rooms are added up to each step, the
            // earlier rooms keep running, so every step also measures joins under load.
            "steps" => {
                for target in streams.split(',').filter_map(|s| s.parse::<usize>().ok()) {
                    let rooms = target.div_ceil(subs as usize).saturating_sub(load.rooms());
                    let label = format!("{} rooms × (1 → {subs})", load.rooms() + rooms);
                    load.phase(&label, |l| rooms::add_rooms(l, rooms, 1, subs));
                }
            }
            // A teacher on camera, 30 students who only watch and listen.
            "lecture" => {
                load.phase("1 room, 1 → 30", |l| rooms::add_rooms(l, 1, 1, 30));
            }
            // The same lecture with the teacher's screen shared beside its camera (simulcast
            // both); each student shows the screen large, the camera as a thumbnail.
            "slides" => {
                let window = load.phase("1 room, 1 → 30, camera + screen", |l| {
                    slides::add_lecture(l, 30, &media::LAYERS)
                });
                slides::check(&window);
            }
            // Everyone on camera and microphone, everyone receives all the others (no views).
            "class" => {
                let label = format!("1 room, {class} ↔ {}", class - 1);
                load.phase(&label, |l| rooms::add_rooms(l, 1, class, 0));
            }
            // The same class, each member showing one page of tiles: the teacher large, the
            // others as thumbnails. A fresh SFU per page size, so that phases do not add up.
            "class-view" => {
                let sizes: Vec<usize> = pages.split(',').filter_map(|p| p.parse().ok()).collect();
                for (i, size) in sizes.iter().copied().enumerate() {
                    let label = format!("class, {class} → page of {size}, {mics} mics");
                    let window =
                        load.phase(&label, |l| views::add_class(l, class, size, layers, mics));
                    views::check(&window, class, size);
                    if renew {
                        let label = "same class, every student's connection renewed once";
                        let window =
                            load.phase(label, |l| views::renew_class(l, class, size, layers));
                        views::check(&window, class, size);
                    }
                    if turn {
                        let label = "same class, after everyone paged through it once";
                        let window = load.phase(label, |l| views::turn_pages(l, class, size));
                        views::check(&window, class, size);
                    }
                    if i + 1 < sizes.len() {
                        load.finish();
                        load = Load::start(&runtime, settings);
                    }
                }
            }
            other => eprintln!("unknown scenario {other}"),
        }
        load.finish();
    }
}
