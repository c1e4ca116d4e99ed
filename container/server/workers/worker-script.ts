import * as path from 'node:path';

/**
 * How to start the worker thread from wherever this module runs. Compiled (dist/…/worker.js): the file itself.
 * From TypeScript sources (jest runs them through ts-jest, which worker threads do not inherit): a CommonJS bootstrap
 * that compiles each required `.ts` file with TypeScript's transpileModule (type-only, no checking) and then
 * requires worker.ts. TypeScript is a dev dependency, so only the sources path needs it.
 */

export interface WorkerScript {
  /** A file path, or the bootstrap's code when `evaluate` is true. */
  script: string;
  evaluate: boolean;
}

export function workerScript(): WorkerScript {
  if (!__filename.endsWith('.ts')) return { script: path.join(__dirname, 'worker.js'), evaluate: false };
  return { script: typescriptBootstrap(require.resolve('typescript'), path.join(__dirname, 'worker.ts')), evaluate: true };
}

export function typescriptBootstrap(typescriptPath: string, entry: string): string {
  return `
    const fs = require('node:fs');
    const ts = require(${JSON.stringify(typescriptPath)});
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    require.extensions['.ts'] = (module, filename) => {
      const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions });
      module._compile(outputText, filename);
    };
    require(${JSON.stringify(entry)});
  `;
}
