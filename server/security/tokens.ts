// Random tokens for links and keys, and the one-way hash under which they are stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(prefix = ''): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
