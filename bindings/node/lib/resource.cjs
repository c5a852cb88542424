'use strict';
/**
 * The base of the generated resource namespaces (`client.agents`, `client.callHistory`, ...) and
 * the lazy page iteration of `listAll` (the rule of the core's `ListAll`).
 */
const { invalidInput } = require('./errors.cjs');

/**
 * The keys under which a list answer may carry its items, in the order they are looked for (the
 * core's `models::ENVELOPE_KEYS`).
 */
const ENVELOPE_KEYS = [
  'data', 'items', 'results', 'calls', 'phoneNumbers', 'numbers', 'agents', 'flows', 'folders',
  'conversations', 'knowledgeBases', 'workspaces', 'voices', 'records', 'callHistory', 'callHistories',
];

/**
 * The items of one page, whichever shape it came in (a bare array, an envelope, one object,
 * `null`), the envelope's `pagination` (`undefined` when none) and whether the server says a next
 * page exists (`undefined` when it does not say).
 */
function pageItems(answer) {
  if (answer === null || answer === undefined) return { items: [], pagination: undefined, hasNext: undefined };
  if (Array.isArray(answer)) return { items: answer, pagination: undefined, hasNext: undefined };
  if (typeof answer === 'object') {
    for (const key of ENVELOPE_KEYS) {
      const items = answer[key];
      if (Array.isArray(items)) {
        const pagination = answer.pagination && typeof answer.pagination === 'object' && !Array.isArray(answer.pagination) ? answer.pagination : undefined;
        let hasNext = pagination ? pagination.hasNext : undefined;
        if (typeof hasNext !== 'boolean') hasNext = answer.hasNext;
        return { items, pagination, hasNext: typeof hasNext === 'boolean' ? hasNext : undefined };
      }
    }
    return { items: [answer], pagination: undefined, hasNext: undefined };
  }
  throw invalidInput('invalid_response', `expected a list answer, got ${typeof answer}`);
}

/**
 * A list answer as a `ListPage`: the items array, with `pagination` and `hasNext` as
 * non-enumerable properties (so it compares, prints and serializes as the plain array it is).
 */
function listPage(answer) {
  const { items, pagination, hasNext } = pageItems(answer);
  Object.defineProperties(items, {
    pagination: { value: pagination, enumerable: false, configurable: true },
    hasNext: { value: hasNext, enumerable: false, configurable: true },
  });
  return items;
}

/** A namespace of operations of one resource; its methods are generated from the catalog. */
class Resource {
  constructor(caller) {
    Object.defineProperty(this, '_caller', { value: caller });
  }

  _call(operation, request, options) {
    return this._caller.call(operation, request, options);
  }

  /** A list operation: its items (a `ListPage`) whatever envelope the API used. */
  async _list(operation, request, options) {
    const answer = await this._caller.call(operation, request, options);
    return this._caller.raw ? { ...answer, data: listPage(answer.data) } : listPage(answer);
  }

  /**
   * Every item of a paged list, fetched one page at a time as the iteration reaches it: pages
   * from 1 with `limit` items each (default 100); stops after a page whose `hasNext` is false, a
   * page shorter than `limit` when the answer does not say, or an empty page.
   */
  async *_listAll(operation, path, query, options) {
    const q = { ...(query || {}) };
    const limit = q.limit === undefined ? 100 : q.limit;
    if (!Number.isInteger(limit) || limit < 1) throw invalidInput('invalid_input', 'limit must be an integer of at least 1');
    const opts = { ...(options || {}) };
    for (let page = 1; ; page += 1) {
      const answer = await this._caller.call(operation, { path, query: { ...q, page, limit } }, opts);
      const { items, hasNext } = pageItems(this._caller.raw ? answer.data : answer);
      for (const item of items) yield item;
      if (items.length === 0) return;
      if (hasNext !== undefined ? !hasNext : items.length < limit) return;
    }
  }
}

module.exports = { Resource, pageItems, listPage, ENVELOPE_KEYS };
