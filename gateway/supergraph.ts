import { readFileSync, watch, type FSWatcher } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Kind, parse, print, visit } from '../platform/graphql.ts';
import type { Logger } from '../platform/index.ts';

/** Security features this gateway enforces itself (useAuthorization), by spec URL prefix. */
const ENFORCED_SECURITY_FEATURES = ['https://specs.apollo.dev/authenticated/', 'https://specs.apollo.dev/requiresScopes/', 'https://specs.apollo.dev/policy/'];

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

export interface SupergraphFileEvents {
  /** The file changed and the gateway now serves the new supergraph. */
  onReloaded?(): void;
  /** The file changed but could not be loaded; the previous supergraph keeps serving. */
  onReloadFailed?(error: unknown): void;
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
        log.info({ path }, 'supergraph reloaded');
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
    return {
      supergraphSdl: prepareSupergraphForGateway(initial),
      cleanup: async () => {
        closed = true;
        clearTimeout(timer);
        watcher?.close();
      },
    };
  };
}
