import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, databaseRoles, loadConfig, secretProblem } from '@lapak/core';
import { envReadBy, loadFlows } from '../../n8n-workflows/src/flows';

const dir = import.meta.dirname;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  volumes?: { name: string; secret?: { secretName: string } }[];
  terminationGracePeriodSeconds?: number;
}

const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  images: { name: string; newTag: string }[];
};
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJSON() as Manifest),
);
const find = (kind: string, name: string) => {
  const found = manifests.find((item) => item.kind === kind && item.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const podSpec = (item: Manifest) =>
  (item.spec as { template: { spec: PodSpec; metadata: { labels: Record<string, string> } } }).template;
const configMap = find('ConfigMap', 'lapak-config').data as Record<string, string>;
const secret = find('Secret', 'lapak-secrets').stringData as Record<string, string>;
/** A Secret as an operator fills it in: every placeholder replaced by 32 random bytes as hex. */
const filled = (data: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      value.replace('CHANGE-ME', randomBytes(32).toString('hex')),
    ]),
  );
const filledSecret = filled(secret);
/** The Deployments of Lapak's own processes (n8n has its own environment, the migration too). */
const lapakWorkloads = manifests.filter(
  (m) => m.kind === 'Deployment' && m.metadata.name.startsWith('lapak-'),
);
const migrateSecret = find('Secret', 'lapak-migrate-secrets').stringData as Record<string, string>;

describe('deploy/kubernetes', () => {
  it('lists every manifest of the folder in kustomization.yaml', () => {
    const files = readdirSync(dir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('is valid against the Kubernetes API schema', async () => {
    for (const item of manifests) {
      const module = (await import(`kubernetes-models/${item.apiVersion}/${item.kind}`)) as Record<
        string,
        new (data: unknown) => { validate(): void }
      >;
      const Model = module[item.kind]!;
      expect(() => new Model(item).validate(), `${item.kind} ${item.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check catches a broken manifest', async () => {
    const { Deployment } = await import('kubernetes-models/apps/v1/Deployment');
    const broken = structuredClone(find('Deployment', 'lapak-api')) as Manifest;
    podSpec(broken).spec.containers[0]!.ports = [{ containerPort: 'http' as unknown as number }];
    expect(() => new Deployment(broken as never).validate()).toThrow();
  });

  it.each([
    ['lapak-api', 'http', 3000, 'API_PORT'],
    ['lapak-worker', 'metrics', 3001, 'WORKER_METRICS_PORT'],
  ])('%s probes /healthz and /readyz on the port its config listens on', (name, portName, port, variable) => {
    const template = podSpec(find('Deployment', name));
    const [container] = template.spec.containers;
    expect(container!.ports).toContainEqual({ name: portName, containerPort: port });
    expect(Number(configMap[variable])).toBe(port);
    expect(container!.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: portName });
    expect(container!.startupProbe?.httpGet).toEqual({ path: '/healthz', port: portName });
    expect(container!.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: portName });
    // Listening on 127.0.0.1 would fail every probe.
    const host = name === 'lapak-api' ? configMap.API_HOST : configMap.WORKER_METRICS_HOST;
    expect(host).toBe('0.0.0.0');
  });

  it('serves the API’s /metrics on a port of its own, scraped from the pods, exposed by no Service', () => {
    const deployment = find('Deployment', 'lapak-api');
    const template = podSpec(deployment) as unknown as {
      metadata: { annotations: Record<string, string> };
      spec: PodSpec;
    };
    const config = loadConfig({ ...configMap, ...filledSecret });
    expect(config.API_METRICS_HOST).toBe('0.0.0.0');
    expect(config.API_METRICS_PORT).not.toBe(config.API_PORT);
    expect(template.spec.containers[0]!.ports).toEqual([
      { name: 'http', containerPort: config.API_PORT },
      { name: 'metrics', containerPort: config.API_METRICS_PORT },
    ]);
    expect(template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(config.API_METRICS_PORT),
      'prometheus.io/path': '/metrics',
    });
    const service = find('Service', 'lapak-api').spec as { ports: { port: number; targetPort: string }[] };
    expect(service.ports.map((port) => port.targetPort)).toEqual(['http']);
  });

  it('runs every container unprivileged with a writable /tmp only (and n8n its folder)', () => {
    for (const item of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')) {
      const { spec } = podSpec(item);
      expect(spec.securityContext?.runAsNonRoot, item.metadata.name).toBe(true);
      for (const container of spec.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
        expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(spec.volumes?.map((volume) => volume.name)).toContain('tmp');
        const writable = (container.volumeMounts ?? [])
          .filter((mount) => !mount.readOnly)
          .map((mount) => mount.mountPath);
        const allowed = item.metadata.name === 'n8n' ? ['/tmp', '/home/node/.n8n'] : ['/tmp'];
        expect(writable.sort(), item.metadata.name).toEqual(allowed.sort());
      }
    }
  });

  it('feeds every process from the ConfigMap and the Secret, with variables the config knows', () => {
    const known = new Set<string>(configVariables);
    expect(Object.keys(configMap).filter((key) => !known.has(key))).toEqual([]);
    expect(Object.keys(secret).filter((key) => !known.has(key))).toEqual([]);
    for (const item of lapakWorkloads) {
      const refs = podSpec(item).spec.containers[0]!.envFrom ?? [];
      expect(refs).toEqual([
        { configMapRef: { name: 'lapak-config' } },
        { secretRef: { name: 'lapak-secrets' } },
      ]);
    }
    const config = loadConfig({ ...configMap, ...filledSecret });
    expect(config.NODE_ENV).toBe('production');
    expect(config.API_HOST).toBe('0.0.0.0');
    // Behind the ingress the client's address comes from X-Forwarded-For (per-client rate limits).
    expect(config.API_TRUST_PROXY).toBe(true);
  });

  it('refuses to start with the placeholder secrets, naming each', () => {
    expect(() => loadConfig({ ...configMap, ...secret })).toThrow(ConfigError);
    const issues = (() => {
      try {
        loadConfig({ ...configMap, ...secret });
        return [];
      } catch (error) {
        return (error as ConfigError).issues;
      }
    })();
    const placeholders = Object.keys(secret).filter((key) => secret[key]!.includes('CHANGE-ME'));
    expect(placeholders.length).toBeGreaterThanOrEqual(5);
    expect(issues.map((issue) => issue.split(':')[0]).sort()).toEqual(placeholders.sort());
    for (const issue of issues) expect(issue).toMatch(/development value \(it contains "changeme"\)/);
    // Any placeholder left in an otherwise filled Secret is refused too.
    for (const name of placeholders) {
      expect(() => loadConfig({ ...configMap, ...filledSecret, [name]: secret[name] }), name).toThrow(
        new RegExp(`${name}: `),
      );
    }
  });

  it('points Services, HPAs and disruption budgets at the Deployments', () => {
    for (const name of ['lapak-api', 'lapak-worker']) {
      const deployment = find('Deployment', name);
      const labels = podSpec(deployment).metadata.labels;
      const service = find('Service', name).spec as {
        selector: Record<string, string>;
        ports: { targetPort: string }[];
      };
      expect(labels).toMatchObject(service.selector);
      const portNames = podSpec(deployment).spec.containers[0]!.ports!.map((port) => port.name);
      for (const port of service.ports) expect(portNames).toContain(port.targetPort);
      const hpa = find('HorizontalPodAutoscaler', name).spec as {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
      };
      expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
      expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas);
      const pdb = find('PodDisruptionBudget', name).spec as {
        selector: { matchLabels: Record<string, string> };
      };
      expect(labels).toMatchObject(pdb.selector.matchLabels);
    }
  });

  it('gives the worker more time to stop than it takes to drain', () => {
    const grace = podSpec(find('Deployment', 'lapak-worker')).spec.terminationGracePeriodSeconds!;
    const worker = readFileSync(join(dir, '../../worker/src/main.ts'), 'utf8');
    const drainMs = Number(worker.match(/setTimeout\([\s\S]*?\},\s*([\d_]+)\)/)?.[1]?.replaceAll('_', ''));
    expect(drainMs).toBeGreaterThan(0);
    expect(grace * 1000).toBeGreaterThan(drainMs);
  });

  describe('n8n', () => {
    const deployment = find('Deployment', 'n8n');
    const container = podSpec(deployment).spec.containers[0]!;
    const n8nConfig = find('ConfigMap', 'n8n-config').data as Record<string, string>;
    const n8nSecret = find('Secret', 'n8n-secrets').stringData as Record<string, string>;
    const fromSecrets = Object.fromEntries(
      (container.env ?? []).map((entry) => [entry.name, entry.valueFrom?.secretKeyRef]),
    );

    it('gets its own settings and the variables its flows read, two Lapak secrets by key, nothing whole', async () => {
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'n8n-config' } }]);
      expect(fromSecrets).toEqual({
        LAPAK_WEBHOOK_SECRET: { name: 'lapak-secrets', key: 'WEBHOOK_SECRET' },
        LAPAK_DIRECTUS_SYNC_TOKEN: { name: 'lapak-secrets', key: 'DIRECTUS_SYNC_TOKEN' },
      });
      const env = [...Object.keys(n8nConfig), ...Object.keys(fromSecrets)];
      const read = (await loadFlows()).flatMap((flow) => envReadBy(flow.workflow));
      expect(read.length).toBeGreaterThan(0);
      for (const name of read) expect(env, name).toContain(name);
      const own = /^(N8N_|DB_)|^(WEBHOOK_URL|NODE_FUNCTION_ALLOW_BUILTIN)$/;
      expect(env.filter((name) => !own.test(name) && !read.includes(name))).toEqual([]);
      expect(n8nConfig.N8N_BLOCK_ENV_ACCESS_IN_NODE).toBe('false');
      expect(n8nConfig.LAPAK_DIRECTUS_URL).toBe(configMap.DIRECTUS_URL);
    });

    it('reads its own secrets from files, which $env does not show', () => {
      const mount = container.volumeMounts!.find((m) => m.mountPath === '/run/secrets/n8n')!;
      expect(mount.readOnly).toBe(true);
      const volume = podSpec(deployment).spec.volumes!.find((v) => v.name === mount.name)!;
      expect(volume.secret?.secretName).toBe('n8n-secrets');
      for (const key of Object.keys(n8nSecret)) {
        expect(n8nConfig[key], key).toBeUndefined();
        expect(n8nConfig[`${key}_FILE`], key).toBe(`/run/secrets/n8n/${key}`);
      }
      expect(n8nConfig.N8N_INSTANCE_OWNER_MANAGED_BY_ENV).toBe('true');
      expect(n8nConfig.N8N_INSTANCE_OWNER_EMAIL).toMatch(/@/);
    });

    it('ships placeholders the secret rule refuses, and a generated set passes', () => {
      const keys = Object.keys(n8nSecret).filter((key) => key !== 'N8N_INSTANCE_OWNER_PASSWORD_HASH');
      for (const key of keys) {
        expect(secretProblem(n8nSecret[key]!), key).toMatch(/development value/);
        expect(secretProblem(filled(n8nSecret)[key]!), key).toBeNull();
      }
      // n8n itself refuses an owner password hash that is not bcrypt's.
      expect(n8nSecret.N8N_INSTANCE_OWNER_PASSWORD_HASH).not.toMatch(/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/);
    });

    it('is the Service the worker posts to, running the n8n the native run installs', () => {
      const url = new URL(configMap.N8N_URL!);
      expect(url.hostname).toBe('n8n.lapak.svc.cluster.local');
      const service = find('Service', 'n8n').spec as { ports: { port: number; targetPort: string }[] };
      expect(service.ports.map((port) => port.port)).toContain(Number(url.port));
      expect(container.ports).toEqual([{ name: 'http', containerPort: Number(n8nConfig.N8N_PORT) }]);
      const installer = readFileSync(join(dir, '../../scripts/install-cms.sh'), 'utf8');
      const pinned = installer.match(/^N8N_VERSION=(\S+)/m)?.[1];
      expect(kustomization.images).toContainEqual({ name: 'n8nio/n8n', newTag: pinned });
    });
  });

  describe('PostgreSQL roles', () => {
    const migrate = podSpec(find('Job', 'lapak-migrate')).spec.containers[0]!;
    const migrateEnv = {
      ...configMap,
      ...filled(migrateSecret),
      ...Object.fromEntries((migrate.env ?? []).map((entry) => [entry.name, entry.value ?? ''])),
    };

    it('connects the API and worker as the app role, the migration as the owner', () => {
      expect(new URL(filledSecret.DATABASE_URL!).username).toBe(databaseRoles.app);
      // As migrate.cli.ts reads it: its database, and no app secret required.
      const config = loadConfig(migrateEnv, { requiredSecrets: [] });
      expect(new URL(config.DATABASE_URL).username).toBe(databaseRoles.owner);
      expect(config.DATABASE_APP_ROLE).toBe(databaseRoles.app);
      expect(new URL(config.DATABASE_URL).host).toBe(new URL(filledSecret.DATABASE_URL!).host);
      const n8nConfig = find('ConfigMap', 'n8n-config').data as Record<string, string>;
      expect(n8nConfig.DB_POSTGRESDB_USER).toBe(databaseRoles.n8n);
    });

    it('gives the migration its own Secret and none of the app’s', () => {
      expect(migrate.envFrom).toEqual([
        { configMapRef: { name: 'lapak-config' } },
        { secretRef: { name: 'lapak-migrate-secrets' } },
      ]);
      expect(Object.keys(migrateSecret)).toEqual(['DATABASE_URL']);
      for (const item of lapakWorkloads) {
        const refs = JSON.stringify(podSpec(item).spec);
        expect(refs.includes('lapak-migrate-secrets'), item.metadata.name).toBe(false);
      }
    });

    it('refuses the migration’s placeholder by name', () => {
      expect(() => loadConfig({ ...migrateEnv, ...migrateSecret }, { requiredSecrets: [] })).toThrow(
        /DATABASE_URL: its password is a development value/,
      );
    });
  });

  it('uses the images the kustomization sets, and migrates with the API image', () => {
    const images = new Set(kustomization.images.map((image) => image.name));
    for (const item of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')) {
      for (const container of podSpec(item).spec.containers) expect(images.has(container.image)).toBe(true);
    }
    const migrate = podSpec(find('Job', 'lapak-migrate')).spec.containers[0]!;
    expect(migrate.image).toBe('lapak-api');
    expect(migrate.command?.join(' ')).toMatch(/migrate\.cli\.ts$/);
  });
});
