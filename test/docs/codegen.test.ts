// The GraphQL Code Generator config in docs/frontend.md runs over the schema and docs/examples, and its output type-checks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import ts from 'typescript';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

/** How a frontend uses the generated types: DateTime variables and fields are plain strings, never `any`. */
const USAGE = `
import type { EventsQuery, EventsQueryVariables, CreateEventMutation } from './graphql';
import { EventsDocument } from './graphql';
type IsExactlyString<T> = 0 extends 1 & T ? false : [T] extends [string] ? ([string] extends [T] ? true : false) : false;
const variables: EventsQueryVariables = { start: '2026-11-23T00:00:00Z', end: '2026-11-30T00:00:00Z' };
const startIsString: IsExactlyString<EventsQueryVariables['start']> = true;
type Node = EventsQuery['events']['nodes'][number];
const wallClockIsString: IsExactlyString<Node['start']['dateTime']> = true;
const created: CreateEventMutation['createEvent']['id'] = 'AAMk';
export const used = [variables, startIsString, wallClockIsString, created, EventsDocument];
`;

/**
 * Runs the documented config with its output moved to `outputFolder`. In a child process: the codegen CLI loads
 * ES modules, which Node loads and jest's module system does not.
 */
function runDocumentedCodegen(outputFolder: string): string {
  const script = `
    const { generate } = require('@graphql-codegen/cli');
    const config = require('./docs/examples/frontend/codegen.ts').default;
    const [[, output]] = Object.entries(config.generates);
    generate({ ...config, silent: true, generates: { [process.argv[1] + '/']: output } }, true)
      .then((files) => process.stdout.write(JSON.stringify(files.map((file) => file.filename))))
      .catch((error) => { console.error(error); process.exit(1); });`;
  return execFileSync(process.execPath, ['-r', './bench/register.js', '-e', script, outputFolder], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
}

describe('the documented GraphQL Code Generator config', () => {
  // Inside the repository, so the generated files resolve their imports from its node_modules.
  const outputFolder = path.join(REPOSITORY_ROOT, 'node_modules', '.cache', `codegen-test-${randomBytes(4).toString('hex')}`);
  afterAll(() => rmSync(outputFolder, { recursive: true, force: true }));

  it('generates typed operations that compile under strict TypeScript', () => {
    const written = JSON.parse(runDocumentedCodegen(outputFolder)) as string[];
    expect(written.map((file) => path.basename(file)).sort()).toEqual(['fragment-masking.ts', 'gql.ts', 'graphql.ts', 'index.ts']);
    mkdirSync(outputFolder, { recursive: true });
    writeFileSync(path.join(outputFolder, 'usage.ts'), USAGE);

    const program = ts.createProgram([path.join(outputFolder, 'index.ts'), path.join(outputFolder, 'usage.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      skipLibCheck: true,
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});
