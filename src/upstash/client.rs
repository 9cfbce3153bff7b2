//! STUB: the shared Upstash REST client. Public signatures are the contract.

use std::time::Duration;

use super::{Error, Reply, Telemetry};

/// One command: the name followed by its arguments, as bytes.
pub type Cmd = Vec<Vec<u8>>;

/// Builds a [`Cmd`] from anything byte-like: `cmd(["SET", "k", "v"])`.
pub fn cmd<I, A>(parts: I) -> Cmd
where
    I: IntoIterator<Item = A>,
    A: AsRef<[u8]>,
{
    parts.into_iter().map(|p| p.as_ref().to_vec()).collect()
}

/// Connection settings for [`Client::new`].
#[derive(Clone)]
pub struct ClientConfig {
    pub url: String,
    pub token: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub allow_insecure_http: bool,
}

/// A cheap-to-clone handle over one HTTP client that every part shares.
#[derive(Clone)]
pub struct Client {
    telemetry: Telemetry,
}

impl Client {
    pub fn new(_cfg: ClientConfig) -> Result<Client, Error> {
        todo!()
    }
    pub async fn command<A: AsRef<[u8]>>(&self, _args: &[A]) -> Result<Reply, Error> {
        todo!()
    }
    pub async fn pipeline(&self, _cmds: &[Cmd]) -> Result<Vec<Reply>, Error> {
        todo!()
    }
    pub async fn transaction(&self, _cmds: &[Cmd]) -> Result<Vec<Reply>, Error> {
        todo!()
    }
    pub fn telemetry(&self) -> &Telemetry {
        &self.telemetry
    }
    /// The endpoint's host (and port), for display; never the token.
    pub fn host(&self) -> &str {
        todo!()
    }
}
