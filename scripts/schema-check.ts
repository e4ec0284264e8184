/**
 * Schema-change checks against the last released schemas (schema/releases/):
 *   npm run schema:check                 — lists the changes of the API schema and of each contract
 *                                          since its release (breaking / dangerous / safe, by
 *                                          @graphql-inspector/core); exits 1 on a breaking change to a
 *                                          contract, on a release file without a note in RELEASES.md,
 *                                          and on an operation of schema/operations that does not
 *                                          validate against a contract its `# contract:` header names
 *   npm run schema:check -- --base origin/main
 *                                        — also checks, with git, that a release file changed since that
 *                                          ref was released properly (a higher version, with a note)
 *   npm run schema:check -- --release partner --note "Removed X; partners were told on …"
 *                                        — records a release (api, partner, public or all): writes the
 *                                          current schema into schema/releases/<name>.graphql with the
 *                                          next version and appends the note and the changes to RELEASES.md
 * Paths: --supergraph, --releases, --operations (defaults under schema/). CI: SCHEMA_CHECK_BASE sets --base.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type * as Inspector from '@graphql-inspector/core';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { graphql } from '../platform/graphql.ts';
import { CONTRACTS, cutContracts, printApiSchema, readOperationFile } from '../gateway/contracts/cut.ts';

// The CommonJS build of the inspector, so that it shares graphql-js with our schemas.
const inspector = createRequire(import.meta.url)('@graphql-inspector/core') as typeof Inspector;
const { buildSchema, parse, separateOperations, validate } = graphql;

const { values } = parseArgs({
  options: {
    supergraph: { type: 'string', default: 'schema/supergraph.graphql' },
    releases: { type: 'string', default: 'schema/releases' },
    operations: { type: 'string', default: 'schema/operations' },
    base: { type: 'string' },
    release: { type: 'string' },
    note: { type: 'string' },
    date: { type: 'string' },
  },
});
const releasesDir = values.releases!;
const notesPath = join(releasesDir, 'RELEASES.md');
const base = values.base ?? process.env.SCHEMA_CHECK_BASE;

interface Release {
  name: string;
  version: number;
  released: string | null;
  sdl: string;
}

const releasePath = (name: string) => join(releasesDir, `${name}.graphql`);

function parseRelease(name: string, text: string): Release {
  const version = /^# version: (\d+)$/m.exec(text);
  const released = /^# released: (\S+)$/m.exec(text);
  if (!version) throw new Error(`${releasePath(name)} has no "# version: N" line`);
  return { name, version: Number(version[1]), released: released?.[1] ?? null, sdl: text };
}

function readRelease(name: string): Release | null {
  const path = releasePath(name);
  return existsSync(path) ? parseRelease(name, readFileSync(path, 'utf8')) : null;
}

function releaseText(name: string, version: number, date: string, sdl: string): string {
  const body = sdl.replace(/^(#[^\n]*\n)+\n?/, ''); // the generated header of a contract
  return `# The ${name} schema as released: what callers build on. Written by \`npm run schema:check -- --release ${name}\`.\n# version: ${version}\n# released: ${date}\n\n${body.trimEnd()}\n`;
}

type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
const LABEL: Record<Level, string> = { BREAKING: 'breaking', DANGEROUS: 'dangerous', NON_BREAKING: 'safe' };

async function changesBetween(before: string, after: GraphQLSchema | string): Promise<Inspector.Change[]> {
  const afterSchema = typeof after === 'string' ? buildSchema(after) : after;
  return inspector.diff(buildSchema(before), afterSchema);
}

const levelOf = (change: Inspector.Change) => change.criticality.level as Level;

function printChanges(title: string, changes: readonly Inspector.Change[]): void {
  if (!changes.length) {
    console.log(`${title}: no changes.`);
    return;
  }
  console.log(`${title}: ${changes.length} change${changes.length === 1 ? '' : 's'}`);
  for (const level of ['BREAKING', 'DANGEROUS', 'NON_BREAKING'] as const) {
    for (const change of changes.filter((c) => levelOf(c) === level)) {
      console.log(
        `  [${LABEL[level]}] ${change.message}${change.criticality.reason && level !== 'NON_BREAKING' ? ` — ${change.criticality.reason}` : ''}`,
      );
    }
  }
}

function notesText(): string {
  return existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : '';
}

/** The note of a release: the text under its `## <name> <version>` heading. */
function noteOf(notes: string, name: string, version: number): string | null {
  const heading = new RegExp(`^## ${name} ${version}\\b.*$`, 'm').exec(notes);
  if (!heading) return null;
  const rest = notes.slice(heading.index + heading[0].length);
  const next = rest.search(/^## /m);
  return (next === -1 ? rest : rest.slice(0, next)).trim();
}

function gitShow(ref: string, path: string): string | null {
  try {
    return execFileSync('git', ['show', `${ref}:${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** Operations, each with the fragments it uses, as documents to validate. */
function operationDocuments(document: DocumentNode): { name: string; document: DocumentNode }[] {
  return Object.entries(separateOperations(document)).map(([name, operation]) => ({
    name: name || '(anonymous)',
    document: operation as DocumentNode,
  }));
}

const supergraphSdl = readFileSync(values.supergraph!, 'utf8');
const { api, contracts } = await cutContracts(supergraphSdl);
const current = new Map<string, { sdl: string; schema: GraphQLSchema; contract: boolean }>([
  ['api', { sdl: printApiSchema(api), schema: api, contract: false }],
  ...contracts.map((c) => [c.definition.name, { sdl: c.sdl, schema: c.schema, contract: true }] as const),
]);

if (values.release) {
  // Record a release.
  const names = values.release === 'all' ? [...current.keys()] : values.release.split(',').map((s) => s.trim());
  const note = values.note?.trim();
  if (!note) {
    console.error('A release needs a note for its readers: --note "what changed and what callers must do"');
    process.exit(2);
  }
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  mkdirSync(releasesDir, { recursive: true });
  let notes =
    notesText() ||
    '# Schema releases\n\nEach release of the API schema and of the contracts, newest last, with what changed and what callers must do.\n';
  for (const name of names) {
    const schema = current.get(name);
    if (!schema) {
      console.error(`unknown schema "${name}" (known: ${[...current.keys()].join(', ')}, all)`);
      process.exit(2);
    }
    const previous = readRelease(name);
    const version = (previous?.version ?? 0) + 1;
    const changes = previous ? await changesBetween(previous.sdl, schema.schema) : [];
    writeFileSync(releasePath(name), releaseText(name, version, date, schema.sdl));
    const listed = changes.map((c) => `- [${LABEL[levelOf(c)]}] ${c.message}`);
    notes = `${notes.trimEnd()}\n\n## ${name} ${version} (${date})\n\n${note}\n${listed.length ? `\n${listed.join('\n')}\n` : ''}`;
    console.log(`Released ${name} ${version} (${changes.length} changes since ${previous ? `version ${previous.version}` : 'nothing'}).`);
  }
  writeFileSync(notesPath, notes);
  process.exit(0);
}

// Check.
const problems: string[] = [];
const notes = notesText();
for (const [name, schema] of current) {
  const release = readRelease(name);
  if (!release) {
    problems.push(
      `${releasePath(name)} is missing: record the first release with \`npm run schema:check -- --release ${name} --note "…"\``,
    );
    continue;
  }
  if (!noteOf(notes, name, release.version))
    problems.push(`${releasePath(name)} is version ${release.version} but ${notesPath} has no "## ${name} ${release.version}" note`);
  const changes = await changesBetween(release.sdl, schema.schema);
  printChanges(`${name} since its release ${release.version}${release.released ? ` (${release.released})` : ''}`, changes);
  const breaking = changes.filter((c) => levelOf(c) === 'BREAKING');
  if (breaking.length && schema.contract) {
    problems.push(
      `${breaking.length} breaking change${breaking.length === 1 ? '' : 's'} to the ${name} contract. Callers build on it: keep the old field (deprecate it) or, if the break is agreed, release it in the same change: npm run schema:check -- --release ${name} --note "…"`,
    );
  } else if (breaking.length) {
    console.log(
      `  (the API schema is not a contract: its breaking changes are listed, not refused; release it with --release api when deployed)`,
    );
  }

  if (base) {
    const before = gitShow(base, releasePath(name));
    if (before !== null && before !== release.sdl) {
      const previous = parseRelease(name, before);
      const releasedChanges = await changesBetween(previous.sdl, release.sdl.replace(/^#.*$/gm, ''));
      if (release.version <= previous.version)
        problems.push(`${releasePath(name)} changed since ${base} without a new version (still ${release.version})`);
      if (releasedChanges.some((c) => levelOf(c) === 'BREAKING') && !noteOf(notes, name, release.version)) {
        problems.push(`${releasePath(name)} releases breaking changes without a note in ${notesPath}`);
      }
    }
  }
}

// Operations meant for a contract must be valid against it.
const operationsDir = values.operations!;
const files = existsSync(operationsDir)
  ? readdirSync(operationsDir)
      .filter((f) => f.endsWith('.graphql'))
      .sort()
  : [];
let checked = 0;
for (const file of files) {
  let operationFile;
  try {
    operationFile = readOperationFile(file, readFileSync(join(operationsDir, file), 'utf8'));
  } catch (error) {
    problems.push(`${join(operationsDir, file)}: ${(error as Error).message}`);
    continue;
  }
  for (const name of operationFile.contracts) {
    const schema = current.get(name);
    if (!schema?.contract) {
      problems.push(
        `${join(operationsDir, file)}: names the contract "${name}", which does not exist (contracts: ${CONTRACTS.map((c) => c.name).join(', ')})`,
      );
      continue;
    }
    for (const operation of operationDocuments(parse(operationFile.text))) {
      checked++;
      for (const error of validate(schema.schema, operation.document)) {
        problems.push(`${join(operationsDir, file)} ${operation.name} is not valid against the ${name} contract: ${error.message}`);
      }
    }
  }
}
console.log(`${checked} operation${checked === 1 ? '' : 's'} of ${operationsDir} checked against the contracts they name.`);

if (problems.length) {
  console.error(`\nSchema check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('Schema check passed.');
