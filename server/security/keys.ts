// The two process secrets: the key that encrypts source credentials and next-auth's signing secret.
// From the environment when set; in embedded mode generated once into the data folder (mode 0600) so
// that `npm start` on a fresh clone needs no env file. A data folder we create is 0700.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeKey, env } from '../env';

function readOrCreate(file: string, make: () => string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const value = make();
    try {
      // `wx`: if another process created it first, keep theirs.
      writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
      return value;
    } catch {
      return readFileSync(file, 'utf8').trim();
    }
  }
}

let encryptionKey: Buffer | undefined;
let authSecret: string | undefined;

export function getEncryptionKey(): Buffer {
  if (!encryptionKey) {
    const e = env();
    const value =
      e.CONCORD_SECRET_KEY ??
      readOrCreate(path.join(e.CONCORD_DATA_DIR, 'secret.key'), () => randomBytes(32).toString('hex'));
    const key = decodeKey(value);
    if (!key) throw new Error('The secret key in the data folder is damaged: expected 64 hex characters');
    encryptionKey = key;
  }
  return encryptionKey;
}

export function getAuthSecret(): string {
  if (!authSecret) {
    const e = env();
    authSecret =
      e.NEXTAUTH_SECRET ??
      readOrCreate(path.join(e.CONCORD_DATA_DIR, 'auth.secret'), () => randomBytes(32).toString('base64url'));
  }
  return authSecret;
}
