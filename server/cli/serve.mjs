// The server `npm start` runs once the app is built: Next's request handler behind a plain HTTP server
// that, like a reverse proxy, appends the connecting peer's address to X-Forwarded-For. The last entry
// is then one the client could not choose, which sign-in throttling counts by (server/auth/client-address.ts).
import { createServer } from 'node:http';
import next from 'next';

const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: false, dir: process.cwd(), port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const sent = req.headers['x-forwarded-for'];
  const peer = req.socket.remoteAddress ?? 'unknown';
  req.headers['x-forwarded-for'] = sent ? `${String(sent)}, ${peer}` : peer;
  handle(req, res).catch((error) => {
    console.error(`Concord: ${req.method} ${req.url} failed:`, error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
// Idle keep-alive connections are kept longer than a reverse proxy or a client keeps them (60 s is the
// usual load balancer's idle timeout). With Node's 5 s default, a proxy or a client reusing a connection
// just as the server closed it gets a reset (a 502 behind a proxy; a "socket hang up" in a program).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, () => console.log(`Concord: listening on http://localhost:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
