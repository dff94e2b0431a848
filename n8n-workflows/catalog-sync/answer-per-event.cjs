'use strict';
// The Answer per event node of each catalog-sync version: how it judges Directus's answers to the
// batch's writes (`pnpm n8n:build` inlines this file where a node requires it; edit it here,
// never in n8n).

const COLLECTION = { product: 'products', category: 'categories' };

/** The rows Directus read back after a write (`fields=id,version`), by id. */
const rowsOf = (data) =>
  new Map((Array.isArray(data) ? data : data ? [data] : []).map((row) => [row.id, row]));

/** Why Directus refused a request (`status` 3xx or 4xx): its first error's message. */
const refusal = (answer, status) =>
  (answer.body && answer.body.errors && answer.body.errors[0] && answer.body.errors[0].message) ||
  `Directus answered ${status}`;

/**
 * The status Directus answered a write request with. A 5xx, or no answer, fails the run: the
 * dispatcher delivers the batch again.
 */
const answered = (answer, request) => {
  const status = answer.statusCode;
  if (status >= 500 || !status)
    throw new Error(`Directus answered ${status} to ${request.method} ${request.path}`);
  return status;
};

/** Directus's answer to the `index`th request of a write node's input (its items), or none. */
const answerOf = (items, index) => (items[index] ? items[index].json : { statusCode: 0 });

/**
 * One result per event the batch wrote: applied, stale or failed (with the reason). Every write
 * asks Directus to read the rows back (`fields=id,version`), and what it holds after the write
 * decides: the version fence skips a write older than what Directus holds without failing its
 * request. An event is `applied` if its own version is there now, `stale` if a newer version
 * is, or if no row came back (the fence refused it: a newer delete holds the item, or a
 * tombstone met a newer item), and `failed` otherwise. A create of an item Directus holds at a
 * newer or the same version comes back with that version: stale. A request Directus refused
 * fails its events.
 *
 * `planned` are Plan the rest's items (with the results decided before, and the category
 * writes), `answers` Write to Directus's, one per planned request (none when nothing was
 * written). A request of variants (`variants`, from catalog-sync v2 on) is left to the flow.
 * Returns the results by event id, those decided before included.
 */
function judgeWrites({ verified, planned, answers }) {
  const first = planned[0].json;
  const results = { ...first.results };
  const events = new Map(verified.events.map((event) => [event.id, event]));
  const judge = (id, returned) => {
    const event = events.get(id);
    const { type, version } = event.aggregate;
    const key = event.type.endsWith('.deleted')
      ? `${COLLECTION[type]}:${event.aggregate.id}`
      : event.aggregate.id;
    const row = returned.get(key);
    if (!row || Number(row.version) > version) return { id, status: 'stale' };
    if (Number(row.version) === version) return { id, status: 'applied' };
    return { id, status: 'failed', error: `Directus holds version ${row.version} after the write` };
  };

  for (const { events: ids, rows } of first.written) {
    const returned = rowsOf(rows);
    for (const id of ids) results[id] = judge(id, returned);
  }
  if (!first.write) return results;
  planned.forEach((request, index) => {
    if (request.json.variants) return;
    const answer = answerOf(answers, index);
    const status = answered(answer, request.json);
    if (status >= 300) {
      const error = refusal(answer, status);
      for (const id of request.json.events) results[id] = { id, status: 'failed', error };
      return;
    }
    const returned = rowsOf(answer.body && answer.body.data);
    for (const id of request.json.events) results[id] = judge(id, returned);
  });
  return results;
}

/**
 * The node's answer: a result per event in the order of the batch, then the invalid ones; an
 * event nothing decided is `failed` (not processed).
 */
function answerInOrder(verified, results) {
  const order = [...verified.events.map((event) => event.id), ...verified.invalid.map((entry) => entry.id)];
  return [
    { json: { results: order.map((id) => results[id] || { id, status: 'failed', error: 'not processed' }) } },
  ];
}

module.exports = { rowsOf, refusal, answered, answerOf, judgeWrites, answerInOrder };
