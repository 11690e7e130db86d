//! What the benchmarks read from `/proc`: resident memory and CPU time of a process or of one
//! of its threads, and the threads of this process by name. Linux only, as the benchmarks are.

// Each benchmark includes this file with `#[path]` and uses only a part of it.
#![allow(dead_code)]

/// Resident memory in KiB of process `pid` (`"self"` for this one).
pub fn rss_kib(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// CPU seconds (user + system) used so far by the process or thread whose directory is `dir`
/// (`/proc/<pid>` or `/proc/self/task/<tid>`); 0 once it is gone.
pub fn cpu_secs(dir: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("{dir}/stat")) else {
        return 0.0;
    };
    // The command name in parentheses may hold spaces: count fields after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, in clock ticks of 1/100 s (USER_HZ on every Linux we run on).
    (field(11) + field(12)) / 100.0
}

/// `/proc/self/task/<tid>` of every thread of this process whose name starts with `prefix`.
pub fn threads_named(prefix: &str) -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| t.ok())
        .map(|t| t.path().display().to_string())
        .filter(|dir| {
            std::fs::read_to_string(format!("{dir}/comm"))
                .is_ok_and(|name| name.trim_end().starts_with(prefix))
        })
        .collect()
}

/// The 1-minute load average, as `uptime` shows it.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}

/// Open file descriptors of process `pid` (sockets included).
pub fn fd_count(pid: &str) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// Threads of process `pid`.
pub fn thread_count(pid: &str) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}
