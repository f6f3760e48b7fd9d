// A real XML REST peer (json-server speaks only JSON): node:http on 127.0.0.1 and a free port, serving an
// in-memory book list the test can change as paged XML — `<catalog total="25"><book id="b1"><title>…`
// `</title><price currency="EUR">…</price></book>…<next>/books?page=2</next></catalog>` — with a request
// log and a switch that makes one page malformed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Book {
  id: string;
  title: string;
  price: string;
  currency: string;
}

export interface XmlServer {
  url: string;
  /** The served list; change it in place between runs. */
  books: Book[];
  /** Path and query of every request, in order. */
  requests: string[];
  /** Serves this page (1-based) as broken XML until called again with null. */
  breakPage(page: number | null): void;
  stop(): Promise<void>;
}

export function books(count: number, from = 1): Book[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `b${from + i}`,
    title: `Book ${from + i}`,
    price: `${10 + i}.50`,
    currency: i % 3 ? 'EUR' : 'USD',
  }));
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

function bookXml(book: Book): string {
  return [
    `  <book id="${escape(book.id)}">`,
    `    <title>${escape(book.title)}</title>`,
    `    <price currency="${escape(book.currency)}">${escape(book.price)}</price>`,
    '  </book>',
  ].join('\n');
}

export async function startXmlServer(initial: Book[], pageSize = 10): Promise<XmlServer> {
  let broken: number | null = null;
  const state: XmlServer = {
    url: '',
    books: [...initial],
    requests: [],
    breakPage: (page) => {
      broken = page;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The sync's HTTP client keeps connections alive; close them so close() can finish.
        server.closeAllConnections();
      }),
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push(`${url.pathname}${url.search}`);
    if (req.method !== 'GET' || url.pathname !== '/books') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const slice = state.books.slice((page - 1) * pageSize, page * pageSize);
    const more = page * pageSize < state.books.length;
    const body =
      page === broken
        ? // A mismatched closing tag on line 4: not well-formed.
          `<?xml version="1.0" encoding="UTF-8"?>\n<catalog total="${state.books.length}">\n` +
          `  <book id="bad">\n    <title>Cut off</price>\n  </book>\n</catalog>\n`
        : [
            '<?xml version="1.0" encoding="UTF-8"?>',
            `<catalog total="${state.books.length}" page="${page}">`,
            ...slice.map(bookXml),
            ...(more ? [`  <next>/books?page=${page + 1}</next>`] : []),
            '</catalog>',
            '',
          ].join('\n');
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' }).end(body);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
