//! `--grant-type=auto`: which login fits where the plugin runs. Pure over a snapshot of the
//! environment, so it is table-tested.
//!
//! A browser counts as available with an explicit `--browser-command`, `--skip-open-browser`
//! (the URL opened elsewhere, the callback forwarded) or `$BROWSER`, on
//! macOS and Windows, on WSL (the Windows browser opens), and on a desktop session. Without
//! one (an SSH session or a container with no display), the device flow when the provider
//! offers it, else the keyboard flow. Everything else keeps the browser flow: kubeconfigs
//! that work today keep working.

/// What the choice looks at.
#[derive(Debug, Default, Clone)]
pub struct Place {
    /// `--browser-command`, `--skip-open-browser` or `$BROWSER` is set.
    pub browser_command: bool,
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    pub ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set.
    pub display: bool,
    /// In a container (`/.dockerenv`, `/run/.containerenv`, `KUBERNETES_SERVICE_HOST`).
    pub container: bool,
    /// Under WSL (`WSL_DISTRO_NAME`, `WSL_INTEROP`).
    pub wsl: bool,
    /// A desktop OS (macOS, Windows), where a browser is always at hand.
    pub desktop_os: bool,
}

impl Place {
    /// The place this process runs in, as its environment (`env`: a kubeconfig entry's
    /// variables over this process's) says.
    pub fn here(browser_command: bool, env: &crate::settings::Env) -> Self {
        let set = |name: &str| env.is_set(name);
        Self {
            browser_command: browser_command || set("BROWSER"),
            ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            container: std::path::Path::new("/.dockerenv").exists()
                || std::path::Path::new("/run/.containerenv").exists()
                || set("KUBERNETES_SERVICE_HOST"),
            wsl: set("WSL_DISTRO_NAME") || set("WSL_INTEROP"),
            desktop_os: cfg!(any(target_os = "macos", target_os = "windows")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auto {
    Browser,
    DeviceCode,
    Keyboard,
}

/// The flow for `auto`, and why when it is not the browser (for a one-line notice).
pub fn choose(place: &Place, device_flow: bool) -> (Auto, Option<&'static str>) {
    if place.browser_command || place.desktop_os || place.wsl || place.display {
        return (Auto::Browser, None);
    }
    let why = if place.ssh {
        "an SSH session without a display"
    } else if place.container {
        "a container without a display"
    } else {
        return (Auto::Browser, None);
    };
    match device_flow {
        true => (Auto::DeviceCode, Some(why)),
        false => (Auto::Keyboard, Some(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_fits_the_place() {
        let p = |f: fn(&mut Place)| {
            let mut place = Place::default();
            f(&mut place);
            place
        };
        for (place, device, want) in [
            (p(|_| {}), true, Auto::Browser),
            (p(|p| p.display = true), true, Auto::Browser),
            (p(|p| p.ssh = true), true, Auto::DeviceCode),
            (p(|p| p.ssh = true), false, Auto::Keyboard),
            (p(|p| p.container = true), true, Auto::DeviceCode),
            (
                p(|p| {
                    p.ssh = true;
                    p.display = true
                }),
                true,
                Auto::Browser,
            ),
            (
                p(|p| {
                    p.ssh = true;
                    p.browser_command = true
                }),
                true,
                Auto::Browser,
            ),
            (
                p(|p| {
                    p.ssh = true;
                    p.wsl = true
                }),
                true,
                Auto::Browser,
            ),
            (
                p(|p| {
                    p.container = true;
                    p.desktop_os = true
                }),
                true,
                Auto::Browser,
            ),
        ] {
            assert_eq!(choose(&place, device).0, want, "{place:?} device={device}");
        }
        assert_eq!(
            choose(&p(|p| p.ssh = true), true).1,
            Some("an SSH session without a display")
        );
    }
}
