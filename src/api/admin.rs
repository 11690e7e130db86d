//! Administrator access: whether a password is set, logging in and out.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the current visitor stands with the admin pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminAccess {
    /// No administrator password was ever set: the page explains how to set one.
    NoPassword,
    /// A password is set, this browser has no live session.
    LoggedOut,
    LoggedIn,
}

/// Outcome of [`admin_login`]: a refusal is an answer, not a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginReply {
    /// The session cookie is set.
    LoggedIn,
    WrongPassword,
    /// Too many attempts from this address (an IPv6 /64), or too many logins being checked at once
    /// server-wide; try again in a minute.
    RateLimited,
    NoPassword,
}

/// The visitor's [`AdminAccess`] (a live session's idle clock restarts).
#[server]
pub async fn admin_status() -> Result<AdminAccess, ServerFnError> {
    use crate::server::admin::{self, password};
    use crate::server::AppState;
    let state = expect_context::<AppState>();
    let stored = password::stored(&state.pool).await.map_err(|e| {
        tracing::error!(error = %e, "reading the admin password failed");
        ServerFnError::new("the administrator settings could not be read")
    })?;
    Ok(match stored {
        None => AdminAccess::NoPassword,
        Some(_) if admin::has_session(&state).await => AdminAccess::LoggedIn,
        Some(_) => AdminAccess::LoggedOut,
    })
}

/// Checks the password (attempts per address and checks at once are limited; a browser that logged
/// in before has a budget of its own, `server::admin::device`) and opens a session in an HttpOnly,
/// SameSite=Strict cookie; a browser's first login also leaves its long-lived device cookie. A form posted without JavaScript is sent on to `/admin`,
/// or back to the login page with the problem in the query string.
#[server]
pub async fn admin_login(password: String) -> Result<LoginReply, ServerFnError> {
    use crate::server::admin::{self, device, password as stored_password, session};
    use crate::server::{web, AppState};
    let state = expect_context::<AppState>();
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "admin login failed");
        ServerFnError::new("the login could not be checked; try again")
    };
    let (headers, ip) = admin::request(&state);
    // A browser the administrator logged in from before has a budget and a slot of its own.
    let known = device::known(&state.pool, &headers).await;
    let limit = &state.login_limit;
    let allowed = match &known {
        Some(device) => limit.allow_device(&device.hash),
        None => limit.allow(ip),
    };
    let slot = || match &known {
        Some(_) => limit.device_slot(),
        None => limit.check_slot(),
    };
    let reply = if !allowed {
        tracing::warn!(?ip, known = known.is_some(), "admin login rate-limited");
        LoginReply::RateLimited
    } else if stored_password::stored(&state.pool)
        .await
        .map_err(|e| failed(&e))?
        .is_none()
    {
        LoginReply::NoPassword
    } else if let Some(slot) = slot() {
        let right = password.chars().count() <= stored_password::MAX_CHARS
            && stored_password::check_holding(&state.pool, &password, slot)
                .await
                .map_err(|e| failed(&e))?;
        if right {
            let id = session::open(&state.pool).await.map_err(|e| failed(&e))?;
            let max_age = admin::expiry(&state).absolute;
            let secure = admin::secure(&state);
            web::set_cookie(&session::cookie(&id, max_age, secure));
            let token = match &known {
                Some(device) => {
                    device::touch(&state.pool, device)
                        .await
                        .map_err(|e| failed(&e))?;
                    device.token.clone()
                }
                None => device::remember(&state.pool)
                    .await
                    .map_err(|e| failed(&e))?,
            };
            // Set again on every login: the browser keeps it for another 180 days.
            web::set_cookie(&device::cookie(&token, secure));
            tracing::info!(?ip, "administrator logged in");
            LoginReply::LoggedIn
        } else {
            tracing::warn!(?ip, "admin login with a wrong password");
            LoginReply::WrongPassword
        }
    } else {
        // Refused rather than queued: waiting requests would pile up behind the argon2 checks.
        tracing::warn!(
            ?ip,
            "admin login refused: too many passwords being checked at once"
        );
        LoginReply::RateLimited
    };
    web::redirect_plain_post(match reply {
        LoginReply::LoggedIn => "/admin",
        LoginReply::WrongPassword => "/admin/login?problem=wrong",
        LoginReply::RateLimited => "/admin/login?problem=rate_limited",
        LoginReply::NoPassword => "/admin",
    });
    Ok(reply)
}

/// Ends this browser's session, if any, and clears its cookie (harmless without one, so a session
/// that expired in an open tab still logs out cleanly). A plain form post goes on to the login page.
#[server]
pub async fn admin_logout() -> Result<(), ServerFnError> {
    use crate::server::admin::{self, session};
    use crate::server::{web, AppState};
    let state = expect_context::<AppState>();
    let (headers, _) = admin::request(&state);
    if let Some(id) = session::from_headers(&headers) {
        session::close(&state.pool, &id).await.map_err(|e| {
            tracing::error!(error = %e, "closing an admin session failed");
            ServerFnError::new("logging out failed; try again")
        })?;
    }
    web::set_cookie(&session::cookie(
        "",
        Default::default(),
        admin::secure(&state),
    ));
    web::redirect_plain_post("/admin/login");
    Ok(())
}
