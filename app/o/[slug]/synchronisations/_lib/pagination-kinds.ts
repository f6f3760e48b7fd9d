// The pagination styles of the engine (server/sync/core/pagination/config.ts) and the fields each one
// takes, so the form shows only the fields of the chosen style.
import type { PaginationConfigInput } from '@/server/sync/core/pagination/config';

export type PaginationKind = PaginationConfigInput['kind'];

export interface PaginationFieldSpec {
  name: string;
  label: string;
  hint?: string;
  placeholder?: string;
  number?: boolean;
  required?: boolean;
}

export interface PaginationKindSpec {
  label: string;
  hint: string;
  fields: PaginationFieldSpec[];
}

const totalPath: PaginationFieldSpec = {
  name: 'totalPath',
  label: 'Total count path',
  placeholder: 'meta.total',
  hint: 'Where the body says how many objects there are (optional).',
};

export const PAGINATION_KINDS: Record<PaginationKind, PaginationKindSpec> = {
  auto: {
    label: 'Detect automatically',
    hint: 'Concord looks at the first response: next links, a Link header, page numbers.',
    fields: [
      {
        name: 'paginationQuery',
        label: 'Page number parameter',
        placeholder: 'page',
        hint: 'Set it when the API takes page numbers in this query parameter.',
      },
    ],
  },
  none: { label: 'No pagination', hint: 'One request returns every object.', fields: [] },
  'next-link': {
    label: 'Next link in the body',
    hint: 'Each response links to the next page.',
    fields: [
      { name: 'path', label: 'Next link path', placeholder: 'links.next', hint: 'Empty means `next`.' },
    ],
  },
  'link-header': {
    label: 'Link header',
    hint: 'The RFC 8288 `Link` header with rel="next".',
    fields: [],
  },
  'page-number': {
    label: 'Page numbers',
    hint: 'A query parameter counts pages up.',
    fields: [
      { name: 'param', label: 'Page parameter', placeholder: 'page' },
      { name: 'start', label: 'First page', placeholder: '1', number: true },
      { name: 'sizeParam', label: 'Page size parameter', placeholder: 'per_page' },
      { name: 'size', label: 'Page size', placeholder: '100', number: true },
      totalPath,
      { name: 'totalPagesPath', label: 'Total pages path', placeholder: 'meta.pages' },
    ],
  },
  offset: {
    label: 'Offset and limit',
    hint: 'An offset moves forward by the limit on each page.',
    fields: [
      { name: 'offsetParam', label: 'Offset parameter', placeholder: 'offset' },
      { name: 'limitParam', label: 'Limit parameter', placeholder: 'limit' },
      { name: 'limit', label: 'Limit', placeholder: '100', number: true },
      { name: 'start', label: 'First offset', placeholder: '0', number: true },
      totalPath,
    ],
  },
  cursor: {
    label: 'Cursor token',
    hint: 'A token from the body is sent back in a query parameter.',
    fields: [
      { name: 'tokenPath', label: 'Token path', placeholder: 'meta.next_cursor', required: true },
      { name: 'param', label: 'Token parameter', placeholder: 'cursor', required: true },
    ],
  },
};

export const PAGINATION_KIND_NAMES = Object.keys(PAGINATION_KINDS) as PaginationKind[];
