// A real HTTP server on 127.0.0.1 and a random port for the transport tests: each test scripts its
// answers and reads back what the server actually received.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '@/server/sync/http';
import type { HttpClient, HttpClientOptions } from '@/server/sync/http';

export interface Seen {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: Seen, response: ServerResponse, index: number) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      void Promise.resolve(handler(request, res, seen.length - 1)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(`test handler failed: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function text(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** A client for the local test server: private networks allowed, no real sleeping, waits recorded. */
export function testClient(
  server: TestServer,
  options: HttpClientOptions = {},
): { client: HttpClient; waits: number[] } {
  const waits: number[] = [];
  const client = createHttpClient({
    baseUrl: server.origin,
    urlPolicy: { allowPrivateNetworks: true },
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => 1,
    ...options,
  });
  return { client, waits };
}
