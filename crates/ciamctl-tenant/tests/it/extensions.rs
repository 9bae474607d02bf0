//! The custom extension each flow's attribute-collection handlers call: a flow list does not
//! include it (REFERENCE.md §9.3), so the snapshot reads it, and tells "none attached" from
//! "not read".

use ciamctl_emulator::EmulatorConfig;
use ciamctl_graph::{ClientOptions, Request};
use ciamctl_live::{Known, UserFlow};
use ciamctl_tenant::{Scope, read_tenant};
use serde_json::json;

use crate::support::{WEB_APP, client, flow, must, start};

const FLOW_CAST: &str = "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow";

fn extension(kind: &str, name: &str) -> serde_json::Value {
    json!({
        "@odata.type": format!("#microsoft.graph.{kind}CustomExtension"),
        "displayName": name,
        "endpointConfiguration": {
            "@odata.type": "#microsoft.graph.httpRequestEndpoint",
            "targetUrl": "https://hooks.woodgrove.example/"
        },
        "authenticationConfiguration": {
            "@odata.type": "#microsoft.graph.azureAdTokenAuthentication",
            "resourceId": format!("api://hooks.woodgrove.example/{WEB_APP}")
        }
    })
}

/// The `$ref` of the extension behind `handler` (`onAttributeCollectionStart`, ...) of `flow`.
fn reference(flow: &str, handler: &str) -> String {
    format!(
        "/identity/authenticationEventsFlows/{flow}/{FLOW_CAST}/{handler}/\
         microsoft.graph.{handler}CustomExtensionHandler/customExtension/$ref"
    )
}

fn named<'a>(flows: &'a [UserFlow], name: &str) -> &'a UserFlow {
    flows.iter().find(|f| f.display_name == name).unwrap()
}

#[tokio::test]
async fn the_extension_a_flow_handler_calls_is_read_and_a_handler_without_one_reads_as_none() {
    let emulator = start(EmulatorConfig::default()).await;
    let setup = client(&emulator, ClientOptions::default());
    let created = must(
        &setup,
        vec![
            Request::post("/identity/customAuthenticationExtensions")
                .json(extension("onAttributeCollectionSubmit", "Validate")),
            Request::post("/identity/customAuthenticationExtensions")
                .json(extension("onAttributeCollectionStart", "Prefill")),
            Request::post("/identity/authenticationEventsFlows").json(flow(
                "Submits",
                &["EmailPassword-OAUTH"],
                &[],
            )),
            Request::post("/identity/authenticationEventsFlows").json(flow(
                "Detached",
                &["EmailPassword-OAUTH"],
                &[],
            )),
        ],
    )
    .await;
    let id = |i: usize| created[i]["id"].as_str().unwrap().to_owned();
    let (submit, prefill, submits, detached) = (id(0), id(1), id(2), id(3));
    let bind = |extension: &str| json!({ "@odata.id": format!("https://graph.microsoft.com/beta/identity/customAuthenticationExtensions/{extension}") });
    must(
        &setup,
        vec![
            Request::put(&reference(&submits, "onAttributeCollectionSubmit"))
                .beta()
                .json(bind(&submit)),
            Request::put(&reference(&detached, "onAttributeCollectionStart"))
                .beta()
                .json(bind(&prefill)),
        ],
    )
    .await;
    // The handler stays, without an extension.
    must(
        &setup,
        vec![Request::delete(&reference(&detached, "onAttributeCollectionStart")).beta()],
    )
    .await;

    let reader = client(&emulator, ClientOptions::default());
    let tenant = read_tenant(&reader, emulator.tenant_id(), &Scope::whole_tenant())
        .await
        .unwrap();

    let Known::Known(flows) = &tenant.user_flows else {
        panic!("user flows unknown: {:?}", tenant.user_flows);
    };
    let handler = named(flows, "Submits")
        .on_attribute_collection_submit
        .as_ref()
        .unwrap();
    assert_eq!(handler.extension_id, Known::Known(Some(submit)));
    let handler = named(flows, "Detached")
        .on_attribute_collection_start
        .as_ref()
        .unwrap();
    assert_eq!(handler.extension_id, Known::Known(None));
    // Asked in the second round, with the linked applications and the assets.
    assert!(reader.stats().round_trips <= 2, "{:?}", reader.stats());
}
