import { readFile } from 'node:fs/promises';
import type { DirectusClient } from './directus-client';
import { ownCollections } from './fields';

export const snapshotPath = new URL('../schema/snapshot.json', import.meta.url);

interface Snapshot {
  version: number;
  directus: string;
  vendor: string;
  collections: { collection: string }[];
  fields: { collection: string; field: string }[];
  systemFields?: unknown[];
  relations: { collection: string; field: string }[];
}

interface DiffEntry {
  kind: 'N' | 'D' | 'E' | 'A';
  path?: (string | number)[];
}
interface SchemaDiff {
  hash: string;
  diff: {
    collections: { collection: string; diff: DiffEntry[] }[];
    fields: { collection: string; field: string; diff: DiffEntry[] }[];
    systemFields?: { collection: string; field: string; diff: DiffEntry[] }[];
    relations: { collection: string; field: string; diff: DiffEntry[] }[];
  };
}

const isOwn = (entry: { collection: string }) =>
  (ownCollections as readonly string[]).includes(entry.collection);

export async function readSnapshot(): Promise<Snapshot> {
  return JSON.parse(await readFile(snapshotPath, 'utf8')) as Snapshot;
}

/** The current snapshot with this project's collections, fields and relations as the file has them. */
function desiredSnapshot(current: Snapshot, own: Snapshot): Snapshot {
  return {
    ...current,
    collections: [...current.collections.filter((c) => !isOwn(c)), ...own.collections],
    fields: [...current.fields.filter((f) => !isOwn(f)), ...own.fields],
    relations: [...current.relations.filter((r) => !isOwn(r)), ...own.relations],
  };
}

function describe(kind: string, what: string, diff: DiffEntry[]): string {
  const first = diff[0];
  if (diff.length === 1 && first?.kind === 'N' && !first.path) return `created ${kind} ${what}`;
  if (diff.length === 1 && first?.kind === 'D' && !first.path) return `deleted ${kind} ${what}`;
  const paths = [...new Set(diff.map((d) => (d.path ?? []).join('.')))].filter(Boolean);
  return `updated ${kind} ${what} (${paths.join(', ')})`;
}

/**
 * Makes the schema of `products`, `categories` and their junction match schema/snapshot.json:
 * asks Directus for the difference, applies it, and returns one line per change. Collections
 * that are not this project's are left as they are.
 */
export async function applySchema(client: DirectusClient, own?: Snapshot): Promise<string[]> {
  const current = await client.get<Snapshot>('/schema/snapshot');
  const desired = desiredSnapshot(current, own ?? (await readSnapshot()));
  const diff = await client.request<SchemaDiff | undefined>('POST', '/schema/diff?force=true', desired);
  if (!diff) return [];
  const changes = [
    ...diff.diff.collections.map((c) => describe('collection', c.collection, c.diff)),
    ...diff.diff.fields.map((f) => describe('field', `${f.collection}.${f.field}`, f.diff)),
    ...diff.diff.relations.map((r) => describe('relation', `${r.collection}.${r.field}`, r.diff)),
  ];
  await client.request('POST', '/schema/apply', diff);
  return changes;
}

/** The current schema of this project's collections, in the snapshot file's shape. */
export async function exportSnapshot(client: DirectusClient): Promise<Snapshot> {
  const current = await client.get<Snapshot>('/schema/snapshot');
  return {
    version: current.version,
    directus: current.directus,
    vendor: current.vendor,
    collections: current.collections.filter(isOwn),
    fields: current.fields.filter(isOwn),
    relations: current.relations.filter(isOwn),
  };
}
