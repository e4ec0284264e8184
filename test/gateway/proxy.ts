import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with the next requests. */
export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  /** Cuts the connection of the next `times` requests without an answer, then passes. */
  | { kind: 'reset'; times: number }
  | { kind: 'respond'; status: number; body: unknown };

export interface ControlledProxy {
  url: string;
  /** GraphQL requests that reached the proxy. */
  requests: number;
  /** TCP connections opened to the proxy. */
  connections: number;
  mode: ProxyMode;
  close(): Promise<void>;
}

const FORWARDED = ['content-type', 'accept', 'x-internal-identity', 'x-request-id', 'traceparent', 'tracestate'];

/** A test stand-in between the gateway and a subgraph that can be slow, hang, cut connections or answer anything. */
export async function startProxy(target: () => string): Promise<ControlledProxy> {
  const sockets = new Set<Socket>();
  const proxy: ControlledProxy = { url: '', requests: 0, connections: 0, mode: { kind: 'pass' }, close: async () => {} };

  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      const answer = await fetch(target(), { method: 'POST', headers, body });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      req.socket.destroy();
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      proxy.requests += 1;
      const body = Buffer.concat(chunks);
      const mode = proxy.mode;
      switch (mode.kind) {
        case 'reset':
          if (mode.times > 0) {
            mode.times -= 1;
            req.socket.destroy();
            return;
          }
          return void forward(req, res, body);
        case 'hang':
          return;
        case 'delay':
          setTimeout(() => void forward(req, res, body), mode.ms);
          return;
        case 'respond':
          res.writeHead(mode.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(mode.body));
          return;
        default:
          return void forward(req, res, body);
      }
    });
  });
  server.on('connection', (socket) => {
    proxy.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
