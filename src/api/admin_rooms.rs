//! The administrator's room list (read-only): one page of rooms with who is in them right now.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rooms per page of the admin list.
pub const ROOMS_PER_PAGE: u32 = 50;

/// Where a room stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoomStatus {
    /// Somebody is connected to it right now.
    Live,
    /// Open, nobody in it.
    Idle,
    /// Closed: the teacher ended the class, or nobody used it for too long.
    Ended,
}

impl RoomStatus {
    /// *Ended* when the room is closed, else *live* when the hub has it, else *idle*.
    pub fn of(closed: bool, live: bool) -> Self {
        match (closed, live) {
            (true, _) => RoomStatus::Ended,
            (false, true) => RoomStatus::Live,
            (false, false) => RoomStatus::Idle,
        }
    }
}

/// One row of the admin list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminRoom {
    pub id: String,
    pub name: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub status: RoomStatus,
    /// People admitted to the call right now.
    pub people: u32,
    /// Whether a teacher is among them.
    pub teacher_present: bool,
    /// Students in the waiting room right now.
    pub waiting: u32,
    /// Latest join or leave, Unix milliseconds; `None` if nobody ever came.
    pub last_activity: Option<i64>,
    /// Class sessions the room has had (the one going on included).
    pub sessions: u32,
}

/// One page of the admin list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminRoomPage {
    pub rooms: Vec<AdminRoom>,
    /// This page, from 1.
    pub page: u32,
    /// Pages in all (at least 1).
    pub pages: u32,
    /// Rooms matching the search.
    pub total: u64,
    /// When the server read it (Unix ms), for "updated at" on a page that refreshes itself.
    pub fetched_at: i64,
    /// The offset "updated at" is shown in (`--report-utc-offset`).
    pub offset: crate::report_time::UtcOffset,
}

/// Rooms whose name contains `search`, newest first, page `page` (from 1). Refused (401) without
/// an administrator session. `unattended`: the page reading itself again on a timer, which does not
/// count as the administrator's activity (the session's idle expiry still runs).
#[server]
pub async fn admin_rooms(
    search: String,
    page: u32,
    #[server(default)] unattended: bool,
) -> Result<AdminRoomPage, ServerFnError> {
    use crate::server::{admin, store, AppState};
    let state = expect_context::<AppState>();
    match unattended {
        true => admin::require_session_unattended(&state).await?,
        false => admin::require_session(&state).await?,
    }
    let page = page.max(1);
    let offset = i64::from(page - 1) * i64::from(ROOMS_PER_PAGE);
    let (rows, total) = store::room_list(&state.pool, search.trim(), ROOMS_PER_PAGE.into(), offset)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "listing rooms failed");
            ServerFnError::new("the rooms could not be listed")
        })?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let live = state.hub.presence(&ids);
    let rooms = rows
        .into_iter()
        .map(|r| {
            let presence = live.get(&r.id).copied();
            let status = RoomStatus::of(r.closed_at.is_some(), presence.is_some());
            let presence = presence.unwrap_or_default();
            AdminRoom {
                id: r.id,
                name: r.name,
                created_at: r.created_at,
                status,
                people: u32::try_from(presence.people).unwrap_or(u32::MAX),
                teacher_present: presence.teacher,
                waiting: u32::try_from(presence.waiting).unwrap_or(u32::MAX),
                last_activity: r.last_activity,
                sessions: u32::try_from(r.sessions).unwrap_or(u32::MAX),
            }
        })
        .collect();
    let total = u64::try_from(total).unwrap_or(0);
    let pages = u32::try_from(total.div_ceil(u64::from(ROOMS_PER_PAGE)).max(1)).unwrap_or(u32::MAX);
    Ok(AdminRoomPage {
        rooms,
        page,
        pages,
        total,
        fetched_at: crate::server::db::now_ms(),
        offset: state.config.report_offset(),
    })
}
