import { z } from 'zod';
import { secretProblem, urlPassword } from './secret-strength';
import { catalogFlowSchemaVersions, isCatalogFlowVersion } from '../sync/catalog-schema-version';

const isProduction = (env: NodeJS.ProcessEnv) => env.NODE_ENV === 'production';

/** A secret that has a development default, but must be set explicitly in production. */
const secret = (devDefault: string) =>
  z.string().min(32, 'must be at least 32 characters').default(devDefault);

/** A whole number from the environment (a string there), within its bounds; `default` when unset. */
const wholeNumber = (bounds: { min: number; max?: number; default: number }) => {
  const number = z.coerce.number().int().min(bounds.min);
  return (bounds.max === undefined ? number : number.max(bounds.max)).default(bounds.default);
};

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/lapak'),
  DATABASE_POOL_MAX: wholeNumber({ min: 1, max: 200, default: 10 }),
  /**
   * The role the API and worker connect as, for the migration only: run as the schema's owner, it
   * then grants this role read and write on every table, sequence and function, now and for what
   * later migrations create, and nothing else (no DDL). Unset: no grants (tests, and a database
   * whose one user does everything).
   */
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain PostgreSQL role name (a-z, 0-9, _)')
    .optional(),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key this deployment writes (BullMQ queues, rate limits, pub/sub channels). */
  REDIS_PREFIX: z.string().min(1).max(64).default('lapak'),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: wholeNumber({ min: 0, max: 65535, default: 3000 }),
  /** Public base URL of the API, used in the OpenAPI document. */
  API_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  JWT_SECRET: secret('dev-only-jwt-secret-change-me-0123456789abcdef'),
  /**
   * Lifetime of an access token: minutes, so that a demoted admin or a stolen token stops
   * working soon; the session goes on through its refresh token.
   */
  JWT_TTL_SECONDS: wholeNumber({ min: 60, max: 24 * 60 * 60, default: 15 * 60 }),
  /** Lifetime of a refresh token (each use replaces it with a new one of the same lifetime). */
  REFRESH_TTL_SECONDS: wholeNumber({ min: 60, default: 30 * 24 * 60 * 60 }),
  /**
   * Send the refresh cookie only over HTTPS. On by default in production; off serves a
   * deployment on plain HTTP (a local compose stack), where the browser would drop it otherwise.
   */
  AUTH_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /** Static bearer token with the admin role, for tools such as Appsmith and scripts. Empty: disabled. */
  ADMIN_API_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Comma-separated origins allowed to call the API from a browser. */
  CORS_ORIGINS: z.string().default('http://127.0.0.1:5173,http://localhost:5173'),
  /** Trust `X-Forwarded-For` for the client IP (only behind a proxy that sets it); rate limits key on it. */
  API_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Failed logins per client and per (email, client), and register attempts per client and per email, in each window. */
  AUTH_RATE_LIMIT_PER_IP: wholeNumber({ min: 1, default: 30 }),
  AUTH_RATE_LIMIT_PER_EMAIL: wholeNumber({ min: 1, default: 10 }),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: wholeNumber({ min: 1, max: 86_400, default: 300 }),
  /** Orders one shopper may place in each window (a retry of a stored checkout does not count). */
  CHECKOUT_RATE_LIMIT_PER_USER: wholeNumber({ min: 1, default: 10 }),
  CHECKOUT_RATE_LIMIT_WINDOW_SECONDS: wholeNumber({ min: 1, max: 86_400, default: 60 }),
  /**
   * Most checkouts written in one statement, and statements in flight per API process. One in
   * flight: checkouts that arrive meanwhile share the next statement and its commit (on 2 cores,
   * 1 against 4: +20–25 % checkouts/s, half the PostgreSQL CPU per checkout, bench/checkout.bench.ts).
   */
  CHECKOUT_BATCH_MAX: wholeNumber({ min: 1, max: 500, default: 64 }),
  CHECKOUT_BATCHES_IN_FLIGHT: wholeNumber({ min: 1, max: 100, default: 1 }),
  /**
   * Interval of the heartbeat comment on order status streams (SSE); at each beat the API process
   * also re-reads the status of every order its streams watch, in one query.
   */
  SSE_HEARTBEAT_MS: wholeNumber({ min: 100, max: 120_000, default: 15_000 }),
  /**
   * Open order status streams per user across every API process, and per API process; past
   * either a new stream is `429 rate_limited` with Retry-After. A shopper follows an order or two;
   * each stream holds a socket and a slot in the heartbeat read.
   */
  SSE_MAX_STREAMS_PER_USER: wholeNumber({ min: 1, max: 1000, default: 5 }),
  SSE_MAX_STREAMS_PER_PROCESS: wholeNumber({ min: 1, max: 100_000, default: 2000 }),
  /** A stream's longest life; then it ends and the browser's EventSource connects again. */
  SSE_MAX_LIFETIME_MS: wholeNumber({ min: 1000, max: 24 * 60 * 60 * 1000, default: 10 * 60 * 1000 }),
  /**
   * Where the API serves `/metrics`: a port of its own, not the public one, so that only what can
   * reach this address (Prometheus, the pod network) reads it. 0.0.0.0 to be scraped from elsewhere.
   */
  API_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  API_METRICS_PORT: wholeNumber({ min: 0, max: 65535, default: 3002 }),

  WORKER_METRICS_PORT: wholeNumber({ min: 0, max: 65535, default: 3001 }),
  /** Address the worker's /metrics, /healthz and /readyz listen on (0.0.0.0 to be scraped from elsewhere). */
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_CONCURRENCY: wholeNumber({ min: 1, max: 1000, default: 32 }),
  /** A pending order older than this is failed by the sweeper. */
  ORDER_PENDING_TIMEOUT_MS: wholeNumber({ min: 1000, default: 5 * 60 * 1000 }),
  /** Most orders decided in one transaction (one micro-batch of the order worker). */
  ORDER_BATCH_MAX: wholeNumber({ min: 1, max: 1000, default: 200 }),
  /**
   * How long a worker's claim on a job lasts without renewal (a live worker renews it every half);
   * a killed worker's jobs go back to the queue within this plus half of it.
   */
  WORKER_LOCK_DURATION_MS: wholeNumber({ min: 500, max: 600_000, default: 5_000 }),

  /** Standard Webhooks secret shared with the n8n flow (raw string; the flow holds the same). */
  WEBHOOK_SECRET: secret('dev-only-webhook-secret-change-me-0123456789'),
  /** Base URL of n8n; the flow path comes from the current flow version. */
  N8N_URL: z.url().default('http://127.0.0.1:5678'),
  DIRECTUS_URL: z.url().default('http://127.0.0.1:8055'),
  /**
   * Static token of the least-privilege Directus sync user (reconciliation reads through it; the
   * flow writes with it). Required in production, where the development default is refused.
   */
  DIRECTUS_SYNC_TOKEN: z.string().default('dev-only-directus-sync-token'),
  /** Static token of a Directus admin, used only by `directus:apply` (schema, roles, policies). */
  DIRECTUS_ADMIN_TOKEN: z.string().min(1).optional(),
  /** Directus's own PostgreSQL database, used only by `directus:apply` (the version fence). */
  DIRECTUS_DB_URL: z.url().optional(),
  /** n8n public API key for `n8n:deploy` against a running n8n; without it the n8n CLI imports. */
  N8N_API_KEY: z.string().min(1).optional(),
  /**
   * The SMTP server the automation flows send their mails through (docs/automation.md): stored in
   * n8n as the flows' credential by `n8n:deploy` and `pnpm start`. The defaults are the local mail
   * catcher `pnpm start` runs (MailDev), which takes mail without a login.
   */
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: wholeNumber({ min: 1, max: 65535, default: 1025 }),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** `true`: TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  /** The sender of the shop's mails, `Name <address>` or an address. */
  SMTP_FROM: z.string().min(3).default('Lapak <shop@lapak.example.com>'),
  /** Where the stock-alerts flow sends its mails: the shop's own inbox. */
  SHOP_ALERT_EMAIL: z.email().default('admin@lapak.example.com'),
  /** The catalog-sync flow version the dispatcher posts to: `<N8N_URL>/webhook/catalog-sync-<version>`. */
  SYNC_FLOW_VERSION: z
    .string()
    .regex(/^v\d+$/, 'must look like v1, v2, …')
    .refine(
      isCatalogFlowVersion,
      `must be a flow version whose event schema this worker knows (${Object.keys(catalogFlowSchemaVersions).join(', ')})`,
    )
    .default('v1'),
  /** Most events in one webhook request (the contract allows 1000). */
  SYNC_BATCH_MAX: wholeNumber({ min: 1, max: 1000, default: 500 }),
  /**
   * Batches delivered at once across all worker processes. Directus's version fence keeps an
   * older version from landing over a newer one whatever the order the batches finish in.
   */
  SYNC_MAX_IN_FLIGHT: wholeNumber({ min: 1, max: 32, default: 4 }),
  /**
   * How long an idle relay waits after the first change before sending it, so changes committed
   * in the meantime (an order batch's stock changes, an admin's bulk edit) go out as one batch.
   */
  SYNC_RELAY_LINGER_MS: wholeNumber({ min: 0, max: 5000, default: 50 }),
  /** Attempts per event before it is dead-lettered. */
  SYNC_MAX_ATTEMPTS: wholeNumber({ min: 1, max: 100, default: 10 }),
  /** Retry backoff: base delay doubling per attempt, capped (ms). */
  SYNC_RETRY_BASE_MS: wholeNumber({ min: 10, default: 1000 }),
  SYNC_RETRY_MAX_MS: wholeNumber({ min: 10, default: 5 * 60 * 1000 }),
  /** How long the dispatcher waits for the flow's answer (ms). */
  SYNC_REQUEST_TIMEOUT_MS: wholeNumber({ min: 100, default: 30_000 }),
  /** Reconciliation interval (ms); 0 turns the schedule off (the CLI still runs it). */
  SYNC_RECONCILE_EVERY_MS: wholeNumber({ min: 0, default: 15 * 60 * 1000 }),
  /** Reconciliation ignores rows changed more recently than this (ms): their events may be on the way. */
  SYNC_RECONCILE_GRACE_MS: wholeNumber({ min: 0, default: 60_000 }),
  /** Relayed outbox rows and delivery log rows older than this many days are deleted by reconciliation. */
  SYNC_RETENTION_DAYS: wholeNumber({ min: 1, default: 14 }),

  /** OTLP/HTTP collector base URL (traces go to `<url>/v1/traces`); unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export type Config = z.infer<typeof configSchema>;

/** Every variable the config reads (deployment files are checked against this list). */
export const configVariables = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Secrets every production process must be given: their development defaults never apply there. */
export const productionSecrets = ['JWT_SECRET', 'WEBHOOK_SECRET', 'DIRECTUS_SYNC_TOKEN'] as const;
/** Secrets of what is off, or used by one tool, without them: checked when set. */
const optionalSecrets = ['ADMIN_API_TOKEN', 'DIRECTUS_ADMIN_TOKEN', 'N8N_API_KEY'] as const;
/** URLs whose password, when they carry one, is a secret too. */
const secretUrls = ['DATABASE_URL', 'REDIS_URL', 'DIRECTUS_DB_URL'] as const;

export type SecretName = (typeof productionSecrets)[number] | (typeof optionalSecrets)[number];

export interface LoadConfigOptions {
  /** The secrets this process cannot run without in production (default: `productionSecrets`). */
  requiredSecrets?: readonly SecretName[];
}

const secretNames = new Set<string>([...productionSecrets, ...optionalSecrets]);

/**
 * In production a missing required secret, and any secret set to a development value or to one
 * of too little entropy (secret-strength.ts), is refused by name.
 */
function productionSecretIssues(
  input: Record<string, string | undefined>,
  required: readonly SecretName[],
): string[] {
  const issues: string[] = [];
  for (const name of [...productionSecrets, ...optionalSecrets]) {
    const value = input[name];
    if (value === undefined) {
      if (required.includes(name)) issues.push(`${name}: required when NODE_ENV=production (not set)`);
      continue;
    }
    const problem = secretProblem(value);
    if (problem) issues.push(`${name}: ${problem}`);
  }
  for (const name of secretUrls) {
    const password = input[name] && urlPassword(input[name]);
    const problem = password ? secretProblem(password) : null;
    if (problem) issues.push(`${name}: its password ${problem}`);
  }
  return issues;
}

/** Parses the environment once. Throws a ConfigError naming every bad or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(input);
  const issues: string[] = [];
  const production = isProduction(env);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path.join('.');
      // In production the secret rule below judges a secret that is set (its length included).
      if (production && secretNames.has(name) && name in input) continue;
      issues.push(`${name}: ${issue.message}${name in input ? '' : ' (not set)'}`);
    }
  }
  if (production) {
    issues.push(...productionSecretIssues(input, options.requiredSecrets ?? productionSecrets));
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return result.data;
}

/**
 * The config of a process's entry point: a bad or missing value prints one line per variable,
 * prefixed with `processName`, and exits 1 (no stack trace for a setting).
 */
export function loadConfigOrExit(processName: string, env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${processName}: ${error.message}\n`);
    process.exit(1);
  }
}
