//! A Lua script sent by its SHA1 (EVALSHA), falling back to its text (EVAL)
//! when the server does not have it cached.

use crate::upstash::{Client, Error, Reply};

/// A Lua script with its SHA1 computed once.
#[derive(Debug, Clone)]
pub struct Script {
    text: &'static str,
    sha: String,
}

impl Script {
    /// Hashes `text` for EVALSHA.
    pub fn new(text: &'static str) -> Script {
        Script {
            text,
            sha: sha1_smol::Sha1::from(text).digest().to_string(),
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
        match client.command(&argv).await {
            Err(Error::Command(text)) if text.to_ascii_uppercase().contains("NOSCRIPT") => {
                argv[0] = b"EVAL".to_vec();
                argv[1] = self.text.as_bytes().to_vec();
                client.command(&argv).await
            }
            other => other,
        }
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
