//! Non-interactive subcommands. Each defines its clap `Args` and a `run`.

pub mod analyze;
pub mod bench;
pub mod demo;
pub mod doctor;
pub mod exec;
pub mod scan;
pub mod serve;
pub mod view;
pub mod watch;

use std::ffi::OsStr;

use tokio_util::sync::CancellationToken;

/// A command-line argument as the bytes it was given (on unix, any bytes:
/// keys and values need not be UTF-8).
#[cfg(unix)]
pub fn os_bytes(s: &OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt as _;
    s.as_bytes().to_vec()
}

/// A command-line argument as UTF-8 bytes (invalid sequences replaced).
#[cfg(not(unix))]
pub fn os_bytes(s: &OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// Stops listening for Ctrl-C when dropped.
pub struct CtrlC(tokio::task::AbortHandle);

impl Drop for CtrlC {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A token that Ctrl-C cancels, for as long as the guard lives: long-running
/// commands stop cleanly (and clean up) instead of being killed.
pub fn cancel_on_ctrl_c() -> (CancellationToken, CtrlC) {
    let stop = CancellationToken::new();
    let on_ctrl_c = stop.clone();
    let task = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    (stop, CtrlC(task.abort_handle()))
}
