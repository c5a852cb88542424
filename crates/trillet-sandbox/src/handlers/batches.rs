//! Batch calls: a CSV upload becomes a queued batch whose calls page through the documented
//! pagination envelope. The sandbox never dials: valid numbers wait, invalid ones fail, and
//! cancelling drops the waiting ones.

use super::valid;
use super::{fetch, is_e164, paging, Ctx};
use crate::limits::{self, BATCH_CSV_MAX_BYTES};
use crate::reply::{ok, ApiError, Outcome};
use crate::store::{stamp, Coll};
use serde_json::{json, Map, Value};

const JOB_STATUSES: [&str; 5] = ["waiting", "active", "completed", "failed", "cancelled"];

/// Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows.
pub(crate) fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') | (false, '\r') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| r.iter().any(|f| !f.trim().is_empty()));
    Ok(rows)
}

/// `batch_calls.start`: multipart with the CSV in `file` (a `phone_number` column; other
/// columns become each call's metadata), `agentId` required, `scheduledAt` and
/// `smartCallbackConfig` (JSON text) optional.
pub(super) fn start(ctx: &mut Ctx<'_>) -> Outcome {
    let form = ctx.form()?;
    let file = form
        .file("file")
        .ok_or_else(|| ApiError::bad_request("missing_file", "Upload the CSV in the `file` form field"))?;
    if file.data.len() as u64 > BATCH_CSV_MAX_BYTES {
        return Err(ApiError::new(413, "payload_too_large", "The CSV file is larger than 20 MB"));
    }
    let agent_id = form
        .text("agentId")
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| ApiError::validation("`agentId` is required"))?;
    fetch(ctx, Coll::Agents, "Agent", &agent_id)?;
    let scheduled = form.text("scheduledAt").filter(|s| !s.is_empty());
    if let Some(at) = &scheduled {
        if !limits::is_utc_timestamp(at) {
            return Err(ApiError::validation("`scheduledAt` must be a UTC ISO-8601 time (YYYY-MM-DDTHH:MM:SSZ)"));
        }
    }
    let smart_callback = match form.text("smartCallbackConfig").filter(|s| !s.is_empty()) {
        None => Value::Null,
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| ApiError::validation(format!("`smartCallbackConfig` is not valid JSON: {e}")))?,
    };
    let text = String::from_utf8(file.data.clone())
        .map_err(|_| ApiError::bad_request("invalid_csv", "The CSV file is not UTF-8 text"))?;
    let rows = parse_csv(&text).map_err(|e| ApiError::bad_request("invalid_csv", format!("Invalid CSV: {e}")))?;
    let Some((header, records)) = rows.split_first() else {
        return Err(ApiError::bad_request("invalid_csv", "The CSV file is empty"));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let phone_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("phone_number"))
        .ok_or_else(|| ApiError::bad_request("invalid_csv", "The CSV needs a phone_number column"))?;
    if records.is_empty() {
        return Err(ApiError::bad_request("invalid_csv", "The CSV has no rows after its header"));
    }
    let mut jobs = Vec::with_capacity(records.len());
    for record in records {
        let phone = record.get(phone_col).map(|p| p.trim().to_string()).unwrap_or_default();
        let metadata: Map<String, Value> = header
            .iter()
            .zip(record)
            .enumerate()
            .filter(|(i, (_, v))| *i != phone_col && !v.trim().is_empty())
            .map(|(_, (h, v))| (h.clone(), json!(v.trim())))
            .collect();
        let valid = is_e164(&phone);
        let mut job = json!({"jobId": format!("call_{}", ctx.store.hex(12)), "status": if valid { "waiting" } else { "failed" },
                             "phone_number": phone, "startTime": null, "endTime": null, "duration": 0,
                             "metadata": metadata});
        if !valid {
            job["error"] = json!("Invalid phone number (E.164 required)");
            job["failedAt"] = json!(ctx.store.now_millis());
        }
        jobs.push(job);
    }
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let start_ms = ctx.store.now_millis();
    let total = jobs.len();
    let doc = json!({"_id": id, "workspaceId": ws, "agentId": agent_id, "status": "queued",
                     "fileName": file.filename, "scheduledAt": scheduled, "smartCallbackConfig": smart_callback,
                     "startTime": start_ms, "completedTime": null, "calls": jobs,
                     "createdAt": now, "updatedAt": now});
    valid::insert(ctx, Coll::Batches, doc)?;
    ok(json!({"batchId": id, "totalCalls": total, "status": "queued", "message": "Batch calls initiated successfully"}))
}

fn batch(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    fetch(ctx, Coll::Batches, "Batch", &ctx.param("batchId"))
}

fn jobs(batch: &Value) -> &[Value] {
    batch["calls"].as_array().map(Vec::as_slice).unwrap_or_default()
}

fn count(batch: &Value, status: &str) -> usize {
    jobs(batch).iter().filter(|j| j["status"] == status).count()
}

/// The progress counters shared by `get` and `progress`.
fn counters(batch: &Value) -> Map<String, Value> {
    let done: Vec<&Value> =
        jobs(batch).iter().filter(|j| j["status"] == "completed" || j["status"] == "failed").collect();
    let completed: Vec<&&Value> = done.iter().filter(|j| j["status"] == "completed").collect();
    let average = if completed.is_empty() {
        0.0
    } else {
        completed.iter().map(|j| j["duration"].as_f64().unwrap_or(0.0)).sum::<f64>() / completed.len() as f64
    };
    let mut out = Map::new();
    for status in JOB_STATUSES {
        out.insert(status.to_string(), json!(count(batch, status)));
    }
    out.insert("total".into(), json!(jobs(batch).len()));
    out.insert("startTime".into(), batch["startTime"].clone());
    out.insert("lastCompletedTime".into(), Value::Null);
    out.insert("completedTime".into(), batch["completedTime"].clone());
    out.insert("averageCallDuration".into(), json!(average));
    out.insert("recent_calls".into(), Value::Array(done.iter().rev().take(5).map(|j| (*j).clone()).collect()));
    out
}

fn is_complete(batch: &Value) -> bool {
    matches!(batch["status"].as_str(), Some("completed" | "cancelled" | "failed"))
}

/// `batch_calls.get`: status with nested `progress`.
pub(super) fn get(ctx: &mut Ctx<'_>) -> Outcome {
    let batch = batch(ctx)?;
    let now = ctx.store.now_millis();
    ok(json!({"id": batch["_id"], "agentId": batch["agentId"], "status": batch["status"],
              "isComplete": is_complete(&batch), "totalCalls": jobs(&batch).len(),
              "scheduledAt": batch["scheduledAt"], "progress": counters(&batch), "timestamp": now}))
}

/// `batch_calls.progress`: the same counters, flat.
pub(super) fn progress(ctx: &mut Ctx<'_>) -> Outcome {
    let batch = batch(ctx)?;
    let mut out = counters(&batch);
    out.insert("status".into(), batch["status"].clone());
    out.insert("isComplete".into(), json!(is_complete(&batch)));
    ok(Value::Object(out))
}

/// `batch_calls.list_calls`: `page` (default 1), `limit` (default 20, at most 100) and `status`
/// (`all`, `waiting`, `active`, `completed`, `failed`, `cancelled`), answered with the documented
/// `{calls, pagination{page, limit, total, totalPages, hasNext, hasPrev}, summary}` envelope.
pub(super) fn list_calls(ctx: &mut Ctx<'_>) -> Outcome {
    let (page, limit) = paging(ctx, 20, 100)?;
    let status = ctx.query("status").filter(|s| !s.is_empty()).unwrap_or("all").to_string();
    if status != "all" && !JOB_STATUSES.contains(&status.as_str()) {
        return Err(ApiError::validation(format!(
            "`status` must be one of all, {}, not {status:?}",
            JOB_STATUSES.join(", ")
        )));
    }
    let batch = batch(ctx)?;
    let matching: Vec<&Value> =
        jobs(&batch).iter().filter(|j| status == "all" || j["status"] == status.as_str()).collect();
    let total = matching.len();
    let total_pages = total.div_ceil(limit);
    let calls: Vec<Value> = matching.iter().skip((page - 1) * limit).take(limit).map(|j| (*j).clone()).collect();
    ok(json!({
        "calls": calls,
        "pagination": {"page": page, "limit": limit, "total": total, "totalPages": total_pages,
                       "hasNext": page < total_pages, "hasPrev": page > 1},
        "summary": {"total": jobs(&batch).len(), "waiting": count(&batch, "waiting"), "active": count(&batch, "active"),
                    "completed": count(&batch, "completed"), "failed": count(&batch, "failed"),
                    "cancelled": count(&batch, "cancelled")}
    }))
}

/// `batch_calls.cancel`: waiting calls are cancelled, finished ones stay; cancelling again
/// answers the same.
pub(super) fn cancel(ctx: &mut Ctx<'_>) -> Outcome {
    let (id, ws) = (ctx.param("batchId"), ctx.ws());
    let now = ctx.store.now();
    let now_ms = ctx.store.now_millis();
    let doc = ctx.store.get_mut(Coll::Batches, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Batch", &id))?;
    if doc["status"] != "cancelled" {
        for job in doc["calls"].as_array_mut().expect("batches keep a calls array") {
            if job["status"] == "waiting" || job["status"] == "active" {
                job["status"] = json!("cancelled");
            }
        }
        doc["status"] = json!("cancelled");
        doc["completedTime"] = json!(now_ms);
        stamp(doc, now);
    }
    let doc = doc.clone();
    ok(json!({"batchId": id, "status": "cancelled", "message": "Batch cancelled successfully",
              "details": {"completedCalls": count(&doc, "completed"), "failedCalls": count(&doc, "failed"),
                          "cancelledCalls": count(&doc, "cancelled"), "totalCalls": jobs(&doc).len()}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_line_endings_and_blank_lines() {
        let rows = parse_csv("\u{feff}phone_number,name\r\n+1415,\"Doe, \"\"J\"\"\"\n\n+1416,\"multi\nline\"").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["phone_number".to_string(), "name".to_string()],
                vec!["+1415".to_string(), "Doe, \"J\"".to_string()],
                vec!["+1416".to_string(), "multi\nline".to_string()],
            ]
        );
        assert!(parse_csv("a,\"b").is_err());
        assert!(parse_csv("").unwrap().is_empty());
    }
}
