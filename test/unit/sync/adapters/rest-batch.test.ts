// runBatch: bounded concurrency, results in batch order, and an outage (no answer at all, a failed
// connection) told apart from refusals, with the rest of the batch not sent once the target is down.
import { describe, expect, it } from 'vitest';
import type { HttpResult } from '@/server/sync/http';
import { runBatch } from '@/server/sync/targets/rest-batch';

const answered = (status: number): HttpResult =>
  status < 300
    ? {
        ok: true,
        status,
        statusText: '',
        headers: {},
        body: null,
        text: '',
        bytes: new Uint8Array(),
        format: 'empty',
        url: '',
        displayUrl: '',
        attempts: 1,
      }
    : { ok: false, kind: 'http', reason: `answered ${status}`, status, attempts: 1 };
const refused: HttpResult = { ok: false, kind: 'network', reason: 'the connection was refused', attempts: 4 };
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runBatch', () => {
  it('keeps at most `concurrency` requests in flight and answers in batch order', async () => {
    let inFlight = 0;
    let most = 0;
    const outcome = await runBatch([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
      return { result: n * 10, http: answered(200) };
    });
    expect(most).toBe(3);
    expect(outcome).toEqual({
      results: [10, 20, 30, 40, 50, 60, 70].map((result) => ({ result })),
      outage: null,
      credentials: null,
    });
  });

  it('calls it an outage when nothing answered, and stops sending', async () => {
    const sent: number[] = [];
    const outcome = await runBatch([1, 2, 3, 4], 1, (n) => {
      sent.push(n);
      return Promise.resolve({ result: n, http: refused });
    });
    expect(sent).toEqual([1]);
    expect(outcome.outage).toBe('the connection was refused');
    const notSent = { notSent: 'the target stopped answering (the connection was refused)' };
    expect(outcome.results.slice(1)).toEqual([notSent, notSent, notSent]);
  });

  it('is no outage once the target answered, even with a refusal', async () => {
    const outcome = await runBatch([1, 2, 3], 1, (n) =>
      Promise.resolve({ result: n, http: n === 1 ? answered(422) : refused }),
    );
    expect(outcome.outage).toBeNull();
    expect(outcome.results).toEqual([{ result: 1 }, { result: 2 }, { result: 3 }]);
  });

  it('stops sending at refused credentials, and reports them when nothing was written', async () => {
    const sent: number[] = [];
    const outcome = await runBatch([1, 2, 3], 1, (n) => {
      sent.push(n);
      return Promise.resolve({ result: n, http: answered(401) });
    });
    expect(sent).toEqual([1]);
    expect(outcome.credentials).toBe('answered 401');
    expect(outcome.results.slice(1)).toEqual([
      { notSent: "the target refused Concord's credentials (answered 401)" },
      { notSent: "the target refused Concord's credentials (answered 401)" },
    ]);
  });

  it('reports no refused credentials once a write of the batch landed', async () => {
    const outcome = await runBatch([1, 2, 3], 1, (n) =>
      Promise.resolve({ result: n, http: answered(n === 1 ? 201 : 401) }),
    );
    expect(outcome.credentials).toBeNull();
    expect(outcome.results).toEqual([
      { result: 1 },
      { result: 2 },
      { notSent: expect.stringContaining('401') },
    ]);
  });
});
