//! Lazy iteration over paged lists (`call_history().list_all`, `batch_calls().list_all_calls`).

use crate::error::{Error, Result};
use crate::models::List;
use std::iter::FusedIterator;

type FetchPage<'a, T> = Box<dyn FnMut(u32, u32) -> Result<List<T>> + Send + 'a>;

/// Every item of a paged list, fetched one page at a time as the iteration reaches it.
///
/// Pages are requested from 1 with the same `limit`. Iteration stops after:
/// - a page whose `hasNext` is `false` (`pagination.hasNext`, or a top-level `hasNext`);
/// - a page shorter than `limit`, when the answer does not say `hasNext` (a bare array) — when it
///   does say `hasNext: true`, that wins, since the server may cap the page size below `limit`;
/// - an empty page;
/// - an error, which is yielded once as `Some(Err(..))`; nothing is fetched after it.
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// let all: Vec<_> = client.call_history().list_all(100, &Default::default()).collect::<Result<_, _>>()?;
/// println!("{} records", all.len());
/// # Ok::<(), trillet::Error>(())
/// ```
pub struct ListAll<'a, T> {
    fetch: FetchPage<'a, T>,
    limit: u32,
    next_page: u32,
    pages_fetched: u32,
    buffer: std::vec::IntoIter<T>,
    done: bool,
    pending_error: Option<Error>,
}

impl<'a, T> ListAll<'a, T> {
    /// Iterates with `fetch(page, limit)` returning one page. A `limit` of 0 yields one
    /// `invalid_input` error.
    pub(crate) fn new(limit: u32, fetch: impl FnMut(u32, u32) -> Result<List<T>> + Send + 'a) -> Self {
        let pending_error = (limit == 0).then(|| Error::invalid("invalid_input", "limit must be at least 1"));
        ListAll {
            fetch: Box::new(fetch),
            limit,
            next_page: 1,
            pages_fetched: 0,
            buffer: Vec::new().into_iter(),
            done: false,
            pending_error,
        }
    }

    /// How many pages have been fetched so far.
    pub fn pages_fetched(&self) -> u32 {
        self.pages_fetched
    }
}

impl<T> std::fmt::Debug for ListAll<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListAll")
            .field("limit", &self.limit)
            .field("next_page", &self.next_page)
            .field("pages_fetched", &self.pages_fetched)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> Iterator for ListAll<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            if let Some(e) = self.pending_error.take() {
                self.done = true;
                return Some(Err(e));
            }
            let page = match (self.fetch)(self.next_page, self.limit) {
                Ok(page) => page,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.pages_fetched += 1;
            self.next_page += 1;
            let count = page.items.len();
            self.done = match page.has_next() {
                _ if count == 0 => true,
                Some(has_next) => !has_next,
                None => (count as u64) < u64::from(self.limit),
            };
            self.buffer = page.items.into_iter();
        }
    }
}

impl<T> FusedIterator for ListAll<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn pages(bodies: Vec<Value>) -> impl FnMut(u32, u32) -> Result<List<Value>> {
        let mut bodies = bodies.into_iter();
        move |_, _| Ok(serde_json::from_value(bodies.next().expect("fetched past the end")).unwrap())
    }

    #[test]
    fn iterators_can_move_to_another_thread() {
        fn assert_send<T: Send>(_: &T) {}
        let client = crate::Client::builder().api_key("k").workspace_id("w").ignore_env().build().unwrap();
        assert_send(&client.call_history().list_all(10, &Default::default()));
        assert_send(&client.batch_calls().list_all_calls("b", 10, None));
    }

    #[test]
    fn stops_on_a_short_bare_page() {
        let it = ListAll::new(2, pages(vec![json!([1, 2]), json!([3])]));
        assert_eq!(it.map(Result::unwrap).collect::<Vec<_>>(), vec![json!(1), json!(2), json!(3)]);
    }

    #[test]
    fn has_next_wins_over_a_short_page() {
        let p = |items: Value, more: bool| json!({"calls": items, "pagination": {"hasNext": more}});
        let it = ListAll::new(5, pages(vec![p(json!([1]), true), p(json!([2]), false)]));
        assert_eq!(it.count(), 2);
    }

    #[test]
    fn stops_on_an_empty_page_even_if_has_next() {
        let mut it = ListAll::new(1, pages(vec![json!({"data": [], "hasNext": true})]));
        assert!(it.next().is_none());
        assert_eq!(it.pages_fetched(), 1);
    }

    #[test]
    fn an_error_is_yielded_once_then_nothing() {
        let mut calls = 0;
        let mut it = ListAll::<Value>::new(1, |_, _| {
            calls += 1;
            Err(Error::invalid("x", "boom"))
        });
        assert_eq!(it.next().unwrap().unwrap_err().code(), "x");
        assert!(it.next().is_none());
        drop(it);
        assert_eq!(calls, 1);
        let mut zero = ListAll::<Value>::new(0, |_, _| panic!("must not fetch"));
        assert_eq!(zero.next().unwrap().unwrap_err().code(), "invalid_input");
        assert!(zero.next().is_none());
    }
}
