import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, type SubgraphEntry } from '../../subgraphs/registry.ts';

export type CompositionResult = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

/** Composes the registry's subgraph SDLs into a supergraph (default URLs on loopback). */
export function composeSupergraph(entries: readonly SubgraphEntry[] = SUBGRAPHS): CompositionResult {
  const services = [];
  const errors: string[] = [];
  for (const entry of entries) {
    try {
      services.push({
        name: entry.name,
        url: `http://127.0.0.1:${entry.port}/graphql`,
        typeDefs: parse(readFileSync(entry.sdlPath, 'utf8')),
      });
    } catch (error) {
      errors.push(`${entry.name}: ${(error as Error).message}`);
    }
  }
  if (errors.length) return { ok: false, errors };
  const result = composeServices(services);
  if (result.errors?.length || !result.supergraphSdl) {
    return { ok: false, errors: (result.errors ?? []).map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`) };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: (result.hints ?? []).map((h) => h.toString()) };
}
