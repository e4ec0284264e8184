import type { IncomingMessage } from 'node:http';
import type { ExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Kysely } from 'kysely';
import { graphql } from '../../platform/graphql.ts';
import type { Logger } from '../../platform/logger.ts';
import { createSseHandler } from '../../platform/sse.ts';
import { resolveRequestContext, type IdentityPolicy, type RequestContext } from './context.ts';
import type { EventBus } from './events.ts';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface SubscriptionEndpointOptions<DB, TContext extends RequestContext> {
  schema: GraphQLSchema;
  db: Kysely<DB>;
  events: EventBus;
  createContext(base: RequestContext, db: Kysely<DB>): TContext;
  policy: IdentityPolicy;
  log: Logger;
  formatError: FormatError;
  maxBodyBytes?: number;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * The subgraph's subscriptions over graphql-sse (POST /graphql/stream, as the
 * gateway calls them): the caller is the gateway-signed identity, as on
 * /graphql. The subscription field's `subscribe` runs once with the
 * subscription's context (its checks decide what the caller may receive);
 * each event is then executed with a fresh context — fresh DataLoaders, so an
 * event never reads what an earlier one cached.
 */
export function subscriptionEndpoint<DB, TContext extends RequestContext>(options: SubscriptionEndpointOptions<DB, TContext>) {
  const { schema, db, events, policy, log } = options;
  const format = (result: ExecutionResult): ExecutionResult => {
    if (!result.errors?.length) return result;
    return { ...result, errors: result.errors.map((error) => options.formatError(error.toJSON(), error)) } as unknown as ExecutionResult;
  };
  const failed = (code: string, message: string): ExecutionResult =>
    ({ data: null, errors: [{ message, extensions: { code } }] }) as unknown as ExecutionResult;

  return createSseHandler(
    {
      async onSubscribe(req, params) {
        let base: RequestContext;
        try {
          base = { ...(await resolveRequestContext(req.raw as IncomingMessage, policy, log)), events };
        } catch (error) {
          const message = error instanceof Error ? error.message : 'Unauthenticated';
          return [
            JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }),
            { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json; charset=utf-8' } },
          ];
        }
        let document;
        try {
          document = graphql.parse(params.query);
        } catch (error) {
          return failed('GRAPHQL_PARSE_FAILED', (error as Error).message);
        }
        const errors = graphql.validate(schema, document);
        if (errors.length)
          return {
            data: null,
            errors: errors.map((e) => ({ ...e.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
          } as unknown as ExecutionResult;
        const operation = graphql.getOperationAST(document, params.operationName);
        if (operation?.operation !== 'subscription')
          return failed('BAD_REQUEST', 'The event stream serves subscriptions; send queries and mutations to /graphql');
        const args = { schema, document, variableValues: params.variables ?? {}, operationName: params.operationName ?? null };
        const source = await graphql.createSourceEventStream({ ...args, contextValue: options.createContext(base, db) });
        if (!isAsyncIterable(source)) return { data: null, ...format(source) };
        const iterator = source[Symbol.asyncIterator]();
        async function* results(): AsyncGenerator<ExecutionResult> {
          try {
            for (;;) {
              const next = await iterator.next();
              if (next.done) return;
              const contextValue = options.createContext(
                { ...base, log: base.log.child({ event: (next.value as { id?: number }).id }) },
                db,
              );
              yield format(await graphql.execute({ ...args, rootValue: next.value, contextValue }));
            }
          } finally {
            await iterator.return?.();
          }
        }
        // The client went away: end the event source at once (a generator's own `return` would
        // wait behind the `next` pending on it until the next event).
        const stream = results();
        const finish = stream.return.bind(stream);
        stream.return = (value) => {
          void iterator.return?.();
          return finish(value);
        };
        return stream;
      },
    },
    options.maxBodyBytes ?? 1_000_000,
  );
}
