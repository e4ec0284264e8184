import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler, type HandlerOptions } from 'graphql-sse';
import { readBody } from './http.ts';

export type SseHandlerOptions = HandlerOptions<IncomingMessage, { res: ServerResponse }>;

/** True when the request asks for a GraphQL event stream (graphql-sse's distinct-connections mode). */
export function wantsEventStream(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => part.trim().split(';')[0] === 'text/event-stream');
}

/**
 * graphql-sse's handler served on node:http, with the body limit of every
 * other route: the library's own Node adapter reads bodies without one.
 * Ending the response (the client went away, or `close`) returns the stream's
 * generator, which completes the operation.
 */
export function createSseHandler(options: SseHandlerOptions, maxBodyBytes: number) {
  const handler = createHandler<IncomingMessage, { res: ServerResponse }>(options);
  const open = new Set<ServerResponse>();
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [body, init] = await handler({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: {
        get(key: string) {
          // graphql-sse compares `accept` exactly: give it the event-stream type when the client asked for it among others.
          if (key === 'accept' && wantsEventStream(req)) return 'text/event-stream';
          const value = req.headers[key];
          return Array.isArray(value) ? value.join('\n') : value;
        },
      },
      body: () => readBody(req, maxBodyBytes),
      raw: req,
      context: { res },
    });
    res.writeHead(init.status ?? 200, init.statusText, init.headers);
    if (!body || typeof body === 'string') {
      await new Promise<void>((resolve) => res.end(body, () => resolve()));
      return;
    }
    open.add(res);
    const stop = () => void body.return(undefined);
    res.once('close', stop);
    try {
      for await (const chunk of body) {
        if (!res.writable) break;
        await new Promise<void>((resolve, reject) => res.write(chunk, (error) => (error ? reject(error) : resolve())));
      }
    } catch {
      // The operation's stream failed (e.g. the server is restarting): the response ends without
      // `complete`, which tells graphql-sse clients to reconnect.
    } finally {
      res.off('close', stop);
      open.delete(res);
      res.end();
    }
  }
  return {
    handle,
    /** Streams open now. */
    get open(): number {
      return open.size;
    },
  };
}
