//! A real Classroom server on 127.0.0.1:0 with a throwaway SQLite file, and small WebSocket and
//! HTTP clients to talk to it.
#![allow(dead_code)]

pub mod admin;
pub mod class;
pub mod client;
pub mod http;
pub mod rooms;
pub mod rows;
pub mod server;

use std::time::Duration;

// Each test crate uses some of these: the others would be unused imports there.
#[allow(unused_imports)]
pub use client::{offer, Client};
#[allow(unused_imports)]
pub use rows::{participation, wait_row_closed, wait_row_closed_or_open};
#[allow(unused_imports)]
pub use server::{recorder, TestServer};

/// How long `recv` waits before failing the test.
pub const RECV_TIMEOUT: Duration = Duration::from_secs(5);
/// How long "nothing arrives" is watched for.
pub const SILENCE: Duration = Duration::from_millis(300);
