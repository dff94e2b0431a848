import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A service of a Compose file, after interpolation and YAML merge keys. */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { type: string; source?: string; target: string })[];
  ports?: (string | number | object)[];
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: `x-${string}`]: unknown;
}

/**
 * Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, and `$$` for a literal `$`. Returns the text and every
 * variable name it met.
 */
export function interpolate(text: string, env: Record<string, string | undefined>) {
  const names = new Set<string>();
  const out = text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, dollar: string | undefined, braced, operator: string | undefined, arg = '', bare) => {
      if (dollar) return '$';
      const name: string = braced ?? bare;
      names.add(name);
      const value = env[name];
      const missing = operator?.startsWith(':') ? !value : value === undefined;
      if (operator?.endsWith('-')) return missing ? arg : (value as string);
      if (operator?.endsWith('?') && missing) throw new Error(`${name}: ${arg || 'required'}`);
      return value ?? '';
    },
  );
  return { text: out, names };
}

/** Interpolates every string value (not keys) of a parsed YAML tree, as Compose does. */
function interpolateTree(
  node: unknown,
  env: Record<string, string | undefined>,
  names: Set<string>,
): unknown {
  if (typeof node === 'string') {
    const result = interpolate(node, env);
    result.names.forEach((name) => names.add(name));
    return result.text;
  }
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env, names));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env, names)]),
    );
  }
  return node;
}

/**
 * Reads a Compose file as `docker compose config` sees it with the given environment: YAML merge
 * keys resolved, variables interpolated. Also returns every variable the file refers to.
 */
export function loadComposeFile(path: string, env: Record<string, string | undefined> = {}) {
  const names = new Set<string>();
  const parsed: unknown = parse(readFileSync(path, 'utf8'), { merge: true });
  const file = interpolateTree(parsed, env, names) as ComposeFile;
  return { file, variables: names };
}

/** A service's environment as a plain object of strings (Compose accepts a map or KEY=VALUE list). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
}

/** depends_on as `{target: condition}` (the short list form means service_started). */
export function serviceDependencies(service: ComposeService): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, { condition }]) => [name, condition]));
}
