import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { PureEngine } from '../../../container/engine/pure-engine';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { startServer, type RunningServer } from '../../../container/server/serve';

/**
 * The project's real container serving half_plus_three (y = 0.5x + 3), with a `code/inference.js` whose input handler
 * saves each request body it receives, in arrival order, under `<root>/requests/`, and the container environment
 * beside it (`env.json`), then turns the body into a model request:
 * - text bodies (CSV, JSON Lines): one number per line (a JSON Lines line `[n]` counts as n);
 * - binary bodies (TFRecord, RecordIO): one instance, the body's length — so each output names what came in.
 * Bodies containing FAIL throw (500), containing SLOW wait 3 s first; a line that is not a number makes the model
 * answer 400.
 */

const inferenceJs = (requestsDir: string) => `
const fs = require('node:fs');
const path = require('node:path');
let sequence = 0;
const TEXT = /^(text\\/|application\\/json)/;

exports.inputHandler = async (data, context) => {
  const name = String(sequence++).padStart(6, '0');
  fs.writeFileSync(path.join(${JSON.stringify(requestsDir)}, name + '.bin'), data);
  fs.writeFileSync(path.join(${JSON.stringify(requestsDir)}, '..', 'env.json'), JSON.stringify(process.env));
  const text = data.toString('latin1');
  if (text.includes('FAIL')) throw new Error('asked to fail');
  if (text.includes('SLOW')) await new Promise((resolve) => setTimeout(resolve, 3000));
  if (!TEXT.test(context.requestContentType || '')) return { instances: [data.length] };
  const lines = text.split('\\n').filter((line) => line !== '');
  return { instances: lines.map((line) => (line.startsWith('[') ? JSON.parse(line)[0] : Number(line))) };
};
`;

export interface RecordingModel {
  root: string;
  requestsDir: string;
  /** The bodies received since the last reset, in arrival order. */
  requests(): Buffer[];
  /** The environment the hook last saw. */
  env(): Record<string, string>;
  reset(): void;
  remove(): void;
}

export async function writeRecordingModel(): Promise<RecordingModel> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-runner-model-'));
  const requestsDir = path.join(root, 'requests');
  fs.mkdirSync(requestsDir);
  await writeDemoModels(root);
  fs.mkdirSync(path.join(root, 'code'));
  fs.writeFileSync(path.join(root, 'code', 'inference.js'), inferenceJs(requestsDir));
  return {
    root,
    requestsDir,
    requests: () => fs.readdirSync(requestsDir).sort().map((name) => fs.readFileSync(path.join(requestsDir, name))),
    env: () => JSON.parse(fs.readFileSync(path.join(root, 'env.json'), 'utf8')) as Record<string, string>,
    reset: () => {
      for (const name of fs.readdirSync(requestsDir)) fs.rmSync(path.join(requestsDir, name));
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The container in this process, models loaded in this thread (fast to start); SAGEMAKER_BATCH set as for a job. */
export function startContainer(modelDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const engine = new PureEngine();
  return startServer({
    modelDir,
    port: 0,
    host: '127.0.0.1',
    env: { SAGEMAKER_BATCH: 'true', ...env },
    logger: pino({ level: 'silent' }),
    load: (dir) => engine.load(dir),
  });
}

export interface RecordingRig {
  model: RecordingModel;
  server: RunningServer;
  /** A temp dir for the test's input and output trees. */
  work: string;
}

/**
 * Registers the hooks that write a recording model, start the container on it and make a work dir (`beforeAll`), and
 * remove all three (`afterAll`). The fields are set once `beforeAll` has run, so read them inside hooks and tests.
 */
export function useRecordingContainer(prefix: string): RecordingRig {
  const rig = {} as RecordingRig;
  beforeAll(async () => {
    rig.model = await writeRecordingModel();
    rig.server = await startContainer(rig.model.root);
    rig.work = tempDir(prefix);
  });
  afterAll(async () => {
    await rig.server.close();
    rig.model.remove();
    fs.rmSync(rig.work, { recursive: true, force: true });
  });
  return rig;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tfserve-runner-${prefix}-`));
}

export function writeFiles(dir: string, files: Record<string, Uint8Array | string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

/** Every file below `dir`, by relative path. */
export function readTree(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file).split(path.sep).join('/')] = fs.readFileSync(file);
  }
  return files;
}

/** A job in CreateTransformJob's shape, local paths for input and output. */
export function localJob(input: string, output: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { TransformInput, TransformOutput, ...rest } = extra as { TransformInput?: object; TransformOutput?: object };
  return {
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: input } }, ...TransformInput },
    TransformOutput: { S3OutputPath: output, ...TransformOutput },
    ...rest,
  };
}
