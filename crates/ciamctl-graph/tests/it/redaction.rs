//! No access token or client secret in any tracing event (all targets at TRACE: ciamctl,
//! reqwest, hyper, the emulator), nor in `Debug` or `Display` of the client, requests,
//! responses and errors.

#![cfg(test)]

use ciamctl_emulator::{DEFAULT_CLIENT_SECRET, Faults, Throttle};
use ciamctl_graph::{ClientOptions, Request};

use crate::support::{capture_logs, options, start, with_faults};

#[tokio::test]
async fn tokens_and_secrets_reach_no_log_line_debug_or_error() {
    let (logs, _guard) = capture_logs();
    let mut shown = Vec::new();
    for batch in [true, false] {
        let graph = start(
            with_faults(Faults {
                throttle: Some(Throttle::new(3, 0.3).unwrap()),
                fail_rate: 0.2,
                seed: 3,
                ..Faults::default()
            }),
            ClientOptions { batch, ..options() },
        )
        .await;
        let mut requests: Vec<Request> = (0..8).map(|_| Request::get("/organization")).collect();
        requests.push(Request::get(
            "/identity/userFlowAttributes/extension_missing_X",
        ));
        requests.push(
            Request::post("/identity/identityProviders").json(serde_json::json!({
                "@odata.type": "#microsoft.graph.socialIdentityProvider",
                "displayName": "Google",
                "identityProviderType": "Google",
                "clientId": "google-client",
                "clientSecret": "idp-secret-value",
            })),
        );
        shown.push(format!("{requests:?}"));
        let results = graph.client.send_round(requests).await;
        for result in &results {
            match result {
                Ok(response) => shown.push(format!("{response:?}")),
                Err(error) => shown.push(format!("{error} {error:?}")),
            }
        }
        shown.push(format!("{:?} {:?}", graph.client, graph.client.stats()));
        let token = graph
            .client
            .authenticator()
            .token(graph.client.http())
            .await
            .unwrap();
        let token = token.secret().expose().clone();
        assert!(token.len() > 20);

        let text = logs.text();
        // The capture works: the client's own lines are there, at debug and trace.
        assert!(text.contains("graph answered"), "nothing captured");
        if batch {
            assert!(text.contains("batch item answered"));
        }
        for (what, secret) in [
            ("access token", token.as_str()),
            ("client secret", DEFAULT_CLIENT_SECRET),
            ("identity provider secret", "idp-secret-value"),
        ] {
            assert!(!text.contains(secret), "the {what} is in the logs");
            for output in &shown {
                assert!(!output.contains(secret), "the {what} is in {output}");
            }
        }
    }
}
