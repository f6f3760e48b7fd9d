// The shapes /api/v1 answers with for sources, their files and their connection test. A source's secrets
// never appear: only the names of those that are set.
import { z } from 'zod';
import { SOURCE_TYPES } from '@/server/db/schema';
import type { PublicFile, SourcePreview } from '@/server/services/source-files';
import type { toPublicSource } from '@/server/services/sources';

const time = z.iso.datetime().describe('ISO 8601 time');

export const SourceFile = z
  .object({
    id: z.string(),
    name: z.string(),
    size: z.int().describe('Bytes'),
    version: z.int().describe('1 for the first upload, then one more for each new version.'),
    sha256: z.string(),
    contentType: z.string(),
    createdAt: time,
  })
  .meta({ id: 'SourceFile', description: 'One uploaded version of a file source’s file.' });

/** Exactly the documented fields: a stored file row also holds its organisation, source and uploader. */
export function toSourceFile(f: PublicFile): z.output<typeof SourceFile> {
  return {
    id: f.id,
    name: f.name,
    size: f.size,
    version: f.version,
    sha256: f.sha256,
    contentType: f.contentType,
    createdAt: f.createdAt.toISOString(),
  };
}

export const SOURCE_CONFIG_TEXT =
  'The settings of its type, as the source form has them. rest: `baseUrl`, `headers`, `query` (no ' +
  'secret-looking names: those values go in the secrets; one saved by an earlier version reads `***`), ' +
  '`auth` ({ type: none | apiKey | bearer | basic | oauth2, … }), `timeoutMs`, `deadlineMs`, `rateLimit`. ' +
  'file: `format` (csv, json, xml), `csv` ({ delimiter, quote, encoding, idColumn }), `fileId` (pin a ' +
  'version). sql: `dialect` (postgres, mysql), `host`, `port`, `database`, `user`, `ssl`, `timeoutMs`. ' +
  'register: `registerId`, `schemaId`. An unknown or inapplicable setting is refused at its field.';

export const Source = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(SOURCE_TYPES),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()).describe(SOURCE_CONFIG_TEXT),
    secretsSet: z
      .array(z.string())
      .describe(
        'The names of the secrets that are set (apiKey, token, password, clientSecret, header:<name>, query:<name>). Their values are never sent back.',
      ),
    file: SourceFile.nullable()
      .optional()
      .describe('File sources: the version their synchronisations read; null before the first upload.'),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Source' });

export function toSource(
  s: ReturnType<typeof toPublicSource>,
  file?: PublicFile | null,
): z.output<typeof Source> {
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    enabled: s.enabled,
    config: s.config,
    secretsSet: s.secretsSet,
    ...(s.type === 'file' ? { file: file ? toSourceFile(file) : null } : {}),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export const FileUploaded = z
  .object({
    file: SourceFile,
    savedEncoding: z
      .string()
      .optional()
      .describe('A CSV that is not UTF-8: the encoding detected and saved on the source.'),
  })
  .meta({ id: 'FileUploaded' });

export const SourceTest = z
  .looseObject({
    ok: z.boolean(),
    reason: z.string().optional().describe('Why it failed (secrets blanked out).'),
    advice: z.string().optional().describe('What to change next.'),
    timeMs: z.number().optional(),
  })
  .meta({
    id: 'SourceTest',
    description:
      'What a synchronisation of this source would meet. REST: the request made (`url`, `status`, ' +
      '`headers`, `bodyStart`) and what was detected (`detected`: results position, id field, paging, ' +
      'samples). SQL: the server (`serverVersion`) and, given a table or query, its first row ' +
      '(`sample`). File: the version synchronisations read (`file`) and how many rows it has (`rows`).',
  });

/** A file source's "test": whether the version its synchronisations read can be read to its end. */
export function toFileTest(p: SourcePreview, sourceId: string): z.output<typeof SourceTest> {
  if (!p.file)
    return {
      ok: false,
      reason: 'No file has been uploaded to this source yet.',
      advice: `Upload one: POST /api/v1/sources/${sourceId}/files with the file as the body.`,
    };
  const file = toSourceFile(p.file);
  const failure = p.preview && !p.preview.ok ? p.preview.reason : (p.scan?.failure?.reason ?? undefined);
  if (failure)
    return {
      ok: false,
      file,
      reason: failure,
      advice: 'Check the source’s format settings, or fix the file and upload it again.',
    };
  return { ok: true, file, rows: p.scan?.rows ?? null, badRows: p.scan?.badRows.count ?? null };
}
