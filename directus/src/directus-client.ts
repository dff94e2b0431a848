/** A minimal Directus REST client: JSON in, `data` out, errors that name the request. */
export class DirectusError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: string,
  ) {
    super(`Directus ${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'DirectusError';
  }

  /** Directus answers 403 (never 404) for an item that does not exist or may not be seen. */
  get missing(): boolean {
    return this.status === 403 || this.status === 404;
  }
}

export class DirectusClient {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  /** Returns the `data` of the answer (undefined for 204). */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.url), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new DirectusError(response.status, method, path, text);
    if (!text) return undefined as T;
    return (JSON.parse(text) as { data: T }).data;
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  /** The item, or null when Directus says it does not exist (403/404). */
  async find<T = unknown>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof DirectusError && error.missing) return null;
      throw error;
    }
  }
}

/** Waits until `GET /server/ping` answers, or throws after `timeoutMs`. */
export async function waitForDirectus(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('/server/ping', url));
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Directus at ${url} did not answer /server/ping within ${timeoutMs} ms (${last})`);
}
