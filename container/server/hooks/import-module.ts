import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';

/**
 * A real `import()` of a user's file, whatever its module system (`.mjs`, `.cjs`, `.js` under `"type": "module"` or
 * not): Node's own loader resolves its imports from the file's folder (`code/node_modules`).
 *
 * TypeScript compiles `import()` to `require()` under CommonJS, and `new Function('return import(s)')` fails inside
 * jest's VM contexts; a script compiled with the main context's default loader works in both. Node marks that
 * option experimental and prints one ExperimentalWarning when it is first used, so it is built on first use only.
 */
let dynamicImport: ((specifier: string) => Promise<Record<string, unknown>>) | undefined;

export function importModule(file: string): Promise<Record<string, unknown>> {
  dynamicImport ??= new vm.Script('(specifier) => import(specifier)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }).runInThisContext() as (specifier: string) => Promise<Record<string, unknown>>;
  return dynamicImport(pathToFileURL(file).href);
}
