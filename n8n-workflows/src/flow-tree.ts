import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The files that `n8n:build` and `n8n:pull` read, by path relative to the flows folder
 * (`catalog-sync-v1.json`, `catalog-sync-v1/plan-writes.js`, and through a Code node's relative
 * require `../worker/src/sync/standard-webhooks.cjs`). Both compute what to write from it and
 * return the changes, so that they can be tested on a tree in memory and checked without writing.
 */
export interface FlowTree {
  /** The file's text, or undefined when there is none. */
  read(path: string): string | undefined;
  /** The names of the files (not folders) in a folder; `''` is the flows folder itself. */
  list(dir: string): string[];
}

/** Path → new text, or null to delete the file. */
export type FileChanges = Map<string, string | null>;

/** The tree on disk under `root`. */
export function diskTree(root: string): FlowTree {
  return {
    read(path) {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    list(dir) {
      try {
        return readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => entry.name)
          .sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
  };
}

/** A tree in memory: these files, and what `base` has besides (for tests). */
export function memoryTree(files: Record<string, string>, base?: FlowTree): FlowTree {
  const changes: FileChanges = new Map(Object.entries(files));
  return withChanges(base ?? { read: () => undefined, list: () => [] }, changes);
}

/** A tree as it will be once `changes` are written over `base`. */
export function withChanges(base: FlowTree, changes: FileChanges): FlowTree {
  return {
    read: (path) => (changes.has(path) ? (changes.get(path) ?? undefined) : base.read(path)),
    list(dir) {
      const names = new Set(base.list(dir));
      const prefix = dir ? `${dir}/` : '';
      for (const [path, text] of changes) {
        if (!path.startsWith(prefix) || path.slice(prefix.length).includes('/')) continue;
        if (text === null) names.delete(path.slice(prefix.length));
        else names.add(path.slice(prefix.length));
      }
      return [...names].sort();
    },
  };
}

/** Writes (or deletes) the changed files under `root`. */
export function writeChanges(root: string, changes: FileChanges): void {
  for (const [path, text] of changes) {
    const file = join(root, path);
    if (text === null) {
      rmSync(file, { force: true });
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
}
