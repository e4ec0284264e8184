import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
// graphql-ws checks refusals with `instanceof GraphQLError`: the CommonJS copy, the shim's.
import { GraphQLError, parse } from '../../platform/graphql.ts';
import { REQUEST_ID_HEADER, type Logger } from '../../platform/index.ts';
import { createSseHandler } from '../../platform/sse.ts';
import type { Caller } from '../context.ts';
import { HttpRefusal } from '../plugin.ts';
import { ServiceRestart, type LiveGateway, type LiveOpening } from './liveGateway.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const requestIdOf = (req: IncomingMessage): string => {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
};

const refusalBody = (refusal: HttpRefusal) =>
  JSON.stringify({ errors: [{ message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code } }] });

/**
 * Subscriptions over Server-Sent Events, graphql-sse's protocol: POST (or GET)
 * /graphql/stream, or /graphql with `accept: text/event-stream`. Each request
 * carries its credential like any GraphQL request.
 */
export function sseTransport(live: LiveGateway, callerOf: (req: IncomingMessage) => Promise<Caller>, maxBodyBytes: number) {
  return createSseHandler(
    {
      async onSubscribe(req, params) {
        const raw = req.raw;
        const refuse = (refusal: HttpRefusal) =>
          [
            refusalBody(refusal),
            {
              status: refusal.status,
              statusText: refusal.code,
              headers: { 'content-type': 'application/json; charset=utf-8', ...refusal.headers },
            },
          ] as [string, { status: number; statusText: string; headers: Record<string, string> }];
        let caller: Caller;
        try {
          caller = await callerOf(raw);
        } catch (error) {
          if (error instanceof HttpRefusal) return refuse(error);
          throw error;
        }
        const opening: LiveOpening = await live.openOperation(raw, caller, { ...params }, requestIdOf(raw), 'sse');
        if (opening.kind === 'refused') return refuse(opening.refusal);
        if (opening.kind === 'result') return { data: null, ...opening.result };
        // On shutdown the stream fails with ServiceRestart: it ends without `complete`, and graphql-sse clients reconnect.
        return opening.results;
      },
    },
    maxBodyBytes,
  );
}

interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
  caller?: Caller;
}

/** The upgrade request with the credential of `connection_init`'s payload, when the browser could not send it as a header. */
function withConnectionParams(request: IncomingMessage, params: Record<string, unknown> | undefined): IncomingMessage {
  if (!params) return request;
  const headers = { ...request.headers };
  for (const name of ['authorization', 'x-api-key']) {
    const value = params[name] ?? params[name === 'authorization' ? 'Authorization' : 'X-API-Key'];
    if (typeof value === 'string') headers[name] = value;
  }
  return Object.assign(Object.create(request) as IncomingMessage, { headers });
}

/**
 * Subscriptions (and queries) over WebSocket, graphql-ws's protocol, on the
 * GraphQL path. The credential comes with the upgrade request's headers or
 * with `connection_init` (`{ authorization: "Bearer …" }` or `{ "x-api-key": … }`);
 * a refused one closes the socket (4403). Pings keep the socket alive; on
 * shutdown every socket is closed with 1012 (service restart): clients reconnect.
 */
export function wsTransport(live: LiveGateway, callerOf: (req: IncomingMessage) => Promise<Caller>, log: Logger) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1_000_000, handleProtocols: (protocols) => handleProtocols(protocols) });
  const dummyDocument = { subscription: parse('subscription { __typename }'), query: parse('query { __typename }') };
  const server = makeServer<Record<string, unknown> | undefined, SocketExtra>({
    connectionInitWaitTimeout: 10_000,
    async onConnect(ctx) {
      try {
        ctx.extra.caller = await callerOf(withConnectionParams(ctx.extra.request, ctx.connectionParams));
        return true;
      } catch (error) {
        if (!(error instanceof HttpRefusal)) log.error({ err: error }, 'websocket caller failed');
        return false;
      }
    },
    async onSubscribe(ctx, _id, payload) {
      const caller = ctx.extra.caller!;
      const { extensions, ...rest } = payload;
      const opening = await live.openOperation(
        ctx.extra.request,
        caller,
        { ...rest, ...(extensions ? { extensions } : {}) },
        requestIdOf(ctx.extra.request),
        'ws',
      );
      if (opening.kind === 'refused')
        return [new GraphQLError(opening.refusal.message, { extensions: { ...opening.refusal.extensions, code: opening.refusal.code } })];
      // A request error (parse, validation, a contract): the protocol's `error` message, nothing executed.
      if (opening.kind === 'result' && opening.result.data === undefined && opening.result.errors?.length) {
        return opening.result.errors.map((error) => new GraphQLError(error.message, { extensions: error.extensions ?? {} }));
      }
      const args = { schema: undefined as never, contextValue: opening } satisfies Partial<ExecutionArgs>;
      return { ...args, document: opening.kind === 'stream' ? dummyDocument.subscription : dummyDocument.query } as ExecutionArgs;
    },
    // Results are already formatted by Apollo Server (plain errors): sent as they are.
    onNext: (_ctx, _id, _payload, _args, result) => result as never,
    execute: (args) => {
      const opening = args.contextValue as LiveOpening;
      return opening.kind === 'result' ? opening.result : { data: null };
    },
    subscribe: (args) => {
      const opening = args.contextValue as LiveOpening;
      return opening.kind === 'stream' ? opening.results : opening.kind === 'result' ? opening.result : { data: null };
    },
  });

  wss.on('connection', (socket: WebSocket & { alive?: boolean }, request: IncomingMessage) => {
    socket.alive = true;
    socket.on('pong', () => (socket.alive = true));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve()))),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handler) =>
          socket.on('message', (data) => {
            handler(String(data)).catch((error: unknown) => {
              if (error instanceof ServiceRestart) return;
              log.error({ err: error }, 'websocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });

  const heartbeat = setInterval(() => {
    for (const socket of wss.clients as Set<WebSocket & { alive?: boolean }>) {
      if (socket.alive === false) {
        socket.terminate();
        continue;
      }
      socket.alive = false;
      socket.ping();
    }
  }, live.heartbeatMs);
  heartbeat.unref();

  return {
    /** Takes the HTTP server's upgrade requests on `path`; others are refused. */
    attach(http: Server, path: string, admit: (req: IncomingMessage) => boolean) {
      http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (url.pathname !== path || !admit(request)) {
          socket.end('HTTP/1.1 ' + (url.pathname !== path ? '404 Not Found' : '503 Service Unavailable') + '\r\nconnection: close\r\n\r\n');
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      });
    },
    get open(): number {
      return wss.clients.size;
    },
    /** Closes every socket with 1012 (service restart): graphql-ws clients reconnect. */
    close(): Promise<void> {
      clearInterval(heartbeat);
      for (const socket of wss.clients) socket.close(1012, 'Service restart: reconnect');
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
