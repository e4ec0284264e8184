import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { CallerKind, Logger } from '../../platform/index.ts';
import { installedPath } from '../../platform/paths.ts';
import { HttpRefusal, type GatewayPlugin } from '../plugin.ts';
import { isProduction } from '../../platform/settings.ts';

export type TrustedDocumentsMode = 'off' | 'allow' | 'enforce';

export interface TrustedDocumentsOptions {
  /**
   * `off`: manifest ids are not recognised (APQ still works);
   * `allow`: manifest ids are accepted, and any other document too;
   * `enforce`: callers of the `enforceFor` kinds may send only documents of the manifest.
   * @default 'enforce' in production, else 'allow'
   */
  mode?: TrustedDocumentsMode;
  /** The manifest (Apollo's persisted-query manifest format), re-read when it changes. @default schema/operations/manifest.json of the installed code */
  manifestPath?: string;
  /** Caller kinds held to the manifest in `enforce` mode. @default ['public', 'partner'] */
  enforceFor?: CallerKind[];
  logger?: Logger;
}

/** Apollo's persisted-query manifest, the format `scripts/operations.ts` writes. */
export interface OperationManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

export function documentId(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

function notTrusted(message: string): HttpRefusal {
  return new HttpRefusal(400, 'PERSISTED_QUERY_NOT_FOUND', message);
}

function badPersistedQuery(message: string): HttpRefusal {
  return new HttpRefusal(400, 'BAD_REQUEST', message);
}

/**
 * `extensions.persistedQuery` as the APQ protocol defines it (version 1, a
 * SHA-256 in hex that a sent query must match): a caller's mistake here is a
 * BAD_REQUEST that says what is wrong, before Apollo Server sees it.
 */
function checkPersistedQuery(operation: { query?: unknown; extensions?: Record<string, unknown> | undefined }): void {
  const persisted = operation.extensions?.persistedQuery;
  if (persisted === undefined) return;
  if (typeof persisted !== 'object' || persisted === null || Array.isArray(persisted))
    throw badPersistedQuery('extensions.persistedQuery must be an object { version: 1, sha256Hash }');
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1)
    throw badPersistedQuery(`Unsupported persisted query version ${JSON.stringify(version ?? null)}: only version 1 is supported`);
  if (typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(sha256Hash))
    throw badPersistedQuery(
      'extensions.persistedQuery.sha256Hash (or documentId) must be a SHA-256 of the document: 64 lowercase hex digits',
    );
  if (typeof operation.query === 'string' && documentId(operation.query) !== sha256Hash)
    throw badPersistedQuery('The query does not match the SHA-256 it is sent with');
}

/**
 * Trusted documents: a request may name a manifest document by its SHA-256
 * (`extensions.persistedQuery.sha256Hash`, as APQ clients send it, or
 * `documentId` per the GraphQL-over-HTTP persisted-documents proposal), and in
 * `enforce` mode the chosen caller kinds may send nothing else
 * (PERSISTED_QUERY_NOT_FOUND), refused before anything is parsed. Everyone
 * else may use automatic persisted queries.
 */
export function useTrustedDocuments(options: TrustedDocumentsOptions = {}): GatewayPlugin {
  const mode = options.mode ?? (isProduction() ? 'enforce' : 'allow');
  const path = options.manifestPath ?? installedPath('schema', 'operations', 'manifest.json');
  const enforceFor = new Set(options.enforceFor ?? ['public', 'partner']);
  let documents = new Map<string, string>();

  const load = () => {
    try {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as OperationManifest;
      documents = new Map(manifest.operations.map((o) => [o.id, o.body]));
      options.logger?.info({ path, documents: documents.size }, 'trusted documents loaded');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (mode === 'enforce') options.logger?.warn({ path }, 'no trusted-document manifest: enforced callers can send nothing');
        documents = new Map();
      } else {
        options.logger?.error({ err: error, path }, 'trusted-document manifest unreadable; keeping the documents loaded before');
      }
    }
  };
  if (mode !== 'off') {
    load();
    watchFile(path, { interval: 1_000, persistent: false }, load);
  }

  return {
    name: 'trusted-documents',
    onRequest({ caller, operations }) {
      for (const operation of operations) checkPersistedQuery(operation);
      if (mode === 'off') return;
      const kind = caller.viewer.kind;
      const enforced = mode === 'enforce' && enforceFor.has(kind);
      for (const operation of operations) {
        const persisted = operation.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
        const id = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
        if (id !== undefined && documents.has(id)) {
          const body = documents.get(id)!;
          if (operation.query !== undefined && operation.query !== body)
            throw notTrusted('The query does not match the trusted document it names');
          operation.query = body;
          // Known to the manifest: nothing to look up or register in the APQ cache.
          const { persistedQuery: _, ...rest } = operation.extensions ?? {};
          operation.extensions = rest;
          continue;
        }
        if (!enforced) continue;
        if (typeof operation.query === 'string' && id === undefined && documents.has(documentId(operation.query))) continue;
        throw notTrusted(
          id !== undefined
            ? `Unknown trusted document ${id}: ${kind} callers may only send documents of the manifest`
            : `${kind} callers may only send trusted documents (by id); this document is not in the manifest`,
        );
      }
    },
    async close() {
      unwatchFile(path, load);
    },
  };
}
