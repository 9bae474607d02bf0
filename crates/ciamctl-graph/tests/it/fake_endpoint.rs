//! A scripted HTTP endpoint for what the emulator never does (503, 429, a dropped connection,
//! a proxy's HTML page, hostile Graph answers), and to capture the exact request a client sends.

#![cfg(test)]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// What the endpoint does with one request.
#[derive(Clone)]
pub(crate) enum Reply {
    /// Answers with this status, extra header lines (`Name: value`) and body.
    Answer(u16, String, String),
    /// Closes the connection without an answer.
    Drop,
}

impl Reply {
    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply::Answer(
            status,
            "Content-Type: application/json\r\n".into(),
            body.to_string(),
        )
    }
}

/// A listener on 127.0.0.1 answering each request as its script says, and keeping each
/// request's head and body.
pub(crate) struct FakeEndpoint {
    pub(crate) base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeEndpoint {
    /// Answers the n-th request with the n-th reply (the last one thereafter).
    pub(crate) async fn start(replies: Vec<Reply>) -> Self {
        Self::serve(move |_, index, _| replies[index.min(replies.len() - 1)].clone()).await
    }

    /// Answers each request with what `script` makes of the endpoint's base URL, the request's
    /// index and the request itself (head and body).
    pub(crate) async fn serve(
        script: impl Fn(&str, usize, &str) -> Reply + Send + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let root = base.clone();
        tokio::spawn(async move {
            for index in 0.. {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let request = read_request(&mut socket).await;
                let reply = script(&root, index, &request);
                seen.lock().unwrap().push(request);
                if let Reply::Answer(status, headers, body) = reply {
                    let head = format!(
                        "HTTP/1.1 {status} Scripted\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                }
                // Dropping the socket closes the connection, with or without an answer.
            }
        });
        Self { base, requests }
    }

    /// The requests received so far: head and body as text.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads a request head and its `Content-Length` body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find(&bytes, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if bytes.len() >= end + 4 + length {
                return String::from_utf8_lossy(&bytes).into_owned();
            }
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&bytes).into_owned(),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
