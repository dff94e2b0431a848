import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '@lapak/core';

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
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  volumes?: { name: string }[];
  terminationGracePeriodSeconds?: number;
}

const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  images: { name: string }[];
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
/** The Secret as an operator fills it in: every placeholder replaced by a real value. */
const filledSecret = Object.fromEntries(
  Object.entries(secret).map(([key, value]) => [
    key,
    value.includes('CHANGE-ME') ? value.replace('CHANGE-ME', 'x'.repeat(48)) : value,
  ]),
);

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
    expect(container!.ports).toEqual([{ name: portName, containerPort: port }]);
    expect(Number(configMap[variable])).toBe(port);
    expect(container!.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: portName });
    expect(container!.startupProbe?.httpGet).toEqual({ path: '/healthz', port: portName });
    expect(container!.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: portName });
    // Listening on 127.0.0.1 would fail every probe.
    const host = name === 'lapak-api' ? configMap.API_HOST : configMap.WORKER_METRICS_HOST;
    expect(host).toBe('0.0.0.0');
  });

  it('runs every container unprivileged with a writable /tmp only', () => {
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
      }
    }
  });

  it('feeds every process from the ConfigMap and the Secret, with variables the config knows', () => {
    const known = new Set<string>(configVariables);
    expect(Object.keys(configMap).filter((key) => !known.has(key))).toEqual([]);
    expect(Object.keys(secret).filter((key) => !known.has(key))).toEqual([]);
    for (const item of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')) {
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

  it('refuses to start with the placeholder secrets', () => {
    expect(() => loadConfig({ ...configMap, ...secret })).toThrow(ConfigError);
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
