/**
 * The monitoring against the real processes: real traffic through the real API and a real
 * worker process (its catalog sync posting to a stub flow; orders paid on delivery, awaiting a
 * bank transfer, and one whose payment expires), then every metric name and label the
 * dashboards and alert rules select must be in what the two serve on /metrics. The rule files
 * and the scrape config must pass promtool, and the alert unit tests must hold.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '@lapak/core';
import { checkoutBody, makeUser, useTestEnv, eventually } from '@lapak/core/testing';
import { useTestApi } from '../api/src/testing/test-api';
import { startStubFlow, type StubFlow } from '../worker/src/testing/stub-flow';
import { configEnv, spawnWorker, stopWorker, type WorkerProcess } from '../worker/src/testing/worker-harness';
import { dashboardQueries, monitoringDir, ruleQueries, rulesDir, selectorsOf } from './monitoring-queries';
import { startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

/**
 * Metrics of processes this test does not run: postgres_exporter (`pg_*`), redis_exporter
 * (`redis_*`) and n8n with N8N_METRICS=true (`n8n_*`: prom-client's default metrics under n8n's
 * prefix, its active workflow gauge and workflow execution histogram). The names were read from
 * the /metrics of Debian's postgres and redis exporters run against PostgreSQL 15 and Redis 7, and
 * from n8n 2.40.7's metrics services; `up` is Prometheus's own. Each must be used by some query,
 * so the list cannot rot.
 */
const externalMetrics = new Set([
  'up',
  'pg_up',
  'pg_stat_activity_count',
  'pg_stat_activity_max_tx_duration',
  'pg_settings_max_connections',
  'pg_stat_database_xact_commit',
  'pg_stat_database_xact_rollback',
  'pg_stat_database_blks_hit',
  'pg_stat_database_blks_read',
  'pg_stat_database_deadlocks',
  'pg_locks_count',
  'pg_database_size_bytes',
  'redis_up',
  'redis_memory_used_bytes',
  'redis_memory_max_bytes',
  'redis_instance_info',
  'redis_commands_processed_total',
  'redis_connected_clients',
  'redis_blocked_clients',
  'redis_db_keys',
  'redis_evicted_keys_total',
  'redis_expired_keys_total',
  'n8n_active_workflow_count',
  'n8n_process_resident_memory_bytes',
  'n8n_workflow_execution_duration_seconds_bucket',
  'n8n_workflow_execution_duration_seconds_count',
]);
/** Labels Prometheus adds to every scraped series. */
const targetLabels = new Set(['job', 'instance']);

type Exposition = Map<string, Set<string>>;

/** Sample names of a Prometheus text exposition, each with the label names its series carry. */
function parseExposition(text: string): Exposition {
  const series: Exposition = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!match) continue;
    const labels = series.get(match[1]!) ?? new Set<string>();
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(label[1]!);
    series.set(match[1]!, labels);
  }
  return series;
}

const env = useTestEnv();
const api = useTestApi(env);
let flow: StubFlow;
let worker: WorkerProcess;
const scraped: Record<'api' | 'worker', Exposition> = { api: new Map(), worker: new Map() };
const workerText = { value: '' };
const checkoutRequestId = `monitoring-${randomUUID()}`;
let orderId = '';
let productId = '';

async function scrape(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}

const query = <T>(text: string, params: unknown[] = []): Promise<T[]> =>
  env.orm.em.fork().getConnection().execute<T[]>(text, params);

/** The worker's JSON log lines (pino), parsed. */
function workerLog(): Record<string, unknown>[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  flow = await startStubFlow();
  worker = await spawnWorker(
    configEnv(env.config, {
      LOG_LEVEL: 'debug',
      WORKER_METRICS_PORT: '0',
      N8N_URL: flow.url,
      // The sweeper, which expires overdue payments, runs every tenth of this: every second.
      ORDER_PENDING_TIMEOUT_MS: '10000',
    }),
  );

  const tokens = new TokenService(env.config.JWT_SECRET, 3600);
  const admin = await tokens.issue(await makeUser(env.orm.em.fork(), { role: 'admin' }));
  const shopper = await tokens.issue(await makeUser(env.orm.em.fork(), { password: 'x' }));

  // A catalog change: outbox → relay → catalog-sync queue → the (stub) flow.
  const product = await api.request('POST', '/api/v1/products', {
    token: admin,
    body: {
      sku: `MON-${randomUUID().slice(0, 8)}`,
      name: 'Teh Tarik Monitoring',
      priceCents: 1500,
      currency: 'IDR',
      stock: 5,
      status: 'published',
    },
  });
  expect(product.status, product.text).toBe(201);
  productId = product.body.id;

  // An order paid on delivery (confirmed at once), with the request id the checkout's caller chose.
  const lines = [{ productId: product.body.id, quantity: 1 }];
  const order = await api.request('POST', '/api/v1/orders', {
    token: shopper,
    headers: { 'Idempotency-Key': randomUUID(), 'X-Request-Id': checkoutRequestId },
    body: checkoutBody(lines, 'cash_on_delivery'),
  });
  expect(order.status, order.text).toBe(202);
  expect(order.headers.get('x-request-id')).toBe(checkoutRequestId);
  orderId = order.body.id;

  // Two bank transfers: one stays awaiting payment, the other's deadline passes and it expires.
  const transfers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const transfer = await api.request('POST', '/api/v1/orders', {
      token: shopper,
      headers: { 'Idempotency-Key': randomUUID() },
      body: checkoutBody(lines, 'bank_transfer'),
    });
    expect(transfer.status, transfer.text).toBe(202);
    transfers.push(transfer.body.id);
  }
  await eventually('both transfers to await payment', async () => {
    const rows = await query<{ status: string }>('select status from orders where id in (?, ?)', transfers);
    return rows.length === 2 && rows.every((row) => row.status === 'awaiting_payment');
  });
  await query("update payments set due_at = now() - interval '1 second' where order_id = ?", [transfers[1]]);

  // Client errors and an unmatched path.
  expect((await api.request('POST', '/api/v1/orders', { token: shopper, body: { items: [] } })).status).toBe(
    400,
  );
  expect((await api.request('GET', '/api/v1/nowhere')).status).toBe(404);
  expect((await api.request('GET', '/api/v1/products')).status).toBe(200);
  expect((await api.request('GET', '/healthz')).status).toBe(200);

  await eventually('the order to reach its final status', async () => {
    const [row] = await query<{ status: string }>('select status from orders where id = ?', [orderId]);
    return row && row.status !== 'pending';
  });
  await eventually('the catalog change to reach the flow', async () => flow.requests.length > 0);
  const metricsUrl = `http://127.0.0.1:${worker.metricsPort}/metrics`;
  await eventually('the delivery to be counted', async () =>
    /^lapak_sync_deliveries_total\{[^}]*result="applied"/m.test(await scrape(metricsUrl)),
  );
  await eventually('the overdue payment to be expired', async () =>
    /^lapak_orders_processed_total\{status="failed",reason="payment_expired"\} 1$/m.test(
      await scrape(metricsUrl),
    ),
  );

  workerText.value = await scrape(metricsUrl);
  scraped.worker = parseExposition(workerText.value);
  scraped.api = parseExposition(await scrape(`${api.metricsUrl}/metrics`));
});

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await flow?.close();
});

const queries = () => [...ruleQueries(), ...dashboardQueries()];

describe('metrics used by the dashboards and alert rules', () => {
  it('exist in the /metrics of the API or the worker, with the labels the queries match on', () => {
    const problems: string[] = [];
    for (const query of queries()) {
      for (const selector of selectorsOf(query.expr)) {
        if (externalMetrics.has(selector.metric)) continue;
        const jobs: ('api' | 'worker')[] =
          selector.job === 'api' || selector.job === 'worker' ? [selector.job] : ['api', 'worker'];
        const labels = jobs.map((job) => scraped[job].get(selector.metric)).find(Boolean);
        if (!labels) {
          problems.push(`${query.source}: ${selector.metric} is not served by ${jobs.join(' or ')}`);
          continue;
        }
        for (const label of selector.labels) {
          if (!targetLabels.has(label) && !labels.has(label)) {
            problems.push(`${query.source}: ${selector.metric} has no label ${label}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('leave no lapak_* metric of the worker off the dashboards, and no external name unused', () => {
    const selected = new Set(
      dashboardQueries().flatMap((query) => selectorsOf(query.expr).map((s) => s.metric)),
    );
    const families = [...workerText.value.matchAll(/^# TYPE (lapak_\w+) (\w+)$/gm)];
    expect(families.length).toBeGreaterThan(10);
    const unused = families
      .filter(([, name, type]) => {
        const samples = type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name!];
        return !samples.some((sample) => selected.has(sample));
      })
      .map(([, name]) => name);
    expect(unused).toEqual([]);

    const everywhere = new Set(queries().flatMap((query) => selectorsOf(query.expr).map((s) => s.metric)));
    expect([...externalMetrics].filter((name) => !everywhere.has(name))).toEqual([]);
    for (const name of externalMetrics) expect(name).toMatch(/^(up|pg_|redis_|n8n_)/);
  });

  it('the check has teeth: a misspelt metric or label is reported', () => {
    const [selector] = selectorsOf('sum(rate(http_requests_totl{job="api",stauts=~"5.."}[5m]))');
    expect(scraped.api.has(selector!.metric)).toBe(false);
    expect(scraped.api.get('http_requests_total')?.has('stauts')).toBe(false);
    expect(scraped.api.get('http_requests_total')?.has('status')).toBe(true);
  });

  it('counts requests by method, route template and status, leaving out probes and scrapes', async () => {
    const text = await scrape(`${api.metricsUrl}/metrics`);
    expect(text).toMatch(/^http_requests_total\{method="POST",route="\/api\/v1\/orders",status="202"\} 3$/m);
    expect(text).toMatch(/^http_requests_total\{method="POST",route="\/api\/v1\/orders",status="400"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/v1\/products"/m,
    );
    expect(text).not.toMatch(/route="\/(healthz|readyz|metrics)"/);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it('the worker counted the orders, the expired payment and the delivery', () => {
    expect(workerText.value).toMatch(/^lapak_orders_processed_total\{status="confirmed",reason="none"\} 1$/m);
    expect(workerText.value).toMatch(
      /^lapak_orders_processed_total\{status="awaiting_payment",reason="none"\} 2$/m,
    );
    expect(workerText.value).toMatch(
      /^lapak_orders_processed_total\{status="failed",reason="payment_expired"\} 1$/m,
    );
    expect(workerText.value).toMatch(
      /^lapak_orders_open\{status="awaiting_payment",payment_method="bank_transfer"\} 1$/m,
    );
    expect(workerText.value).toMatch(
      /^lapak_orders_last_day\{status="failed",payment_method="bank_transfer"\} 1$/m,
    );
    expect(workerText.value).toMatch(/^lapak_sync_lag_seconds_count [1-9]/m);
    expect(workerText.value).toMatch(/^lapak_queue_jobs\{queue="orders",state="waiting"\} 0$/m);
  });
});

describe('the queries on a real Prometheus that scrapes the API and the worker', () => {
  let prometheus: PrometheusProcess;
  beforeAll(async () => {
    prometheus = await startPrometheus({
      targets: { api: new URL(api.metricsUrl).host, worker: `127.0.0.1:${worker.metricsPort}` },
      ruleFiles: readdirSync(rulesDir)
        .filter((file) => file.endsWith('.yml'))
        .map((file) => join(rulesDir, file)),
    });
    await eventually('three scrapes of the API and the worker and a rule evaluation', async () => {
      const scrapes = await prometheus.query('count_over_time(up[1m]) >= 3');
      const rules = await prometheus.rules();
      return scrapes.length === 2 && rules.every((rule) => !rule.lastEvaluation.startsWith('0001'));
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  /** Queries on nothing but what the API and the worker serve (and their `up`). */
  const local = (expr: string) =>
    selectorsOf(expr).every((s) =>
      s.metric === 'up' ? s.job === 'api' || s.job === 'worker' : !externalMetrics.has(s.metric),
    );

  it('evaluates every dashboard query, and those on the API and worker find their series', async () => {
    const failures: string[] = [];
    const empty: string[] = [];
    for (const { source, expr } of dashboardQueries()) {
      try {
        const result = await prometheus.query(expr);
        if (local(expr) && result.length === 0) empty.push(source);
      } catch (error) {
        failures.push(`${source}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // No request failed with a 5xx in this run.
    expect(empty).toEqual([
      'lapak-api.json "Share of requests answered with a 5xx"',
      'lapak-api.json "5xx responses per second by route"',
    ]);
  });

  it('evaluates every alert rule without error, and a healthy system raises none', async () => {
    const rules = await prometheus.rules();
    expect(rules.length).toBe(ruleQueries().length);
    expect(
      rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.lastError}`),
    ).toEqual([]);
    expect(await prometheus.query('ALERTS')).toEqual([]);
  });
});

describe('request ids across processes', () => {
  it('the API keeps a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await api.request('GET', '/api/v1/products', {
      headers: { 'X-Request-Id': 'shop-42.a:b_c' },
    });
    expect(kept.headers.get('x-request-id')).toBe('shop-42.a:b_c');
    const replaced = await api.request('GET', '/api/v1/products', {
      headers: { 'X-Request-Id': `${'x'.repeat(129)}` },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the checkout's X-Request-Id is on the worker's log line for that order", () => {
    const lines = workerLog().filter((line) => line.orderId === orderId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.requestId === checkoutRequestId)).toBe(true);
    expect(lines.map((line) => line.msg)).toContain('decided');
  });

  it('a catalog batch carries its request id to the flow as X-Request-Id, and back in the answer', async () => {
    // The catalog sync's requests (the automation flows' deliveries go to the same stand-in).
    const sentIds = () =>
      flow.requests
        .filter((request) => request.path.startsWith('/webhook/catalog-sync-'))
        .map((request) => String(request.headers['x-request-id']));
    // The worker's log names the changes each request id carried, and the id the flow echoed. The
    // product's creation may travel with its stock change (then only the newer version is posted).
    const posted = await eventually('the worker to log the product change it posted', async () =>
      workerLog().find(
        (line) =>
          line.msg === 'catalog batch posted' &&
          (line.events as string[]).some((event) => event.startsWith(`product:${productId}@`)),
      ),
    );
    const sent = sentIds();
    for (const id of sent) expect(id).toMatch(/^sync-[0-9a-f-]{36}$/);
    expect(sent).toContain(posted.requestId);
    expect(posted.echoed).toBe(posted.requestId);
    await eventually('the worker to log the batch delivered', async () =>
      workerLog().some(
        (line) => line.msg === 'catalog batch delivered' && line.requestId === posted.requestId,
      ),
    );
    // The delivery log keeps the id of each batch posted (the one the flow echoed in its answer);
    // a batch whose changes were all superseded before it left is logged under its id unposted.
    const logged = await eventually('every delivery to be logged', async () => {
      // The catalog sync logs its flow version (`v1`); an automation flow its name (`<flow>-v1`).
      const rows = await query<{ request_id: string }>(
        "select distinct request_id from sync_deliveries where flow_version ~ '^v[0-9]+$'",
      );
      const ids = rows.map((row) => row.request_id);
      return sentIds().every((id) => ids.includes(id)) && ids;
    });
    expect(logged).toEqual(expect.arrayContaining([...new Set(sentIds())]));
    for (const id of logged) expect(id).toMatch(/^sync-[0-9a-f-]{36}$/);
  });
});

describe('Prometheus configuration', () => {
  const promtool = (...args: string[]) =>
    execFileSync('promtool', args, { cwd: monitoringDir, encoding: 'utf8', stdio: 'pipe' });

  it('passes promtool check config and check rules', () => {
    expect(promtool('check', 'config', 'prometheus/prometheus.yml')).toMatch(/SUCCESS: 4 rule files found/);
    const rules = ruleQueries().length;
    expect(rules).toBeGreaterThanOrEqual(20);
    const files = readdirSync(rulesDir).filter((file) => file.endsWith('.yml'));
    const output = promtool('check', 'rules', ...files.map((file) => join(rulesDir, file)));
    const found = [...output.matchAll(/SUCCESS: (\d+) rules found/g)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(found).toBe(rules);
  });

  it('passes the alert unit tests (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'prometheus/tests/alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('alerts on everything the runbook promises', () => {
    const alerts = ruleQueries().map((query) => query.source.split(' ')[1]);
    for (const alert of [
      'LapakApiHigh5xxRate',
      'LapakApiHighLatencyP99',
      'LapakQueueGrowing',
      'LapakQueueOldestJobOld',
      'LapakOutboxBacklog',
      'LapakSyncLagHigh',
      'LapakSyncDeadLetters',
      'LapakWorkerDown',
      'LapakDatabaseConnectionsSaturated',
      'LapakPaymentsPendingHigh',
      'LapakPaymentsExpiring',
    ]) {
      expect(alerts).toContain(alert);
    }
  });

  it('the promtool check has teeth: a rule that does not parse fails', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'lapak-rules-')), 'broken.yml');
    writeFileSync(
      broken,
      'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: sum(rate(x[5m])\n',
    );
    expect(() => promtool('check', 'rules', broken)).toThrow();
  });
});
