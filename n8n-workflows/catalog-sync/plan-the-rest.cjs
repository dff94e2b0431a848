'use strict';
// The Plan the rest node of each catalog-sync version: the writes that follow the category
// writes (`pnpm n8n:build` inlines this file where a node requires it; edit it here, never in
// n8n).

const byId = (a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0);

/**
 * Directus batch requests (`POST`: the version fence turns a create into an update) of the rows
 * of `ops` (`{event, row}`), at most `chunk` each. Rows go in id order, so that two requests
 * writing the same items take their locks in the same order.
 */
function writeRequests(path, ops, chunk) {
  const sorted = [...ops].sort(byId);
  const requests = [];
  for (let i = 0; i < sorted.length; i += chunk) {
    const part = sorted.slice(i, i + chunk);
    requests.push({
      method: 'POST',
      path,
      body: part.map((op) => op.row),
      events: part.map((op) => op.event),
    });
  }
  return requests;
}

/**
 * After the category writes (`categoryAnswer`: Write categories' full response, when Plan writes
 * planned them): the results so far, the category writes with the rows Directus read back
 * (`written`, judged with the rest), and the requests of every other write, run in parallel.
 * Products pointing at a category Directus does not hold fail alone instead of failing their
 * whole request; so do those pointing at a category whose write Directus refused.
 */
function planTheRest(plan, categoryAnswer) {
  const results = { ...plan.results };
  const available = new Set(plan.available);
  const written = [];
  if (plan.writeCategories) {
    const status = categoryAnswer.statusCode;
    if (status >= 500) throw new Error(`Directus answered ${status} to the category writes`);
    if (status >= 300) {
      const error =
        (categoryAnswer.body &&
          categoryAnswer.body.errors &&
          categoryAnswer.body.errors[0] &&
          categoryAnswer.body.errors[0].message) ||
        `Directus answered ${status}`;
      for (const op of plan.ops.category.upsert) {
        results[op.event] = { id: op.event, status: 'failed', error };
        available.delete(op.row.id);
      }
    } else {
      written.push({
        events: plan.writeCategories.events,
        rows: (categoryAnswer.body && categoryAnswer.body.data) || [],
      });
    }
  }

  const usable = (op) => {
    const target = op.row.category;
    if (!target || available.has(target)) return true;
    results[op.event] = { id: op.event, status: 'failed', error: `category ${target} is not in Directus` };
    return false;
  };
  const requests = [
    ...writeRequests('/items/products?fields=id,version', plan.ops.product.upsert.filter(usable), plan.chunk),
    ...writeRequests(
      '/items/sync_tombstones?fields=id,version',
      [...plan.ops.category.delete, ...plan.ops.product.delete],
      plan.chunk,
    ),
  ];
  return { results, written, requests };
}

/** The node's items: one per request, or one saying there is nothing to write. */
function restItems({ results, written, requests }) {
  if (!requests.length) return [{ json: { write: false, results, written } }];
  return requests.map((request) => ({ json: { write: true, results, written, ...request } }));
}

module.exports = { writeRequests, planTheRest, restItems };
