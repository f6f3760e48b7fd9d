// How sources read in lists and on their pages: type names, what a source points at, sizes, and the
// pagination style Concord detected, in words.
import type { SourceType } from '@/server/db/schema';

export const TYPE_LABELS: Record<SourceType, string> = {
  rest: 'REST API',
  file: 'File',
  register: 'Register',
  sql: 'SQL database',
};

export const TYPE_HINTS: Record<SourceType, string> = {
  rest: 'A JSON or XML API over HTTP(S), with its authentication.',
  file: 'An uploaded CSV, JSON or XML file; upload new versions at any time.',
  register: 'The objects of one of your register schemas.',
  sql: 'A PostgreSQL or MySQL/MariaDB database: synchronisations read a table or a SELECT query.',
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

interface Pointable {
  type: SourceType;
  config: unknown;
  file?: { name: string; version: number } | null;
}

type Names = (registerId: string, schemaId: string) => string | undefined;

/** One line on what the source reads: a base URL, a file and its version, a register schema, a host. */
export function pointsAt(source: Pointable, schemaName: Names): string {
  const c = (source.config ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof c[key] === 'string' ? c[key] : '');
  switch (source.type) {
    case 'rest':
      return text('baseUrl') || '—';
    case 'file':
      return source.file
        ? `${source.file.name} · version ${source.file.version}`
        : `No file yet (${text('format').toUpperCase() || 'CSV'})`;
    case 'register':
      return schemaName(text('registerId'), text('schemaId')) ?? 'A schema that no longer exists';
    case 'sql':
      return `${text('dialect')}://${text('host')}/${text('database')}`;
  }
}

type Pagination = { kind: string } & Record<string, unknown>;

export function describePagination(p: Pagination): string {
  switch (p.kind) {
    case 'link-header':
      return 'Link header (rel="next", RFC 8288)';
    case 'next-link':
      return `A next link in the body${typeof p['path'] === 'string' ? ` at "${p['path']}"` : ''}`;
    case 'cursor':
      return `A cursor token at "${String(p['tokenPath'])}", sent back as ?${String(p['param'])}=`;
    case 'page-number':
      return `Page numbers in ?${String(p['param'])}=`;
    case 'offset':
      return 'Offset and limit';
    default:
      return 'None detected: one request returns everything';
  }
}

export const DELIMITER_LABELS: Record<string, string> = {
  ',': 'Comma (,)',
  ';': 'Semicolon (;)',
  '\t': 'Tab',
  '|': 'Pipe (|)',
};
export const QUOTE_LABELS: Record<string, string> = { '"': 'Double (")', "'": "Single (')" };
export const ENCODINGS = ['utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;
