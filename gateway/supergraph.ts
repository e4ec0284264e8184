import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Kind, parse, print, visit } from '../platform/graphql.ts';
import type { Logger } from '../platform/index.ts';

/** Security features this gateway enforces itself (useAuthorization), by spec URL prefix. */
const ENFORCED_SECURITY_FEATURES = [
  'https://specs.apollo.dev/authenticated/',
  'https://specs.apollo.dev/requiresScopes/',
  'https://specs.apollo.dev/policy/',
];

/**
 * The supergraph as @apollo/gateway should load it. The gateway refuses any
 * `@link(for: SECURITY)` feature it does not know — rightly, since it would not
 * enforce it. @authenticated, @requiresScopes and @policy are enforced here, by
 * the authorization plugin, before planning; so their links lose `for: SECURITY`
 * and @apollo/gateway treats them as plain metadata. Any other security feature
 * still makes the load fail.
 */
export function prepareSupergraphForGateway(sdl: string): string {
  const document = parse(sdl, { noLocation: true });
  let changed = false;
  const prepared = visit(document, {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const url = node.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING || !ENFORCED_SECURITY_FEATURES.some((prefix) => url.value.startsWith(prefix))) return undefined;
      const args = node.arguments?.filter((a) => a.name.value !== 'for');
      if (args?.length === node.arguments?.length) return undefined;
      changed = true;
      return { ...node, arguments: args };
    },
  });
  return changed ? print(prepared) : sdl;
}

/** The identity of a supergraph as published: the hex SHA-256 of its text (as read or fetched). */
export function supergraphHash(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex');
}

export interface SupergraphFileEvents {
  /** The file changed and the gateway now serves the new supergraph. */
  onReloaded?(): void;
  /** The file changed but could not be loaded; the previous supergraph keeps serving. */
  onReloadFailed?(error: unknown): void;
  /** The gateway is given this supergraph (at start, and after each successful reload); `hash` is `supergraphHash` of its text. */
  onLoaded?(hash: string): void;
}

/**
 * Loads the supergraph from a file and reloads it when the file changes. A file
 * that fails to load (unreadable, not GraphQL, not a valid supergraph) keeps the
 * previous supergraph serving, and the reason is logged.
 */
export function supergraphFromFile(path: string, log: Logger, events: SupergraphFileEvents = {}): SupergraphSdlHook {
  return async ({ update }) => {
    const initial = readFileSync(path, 'utf8');
    let current = initial;
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    let closed = false;
    const reload = () => {
      let next: string;
      try {
        next = readFileSync(path, 'utf8');
      } catch (error) {
        log.error({ err: error, path }, 'supergraph file unreadable; keeping the current supergraph');
        events.onReloadFailed?.(error);
        return;
      }
      if (next === current) return;
      try {
        // A syntax error is reported here; an invalid supergraph makes `update` throw, and the gateway keeps the old one.
        update(prepareSupergraphForGateway(next));
        current = next;
        const hash = supergraphHash(next);
        log.info({ path, hash }, 'supergraph reloaded');
        events.onLoaded?.(hash);
        events.onReloaded?.();
      } catch (error) {
        log.error({ err: error, path }, 'new supergraph failed to load; keeping the current one');
        events.onReloadFailed?.(error);
      }
    };
    const arm = (): void => {
      if (closed) return;
      try {
        // Editors and `npm run compose` may replace the file (a new inode): watch again after each event.
        watcher = watch(path, () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            watcher?.close();
            arm();
            reload();
          }, 100);
        });
        watcher.on('error', (error) => log.warn({ err: error, path }, 'supergraph watcher failed'));
      } catch (error) {
        // The file is being replaced (or gone): keep serving, try again shortly.
        log.warn({ err: error, path }, 'cannot watch the supergraph file; retrying');
        timer = setTimeout(arm, 1_000);
      }
    };
    arm();
    const supergraphSdl = prepareSupergraphForGateway(initial);
    events.onLoaded?.(supergraphHash(initial));
    return {
      supergraphSdl,
      cleanup: async () => {
        closed = true;
        clearTimeout(timer);
        watcher?.close();
      },
    };
  };
}

export interface SupergraphUrlOptions {
  /** How often the URL is asked for a new supergraph. @default 10_000 (SUPERGRAPH_POLL_MS) */
  pollMs?: number;
  /** Deadline of one fetch. @default 5_000 */
  timeoutMs?: number;
  /** Headers of every fetch (e.g. an authorization for the artifact store). */
  headers?: Record<string, string>;
}

/**
 * Loads the supergraph from a URL and polls it, for a fleet of gateways fed by
 * one published composition. Each poll sends the last ETag as If-None-Match
 * (304: nothing to do) and a changed text is loaded without a restart. A fetch
 * that fails or a supergraph that fails to load keeps the last good composition
 * serving; the next poll tries again. The first fetch must succeed, or the
 * gateway does not start.
 */
export function supergraphFromUrl(
  url: string,
  log: Logger,
  options: SupergraphUrlOptions = {},
  events: SupergraphFileEvents = {},
): SupergraphSdlHook {
  const pollMs = options.pollMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  let etag: string | undefined;
  let current: string | undefined;

  /** The published text, or null when unchanged (304, or the same text again). */
  const fetchSupergraph = async (): Promise<string | null> => {
    const response = await fetch(url, {
      headers: {
        accept: 'text/plain, application/graphql, */*',
        ...options.headers,
        ...(etag && current !== undefined ? { 'if-none-match': etag } : {}),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 304) {
      await response.arrayBuffer();
      return null;
    }
    if (!response.ok) {
      await response.arrayBuffer();
      throw new Error(`${url} answered ${response.status}`);
    }
    const text = await response.text();
    etag = response.headers.get('etag') ?? undefined;
    return text === current ? null : text;
  };

  return async ({ update }) => {
    const initial = await fetchSupergraph();
    if (initial === null) throw new Error(`${url} gave no supergraph`);
    current = initial;
    const supergraphSdl = prepareSupergraphForGateway(initial);
    events.onLoaded?.(supergraphHash(initial));
    log.info({ url, hash: supergraphHash(initial), pollMs }, 'supergraph fetched; polling for new ones');

    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const poll = async (): Promise<void> => {
      let next: string | null;
      try {
        next = await fetchSupergraph();
      } catch (error) {
        log.error({ err: error, url }, 'supergraph fetch failed; keeping the current supergraph');
        events.onReloadFailed?.(error);
        return;
      }
      if (next === null || closed) return;
      const hash = supergraphHash(next);
      try {
        update(prepareSupergraphForGateway(next));
        current = next;
        log.info({ url, hash }, 'supergraph reloaded');
        events.onLoaded?.(hash);
        events.onReloaded?.();
      } catch (error) {
        // Remember the text (and its ETag) as seen, so a broken publication is not retried every poll; the old one serves.
        current = next;
        log.error({ err: error, url, hash }, 'new supergraph failed to load; keeping the current one');
        events.onReloadFailed?.(error);
      }
    };
    const schedule = (): void => {
      if (closed) return;
      timer = setTimeout(() => void poll().finally(schedule), pollMs);
      timer.unref();
    };
    schedule();
    return {
      supergraphSdl,
      cleanup: async () => {
        closed = true;
        clearTimeout(timer);
      },
    };
  };
}
