import { timingSafeEqual, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Role } from '@lapak/contracts';
import { AppError } from '../errors/app-error';

export interface Principal {
  userId: string | null;
  role: Role;
}

/** Issues and verifies the JWTs shoppers and admins send; also accepts the deployment's admin API token. */
export class TokenService {
  private readonly secret: Uint8Array;
  /** The HMAC key, imported once (importing it for every token costs more than verifying). */
  private key: Promise<webcrypto.CryptoKey> | undefined;
  /** Tokens verified lately → who they name and until when (never past the token's own expiry). */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly adminApiToken?: string,
  ) {
    this.secret = new TextEncoder().encode(secret);
  }

  private hmacKey(): Promise<webcrypto.CryptoKey> {
    this.key ??= webcrypto.subtle.importKey('raw', this.secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    return this.key;
  }

  async issue(user: { id: string; role: Role }): Promise<string> {
    return new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('lapak')
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await this.hmacKey());
  }

  async verify(token: string): Promise<Principal> {
    if (this.adminApiToken && safeEqual(token, this.adminApiToken)) return { userId: null, role: 'admin' };
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && known.until > now) return known.principal;
    try {
      const { payload } = await jwtVerify(token, await this.hmacKey(), {
        issuer: 'lapak',
        algorithms: ['HS256'],
      });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || (role !== 'customer' && role !== 'admin')) {
        throw new AppError('unauthenticated', 'The token is not a Lapak user token');
      }
      const principal: Principal = { userId: payload.sub, role };
      this.remember(token, principal, Math.min(now + VERIFIED_CACHE_MS, (payload.exp ?? 0) * 1000));
      return principal;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const message = error instanceof errors.JWTExpired ? 'The token has expired' : 'The token is invalid';
      throw new AppError('unauthenticated', message);
    }
  }

  private remember(token: string, principal: Principal, until: number): void {
    if (until <= Date.now()) return;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Drop the oldest entry (a Map keeps insertion order).
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { principal, until });
  }
}

/** How long a verified token is trusted without checking its signature again. */
const VERIFIED_CACHE_MS = 5 * 60 * 1000;
const VERIFIED_CACHE_SIZE = 10_000;

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
