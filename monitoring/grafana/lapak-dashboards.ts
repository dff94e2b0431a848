/**
 * Lapak's Grafana dashboards. `npx tsx monitoring/grafana/build-dashboards.cli.ts` writes them to
 * monitoring/grafana/dashboards/*.json, which Grafana's file provisioning loads; a test keeps the
 * JSON and this file in step.
 *
 * Gauges read at scrape time from Redis or PostgreSQL (queue depth and age, outbox backlog, dead
 * letters) are reported alike by every worker replica, so they are combined with `max`, not `sum`.
 */
import {
  quantile,
  quantiles,
  stat,
  timeseries,
  type DashboardSpec,
  type PanelSpec,
} from './dashboard-builder';
import { alertThreshold } from '../monitoring-queries';

const api = '{job="api"}';
/** The order status stream (SSE) stays open by design: left out of latency. */
const apiNoStreams = '{job="api",route!~".*/events"}';
const rate = (selector: string) => `rate(${selector}[$__rate_interval])`;

/** CPU, memory and event loop of one scrape job's Node processes, by instance. */
function nodeProcessPanels(job: string, what: string): PanelSpec[] {
  const selector = `{job="${job}"}`;
  return [
    timeseries({
      title: `${what} CPU used per instance`,
      description: 'Share of one CPU core each process used (1 = one core busy all the time).',
      unit: 'percentunit',
      min: 0,
      width: 8,
      queries: [
        {
          expr: `sum by (instance) (${rate(`process_cpu_seconds_total${selector}`)})`,
          legend: '{{instance}}',
        },
      ],
    }),
    timeseries({
      title: `${what} resident memory per instance`,
      description: 'Resident set size of each process (heap, code and buffers).',
      unit: 'bytes',
      min: 0,
      width: 8,
      queries: [{ expr: `process_resident_memory_bytes${selector}`, legend: '{{instance}}' }],
    }),
    timeseries({
      title: `${what} event loop lag p99 per instance`,
      description:
        'How long ready callbacks waited for the event loop (99th percentile): high values mean CPU-bound or blocking code.',
      unit: 's',
      min: 0,
      width: 8,
      queries: [{ expr: `nodejs_eventloop_lag_p99_seconds${selector}`, legend: '{{instance}}' }],
    }),
  ];
}

export const apiDashboard: DashboardSpec = {
  uid: 'lapak-api',
  title: 'Lapak · API',
  description: 'The Koa API: request rate, errors and latency by route template, and its Node processes.',
  panels: [
    stat({
      title: 'Requests per second',
      description: 'HTTP requests answered per second by all API instances.',
      unit: 'reqps',
      queries: [{ expr: `sum(${rate(`http_requests_total${api}`)})` }],
    }),
    stat({
      title: 'Share of requests answered with a 5xx',
      description:
        'Server faults as a share of all requests (bad input is a 4xx). Alert: LapakApiHigh5xxRate above 5%.',
      unit: 'percentunit',
      thresholds: [0.01, 0.05],
      queries: [
        {
          expr: `sum(${rate('http_requests_total{job="api",status=~"5.."}')}) / sum(${rate(`http_requests_total${api}`)})`,
        },
      ],
    }),
    stat({
      title: 'p99 request duration (SSE streams excluded)',
      description: '99th percentile of request durations. Alert: LapakApiHighLatencyP99 above 1 s.',
      unit: 's',
      thresholds: [0.5, 1],
      queries: [{ expr: quantile(0.99, 'http_request_duration_seconds', apiNoStreams) }],
    }),
    stat({
      title: 'API instances up',
      description: 'API instances Prometheus scraped successfully at the last scrape.',
      unit: 'short',
      queries: [{ expr: 'sum(up{job="api"})' }],
    }),
    timeseries({
      title: 'Requests per second by route',
      description: 'Request rate per method and route template (unmatched = no route, e.g. a 404).',
      unit: 'reqps',
      min: 0,
      queries: [
        {
          expr: `sum by (method, route) (${rate(`http_requests_total${api}`)})`,
          legend: '{{method}} {{route}}',
        },
      ],
    }),
    timeseries({
      title: 'Responses per second by status',
      description: 'Response rate per HTTP status code.',
      unit: 'reqps',
      min: 0,
      stack: true,
      queries: [{ expr: `sum by (status) (${rate(`http_requests_total${api}`)})`, legend: '{{status}}' }],
    }),
    timeseries({
      title: '5xx responses per second by route',
      description: 'Server faults per route: the place to start when LapakApiHigh5xxRate fires.',
      unit: 'reqps',
      min: 0,
      queries: [
        {
          expr: `sum by (method, route, status) (${rate('http_requests_total{job="api",status=~"5.."}')})`,
          legend: '{{status}} {{method}} {{route}}',
        },
      ],
    }),
    timeseries({
      title: '4xx responses per second by route',
      description: 'Rejected requests per route (validation, auth, not found, rate limits, conflicts).',
      unit: 'reqps',
      min: 0,
      queries: [
        {
          expr: `sum by (method, route, status) (${rate('http_requests_total{job="api",status=~"4.."}')})`,
          legend: '{{status}} {{method}} {{route}}',
        },
      ],
    }),
    timeseries({
      title: 'Request duration p50, p95 and p99 (SSE streams excluded)',
      description: 'Quantiles of request durations over all routes but the order status stream.',
      unit: 's',
      min: 0,
      queries: quantiles('http_request_duration_seconds', apiNoStreams),
    }),
    timeseries({
      title: 'Request duration p99 by route',
      description: '99th percentile of request durations per route template: names the slow route.',
      unit: 's',
      min: 0,
      queries: [
        {
          expr: quantile(0.99, 'http_request_duration_seconds', apiNoStreams, ['method', 'route']),
          legend: '{{method}} {{route}}',
        },
      ],
    }),
    ...nodeProcessPanels('api', 'API'),
  ],
};

/**
 * Orders counted from PostgreSQL at scrape time (`lapak_orders_open`, `lapak_orders_last_day`):
 * every worker replica reports the same counts, so `max` across replicas, then summed or split by
 * the labels a panel shows.
 */
const orderCounts = (metric: string, selector = '', by = 'status, payment_method') =>
  `max by (${by}) (${metric}${selector})`;
const paymentExpiries = 'lapak_orders_processed_total{status="failed",reason="payment_expired"}';
const paymentsPendingAlert = alertThreshold('LapakPaymentsPendingHigh');

export const ordersDashboard: DashboardSpec = {
  uid: 'lapak-orders',
  title: 'Lapak · Orders and queues',
  description:
    'Orders from checkout to their final status: outcomes, payments awaited and expired, timings, the BullMQ queues and the worker processes.',
  panels: [
    stat({
      title: 'Orders confirmed per minute',
      description:
        'Orders the workers confirmed at once (cash on delivery), per minute. A bank transfer is confirmed when an admin records its payment, through the API: see the last 24 hours by status.',
      unit: 'opm',
      queries: [{ expr: `sum(${rate('lapak_orders_processed_total{status="confirmed"}')}) * 60` }],
    }),
    stat({
      title: 'Order jobs waiting',
      description: 'Jobs waiting in the orders queue for a worker. Alert: LapakQueueGrowing.',
      unit: 'short',
      thresholds: [100, 1000],
      queries: [{ expr: 'max(lapak_queue_jobs{queue="orders",state="waiting"})' }],
    }),
    stat({
      title: 'Oldest waiting order job',
      description:
        'How long the oldest job of the orders queue has waited. Alerts: LapakQueueOldestJobOld (60 s).',
      unit: 's',
      thresholds: [60, 240],
      queries: [{ expr: 'max(lapak_queue_oldest_waiting_age_seconds{queue="orders"})' }],
    }),
    stat({
      title: 'Worker instances up',
      description:
        'Worker processes Prometheus scraped successfully at the last scrape. Alert: LapakWorkerDown.',
      unit: 'short',
      queries: [{ expr: 'sum(up{job="worker"})' }],
    }),
    stat({
      title: 'Orders awaiting payment',
      description: `Bank transfers whose stock is reserved until they are paid or their deadline passes. Red at ${paymentsPendingAlert}, where LapakPaymentsPendingHigh fires after 15 minutes.`,
      unit: 'short',
      thresholds: [paymentsPendingAlert / 2, paymentsPendingAlert],
      queries: [
        { expr: `sum(${orderCounts('lapak_orders_open', '{status="awaiting_payment"}', 'payment_method')})` },
      ],
    }),
    stat({
      title: 'Payments expired in the last hour',
      description:
        'Orders failed with payment_expired: not paid by their deadline, their stock given back. Alert: LapakPaymentsExpiring (most transfers expiring).',
      unit: 'short',
      thresholds: [1, 10],
      queries: [{ expr: `sum(increase(${paymentExpiries}[1h]))` }],
    }),
    stat({
      title: 'Orders placed in the last 24 hours',
      description: 'Orders created in the last 24 hours, whatever their status now.',
      unit: 'short',
      queries: [{ expr: `sum(${orderCounts('lapak_orders_last_day')})` }],
    }),
    stat({
      title: 'Orders pending (not yet decided)',
      description:
        'Orders stored by checkout that no worker has decided yet; they stay here only while the orders queue is busy.',
      unit: 'short',
      thresholds: [100, 1000],
      queries: [{ expr: `sum(${orderCounts('lapak_orders_open', '{status="pending"}', 'payment_method')})` }],
    }),
    timeseries({
      title: 'Open orders by status and payment method',
      description:
        'pending (not yet decided) and awaiting_payment (stock reserved for a bank transfer) orders, by payment method.',
      unit: 'short',
      min: 0,
      width: 8,
      queries: [{ expr: orderCounts('lapak_orders_open'), legend: '{{status}} {{payment_method}}' }],
    }),
    timeseries({
      title: 'Orders of the last 24 hours by status and payment method',
      description:
        'Orders created in the last 24 hours by their status now and how they are paid (none: placed before payment was asked for).',
      unit: 'short',
      min: 0,
      width: 8,
      stack: true,
      queries: [{ expr: orderCounts('lapak_orders_last_day'), legend: '{{status}} {{payment_method}}' }],
    }),
    timeseries({
      title: 'Bank transfers reserved and expired per hour',
      description:
        'Orders the workers reserved stock for to await a bank transfer, and orders whose payment deadline passed unpaid (payment_expired).',
      unit: 'short',
      min: 0,
      width: 8,
      queries: [
        {
          expr: `sum(${rate('lapak_orders_processed_total{status="awaiting_payment"}')}) * 3600`,
          legend: 'reserved, awaiting payment',
        },
        { expr: `sum(${rate(paymentExpiries)}) * 3600`, legend: 'expired unpaid' },
      ],
    }),
    timeseries({
      title: 'Orders decided per second, by status and reason',
      description:
        'What the workers decided: awaiting_payment (stock reserved for a bank transfer), confirmed (cash on delivery), or failed with its reason: out_of_stock and product_unavailable are business outcomes, payment_expired a transfer not paid in time, processing_failed a fault.',
      unit: 'ops',
      min: 0,
      stack: true,
      queries: [
        {
          expr: `sum by (status, reason) (${rate('lapak_orders_processed_total')})`,
          legend: '{{status}} {{reason}}',
        },
      ],
    }),
    timeseries({
      title: 'Checkout to final status p50, p95 and p99',
      description:
        "Time from an order's creation to its final status, by the database clock: what shoppers wait.",
      unit: 's',
      min: 0,
      queries: quantiles('lapak_order_confirm_latency_seconds'),
    }),
    timeseries({
      title: 'Order job processing time p50, p95 and p99',
      description: 'Time from a worker taking an order job to the job finishing (queue wait excluded).',
      unit: 's',
      min: 0,
      queries: quantiles('lapak_order_processing_duration_seconds'),
    }),
    timeseries({
      title: 'Orders decided per batch p50 and p95',
      description: 'How many orders the worker decided together in one transaction.',
      unit: 'short',
      min: 0,
      queries: quantiles('lapak_order_batch_size', '', [0.5, 0.95]),
    }),
    timeseries({
      title: 'Jobs per queue and state',
      description:
        'Jobs waiting, active, delayed (retries) and failed (kept for inspection) in each BullMQ queue.',
      unit: 'short',
      min: 0,
      queries: [
        {
          expr: 'max by (queue, state) (lapak_queue_jobs{state=~"waiting|active|delayed|failed"})',
          legend: '{{queue}} {{state}}',
        },
      ],
    }),
    timeseries({
      title: 'Oldest waiting job age per queue',
      description: 'How long the oldest waiting job of each queue has waited (0 when none waits).',
      unit: 's',
      min: 0,
      queries: [{ expr: 'max by (queue) (lapak_queue_oldest_waiting_age_seconds)', legend: '{{queue}}' }],
    }),
    timeseries({
      title: 'Batch decision time p50 and p95',
      description: "One batch's transaction and the status messages published after it.",
      unit: 's',
      min: 0,
      width: 24,
      queries: quantiles('lapak_order_batch_duration_seconds', '', [0.5, 0.95]),
    }),
    ...nodeProcessPanels('worker', 'Worker'),
  ],
};

export const syncDashboard: DashboardSpec = {
  uid: 'lapak-catalog-sync',
  title: 'Lapak · Catalog sync',
  description:
    'Catalog changes from the outbox through the catalog-sync queue and the n8n flow into Directus: backlog, deliveries, lag and dead letters.',
  panels: [
    stat({
      title: 'Outbox events waiting to be relayed',
      description: 'Catalog events committed to the outbox and not yet moved to the catalog-sync queue.',
      unit: 'short',
      thresholds: [1000, 10000],
      queries: [{ expr: 'max(lapak_outbox_backlog)' }],
    }),
    stat({
      title: 'Oldest unrelayed outbox event',
      description: 'Age of the oldest outbox event not yet relayed. Alert: LapakOutboxBacklog (120 s).',
      unit: 's',
      thresholds: [30, 120],
      queries: [{ expr: 'max(lapak_outbox_oldest_age_seconds)' }],
    }),
    stat({
      title: 'Dead-lettered events not replayed',
      description:
        'Events that exhausted their attempts; replay them from the admin app. Alert: LapakSyncDeadLetters.',
      unit: 'short',
      thresholds: [1, 100],
      queries: [{ expr: 'max(lapak_sync_dead_letters)' }],
    }),
    stat({
      title: 'Sync lag p95 (commit to readable in Directus)',
      description:
        'Time from the outbox commit of a change to its version being readable in Directus. Alert: LapakSyncLagHigh (60 s).',
      unit: 's',
      thresholds: [10, 60],
      queries: [{ expr: quantile(0.95, 'lapak_sync_lag_seconds') }],
    }),
    timeseries({
      title: 'Event deliveries per second by result and flow version',
      description:
        'applied or stale (Directus has that version or a newer one) are successes; failed and error are retried with backoff, then dead-lettered.',
      unit: 'ops',
      min: 0,
      stack: true,
      queries: [
        {
          expr: `sum by (flow_version, result) (${rate('lapak_sync_deliveries_total')})`,
          legend: '{{flow_version}} {{result}}',
        },
      ],
    }),
    timeseries({
      title: 'Sync lag p50, p95 and p99 (commit to readable in Directus)',
      description: 'Quantiles of the time from the outbox commit of a change to Directus serving it.',
      unit: 's',
      min: 0,
      queries: quantiles('lapak_sync_lag_seconds'),
    }),
    timeseries({
      title: 'Flow answer time p95 by flow version',
      description: 'Time from posting a batch to the n8n flow to its answer: a slow flow version shows here.',
      unit: 's',
      min: 0,
      queries: [
        {
          expr: quantile(0.95, 'lapak_sync_delivery_duration_seconds', '', ['flow_version']),
          legend: '{{flow_version}}',
        },
      ],
    }),
    timeseries({
      title: 'Catalog-sync queue jobs by state',
      description:
        'Batches waiting, active, delayed (retries with backoff) and failed in the catalog-sync queue.',
      unit: 'short',
      min: 0,
      queries: [
        {
          expr: 'max by (state) (lapak_queue_jobs{queue="catalog-sync",state=~"waiting|active|delayed|failed"})',
          legend: '{{state}}',
        },
      ],
    }),
    timeseries({
      title: 'Outbox events waiting to be relayed',
      description: 'Outbox backlog over time: it grows when no worker relays or Redis refuses writes.',
      unit: 'short',
      min: 0,
      queries: [{ expr: 'max(lapak_outbox_backlog)', legend: 'events waiting' }],
    }),
    timeseries({
      title: 'Oldest unrelayed outbox event age',
      description: 'Age of the oldest outbox event over time.',
      unit: 's',
      min: 0,
      queries: [{ expr: 'max(lapak_outbox_oldest_age_seconds)', legend: 'oldest event' }],
    }),
    timeseries({
      title: 'Dead-lettered events not replayed',
      description: 'Dead letters over time: a step up is a batch that exhausted SYNC_MAX_ATTEMPTS.',
      unit: 'short',
      min: 0,
      queries: [{ expr: 'max(lapak_sync_dead_letters)', legend: 'dead letters' }],
    }),
    timeseries({
      title: 'Late writes refused by the version fence',
      description:
        'Sync writes Directus refused because it already held a newer version or a delete (a delivery that landed after newer ones, often after a timeout). Harmless by design; counted in Directus, so every worker reports the same figure.',
      unit: 'ops',
      min: 0,
      queries: [
        {
          expr: `max by (collection) (${rate('lapak_sync_fenced_writes_total')})`,
          legend: '{{collection}}',
        },
      ],
    }),
    timeseries({
      title: 'Time since the last successful delivery',
      description:
        'Seconds since the flow last answered a batch; it only matters while batches wait (LapakSyncStalled).',
      unit: 's',
      min: 0,
      queries: [
        { expr: 'time() - max(lapak_sync_last_success_timestamp_seconds > 0)', legend: 'since last success' },
      ],
    }),
    stat({
      title: 'n8n instances up',
      description:
        'n8n instances Prometheus scraped successfully (its /metrics with N8N_METRICS=true). Alert: LapakN8nDown.',
      unit: 'short',
      queries: [{ expr: 'sum(up{job="n8n"})' }],
    }),
    stat({
      title: 'Active n8n workflows',
      description: 'Workflows n8n has active (published): the catalog-sync flow versions among them.',
      unit: 'short',
      queries: [{ expr: 'max(n8n_active_workflow_count)' }],
    }),
    timeseries({
      title: 'n8n workflow executions per second by status',
      description:
        'Executions n8n finished per second (the catalog-sync flow runs once per delivered batch), success or failed.',
      unit: 'ops',
      min: 0,
      queries: [
        {
          expr: `sum by (status) (${rate('n8n_workflow_execution_duration_seconds_count')})`,
          legend: '{{status}}',
        },
      ],
    }),
    timeseries({
      title: 'n8n workflow execution time p95',
      description: "95th percentile of n8n's workflow execution time, as n8n measures it.",
      unit: 's',
      min: 0,
      queries: quantiles('n8n_workflow_execution_duration_seconds', '', [0.95]),
    }),
    timeseries({
      title: 'n8n resident memory',
      description: 'Resident set size of the n8n process.',
      unit: 'bytes',
      min: 0,
      queries: [{ expr: 'n8n_process_resident_memory_bytes', legend: '{{instance}}' }],
    }),
  ],
};

const pg = (metric: string) => `${metric}{datname="lapak"}`;

export const datastoresDashboard: DashboardSpec = {
  uid: 'lapak-datastores',
  title: 'Lapak · PostgreSQL and Redis',
  description: 'PostgreSQL (postgres_exporter) and the queue Redis (redis_exporter).',
  panels: [
    stat({
      title: 'PostgreSQL reachable',
      description:
        'postgres_exporter could connect to PostgreSQL at its last scrape (1 = yes). Alert: LapakPostgresDown.',
      unit: 'bool_yes_no',
      queries: [{ expr: 'min(pg_up)' }],
    }),
    stat({
      title: 'Connections used of max_connections',
      description:
        'Connections of every database (Lapak, Directus, n8n) as a share of max_connections. Alert: LapakDatabaseConnectionsSaturated (80%).',
      unit: 'percentunit',
      thresholds: [0.8, 0.95],
      queries: [{ expr: 'sum(pg_stat_activity_count) / max(pg_settings_max_connections)' }],
    }),
    stat({
      title: 'Redis reachable',
      description: 'redis_exporter could reach Redis at its last scrape (1 = yes). Alert: LapakRedisDown.',
      unit: 'bool_yes_no',
      queries: [{ expr: 'min(redis_up)' }],
    }),
    stat({
      title: 'Redis memory used of maxmemory',
      description:
        'With noeviction, Redis refuses writes when full. Empty when no maxmemory is set. Alert: LapakRedisMemoryHigh.',
      unit: 'percentunit',
      thresholds: [0.7, 0.85],
      queries: [{ expr: 'max(redis_memory_used_bytes / (redis_memory_max_bytes > 0))' }],
    }),
    timeseries({
      title: 'PostgreSQL connections by database and state',
      description: 'Open connections per database and state; many "idle in transaction" point to a leak.',
      unit: 'short',
      min: 0,
      stack: true,
      queries: [
        {
          expr: 'sum by (datname, state) (pg_stat_activity_count > 0)',
          legend: '{{datname}} {{state}}',
        },
        { expr: 'max(pg_settings_max_connections)', legend: 'max_connections' },
      ],
    }),
    timeseries({
      title: 'Longest running transaction by database',
      description: 'Age of the oldest open transaction per database: long ones hold locks and block vacuum.',
      unit: 's',
      min: 0,
      queries: [{ expr: 'max by (datname) (pg_stat_activity_max_tx_duration)', legend: '{{datname}}' }],
    }),
    timeseries({
      title: 'Lapak database transactions per second',
      description: 'Commits and rollbacks per second in the lapak database.',
      unit: 'ops',
      min: 0,
      queries: [
        { expr: `sum(${rate(pg('pg_stat_database_xact_commit'))})`, legend: 'commits' },
        { expr: `sum(${rate(pg('pg_stat_database_xact_rollback'))})`, legend: 'rollbacks' },
      ],
    }),
    timeseries({
      title: 'Lapak database buffer cache hit ratio',
      description:
        'Share of block reads served from shared buffers; below ~0.99 the working set outgrows memory.',
      unit: 'percentunit',
      max: 1,
      queries: [
        {
          expr: `sum(${rate(pg('pg_stat_database_blks_hit'))}) / (sum(${rate(pg('pg_stat_database_blks_hit'))}) + sum(${rate(pg('pg_stat_database_blks_read'))}))`,
          legend: 'hit ratio',
        },
      ],
    }),
    timeseries({
      title: 'Locks held by mode in the Lapak database',
      description:
        'Locks held or awaited per mode; a rise of exclusive modes with slow requests points to lock waits.',
      unit: 'short',
      min: 0,
      queries: [{ expr: `sum by (mode) (${pg('pg_locks_count')} > 0)`, legend: '{{mode}}' }],
    }),
    timeseries({
      title: 'Deadlocks per second by database',
      description:
        'Deadlocks PostgreSQL detected and broke; the losing transactions are retried by the worker.',
      unit: 'ops',
      min: 0,
      queries: [{ expr: `sum by (datname) (${rate('pg_stat_database_deadlocks')})`, legend: '{{datname}}' }],
    }),
    timeseries({
      title: 'Database size',
      description: 'On-disk size of each database.',
      unit: 'bytes',
      min: 0,
      queries: [{ expr: 'pg_database_size_bytes', legend: '{{datname}}' }],
    }),
    timeseries({
      title: 'Redis memory used',
      description: 'Memory Redis uses for data and overhead, against maxmemory (0 = no limit).',
      unit: 'bytes',
      min: 0,
      queries: [
        { expr: 'redis_memory_used_bytes', legend: 'used' },
        { expr: 'redis_memory_max_bytes', legend: 'maxmemory' },
      ],
    }),
    timeseries({
      title: 'Redis commands per second',
      description: 'Commands Redis processed per second (BullMQ moves each job with a few scripts).',
      unit: 'ops',
      min: 0,
      queries: [{ expr: `sum(${rate('redis_commands_processed_total')})`, legend: 'commands' }],
    }),
    timeseries({
      title: 'Redis clients',
      description:
        'Connected clients (API, workers, Directus cache) and clients blocked on a blocking call (idle workers).',
      unit: 'short',
      min: 0,
      queries: [
        { expr: 'sum(redis_connected_clients)', legend: 'connected' },
        { expr: 'sum(redis_blocked_clients)', legend: 'blocked' },
      ],
    }),
    timeseries({
      title: 'Redis keys per database',
      description: 'Keys in each Redis database: BullMQ jobs in db0, the Directus cache in db1.',
      unit: 'short',
      min: 0,
      queries: [{ expr: 'sum by (db) (redis_db_keys)', legend: '{{db}}' }],
    }),
    timeseries({
      title: 'Redis evicted and expired keys per second',
      description:
        'Evictions must stay at 0 (noeviction, LapakRedisEvictionPolicy); expiries come from the Directus cache.',
      unit: 'ops',
      min: 0,
      queries: [
        { expr: `sum(${rate('redis_evicted_keys_total')})`, legend: 'evicted' },
        { expr: `sum(${rate('redis_expired_keys_total')})`, legend: 'expired' },
      ],
    }),
  ],
};

/** Every dashboard, by the file name it is written to. */
export const lapakDashboards: Record<string, DashboardSpec> = {
  'lapak-api.json': apiDashboard,
  'lapak-orders.json': ordersDashboard,
  'lapak-catalog-sync.json': syncDashboard,
  'lapak-datastores.json': datastoresDashboard,
};
