import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Scripts and styles from our own origin only; GraphiQL sets inline styles, and fonts and icons are data: URLs. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A file ready to serve: its bytes, gzipped, and its ETag. */
export interface Loaded {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

export function load(text: Buffer): Loaded {
  return { body: text, gzipped: gzipSync(text), etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
}

/** Serves a loaded file (304 on a matching ETag, gzip when accepted) under the pages' security headers. */
/** Files of a route, each read and prepared on first use, then served from memory. */
export function assetCache(files: Readonly<Record<string, { file: string }>>): (name: string) => Loaded {
  const loaded = new Map<string, Loaded>();
  return (name) => {
    let asset = loaded.get(name);
    if (!asset) loaded.set(name, (asset = load(readFileSync(files[name]!.file))));
    return asset;
  };
}

export function send(req: IncomingMessage, res: ServerResponse, loaded: Loaded, type: string, cache: string): void {
  if (req.headers['if-none-match'] === loaded.etag) {
    res.writeHead(304, { etag: loaded.etag, 'cache-control': cache, ...SECURITY_HEADERS });
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? loaded.gzipped : loaded.body;
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    etag: loaded.etag,
    'cache-control': cache,
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...SECURITY_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** ECharts (the charting library of the explorer and the dashboards), from node_modules. */
export const ECHARTS_FILE = join(dirname(createRequire(import.meta.url).resolve('echarts/package.json')), 'dist/echarts.min.js');
