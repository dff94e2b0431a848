// One result per event of the batch: applied, stale or failed (with the reason). Every write asks
// Directus to read the rows back (`fields=id,version`), and what it holds after the write
// decides: the version fence skips a write older than what Directus holds without failing its
// request. An event is `applied` if its own version is there now, `stale` if a newer version is,
// or if no row came back (the fence refused it: a newer delete holds the item, or a tombstone met
// a newer item), and `failed` otherwise. A create of an item Directus holds at a newer or the
// same version comes back with that version: stale.
//
// A product event whose product is applied is `failed` if a write of one of its variants was
// refused by Directus or left an older variant than it wrote, so that it is delivered again. A
// variant that comes back newer, or not at all (a newer delete of it, or of its product), is
// fine: a newer event holds it.
const planned = $('Plan the rest').all();
const first = planned[0].json;
const results = { ...first.results };
const verified = $('Verify signature').first().json;
const COLLECTION = { product: 'products', category: 'categories' };
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
const rowsOf = (data) =>
  new Map((Array.isArray(data) ? data : data ? [data] : []).map((row) => [row.id, row]));
const refusal = (answer, status) =>
  (answer.body && answer.body.errors && answer.body.errors[0] && answer.body.errors[0].message) ||
  `Directus answered ${status}`;
const answered = (answer, request) => {
  const status = answer.statusCode;
  if (status >= 500 || !status)
    throw new Error(`Directus answered ${status} to ${request.method} ${request.path}`);
  return status;
};

for (const { events: ids, rows } of first.written) {
  const returned = rowsOf(rows);
  for (const id of ids) results[id] = judge(id, returned);
}
if (first.write) {
  const answers = $('Write to Directus').all();
  const answerOf = (items, index) => (items[index] ? items[index].json : { statusCode: 0 });
  const fail = (id, error) => {
    if (results[id] && results[id].status === 'applied') results[id] = { id, status: 'failed', error };
  };
  // A request of variants is judged after the products': it can only fail an applied event.
  const judgeVariants = (request, answer) => {
    const status = answered(answer, request);
    if (status >= 300) {
      const error = refusal(answer, status);
      for (const id of request.events) fail(id, `variants: ${error}`);
      return;
    }
    const returned = rowsOf(answer.body && answer.body.data);
    request.body.forEach((row, position) => {
      const held = returned.get(row.id);
      if (held && Number(held.version) < row.version) {
        fail(request.events[position], `Directus holds version ${held.version} of ${row.id} after the write`);
      }
    });
  };
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
  planned.forEach((request, index) => {
    if (request.json.variants) judgeVariants(request.json, answerOf(answers, index));
  });

  const variantRequests = $('Plan variants').all();
  if (variantRequests[0].json.write) {
    const written = $('Write variants').all();
    variantRequests.forEach((request, index) => judgeVariants(request.json, answerOf(written, index)));
  }
}
const order = [...verified.events.map((event) => event.id), ...verified.invalid.map((entry) => entry.id)];
return [
  { json: { results: order.map((id) => results[id] || { id, status: 'failed', error: 'not processed' }) } },
];
