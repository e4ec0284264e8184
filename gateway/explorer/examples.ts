import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphql } from '../../platform/graphql.ts';
import { readOperationFile, type OperationFile } from '../contracts/cut.ts';

const { Kind, parse, print, separateOperations } = graphql;

/** The explorer's own examples, used when the operations folder holds none. */
export const FALLBACK_EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'examples');

/** One tab of the explorer. */
export interface ExplorerExample {
  name: string;
  file: string;
  description: string;
  caller: string | null;
  contracts: string[];
  /** The operation (with the fragments of its file), led by comments on who may run it. */
  query: string;
  /** The operation and its fragments as printed into the trusted-document manifest (its exact text is trusted). */
  body: string;
  variables: string;
  headers: string;
}

const CREDENTIAL_HINTS: Record<string, string> = {
  public: 'Anyone may run it: no header needed.',
  partner: 'Send a partner API key: {"x-api-key": "<key>"} in Headers (npm run api-key -- create --partner <partner id>).',
  analyst: 'Send an analyst token: {"authorization": "Bearer <token>"} in Headers (npm run token -- --role analyst).',
  volunteer: 'Send a volunteer token: {"authorization": "Bearer <token>"} in Headers (npm run token -- --role volunteer --volunteer <id>).',
  coordinator: 'Send a coordinator token: {"authorization": "Bearer <token>"} in Headers (npm run token -- --role coordinator --org <id>).',
  admin: 'Send an admin token: {"authorization": "Bearer <token>"} in Headers (npm run token -- --role admin).',
};

/** Who runs an operation: its `# caller:` header, else the file name's first word (partner-…, analyst-…, portal-…). */
function callerOf(file: OperationFile): string | null {
  if (file.caller) return file.caller;
  const prefix = file.file.split(/[-_.]/)[0] ?? '';
  if (prefix in CREDENTIAL_HINTS) return prefix;
  if (/anonymous|public/i.test(file.description)) return 'public';
  if (/volunteer/i.test(file.description) && prefix === 'portal') return 'volunteer';
  return null;
}

/** Example values for variables without a default, by name and then by type. */
function exampleVariables(definition: import('graphql').OperationDefinitionNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const variable of definition.variableDefinitions ?? []) {
    if (variable.defaultValue) continue;
    const name = variable.variable.name.value;
    const required = variable.type.kind === Kind.NON_NULL_TYPE;
    const typeName = print(variable.type).replace(/[[\]!]/g, '');
    if (/^(code|regionCode)$/.test(name)) values[name] = '710000000';
    else if (name === 'year') values[name] = new Date().getUTCFullYear();
    else if (name === 'first') values[name] = 10;
    else if (required) values[name] = typeName === 'Int' ? 1 : typeName === 'Boolean' ? false : typeName === 'Float' ? 1.0 : '';
  }
  return values;
}

function filesOf(dir: string): OperationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .flatMap((f) => {
      try {
        return [readOperationFile(f, readFileSync(join(dir, f), 'utf8'))];
      } catch {
        return []; // a broken file is the operations check's business; the explorer shows the rest
      }
    });
}

/**
 * The explorer's example tabs: one per named operation of the operations
 * folder (read at each call, so new files show up), or of the explorer's own
 * examples when that folder has none.
 */
export function loadExamples(operationsDir: string, fallbackDir: string = FALLBACK_EXAMPLES_DIR): ExplorerExample[] {
  let files = filesOf(operationsDir);
  if (!files.some((f) => f.operations.length)) files = filesOf(fallbackDir);
  const examples: ExplorerExample[] = [];
  for (const file of files) {
    const document = parse(file.text, { noLocation: true });
    const separated = separateOperations(document);
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const caller = callerOf(file);
      const lines = [
        ...(file.description ? [`# ${file.description}`] : []),
        `# ${caller ? (CREDENTIAL_HINTS[caller] ?? `Caller: ${caller}.`) : 'Some fields need a token or an API key: see Headers.'}`,
        ...(file.contracts.length
          ? [`# Valid against the ${file.contracts.join(' and ')} contract${file.contracts.length > 1 ? 's' : ''}.`]
          : []),
      ];
      const body = print(separated[definition.name.value]!);
      examples.push({
        name: definition.name.value,
        file: file.file,
        description: file.description,
        caller,
        contracts: file.contracts,
        query: `${lines.join('\n')}\n${body}\n`,
        body,
        variables: JSON.stringify(file.variables ?? exampleVariables(definition), null, 2),
        headers: '{}',
      });
    }
  }
  return examples;
}
