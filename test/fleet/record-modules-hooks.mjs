// Module hooks of record-modules.mjs (they run on the loader thread).
import { appendFileSync } from 'node:fs';

let file;
export async function initialize(data) {
  file = data.file;
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, `esm ${resolved.url}\n`);
  return resolved;
}
