import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * @apollo/gateway as Apollo ships it, without the fixes of `patches/`: the
 * patched packages (and the gateway, which loads them) are copied next to the
 * project's node_modules and the patches are reversed in the copy. Everything
 * else (graphql, @apollo/federation-internals, ...) resolves to the project's
 * own modules, so the copy runs against the same graphql instance.
 */
export interface PristineApollo {
  ApolloGateway: typeof import('@apollo/gateway').ApolloGateway;
  /** Files the patches change, with their patched and pristine text. */
  changedFiles: { path: string; patched: string; pristine: string }[];
  dispose(): void;
}

const PATCHES_DIR = 'patches';

interface FilePatch {
  /** Path from the project root, e.g. `node_modules/@apollo/query-planner/dist/buildPlan.js`. */
  path: string;
  hunks: { before: string; after: string }[];
}

/** Reads a patch-package file (unified diff) into hunks of text before and after. */
function parsePatch(text: string): FilePatch[] {
  const files: FilePatch[] = [];
  let current: FilePatch | undefined;
  let hunk: { before: string[]; after: string[] } | undefined;
  const closeHunk = () => {
    if (current && hunk) current.hunks.push({ before: hunk.before.join('\n'), after: hunk.after.join('\n') });
    hunk = undefined;
  };
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('diff --git ')) {
      closeHunk();
      current = { path: line.split(' b/')[1]!, hunks: [] };
      files.push(current);
    } else if (line.startsWith('@@')) {
      closeHunk();
      hunk = { before: [], after: [] };
    } else if (hunk && !line.startsWith('\\')) {
      const body = line.slice(1);
      if (line.startsWith('-')) hunk.before.push(body);
      else if (line.startsWith('+')) hunk.after.push(body);
      else if (line.startsWith(' ') || line === '') {
        hunk.before.push(body);
        hunk.after.push(body);
      }
    }
  }
  closeHunk();
  return files;
}

export function loadPristineApollo(projectRoot: string): PristineApollo {
  const root = join(projectRoot, '.data', `pristine-apollo-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  const patches = readdirSync(join(projectRoot, PATCHES_DIR))
    .filter((f) => f.endsWith('.patch'))
    .flatMap((f) => parsePatch(readFileSync(join(projectRoot, PATCHES_DIR, f), 'utf8')));
  const packages = new Set(['@apollo/gateway', ...patches.map((p) => p.path.split('/').slice(1, 3).join('/'))]);
  for (const name of packages) {
    cpSync(join(projectRoot, 'node_modules', name), join(root, 'node_modules', name), { recursive: true, dereference: true });
  }
  const changedFiles: PristineApollo['changedFiles'] = [];
  for (const patch of patches) {
    const file = join(root, patch.path);
    const patched = readFileSync(file, 'utf8');
    let pristine = patched;
    // Each hunk's patched text appears once: put the shipped text back.
    for (const { before, after } of patch.hunks) {
      const at = pristine.indexOf(after);
      if (at < 0 || pristine.indexOf(after, at + 1) >= 0) {
        throw new Error(
          `${patch.path}: the patches of ${PATCHES_DIR}/ are not applied to node_modules (run npm install: postinstall applies them)`,
        );
      }
      pristine = pristine.slice(0, at) + before + pristine.slice(at + after.length);
    }
    writeFileSync(file, pristine);
    changedFiles.push({ path: patch.path, patched, pristine });
  }
  mkdirSync(root, { recursive: true });
  const requireInCopy = createRequire(join(root, 'index.js'));
  const { ApolloGateway } = requireInCopy('@apollo/gateway') as typeof import('@apollo/gateway');
  return { ApolloGateway, changedFiles, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
