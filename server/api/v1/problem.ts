// RFC 9457 problem details: every error of /api/v1 is `application/problem+json` with a status, a
// title, a sentence saying what to do, and — for bad input — each problem at its field.
import type { FieldIssue } from '@/server/services/field-issues';

export interface ProblemField {
  /** Where: `body.data.name`, `query.limit`, `path.objectId`. */
  field: string;
  /** JSON Pointer into the part of the request named first (`/data/name`). */
  pointer: string;
  detail: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorised',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Content too large',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
};

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: ProblemField[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

/** `where` + a dot path → the field and its JSON Pointer. */
export function fieldOf(where: 'body' | 'query' | 'path', issue: FieldIssue): ProblemField {
  const parts = issue.field ? issue.field.split('.') : [];
  return {
    field: [where, ...parts].join('.'),
    pointer: `/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    detail: issue.message,
  };
}

export function problemResponse(problem: ApiProblem, instance: string): Response {
  const body = {
    type: problem.errors?.length ? '/api/v1/problems/invalid-input' : 'about:blank',
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance,
    ...(problem.errors?.length ? { errors: problem.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', ...problem.headers },
  });
}
