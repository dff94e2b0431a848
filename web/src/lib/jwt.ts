interface Claims {
  exp?: unknown;
  iat?: unknown;
}

/** The payload of a JWT, read without verifying it (only the API can). Null when unreadable. */
function claims(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Claims) : null;
  } catch {
    return null;
  }
}

/** The expiry (`exp`, seconds since the epoch) of a JWT. Null when there is none or it cannot be read. */
export function tokenExpiry(token: string): number | null {
  const exp = claims(token)?.exp;
  return typeof exp === 'number' ? exp : null;
}

/**
 * When the token stops working, in milliseconds on this browser's clock: its lifetime (`exp − iat`,
 * both on the API's clock) counted from when it arrived, so a browser clock minutes off neither
 * makes a fresh token look expired nor keeps sending a dead one. `exp` itself when the token has
 * no `iat`; null when it has no expiry.
 */
export function localExpiry(token: string, receivedAt = Date.now()): number | null {
  const read = claims(token);
  if (typeof read?.exp !== 'number') return null;
  if (typeof read.iat !== 'number') return read.exp * 1000;
  return receivedAt + Math.max(0, read.exp - read.iat) * 1000;
}

/**
 * When to renew a token received at `receivedAt` and good until `expiresAt`: a fifth of its life
 * before the end, and no more than a minute before (15 minutes: renewed at 14; 60 s: at 48 s).
 * Early enough that a request sent at that moment still carries a live token, late enough that a
 * tab does not renew needlessly often.
 */
export function renewalTime(receivedAt: number, expiresAt: number): number {
  return expiresAt - Math.min(60_000, Math.max(0, expiresAt - receivedAt) / 5);
}
