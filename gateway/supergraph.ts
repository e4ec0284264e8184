import { readFileSync, watch, type FSWatcher } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Kind, parse, type ConstDirectiveNode } from 'graphql';
import type { Logger } from '../subgraphs/kit/index.ts';

export interface SubgraphOfSupergraph {
  name: string;
  url: string;
}

/** The subgraphs a supergraph names (its `join__Graph` enum), with their URLs. */
export function subgraphsOf(supergraphSdl: string): SubgraphOfSupergraph[] {
  const document = parse(supergraphSdl);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      return (definition.values ?? []).flatMap((value) => {
        const directive = value.directives?.find((d: ConstDirectiveNode) => d.name.value === 'join__graph');
        const arg = (name: string) => {
          const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
          return node?.kind === Kind.STRING ? node.value : undefined;
        };
        const name = arg('name');
        return name ? [{ name, url: arg('url') ?? '' }] : [];
      });
    }
  }
  return [];
}

/**
 * Loads the supergraph from a file and reloads it when the file changes. A file
 * that fails to load keeps the previous supergraph serving, and the reason is logged.
 */
export function supergraphFromFile(path: string, log: Logger, onLoaded: (sdl: string) => void): SupergraphSdlHook {
  return async ({ update }) => {
    const initial = readFileSync(path, 'utf8');
    onLoaded(initial);
    let current = initial;
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    const reload = () => {
      let next: string;
      try {
        next = readFileSync(path, 'utf8');
      } catch (error) {
        log.error({ err: error, path }, 'supergraph file unreadable; keeping the current supergraph');
        return;
      }
      if (next === current) return;
      try {
        subgraphsOf(next); // a parse error is reported here, before the gateway sees it
        update(next);
        current = next;
        onLoaded(next);
        log.info({ path }, 'supergraph reloaded');
      } catch (error) {
        log.error({ err: error, path }, 'new supergraph failed to load; keeping the current one');
      }
    };
    try {
      watcher = watch(path, () => {
        clearTimeout(timer);
        timer = setTimeout(reload, 100);
      });
    } catch (error) {
      log.warn({ err: error, path }, 'cannot watch the supergraph file; hot reload is off');
    }
    return {
      supergraphSdl: initial,
      cleanup: async () => {
        clearTimeout(timer);
        watcher?.close();
      },
    };
  };
}
