//! Sending what the console parsed, timed: one command on its own (so reads
//! keep the client's retries), several as one pipeline.

use std::time::{Duration, Instant};

use super::input::Argv;
use crate::upstash::{Client, Error, Reply};

/// The replies to one console input and how long they took.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// The round trip, from sending to the last byte of the reply.
    pub rtt: Duration,
    /// One reply per command, errors included as [`Reply::Error`]; `Err`
    /// only when the request as a whole failed (network, token, limits).
    pub result: Result<Vec<Reply>, Error>,
}

/// Sends `cmds` and waits for the replies.
pub async fn send(client: &Client, cmds: &[Argv]) -> Sent {
    let started = Instant::now();
    let result = match cmds {
        [] => Ok(Vec::new()),
        [one] => match client.command(one).await {
            Ok(r) => Ok(vec![r]),
            // Shown as redis-cli shows an error reply, like a pipeline's.
            Err(Error::Command(text) | Error::NoPermission(text)) => Ok(vec![Reply::Error(text)]),
            Err(e) => Err(e),
        },
        many => client.pipeline(many).await,
    };
    Sent {
        rtt: started.elapsed(),
        result,
    }
}
