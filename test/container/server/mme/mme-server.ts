import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import type { ModelLoader } from '../../../../container/server/model-registry';
import { startServer, type RunningServer } from '../../../../container/server/serve';

/** A real multi-model endpoint on 127.0.0.1 over a temporary models root, and its API as SageMaker calls it. */

export interface Mme {
  root: string;
  server: RunningServer;
  /** Writes half_plus_three as `<root>/<dir>/<version>/` and returns `<root>/<dir>`. */
  model(dir: string, version?: string): string;
  load(name: string, url: string): Promise<Response>;
  invoke(name: string, body: string, headers?: Record<string, string>): Promise<Response>;
  get(route: string): Promise<Response>;
  remove(name: string): Promise<Response>;
  close(): Promise<void>;
}

export interface MmeOptions {
  env?: NodeJS.ProcessEnv;
  /** Written under the models root before the server starts, by relative path (hooks in `code/`). */
  files?: Record<string, string>;
  /** How models load: in this thread with the pure engine (the default, fast to start), the worker pool, or a stand-in. */
  load?: ModelLoader | 'workers';
}

export function writeFile(file: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function inThisThread(): ModelLoader {
  const engine = new PureEngine();
  return (dir) => engine.load(dir);
}

export async function startMme({ env = {}, files = {}, load }: MmeOptions = {}): Promise<Mme> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-mme-'));
  for (const [file, text] of Object.entries(files)) writeFile(path.join(root, file), text);
  const server = await startServer({
    modelDir: root,
    port: 0,
    host: '127.0.0.1',
    env: { SAGEMAKER_MULTI_MODEL: 'true', TFSERVE_WORKERS: '1', ...env },
    logger: pino({ level: 'silent' }),
    ...(load === 'workers' ? {} : { load: load ?? inThisThread() }),
  });
  const json = { 'Content-Type': 'application/json' };
  return {
    root,
    server,
    model: (dir, version = '1') => {
      writeLinearModel(path.join(root, dir, version));
      return path.join(root, dir);
    },
    load: (name, url) => fetch(`${server.url}/models`, { method: 'POST', headers: json, body: JSON.stringify({ model_name: name, url }) }),
    invoke: (name, body, headers = json) =>
      fetch(`${server.url}/models/${encodeURIComponent(name)}/invoke`, { method: 'POST', headers, body }),
    get: (route) => fetch(`${server.url}${route}`),
    remove: (name) => fetch(`${server.url}/models/${encodeURIComponent(name)}`, { method: 'DELETE' }),
    close: async () => {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
