//! `clean`: remove every cached session, or those not refreshed for a while.

use crate::cache::{Backend, Store};
use crate::cli::CleanArgs;
use crate::error::ExitStatus;
use crate::settings;
use crate::text::duration;
use crate::ui;

pub fn run(args: &CleanArgs, now: i64) -> anyhow::Result<ExitStatus> {
    let dir = settings::cache_dir(args.token_cache_dir.as_deref())?;
    let store = Store::new(dir.clone(), Backend::SealedSession);
    let all = store.list()?;
    let mut removed = 0;
    for id in &all {
        let entry = store.entry(id.clone());
        let d = entry.describe();
        // A session imported and not refreshed since is as old as its import.
        let age = d.refreshed_at.or(d.imported_at).map(|t| now - t);
        if let (Some(min), Some(age)) = (args.older_than, age)
            && age < min as i64
        {
            continue;
        }
        let what = match &d.about {
            Some(a) => format!(
                "{} (client {}{})",
                a.issuer,
                a.client_id,
                a.account
                    .as_deref()
                    .map(|x| format!(", account {x}"))
                    .unwrap_or_default()
            ),
            None => format!("session {id}"),
        };
        let last = match (d.refreshed_at, age) {
            (Some(_), Some(a)) => format!("last refreshed {} ago", duration(a)),
            (None, Some(a)) => format!("imported {} ago, never refreshed", duration(a)),
            _ => "never refreshed".to_owned(),
        };
        if args.dry_run {
            ui::info(&format!("would remove {what}, {last}"));
        } else {
            remove(&entry)?;
            ui::info(&format!("removed {what}, {last}"));
        }
        removed += 1;
    }
    ui::info(&format!(
        "{} {removed} of {} cached session{} in {}{}",
        if args.dry_run {
            "Would remove"
        } else {
            "Removed"
        },
        all.len(),
        if all.len() == 1 { "" } else { "s" },
        dir.display(),
        if args.dry_run {
            " (--dry-run: nothing was removed)"
        } else {
            ""
        }
    ));
    Ok(ExitStatus::Success)
}

/// Remove an entry under its lock, as logout does: a refresh in flight finishes first, and
/// what it stores is removed with the rest instead of written back after.
fn remove(entry: &crate::cache::Entry<'_>) -> anyhow::Result<()> {
    let lock = entry.lock(std::time::Duration::from_secs(90), |pid, path| {
        ui::info(&format!(
            "waiting for the refresh in progress{} that holds {}",
            pid.map(|p| format!(" (pid {p})")).unwrap_or_default(),
            path.display()
        ))
    })?;
    entry.delete()?;
    drop(lock);
    entry.remove_free_locks()
}
