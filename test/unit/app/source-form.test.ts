// The source form's secrets: new secret headers and query parameters become the secret changes saved,
// and the note the form shows beside the secret fields when the typed address would clear saved ones.
import { describe, expect, it } from 'vitest';
import { clearingNote, configOf, draftOf, newSecretChanges } from '@/app/o/[slug]/sources/_parts/draft';
import { addressChanged } from '@/server/sync/config/source-secrets';

describe('the source form’s secrets', () => {
  it('saves new secret headers and query parameters as header:<name> and query:<name>', () => {
    expect(
      newSecretChanges([
        { place: 'header', name: ' X-Api-Key ', value: 'k-1' },
        { place: 'query', name: 'sig', value: 's-1' },
        { place: 'header', name: 'Cookie', value: '' },
        { place: 'header', name: '', value: 'lost' },
      ]),
    ).toEqual({ 'header:X-Api-Key': 'k-1', 'query:sig': 's-1' });
  });

  it('says which saved secrets a new address clears', () => {
    expect(clearingNote([])).toBeNull();
    expect(clearingNote(['token'])).toBe('Changing the address clears the saved token: enter it again.');
    expect(clearingNote(['apiKey', 'header:Cookie', 'query:sig'])).toBe(
      'Changing the address clears the saved API key, header Cookie and query parameter sig: enter them again.',
    );
  });

  it('sees the address change in what it would save: another origin, not another path', () => {
    const saved = { name: 'A', enabled: true, config: { baseUrl: 'https://api.example.com/v1' } };
    const draft = draftOf(saved);
    const typed = (baseUrl: string) =>
      configOf('rest', { ...draft, rest: { ...draft.rest, baseUrl } }, saved.config);
    expect(addressChanged('rest', saved.config, typed('https://api.example.com/v2'))).toBe(false);
    expect(addressChanged('rest', saved.config, typed('https://api.example.net/v1'))).toBe(true);
    const sql = { name: 'B', enabled: true, config: { dialect: 'postgres', host: 'db', port: 5432 } };
    const sqlDraft = draftOf(sql);
    const port = (p: string) =>
      configOf('sql', { ...sqlDraft, sql: { ...sqlDraft.sql, port: p } }, sql.config);
    expect(addressChanged('sql', sql.config, port('5432'))).toBe(false);
    expect(addressChanged('sql', sql.config, port('6432'))).toBe(true);
  });
});
