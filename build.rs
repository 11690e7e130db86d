// sqlx::migrate! embeds ./migrations at compile time, but cargo does not notice a *new* file there.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
