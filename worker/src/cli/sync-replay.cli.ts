/**
 * `pnpm --filter @lapak/worker sync:replay [options]`: sends catalog events again and shows
 * their progress. The events go back into the outbox; a running worker delivers them.
 *
 *   --dead-letters         every dead-lettered event not replayed yet
 *   --event <id>           an event (repeatable)
 *   --aggregate <id>       every event of a product or category (repeatable; only the newest is sent)
 *   --since <ISO time>     every event since then
 *   --no-wait              requeue and exit without watching the deliveries
 *   --timeout <seconds>    how long to watch (default 300)
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SyncAdminService, createOrm, loadConfigOrExit } from '@lapak/core';
import type { SyncDelivery } from '@lapak/contracts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    'dead-letters': { type: 'boolean', default: false },
    event: { type: 'string', multiple: true },
    aggregate: { type: 'string', multiple: true },
    since: { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
  },
});
const ids = z.array(z.uuid()).optional();
const options = z
  .object({
    deadLetters: z.boolean(),
    eventIds: ids,
    aggregateIds: ids,
    since: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
    timeoutSeconds: z.coerce.number().int().min(1),
  })
  .safeParse({
    deadLetters: values['dead-letters'],
    eventIds: values.event,
    aggregateIds: values.aggregate,
    since: values.since,
    timeoutSeconds: values.timeout,
  });
if (
  !options.success ||
  (!options.data.deadLetters && !options.data.eventIds && !options.data.aggregateIds && !options.data.since)
) {
  fail(
    'usage: sync:replay [--dead-letters] [--event <uuid>]… [--aggregate <uuid>]… [--since <ISO time>] [--no-wait] [--timeout <s>]',
  );
  if (!options.success)
    fail(options.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}

const config = loadConfigOrExit('sync:replay');
const orm = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
const { timeoutSeconds, ...filter } = options.data;
const started = new Date(Date.now() - 1000);
const chosen = await new SyncAdminService(orm.em.fork()).replay(filter);
say(`sync:replay: ${chosen.length} event(s) back in the outbox`);
if (chosen.length === 0 || values['no-wait']) {
  await orm.close();
  process.exit(0);
}

const done = new Set<SyncDelivery['status']>(['applied', 'stale', 'superseded']);
const deadline = Date.now() + timeoutSeconds * 1000;
let line = '';
for (;;) {
  const latest = await new SyncAdminService(orm.em.fork()).latestDeliveries(
    chosen.map((c) => c.eventId),
    started,
  );
  const by = (status: SyncDelivery['status']) =>
    [...latest.values()].filter((d) => d.status === status).length;
  const finished = [...latest.values()].filter((d) => done.has(d.status)).length;
  const next = `  ${finished}/${chosen.length} delivered (applied ${by('applied')}, stale ${by('stale')}, superseded ${by('superseded')}), retrying ${by('failed') + by('error')}, waiting ${chosen.length - latest.size}`;
  if (next !== line) say((line = next));
  if (finished === chosen.length) break;
  if (Date.now() > deadline) {
    const failing = [...latest.values()].filter((d) => !done.has(d.status));
    for (const d of failing.slice(0, 20))
      say(`  ${d.eventId}: ${d.status} (attempt ${d.attempt}) ${d.error ?? ''}`);
    fail(
      `sync:replay: ${chosen.length - finished} event(s) not delivered within ${timeoutSeconds} s; is the worker running?`,
    );
    await orm.close();
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
say('sync:replay: done');
await orm.close();
