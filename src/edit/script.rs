//! A Lua script sent by its text (EVAL, which caches it on the server) the
//! first time in a session, then by its SHA1 (EVALSHA), falling back to its
//! text when the server no longer has it cached.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::upstash::{Client, Error, Reply};

/// A Lua script with its SHA1 computed once; clones share what was sent.
#[derive(Debug, Clone)]
pub struct Script {
    text: &'static str,
    sha: String,
    /// Whether the text went to the server once, so EVALSHA should find it.
    /// Starting with EVALSHA would make every session's first write a
    /// NOSCRIPT failure in the request counters and the Monitor.
    sent: Arc<AtomicBool>,
}

impl Script {
    /// Hashes `text` for EVALSHA.
    pub fn new(text: &'static str) -> Script {
        Script {
            text,
            sha: sha1_smol::Sha1::from(text).digest().to_string(),
            sent: Arc::default(),
        }
    }

    /// The hex SHA1 that EVALSHA names.
    pub fn sha(&self) -> &str {
        &self.sha
    }

    /// Runs the script on `keys` and `args`. Only a NOSCRIPT refusal (the
    /// script never ran) is followed by EVAL; nothing else is sent twice.
    pub async fn run(
        &self,
        client: &Client,
        keys: &[&[u8]],
        args: &[&[u8]],
    ) -> Result<Reply, Error> {
        let mut argv: Vec<Vec<u8>> = Vec::with_capacity(3 + keys.len() + args.len());
        argv.push(b"EVALSHA".to_vec());
        argv.push(self.sha.as_bytes().to_vec());
        argv.push(keys.len().to_string().into_bytes());
        argv.extend(keys.iter().map(|k| k.to_vec()));
        argv.extend(args.iter().map(|a| a.to_vec()));
        if self.sent.load(Ordering::Relaxed) {
            match client.command(&argv).await {
                Err(Error::Command(text)) if text.to_ascii_uppercase().contains("NOSCRIPT") => {}
                other => return other,
            }
        }
        argv[0] = b"EVAL".to_vec();
        argv[1] = self.text.as_bytes().to_vec();
        let reply = client.command(&argv).await;
        // A reply from Redis, even a script error, means the text is cached now.
        if matches!(&reply, Ok(_) | Err(Error::Command(_))) {
            self.sent.store(true, Ordering::Relaxed);
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sha_is_redis_sha1hex() {
        // redis-cli SCRIPT LOAD "return 1"
        assert_eq!(
            Script::new("return 1").sha(),
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
        );
    }

    #[test]
    fn scripts_are_writes_the_client_never_retries() {
        use crate::upstash::is_read_only;
        assert!(!is_read_only(b"EVALSHA"));
        assert!(!is_read_only(b"EVAL"));
    }
}
