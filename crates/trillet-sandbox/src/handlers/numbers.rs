//! Phone numbers: searching the (sandbox) inventory, purchasing, registering external numbers,
//! binding to and unbinding from agents, configuration and release.

use super::{
    check_e164, check_enum, fetch, list_docs, optional_bool, optional_object, optional_str, required_str, Ctx,
};
use crate::reply::{ok, ApiError, Outcome};
use crate::store::{stamp, Coll, USER_ID};
use serde_json::{json, Map, Value};

const NUMBER_TYPES: [&str; 3] = ["local", "tollFree", "mobile"];

/// Countries the sandbox sells numbers in: (ISO code, prefix, local area, locality, region).
const COUNTRIES: [(&str, &str, &str, &str, &str); 4] = [
    ("US", "+1", "415", "San Francisco", "CA"),
    ("CA", "+1", "416", "Toronto", "ON"),
    ("GB", "+44", "20", "London", "England"),
    ("AU", "+61", "2", "Sydney", "NSW"),
];

/// `phone_numbers.list`: a bare array of the workspace's numbers.
pub(super) fn list(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::PhoneNumbers))
}

/// `phone_numbers.get`.
pub(super) fn get(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::PhoneNumbers, "Phone number", &ctx.param("phoneNumberId"))?)
}

fn owned(ctx: &Ctx<'_>, number: &str) -> bool {
    ctx.store.find(Coll::PhoneNumbers, None, |n| n["phoneNumber"] == number).is_some()
}

/// `phone_numbers.search_available`: `country` (US, CA, GB, AU) required, `type` (local,
/// tollFree, mobile) required except for AU; `contains` (digits), `areaCode`, `limit` (1-30,
/// default 5). Numbers are fictional (`555` exchange) and never already owned.
pub(super) fn search_available(ctx: &mut Ctx<'_>) -> Outcome {
    let country = ctx.query("country").unwrap_or_default().to_ascii_uppercase();
    if country.is_empty() {
        return Err(ApiError::validation("`country` is required (US, CA, GB or AU)"));
    }
    let &(iso, prefix, local_area, locality, region) = COUNTRIES.iter().find(|c| c.0 == country).ok_or_else(|| {
        ApiError::bad_request(
            "unsupported_country",
            format!("The sandbox sells no numbers in {country:?} (try US, CA, GB or AU)"),
        )
    })?;
    let kind = ctx.query("type").filter(|t| !t.is_empty()).map(str::to_string);
    let kind = match kind {
        Some(k) if NUMBER_TYPES.contains(&k.as_str()) => k,
        Some(k) => return Err(ApiError::validation(format!("`type` must be local, tollFree or mobile, not {k:?}"))),
        None if iso == "AU" => "local".to_string(),
        None => return Err(ApiError::validation("`type` is required (local, tollFree or mobile)")),
    };
    let digits_only = |name: &str, max: usize| -> Result<Option<String>, ApiError> {
        match ctx.query(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) if v.len() <= max && v.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::validation(format!("`{name}` must be up to {max} digits, not {v:?}"))),
        }
    };
    let contains = digits_only("contains", 10)?;
    let area = digits_only("areaCode", 4)?.unwrap_or_else(|| match kind.as_str() {
        "tollFree" => "800".to_string(),
        "mobile" if iso == "GB" => "7700".to_string(),
        "mobile" if iso == "AU" => "4".to_string(),
        _ => local_area.to_string(),
    });
    let limit = match ctx.query("limit").filter(|v| !v.is_empty()) {
        None => 5,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=30).contains(n))
            .ok_or_else(|| ApiError::validation("`limit` must be a whole number from 1 to 30"))?,
    };
    let mut numbers = Vec::new();
    for line in 100..10_000u32 {
        if numbers.len() == limit {
            break;
        }
        let number = format!("{prefix}{area}555{line:04}");
        if contains.as_ref().is_some_and(|c| !number[1..].contains(c.as_str())) || owned(ctx, &number) {
            continue;
        }
        let friendly = if prefix == "+1" { format!("({area}) 555-{line:04}") } else { number.clone() };
        numbers.push(json!({"phoneNumber": number, "friendlyName": friendly, "locality": locality, "region": region,
                            "isoCountry": iso, "type": kind, "monthlyPrice": 1.15}));
    }
    ok(json!({"numbers": numbers, "filters": {"supported": ["contains", "areaCode", "limit"]}}))
}

fn new_number(ctx: &mut Ctx<'_>, number: &str, country: &str, kind: &str, provider: &str, external: bool) -> Value {
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let sid = format!("PN{}", ctx.store.hex(32));
    let digits = number.trim_start_matches('+');
    let doc = json!({
        "_id": id, "workspaceId": ws, "userId": USER_ID, "phoneNumber": number, "sid": sid, "country": country,
        "type": kind, "status": "active", "trunkTerminationUrl": format!("{digits}.pstn.twilio.com"),
        "recordingEnabled": false, "recordingPublic": false, "pathwayId": null, "monthlyPrice": if external { 0.0 } else { 1.15 },
        "expiresAt": null, "isExternal": external, "provider": provider, "transferEnabled": false,
        "agentId": null, "flowType": "call", "direction": "bidirectional", "messagePathwayId": null,
        "omniFlowAgentId": null, "officeHours": {"enabled": false}, "transferCallerIdMode": "agent",
        "metadataTags": [], "maxCallDuration": 600, "label": "", "createdAt": now, "updatedAt": now, "__v": 0
    });
    ctx.store.insert(Coll::PhoneNumbers, doc.clone());
    doc
}

/// `phone_numbers.purchase`: `country`, `type` and `phoneNumber` (E.164, not already owned)
/// required.
pub(super) fn purchase(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let country = required_str(&body, "country")?.to_ascii_uppercase();
    let kind = required_str(&body, "type")?;
    check_enum(&body, "type", &NUMBER_TYPES)?;
    let number = required_str(&body, "phoneNumber")?;
    check_e164(&number)?;
    if owned(ctx, &number) {
        return Err(ApiError::conflict("number_unavailable", format!("Phone number {number} is no longer available")));
    }
    let doc = new_number(ctx, &number, &country, &kind, "twilio", false);
    ok(json!({"success": true, "phoneNumber": {"_id": doc["_id"], "phoneNumber": number, "country": country,
              "type": kind, "status": "active", "workspaceId": doc["workspaceId"]}}))
}

/// `phone_numbers.register_external`: `phoneNumber` (E.164), `provider` and `credentials`
/// (`accountSid`, `authToken`) required. The token is checked, never stored.
pub(super) fn register_external(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let number = required_str(&body, "phoneNumber")?;
    check_e164(&number)?;
    let provider = required_str(&body, "provider")?;
    let credentials =
        optional_object(&body, "credentials")?.ok_or_else(|| ApiError::validation("`credentials` is required"))?;
    let account = required_str(&credentials, "accountSid")
        .map_err(|_| ApiError::validation("`credentials.accountSid` is required"))?;
    required_str(&credentials, "authToken").map_err(|_| ApiError::validation("`credentials.authToken` is required"))?;
    if owned(ctx, &number) {
        return Err(ApiError::conflict("number_exists", format!("Phone number {number} is already registered")));
    }
    let country = if number.starts_with("+1") { "US" } else { "" };
    let doc = new_number(ctx, &number, country, "local", &provider, true);
    let ws = ctx.ws();
    if let Some(stored) = ctx.store.get_mut(Coll::PhoneNumbers, Some(&ws), doc["_id"].as_str().unwrap_or_default()) {
        stored["credentials"] = json!({"accountSid": account});
    }
    ok(json!({"status": "success", "message": "Phone number registered successfully", "phoneNumberId": doc["_id"]}))
}

/// Detaches a number from whatever agent holds it.
fn detach(ctx: &mut Ctx<'_>, number_id: &str) {
    let ws = ctx.ws();
    let now = ctx.store.now();
    ctx.store.update_where(
        Coll::Agents,
        |a| {
            a["workspaceId"] == ws.as_str()
                && a["phoneNumberIds"].as_array().is_some_and(|ids| ids.iter().any(|i| i == number_id))
        },
        |a| {
            if let Some(ids) = a["phoneNumberIds"].as_array_mut() {
                ids.retain(|i| i != number_id);
            }
            stamp(a, now.clone());
        },
    );
    if let Some(n) = ctx.store.get_mut(Coll::PhoneNumbers, Some(&ws), number_id) {
        n["agentId"] = Value::Null;
        n["pathwayId"] = Value::Null;
        stamp(n, now);
    }
}

/// Attaches a number to an agent (moving it from another agent if needed).
fn attach(
    ctx: &mut Ctx<'_>,
    agent_id: &str,
    number_id: &str,
    options: &Map<String, Value>,
) -> Result<(Value, Value), ApiError> {
    fetch(ctx, Coll::Agents, "Agent", agent_id)?;
    fetch(ctx, Coll::PhoneNumbers, "Phone number", number_id)?;
    detach(ctx, number_id);
    let ws = ctx.ws();
    let now = ctx.store.now();
    let agent = {
        let a = ctx.store.get_mut(Coll::Agents, Some(&ws), agent_id).expect("checked above");
        if let Some(ids) = a["phoneNumberIds"].as_array_mut() {
            ids.push(json!(number_id));
        } else {
            a["phoneNumberIds"] = json!([number_id]);
        }
        stamp(a, now.clone());
        a.clone()
    };
    let n = ctx.store.get_mut(Coll::PhoneNumbers, Some(&ws), number_id).expect("checked above");
    n["agentId"] = json!(agent_id);
    n["pathwayId"] = agent["pathway"].clone();
    for (field, stored) in [
        ("recordCalls", "recordingEnabled"),
        ("recordingPublic", "recordingPublic"),
        ("officeHours", "officeHours"),
        ("metadataTags", "metadataTags"),
    ] {
        if let Some(v) = options.get(field).filter(|v| !v.is_null()) {
            n[stored] = v.clone();
        }
    }
    stamp(n, now);
    Ok((agent, n.clone()))
}

/// `phone_numbers.bind`: both must exist; optional `recordCalls`, `recordingPublic`,
/// `officeHours`, `metadataTags` (an object, as the spec has it for this endpoint; checked with
/// the rest of the body before the handler runs).
pub(super) fn bind(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    optional_bool(&body, "recordCalls")?;
    optional_bool(&body, "recordingPublic")?;
    optional_object(&body, "officeHours")?;
    let (agent_id, number_id) = (ctx.param("agentId"), ctx.param("phoneNumberId"));
    let (agent, number) = attach(ctx, &agent_id, &number_id, &body)?;
    ok(json!({
        "agent": {"_id": agent["_id"], "status": agent["status"], "phoneNumberIds": agent["phoneNumberIds"]},
        "phoneNumber": {"_id": number["_id"], "agentId": number["agentId"], "recordingEnabled": number["recordingEnabled"],
                        "recordingPublic": number["recordingPublic"], "officeHours": number["officeHours"],
                        "metadataTags": number["metadataTags"]},
        "pathwayId": agent["pathway"], "direction": number["direction"]
    }))
}

/// `phone_numbers.unbind`: the number must be bound to that agent (400 `not_bound` otherwise).
pub(super) fn unbind(ctx: &mut Ctx<'_>) -> Outcome {
    let (agent_id, number_id) = (ctx.param("agentId"), ctx.param("phoneNumberId"));
    fetch(ctx, Coll::Agents, "Agent", &agent_id)?;
    let number = fetch(ctx, Coll::PhoneNumbers, "Phone number", &number_id)?;
    if number["agentId"] != agent_id.as_str() {
        return Err(ApiError::bad_request(
            "not_bound",
            format!("Phone number {number_id} is not bound to agent {agent_id}"),
        ));
    }
    detach(ctx, &number_id);
    ok(json!({"status": "success", "message": "Call flow released from phone number successfully"}))
}

/// `phone_numbers.release`: `phoneNumberId` required; the number is detached and given back.
pub(super) fn release(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let id = required_str(&body, "phoneNumberId")?;
    fetch(ctx, Coll::PhoneNumbers, "Phone number", &id)?;
    detach(ctx, &id);
    let ws = ctx.ws();
    ctx.store.remove(Coll::PhoneNumbers, Some(&ws), &id);
    ok(json!({"success": true, "message": "Phone number released successfully", "phoneNumberId": id}))
}

fn config_view(n: &Value) -> Value {
    json!({"phoneNumberId": n["_id"], "phoneNumber": n["phoneNumber"], "agentId": n["agentId"], "flowType": n["flowType"],
           "direction": n["direction"], "status": n["status"], "recording": n["recordingEnabled"],
           "officeHours": n["officeHours"], "transferCallerIdMode": n["transferCallerIdMode"],
           "metadataTags": n["metadataTags"], "maxCallDuration": n["maxCallDuration"], "label": n["label"],
           "pathwayId": n["pathwayId"]})
}

/// `phone_numbers.get_config`.
pub(super) fn get_config(ctx: &mut Ctx<'_>) -> Outcome {
    ok(config_view(&fetch(ctx, Coll::PhoneNumbers, "Phone number", &ctx.param("phoneNumberId"))?))
}

/// `phone_numbers.update_config`: `agentId` (re)binds (or, `null`, unbinds); the other fields
/// are stored. `transferCallerIdMode` is `agent` or `customer`.
pub(super) fn update_config(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    check_enum(&body, "transferCallerIdMode", &["agent", "customer"])?;
    optional_bool(&body, "recordingEnabled")?;
    optional_object(&body, "officeHours")?;
    optional_str(&body, "label")?;
    if body.get("maxCallDuration").is_some_and(|v| !v.is_null() && !v.as_f64().is_some_and(|d| d > 0.0)) {
        return Err(ApiError::validation("`maxCallDuration` must be a positive number of seconds"));
    }
    let id = ctx.param("phoneNumberId");
    fetch(ctx, Coll::PhoneNumbers, "Phone number", &id)?;
    match body.get("agentId") {
        Some(Value::String(agent)) => {
            attach(ctx, agent, &id, &Map::new())?;
        }
        Some(Value::Null) => detach(ctx, &id),
        Some(_) => return Err(ApiError::validation("`agentId` must be a string or null")),
        None => {}
    }
    let ws = ctx.ws();
    let now = ctx.store.now();
    let n = ctx.store.get_mut(Coll::PhoneNumbers, Some(&ws), &id).expect("checked above");
    for field in [
        "maxCallDuration",
        "recordingEnabled",
        "officeHours",
        "transferCallerIdMode",
        "metadataTags",
        "label",
        "pathwayId",
    ] {
        if let Some(v) = body.get(field) {
            n[field] = v.clone();
        }
    }
    stamp(n, now);
    ok(json!({"success": true}))
}
