/**
 * The volunteer portal's GraphQL client, as a portal team would write it:
 * graphql-request with the types codegen generated from operations/*.graphql,
 * so a renamed field or a wrong variable is a compile error, not a bug report.
 */
import { GraphQLClient } from 'graphql-request';
import { LogHoursDocument, MyPageDocument, type LogHoursInput, type LogHoursMutation, type MyPageQuery } from './generated/graphql.ts';

export type MyPage = NonNullable<MyPageQuery['me']>;
export type LoggedHours = LogHoursMutation['logHours'];

export interface PortalClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** The signed-in volunteer's bearer token (from the identity provider; `npm run token` in development). */
  token: string;
  fetch?: typeof fetch;
}

export interface PortalClient {
  /** The signed-in volunteer's page; null when the token names no volunteer record. */
  myPage(recent?: number): Promise<MyPage | null>;
  /** Logs work the volunteer did; it is PENDING until a coordinator of the organization approves it. */
  logHours(input: Omit<LogHoursInput, 'volunteerId'>): Promise<LoggedHours>;
}

export function createPortalClient(options: PortalClientOptions): PortalClient {
  const client = new GraphQLClient(options.url, {
    headers: { authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    async myPage(recent = 5) {
      const data = await client.request(MyPageDocument, { recent });
      return data.me;
    },
    async logHours(input) {
      const data = await client.request(LogHoursDocument, { input });
      return data.logHours;
    },
  };
}
