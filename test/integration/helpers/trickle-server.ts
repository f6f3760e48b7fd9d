// A real slow source: an HTTP server on 127.0.0.1 that answers 200 at once and then sends its body one
// byte every `intervalMs`, never finishing, so only a deadline on the whole answer ends the request.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrickleServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Requests received, by path. */
  requests: string[];
  close(): Promise<void>;
}

export async function startTrickleServer(intervalMs = 100): Promise<TrickleServer> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    open.add(res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    // Whitespace is valid JSON padding: the answer is never wrong, only never done.
    const timer = setInterval(() => res.write(' '), intervalMs);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
      open.delete(res);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
