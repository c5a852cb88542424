//! `list_all` iterators: page numbers requested, when they stop, and errors.

mod typed_support;

use mockito::{Matcher, Server};
use serde_json::json;
use trillet::models::CallHistoryFilter;
use typed_support::client;

fn records(ids: &[&str]) -> String {
    json!(ids.iter().map(|id| json!({"_id": id, "status": "completed"})).collect::<Vec<_>>()).to_string()
}

#[test]
fn call_history_walks_three_pages_and_stops_on_the_short_one() {
    let mut server = Server::new();
    let c = client(&server);
    let mut page = |n: u32, body: String| {
        server
            .mock("GET", "/v2/api/call-history")
            .match_query(Matcher::Exact(format!("page={n}&limit=2&status=completed")))
            .with_body(body)
            .expect(1)
    };
    let p1 = page(1, records(&["h1", "h2"])).create();
    let p2 = page(2, records(&["h3", "h4"])).create();
    let p3 = page(3, records(&["h5"])).create();
    let p4 = page(4, records(&[])).expect(0).create();

    let filter = CallHistoryFilter::new().status("completed");
    let mut it = c.call_history().list_all(2, &filter);
    assert_eq!(it.pages_fetched(), 0, "nothing is fetched before iterating");
    let ids: Vec<String> = it.by_ref().map(|r| r.unwrap().id.unwrap()).collect();
    assert_eq!(ids, ["h1", "h2", "h3", "h4", "h5"]);
    assert_eq!(it.pages_fetched(), 3);
    for m in [p1, p2, p3, p4] {
        m.assert();
    }
}

#[test]
fn iteration_is_lazy() {
    let mut server = Server::new();
    let c = client(&server);
    let p1 = server
        .mock("GET", "/v2/api/call-history")
        .match_query("page=1&limit=2")
        .with_body(records(&["h1", "h2"]))
        .create();
    let p2 = server.mock("GET", "/v2/api/call-history").match_query("page=2&limit=2").expect(0).create();
    let first = c.call_history().list_all(2, &CallHistoryFilter::new()).next().unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("h1"));
    p1.assert();
    p2.assert();
}

#[test]
fn batch_calls_follow_has_next() {
    let mut server = Server::new();
    let c = client(&server);
    let page = |n: u32, has_next: bool| {
        let calls: Vec<_> = (0..2).map(|i| json!({"jobId": format!("call_{n}{i}"), "status": "failed"})).collect();
        json!({"calls": calls, "pagination": {"page": n, "limit": 2, "total": 6, "totalPages": 3, "hasNext": has_next,
                                              "hasPrev": n > 1}, "summary": {"total": 6}})
        .to_string()
    };
    let mocks: Vec<_> = [(1, true), (2, true), (3, false)]
        .into_iter()
        .map(|(n, more)| {
            server
                .mock("GET", "/v1/api/batch-calls/b%2F1/calls")
                .match_query(Matcher::Exact(format!("page={n}&limit=2&status=failed")))
                .with_body(page(n, more))
                .expect(1)
                .create()
        })
        .collect();
    let p4 = server.mock("GET", "/v1/api/batch-calls/b%2F1/calls").match_query(Matcher::Any).expect(0).create();
    let jobs: Vec<String> =
        c.batch_calls().list_all_calls("b/1", 2, Some("failed")).map(|r| r.unwrap().job_id.unwrap()).collect();
    assert_eq!(jobs, ["call_10", "call_11", "call_20", "call_21", "call_30", "call_31"]);
    for m in mocks {
        m.assert();
    }
    p4.assert();
}

#[test]
fn an_empty_page_ends_the_iteration() {
    let mut server = Server::new();
    let c = client(&server);
    let p1 = server
        .mock("GET", "/v2/api/call-history")
        .match_query("page=1&limit=2")
        .with_body(records(&["h1", "h2"]))
        .create();
    let p2 = server.mock("GET", "/v2/api/call-history").match_query("page=2&limit=2").with_body("[]").create();
    let p3 = server.mock("GET", "/v2/api/call-history").match_query("page=3&limit=2").expect(0).create();
    assert_eq!(c.call_history().list_all(2, &CallHistoryFilter::new()).count(), 2);
    for m in [p1, p2, p3] {
        m.assert();
    }
}

#[test]
fn an_error_is_yielded_then_the_iteration_ends() {
    let mut server = Server::new();
    let c = client(&server);
    let p1 = server
        .mock("GET", "/v2/api/call-history")
        .match_query("page=1&limit=2")
        .with_body(records(&["h1", "h2"]))
        .create();
    let p2 = server
        .mock("GET", "/v2/api/call-history")
        .match_query("page=2&limit=2")
        .with_status(500)
        .with_body(r#"{"error":{"code":"internal_error","message":"boom"}}"#)
        .expect(1)
        .create();
    let p3 = server.mock("GET", "/v2/api/call-history").match_query("page=3&limit=2").expect(0).create();
    let results: Vec<_> = c.call_history().list_all(2, &CallHistoryFilter::new()).collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let e = results[2].as_ref().unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(500), "internal_error"));
    for m in [p1, p2, p3] {
        m.assert();
    }
}

#[test]
fn bad_page_arguments_are_refused_before_sending() {
    let mut server = Server::new();
    let c = client(&server);
    let m = server.mock("GET", Matcher::Any).expect(0).create();
    assert_eq!(c.call_history().list(0, 10, &CallHistoryFilter::new()).unwrap_err().code(), "invalid_input");
    assert_eq!(c.batch_calls().list_calls("b1", 1, 0, None).unwrap_err().code(), "invalid_input");
    let mut it = c.call_history().list_all(0, &CallHistoryFilter::new());
    assert_eq!(it.next().unwrap().unwrap_err().code(), "invalid_input");
    assert!(it.next().is_none());
    m.assert();
}
