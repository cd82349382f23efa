//! What a signal that ends the process (SIGINT, SIGTERM, SIGHUP: Ctrl-C, an app closing, a
//! terminal going away) must leave behind: a lock file removed, a temp copy holding secrets
//! removed, a record written. Each is registered while it matters ([`remove_on_signal`],
//! [`write_on_signal`]) and forgotten when the guard drops; the handler does only that, then
//! ends the process the way the signal would.
//!
//! A handler may only call async-signal-safe functions: everything it needs (paths as C
//! strings, the bytes to write) is made before it is registered, and never freed while the
//! handler could read it.

use std::path::Path;

/// Forgets its action when dropped.
#[must_use = "the action is forgotten when the guard drops"]
pub struct Guard(Option<usize>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            imp::clear(slot);
        }
    }
}

/// On a signal that ends the process, remove `path` (not following a link).
pub fn remove_on_signal(path: &Path) -> Guard {
    Guard(imp::register(path, None))
}

/// On a signal that ends the process, write `bytes` to `path` (0600, created or truncated,
/// not following a link).
pub fn write_on_signal(path: &Path, bytes: &[u8]) -> Guard {
    Guard(imp::register(path, Some(bytes.to_vec())))
}

#[cfg(unix)]
mod imp {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, Ordering};

    struct Action {
        path: CString,
        write: Option<Vec<u8>>,
    }

    const SLOTS: usize = 16;
    static ACTIONS: [AtomicPtr<Action>; SLOTS] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
    static INSTALL: Once = Once::new();
    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(signal: libc::c_int) {
        for slot in &ACTIONS {
            let action = slot.load(Ordering::SeqCst);
            if action.is_null() {
                continue;
            }
            // SAFETY: a registered action is leaked, never freed (see `clear`); open, write,
            // close and unlink are async-signal-safe.
            unsafe {
                let action = &*action;
                match &action.write {
                    None => {
                        libc::unlink(action.path.as_ptr());
                    }
                    Some(bytes) => {
                        let fd = libc::open(
                            action.path.as_ptr(),
                            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_NOFOLLOW,
                            0o600,
                        );
                        if fd >= 0 {
                            libc::write(fd, bytes.as_ptr().cast(), bytes.len());
                            libc::close(fd);
                        }
                    }
                }
            }
        }
        // SAFETY: signal and raise are async-signal-safe: end the way the signal would.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    pub fn register(path: &Path, write: Option<Vec<u8>>) -> Option<usize> {
        let path = CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
        let action = Box::into_raw(Box::new(Action { path, write }));
        let slot = ACTIONS.iter().position(|s| {
            s.compare_exchange(
                std::ptr::null_mut(),
                action,
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_ok()
        })?;
        INSTALL.call_once(|| {
            for signal in SIGNALS {
                // SAFETY: installs a handler that only calls async-signal-safe functions.
                unsafe {
                    libc::signal(
                        signal,
                        on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
                    );
                }
            }
        });
        Some(slot)
    }

    pub fn clear(slot: usize) {
        // The action is leaked, not freed: a handler running now may still read it. A few
        // bytes per registration, a handful per process.
        ACTIONS[slot].store(std::ptr::null_mut(), Ordering::SeqCst);
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn register(_: &std::path::Path, _: Option<Vec<u8>>) -> Option<usize> {
        None
    }
    pub fn clear(_: usize) {}
}
