// Password hashing with argon2id (OWASP parameters) via a native, well-kept binding.
import { hash, verify } from '@node-rs/argon2';

export const HASH_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

/**
 * A hash of a password nobody has, with the same parameters as real ones. Sign-in verifies against it
 * when the email has no password, so that an unknown email takes as long as a known one.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$UtWLDnX+iVb1ccr0UP4RsA$3DsfpoHZboIJ31uGzZx89qcpgPgwGVIQDHi/HR4y7HY';

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
