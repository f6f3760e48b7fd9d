// The engine core stays pure: no framework, database, network or runner imports.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const core = join(root, 'server/sync/core');
const FORBIDDEN = [
  /^next($|\/)/,
  /^drizzle-orm/,
  /^inngest/,
  /^@inngest\//,
  /^@libsql\//,
  /^undici/,
  /server\/(db|trpc|runner)\b/,
  /^node:(http|https|net|fs|child_process)/,
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('server/sync/core', () => {
  const sources = files(core);

  it('has files to check', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it.each(sources.map((file) => [relative(root, file), file]))('%s imports nothing impure', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    expect(imports.filter((spec) => FORBIDDEN.some((pattern) => pattern.test(spec)))).toEqual([]);
    expect(text).not.toMatch(/\bnew Function\b|\beval\(|\bfetch\(/);
  });

  it('keeps files small and starts each with what it is for', () => {
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n').length, relative(root, file)).toBeLessThanOrEqual(300);
      expect(text.startsWith('//'), relative(root, file)).toBe(true);
    }
  });
});
