// A real webhook receiver: a node http server on 127.0.0.1 at a random port that keeps every request,
// checks its Concord-Signature with the secret it is given (as a customer's receiver would), and answers
// with the statuses it is scripted with (the last one repeats).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../../server/services/notifications/signature';

export interface ReceivedWebhook {
  headers: IncomingMessage['headers'];
  body: string;
  json: Record<string, unknown>;
  /** Whether the signature matched the secret the receiver was given when the request arrived. */
  signatureValid: boolean;
  answered: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The secret it verifies with (set once the endpoint's secret is known). */
  secret: string;
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(statuses: number[]): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver = { secret: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['concord-signature'];
      const answered = statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
      received.push({
        headers: req.headers,
        body,
        json: JSON.parse(body) as Record<string, unknown>,
        signatureValid: verifySignature(
          typeof header === 'string' ? header : undefined,
          body,
          receiver.secret,
        ),
        answered,
      });
      res.writeHead(answered, { 'content-type': 'text/plain' });
      res.end(answered < 300 ? 'thanks' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/concord`,
    received,
    get secret() {
      return receiver.secret;
    },
    set secret(value: string) {
      receiver.secret = value;
    },
    async waitFor(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} of ${n} webhooks`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received.slice(0, n);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
