//! Reusable view pieces, nested by where they appear.

pub mod asset_tags;
pub mod call;
pub mod copy_field;
pub mod icons;
pub mod language;
pub mod language_choice;
pub mod local_time;
