// After sign-in Concord goes only to a path on its own site, whatever the link said.
import { describe, expect, it } from 'vitest';
import { safeCallback } from '@/server/auth/callback-url';

describe('safeCallback', () => {
  it('keeps paths on this site', () => {
    expect(safeCallback('/o/acme/synchronisations?page=2')).toBe('/o/acme/synchronisations?page=2');
    expect(safeCallback(undefined)).toBe('/');
  });

  it.each(['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example', 'evil'])(
    'refuses %j',
    (url) => {
      expect(safeCallback(url)).toBe('/');
    },
  );
});
