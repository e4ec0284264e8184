/**
 * Trusted documents (the operations portals and partners send):
 *   npm run operations              — validates schema/operations/*.graphql against the supergraph
 *                                     and writes schema/operations/manifest.json (sha256 id → document)
 *   npm run operations -- --check   — exits 1 when a document no longer validates against the
 *                                     supergraph or the manifest is stale (CI)
 *   npm run operations -- --schema  — prints the API schema the documents are checked against
 * Options: --supergraph <file> (default SUPERGRAPH_PATH or schema/supergraph.graphql), --dir <folder>.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { graphql } from '../platform/graphql.ts';
import { apiSchemaOf } from '../gateway/contracts/cut.ts';
import { documentId, type OperationManifest } from '../gateway/plugins/useTrustedDocuments.ts';

// graphql-js as @apollo/gateway loads it, so that validation runs against its schema objects.
const { Kind, parse, print, printSchema, separateOperations, validate } = graphql;

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    schema: { type: 'boolean', default: false },
    supergraph: { type: 'string' },
    dir: { type: 'string', default: 'schema/operations' },
  },
});
const supergraphPath = values.supergraph ?? process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql';
const dir = values.dir!;
const manifestPath = join(dir, 'manifest.json');

const schema = await apiSchemaOf(readFileSync(supergraphPath, 'utf8'));
if (values.schema) {
  console.log(printSchema(schema));
  process.exit(0);
}

const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.graphql'))
      .sort()
  : [];
const problems: string[] = [];
const operations: OperationManifest['operations'] = [];
for (const file of files) {
  let document: DocumentNode;
  try {
    document = parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    continue;
  }
  for (const operation of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
    const name = operation.name?.value;
    if (!name) {
      problems.push(`${file}: every trusted operation needs a name`);
      continue;
    }
    if (operations.some((o) => o.name === name)) problems.push(`${file}: operation ${name} is defined twice`);
    const body = print(separateOperations(document)[name]!);
    for (const error of validate(schema, parse(body))) problems.push(`${file} ${name}: ${error.message}`);
    operations.push({ id: documentId(body), name, type: operation.operation, body });
  }
}
if (problems.length) {
  console.error(`Trusted documents do not validate against ${supergraphPath}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
const manifest: OperationManifest = { format: 'apollo-persisted-query-manifest', version: 1, operations };
const text = `${JSON.stringify(manifest, null, 2)}\n`;
if (values.check) {
  const committed = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : '';
  if (committed !== text) {
    console.error(`${manifestPath} is stale: run \`npm run operations\` and commit it.`);
    process.exit(1);
  }
  console.log(`${operations.length} trusted documents validate against ${supergraphPath}; ${manifestPath} is up to date.`);
} else {
  writeFileSync(manifestPath, text);
  console.log(`Wrote ${manifestPath} (${operations.length} operations).`);
}
