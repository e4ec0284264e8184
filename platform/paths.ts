import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the installed code is, so that nothing is resolved against the working
 * directory. The sources and a build (`dist/`, same layout, assets copied by
 * `npm run build`) both hold `gateway/`, `subgraphs/` and `schema/` side by side.
 */
export const INSTALL_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A file of the installed code: `installedPath('schema', 'supergraph.graphql')`. */
export function installedPath(...segments: string[]): string {
  return join(INSTALL_ROOT, ...segments);
}

/** The package the code belongs to: the nearest folder with a package.json above it (the repository, or /app of an image). */
export const PACKAGE_ROOT = ((): string => {
  for (let dir = INSTALL_ROOT; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return INSTALL_ROOT;
  }
})();

/** The data folder (PGlite data, the API-key file): DATA_DIR, else `.data/` of the package. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATA_DIR ? resolve(env.DATA_DIR) : join(PACKAGE_ROOT, '.data');
}
