import { timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../errors/app-error';

export type Role = 'customer' | 'admin';
export interface Principal {
  userId: string | null;
  role: Role;
}

/** Issues and verifies the JWTs shoppers and admins send; also accepts the deployment's admin API token. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly adminApiToken?: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(user: { id: string; role: Role }): Promise<string> {
    return new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('lapak')
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<Principal> {
    if (this.adminApiToken && safeEqual(token, this.adminApiToken)) return { userId: null, role: 'admin' };
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'lapak', algorithms: ['HS256'] });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || (role !== 'customer' && role !== 'admin')) {
        throw new AppError('unauthenticated', 'The token is not a Lapak user token');
      }
      return { userId: payload.sub, role };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const message = error instanceof errors.JWTExpired ? 'The token has expired' : 'The token is invalid';
      throw new AppError('unauthenticated', message);
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
