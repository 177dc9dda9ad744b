import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTls } from './tls.js';

export interface Recorded {
  url: string;
  headers: IncomingMessage['headers'];
}

/** A local HTTPS server (throwaway test CA) whose answers a test scripts per request; it records what it was asked. */
export async function startHttps(handler: (req: IncomingMessage, res: ServerResponse) => unknown) {
  const tls = testTls();
  const requests: Recorded[] = [];
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    Promise.resolve(handler(req, res)).catch((e) => (res.writeHead(500), res.end(String(e))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, ca: tls.ca, requests, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}
