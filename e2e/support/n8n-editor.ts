import { randomBytes } from 'node:crypto';

/** A call to n8n's editor REST API (`/rest/...`): the answer's `data`, or an error naming the call. */
export type N8nRest = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * The n8n editor's own session, as a browser holds it: every request carries the browser id and
 * the cookie of the last answer that set one.
 */
export function n8nEditor(n8nUrl: string, browserId: string): N8nRest {
  const browser = { 'browser-id': browserId, cookie: '' };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${n8nUrl}/rest${path}`, {
      method,
      headers: { ...browser, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (cookie) browser.cookie = cookie;
    const text = await response.text();
    if (!response.ok) throw new Error(`n8n ${method} /rest${path}: ${response.status} ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { data: T }).data;
  };
}

/**
 * Sets up a fresh n8n's owner through the editor's session `rest` and makes a public API key with
 * every scope, labelled `keyLabel`, as an operator would; returns the key.
 */
export async function ownerApiKey(
  rest: N8nRest,
  owner: { email: string; firstName: string; lastName: string },
  keyLabel: string,
): Promise<string> {
  await rest('POST', '/owner/setup', { ...owner, password: `Lapak-${randomBytes(8).toString('hex')}-1` });
  const scopes = await rest<string[]>('GET', '/api-keys/scopes');
  const { rawApiKey } = await rest<{ rawApiKey: string }>('POST', '/api-keys', {
    label: keyLabel,
    expiresAt: null,
    scopes,
  });
  return rawApiKey;
}
