import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Context, ModelResponse } from '../../../../container/hooks';
import { HookModuleError } from '../../../../container/server/hooks/hook-errors';
import { loadHooks } from '../../../../container/server/hooks/load-hooks';

/** Writes `files` (path → text) under a fresh model dir and returns it. */
function modelDir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-hooks-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

const context = {} as Context;
const response = { status: 200, body: Buffer.from('{"predictions":[3.5]}'), contentType: 'application/json', json: () => ({ predictions: [3.5] }) } as ModelResponse;

/** A dependency in code/node_modules, found by Node's own resolution from code/. */
const tinyPackage = {
  'code/package.json': '{"name": "hooks", "private": true, "dependencies": {"tiny-csv": "1.0.0"}}',
  'code/node_modules/tiny-csv/package.json': '{"name": "tiny-csv", "version": "1.0.0", "main": "index.js"}',
  'code/node_modules/tiny-csv/index.js': "exports.rows = (text) => text.trim().split('\\n').map(Number);",
};

describe('loadHooks', () => {
  it('is undefined when the archive has no hook module', async () => {
    expect(await loadHooks(modelDir({ 'half_plus_three/1/saved_model.pb': '' }))).toBeUndefined();
    expect(await loadHooks(modelDir({ 'code/package.json': '{}', 'code/README.md': 'notes' }))).toBeUndefined();
    expect(await loadHooks(path.join(os.tmpdir(), 'tfserve-no-such-dir'))).toBeUndefined();
  });

  it('loads a CommonJS inference.js whose handler requires a package from code/node_modules', async () => {
    const dir = modelDir({
      ...tinyPackage,
      'code/inference.js': "const { rows } = require('tiny-csv');\nexports.handler = (data) => ({ body: { rows: rows(data.toString()) } });",
    });
    const hooks = await loadHooks(dir);
    expect(Object.keys(hooks!)).toEqual(['handler']);
    expect(hooks!.handler!(Buffer.from('1\n2\n'), context)).toEqual({ body: { rows: [1, 2] } });
  });

  it('loads async inputHandler and outputHandler from inference.cjs (module.exports = {...})', async () => {
    const dir = modelDir({
      'code/inference.cjs': [
        'async function inputHandler(data) { return { instances: [Number(data.toString())] }; }',
        'async function outputHandler(response) { return { body: String(response.json().predictions[0]), contentType: "text/plain" }; }',
        'module.exports = { inputHandler, outputHandler };',
      ].join('\n'),
    });
    const hooks = await loadHooks(dir);
    expect(Object.keys(hooks!)).toEqual(['inputHandler', 'outputHandler']);
    expect(await hooks!.inputHandler!(Buffer.from('4'), context)).toEqual({ instances: [4] });
    expect(await hooks!.outputHandler!(response, context)).toEqual({ body: '3.5', contentType: 'text/plain' });
  });

  it('loads an ES module inference.mjs that imports a package from code/node_modules', async () => {
    const dir = modelDir({
      ...tinyPackage,
      'code/inference.mjs': "import { rows } from 'tiny-csv';\nexport const inputHandler = (data) => ({ instances: rows(data.toString()) });",
    });
    const hooks = await loadHooks(dir);
    expect(Object.keys(hooks!)).toEqual(['inputHandler']);
    expect(hooks!.inputHandler!(Buffer.from('1\n5'), context)).toEqual({ instances: [1, 5] });
  });

  it('loads inference.js as an ES module under code/package.json "type": "module", with top-level await', async () => {
    const dir = modelDir({
      'code/package.json': '{"type": "module"}',
      'code/inference.js': 'const offset = await Promise.resolve(10);\nexport async function outputHandler(r) { return { body: { y: r.json().predictions[0] + offset } }; }',
    });
    const hooks = await loadHooks(dir);
    expect(await hooks!.outputHandler!(response, context)).toEqual({ body: { y: 13.5 } });
  });

  it('reads the properties of a default export', async () => {
    const dir = modelDir({ 'code/inference.mjs': 'export default { handler: () => ({ body: "ok" }) };' });
    const hooks = await loadHooks(dir);
    expect(hooks!.handler!(Buffer.alloc(0), context)).toEqual({ body: 'ok' });
  });

  const README = 'see the README section "Hooks"';
  it.each([
    [
      'a module exporting no hook (Python names)',
      { 'code/inference.js': 'exports.input_handler = () => 1;\nexports.output_handler = () => 2;' },
      'code/inference.js exports none of handler, inputHandler, outputHandler (it exports: input_handler, output_handler). ' +
        `Export handler(data, context), or inputHandler(data, context) and/or outputHandler(response, context); ${README}`,
    ],
    [
      'a module exporting nothing',
      { 'code/inference.mjs': 'const x = 1;' },
      'code/inference.mjs exports none of handler, inputHandler, outputHandler (it exports: nothing).',
    ],
    [
      'handler together with inputHandler',
      { 'code/inference.js': 'exports.handler = () => 1;\nexports.inputHandler = () => 2;' },
      'code/inference.js exports handler together with inputHandler: export handler(data, context) alone, or inputHandler and/or outputHandler without handler',
    ],
    [
      'a hook that is not a function',
      { 'code/inference.js': 'exports.outputHandler = "text/csv";' },
      'code/inference.js: outputHandler must be a function, got string',
    ],
    ['two modules', { 'code/inference.js': '', 'code/inference.mjs': '' }, 'code holds inference.js and inference.mjs: keep one of them'],
    ['a module that fails to load', { 'code/inference.js': "require('not-installed');" }, "code/inference.js: Cannot find module 'not-installed'"],
    ['a syntax error', { 'code/inference.mjs': 'export const = 1;' }, 'code/inference.mjs: Unexpected token'],
    [
      'a Python inference.py',
      { 'code/inference.py': 'def handler(data, context): pass', 'code/requirements.txt': 'numpy' },
      'code/inference.py is a Python hook module; tfserve runs JavaScript. Port it to ',
    ],
    [
      'a TypeScript inference.ts',
      { 'code/inference.ts': 'export const handler = () => ({ body: "" });' },
      "code/inference.ts is TypeScript; Node runs JavaScript: compile it to inference.js (types: import type { Handler } from 'tfserve/hooks')",
    ],
    [
      'a module in a model folder',
      { 'code/inference.js': 'exports.handler = () => 1;', 'half_plus_three/code/inference.js': '' },
      `half_plus_three/code/inference.js would not be used: hooks live in `,
    ],
    [
      'a Python module in a version folder',
      { 'half_plus_three/1/saved_model.pb': '', 'half_plus_three/1/code/inference.py': '' },
      'half_plus_three/1/code/inference.py would not be used: hooks live in ',
    ],
  ])('refuses %s at start-up', async (_case, files, message) => {
    const dir = modelDir(files);
    const loading = loadHooks(dir);
    await expect(loading).rejects.toThrow(HookModuleError);
    await expect(loading).rejects.toThrow(message);
  });

  it('says how to port inference.py, naming the three functions and their TypeScript equivalents', async () => {
    const dir = modelDir({ 'code/inference.py': '' });
    await expect(loadHooks(dir)).rejects.toThrow(
      `${dir}/code/inference.py is a Python hook module; tfserve runs JavaScript. Port it to ${dir}/code/inference.js ` +
        '(or .mjs/.cjs): handler(data, context) keeps its name, input_handler(data, context) becomes ' +
        'inputHandler(data, context), output_handler(response, context) becomes outputHandler(response, context), ' +
        'and handler and outputHandler return { body, contentType?, status? } instead of a (body, content_type) tuple; ' +
        'see the README section "Hooks"',
    );
  });

  it('says where a misplaced module belongs', async () => {
    const dir = modelDir({ 'half_plus_three/code/inference.mjs': '' });
    await expect(loadHooks(dir)).rejects.toThrow(
      `${dir}/half_plus_three/code/inference.mjs would not be used: hooks live in ${dir}/code/, one module for every ` +
        'model (context.modelName tells them apart); see the README section "Hooks"',
    );
  });

  it('on a multi-model root (refuseNested: false) leaves the models\' own code/ folders to their loads', async () => {
    const dir = modelDir({ 'half_plus_three/code/inference.js': '', 'code/inference.js': 'exports.handler = () => ({ body: "universal" });' });
    expect(Object.keys((await loadHooks(dir, { refuseNested: false }))!)).toEqual(['handler']);
  });

  it('prefers inference.js over a leftover inference.py', async () => {
    const dir = modelDir({ 'code/inference.py': '', 'code/inference.js': 'exports.handler = () => ({ body: "js" });' });
    expect(Object.keys((await loadHooks(dir))!)).toEqual(['handler']);
  });
});
