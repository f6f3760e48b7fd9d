// What to do next after a failed connection test, in one sentence: the reason says what went wrong,
// this says which field or setting to change (or who to ask). Pure, so each case is unit-tested.

export interface FailedTest {
  status?: number;
  reason: string;
}

const RULES: { when: (t: FailedTest) => boolean; advice: string }[] = [
  {
    when: (t) => /metadata service/.test(t.reason),
    advice: 'That address is never called. Use the public address of the API instead.',
  },
  {
    when: (t) => /private networks are not allowed/.test(t.reason),
    advice:
      'Use a public address, or — if Concord runs beside this system on purpose — start Concord with CONCORD_ALLOW_PRIVATE_URLS=1.',
  },
  {
    when: (t) => /could not be resolved|has no addresses/.test(t.reason),
    advice: 'Check the host name in the base URL (or the database host) for typing mistakes.',
  },
  {
    when: (t) => /secret "[^"]+" is not set|password.*not set/i.test(t.reason),
    advice: 'Fill in the secret of the chosen authentication, then test again.',
  },
  {
    when: (t) => t.status === 401 || t.status === 403,
    advice:
      'The system refused the credentials: check the authentication type, the user name and the secret.',
  },
  {
    when: (t) => t.status === 404,
    advice: 'Nothing is at that address: check the base URL and the endpoint (the path added to it).',
  },
  {
    when: (t) => t.status === 429,
    advice: 'The system asks to slow down: wait a minute, or set a lower “requests per second”.',
  },
  {
    when: (t) => t.status !== undefined && t.status >= 500,
    advice:
      'The system itself failed: try again later, and if it keeps failing ask whoever runs it. Your settings may be fine.',
  },
  {
    when: (t) => t.status !== undefined && t.status >= 400,
    advice: 'The system refused the request: check the endpoint, the query parameters and the headers.',
  },
  {
    when: (t) => /within \d+ ?s|deadline|timed? ?out|timeout/i.test(t.reason),
    advice: 'The system answered too slowly: check that it is up, or raise the timeout and the deadline.',
  },
  {
    when: (t) => /ECONNREFUSED|refused the connection|connection refused/i.test(t.reason),
    advice: 'Nothing answers at that address and port: check them, and that the system is running.',
  },
  {
    when: (t) => /password authentication failed|Access denied/i.test(t.reason),
    advice: 'The database refused the user or password: check both.',
  },
  {
    when: (t) => /not usable|not a valid URL|Only http and https/i.test(t.reason),
    advice: 'Correct the base URL or the endpoint: a full http(s) address such as https://api.example.com.',
  },
];

/** One sentence saying what to change; a general one when no rule knows the failure. */
export function adviceFor(test: FailedTest): string {
  return (
    RULES.find((rule) => rule.when(test))?.advice ??
    'Check the settings named in the reason above, then test again.'
  );
}

/** A test's result with, when it failed, the advice beside the reason. */
export function withAdvice<T extends { ok: boolean; reason?: string; status?: number }>(
  result: T,
): T & { advice?: string } {
  return result.ok
    ? result
    : { ...result, advice: adviceFor({ reason: result.reason ?? '', status: result.status }) };
}
