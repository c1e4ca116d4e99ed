import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { InferenceModule } from '../../hooks';
import { HookModuleError, messageOf } from './hook-errors';
import { importModule } from './import-module';

/**
 * Finds and loads the hook module of a model archive: `code/inference.js`, `.mjs` or `.cjs` at the root of the model
 * directory, one module for every model served (serving contract B7.1). Its imports resolve from `code/`, so
 * `code/package.json` and a vendored `code/node_modules` work, as `code/lib/` did for the peer, network isolation
 * included.
 *
 * The peer silently ignored hooks it could not use (a `code/` inside a model or version folder, #148 #162 #138):
 * requests then failed far from the cause. Here every such case stops start-up with what to do instead.
 */

const MODULE_FILES = ['inference.js', 'inference.mjs', 'inference.cjs'];
const HOOK_NAMES = ['handler', 'inputHandler', 'outputHandler'] as const;
const SEE_README = 'see the README section "Hooks"';

export interface LoadHooksOptions {
  /**
   * Refuse `code/` folders inside the model folders below `modelDir` (default true). A multi-model root turns it off:
   * there each model folder carries its own `code/`, loaded with the model.
   */
  refuseNested?: boolean;
}

/** The hooks, undefined when the archive has none; throws HookModuleError for a module that cannot serve. */
export async function loadHooks(modelDir: string, options: LoadHooksOptions = {}): Promise<InferenceModule | undefined> {
  const codeDir = path.join(modelDir, 'code');
  if (options.refuseNested ?? true) await refuseMisplacedHooks(modelDir);
  const files = await fileNames(codeDir);
  const modules = MODULE_FILES.filter((name) => files.includes(name));
  if (modules.length > 1) throw new HookModuleError(`${codeDir} holds ${modules.join(' and ')}: keep one of them`);
  if (modules.length === 0) {
    refuseForeignHooks(codeDir, files);
    return undefined;
  }
  const file = path.join(codeDir, modules[0]);
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(file);
  } catch (error) {
    throw new HookModuleError(`cannot load ${file}: ${messageOf(error)}`, { cause: error });
  }
  return hooksOf(namespace, file);
}

/** The hook functions a module exports: ESM named exports, CommonJS `exports.*`, or the properties of a default export. */
function hooksOf(namespace: Record<string, unknown>, file: string): InferenceModule {
  const named = HOOK_NAMES.some((name) => namespace[name] !== undefined);
  const fallback = namespace.default;
  const exported = !named && typeof fallback === 'object' && fallback !== null ? (fallback as Record<string, unknown>) : namespace;

  const present = HOOK_NAMES.filter((name) => exported[name] !== undefined);
  for (const name of present) {
    if (typeof exported[name] !== 'function') {
      throw new HookModuleError(`${file}: ${name} must be a function, got ${typeof exported[name]}`);
    }
  }
  if (present.includes('handler') && present.length > 1) {
    throw new HookModuleError(
      `${file} exports handler together with ${present.filter((name) => name !== 'handler').join(' and ')}: ` +
        'export handler(data, context) alone, or inputHandler and/or outputHandler without handler',
    );
  }
  if (present.length === 0) {
    const names = Object.keys(exported).filter((name) => name !== 'default');
    throw new HookModuleError(
      `${file} exports none of handler, inputHandler, outputHandler (it exports: ${names.join(', ') || 'nothing'}). ` +
        `Export handler(data, context), or inputHandler(data, context) and/or outputHandler(response, context); ${SEE_README}`,
    );
  }
  return Object.fromEntries(present.map((name) => [name, exported[name]])) as InferenceModule;
}

/** Hooks in a language Node does not run get a start-up error saying how to port them. */
function refuseForeignHooks(codeDir: string, files: string[]): void {
  if (files.includes('inference.py')) {
    throw new HookModuleError(
      `${path.join(codeDir, 'inference.py')} is a Python hook module; tfserve runs JavaScript. Port it to ` +
        `${path.join(codeDir, 'inference.js')} (or .mjs/.cjs): handler(data, context) keeps its name, ` +
        'input_handler(data, context) becomes inputHandler(data, context), output_handler(response, context) becomes ' +
        'outputHandler(response, context), and handler and outputHandler return { body, contentType?, status? } ' +
        `instead of a (body, content_type) tuple; ${SEE_README}`,
    );
  }
  if (files.includes('inference.ts')) {
    throw new HookModuleError(
      `${path.join(codeDir, 'inference.ts')} is TypeScript; Node runs JavaScript: compile it to inference.js ` +
        `(types: import type { Handler } from 'tfserve/hooks'); ${SEE_README}`,
    );
  }
}

/** A hook module in `<model>/code/` or `<model>/<version>/code/` would be ignored: say where it belongs. */
async function refuseMisplacedHooks(modelDir: string): Promise<void> {
  const hookFiles = [...MODULE_FILES, 'inference.py', 'inference.ts'];
  for (const dir of await subdirectories(modelDir)) {
    for (const codeDir of [path.join(dir, 'code'), ...(await subdirectories(dir)).map((sub) => path.join(sub, 'code'))]) {
      const misplaced = (await fileNames(codeDir)).find((name) => hookFiles.includes(name));
      if (misplaced) {
        throw new HookModuleError(
          `${path.join(codeDir, misplaced)} would not be used: hooks live in ${path.join(modelDir, 'code')}/, ` +
            `one module for every model (context.modelName tells them apart); ${SEE_README}`,
        );
      }
    }
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'code')
    .map((entry) => path.join(dir, entry.name));
}

async function fileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}
