import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { writeLinearModel } from '../../container/engine/writer/linear-model';

/**
 * Docker cannot run here, so this checks what the image would run: the Dockerfile's runtime stage is parsed, and its
 * exact command line (ENTRYPOINT + the `serve` argument SageMaker passes) is started with node against the compiled
 * dist/ of this checkout, with the image's ENV. dist/ is what the image ships; `npm install`/`npm ci` build it
 * (`prepare`), so run `npx tsc` first after changing sources.
 */

const REPO = path.resolve(__dirname, '../..');

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const logicalLines = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return logicalLines.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

function lastStage(instructions: Instruction[]): Instruction[] {
  const from = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  return instructions.slice(from);
}

function only(stage: Instruction[], keyword: string): string {
  const found = stage.filter((i) => i.keyword === keyword);
  if (found.length !== 1) throw new Error(`expected one ${keyword} in the runtime stage, found ${found.length}`);
  return found[0].args;
}

/** `K=V K2="V 2"` pairs of ENV and LABEL lines. */
function keyValues(stage: Instruction[], keyword: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const { args } of stage.filter((i) => i.keyword === keyword)) {
    for (const match of args.matchAll(/([\w.-]+)=("([^"]*)"|\S+)/g)) pairs[match[1]] = match[3] ?? match[2];
  }
  return pairs;
}

const dockerfile = parseDockerfile(fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8'));
const runtime = lastStage(dockerfile);
const workdir = only(runtime, 'WORKDIR');
const entrypoint = JSON.parse(only(runtime, 'ENTRYPOINT')) as string[];
/** `docker run <image> serve`: SageMaker's argument replaces CMD. */
const sagemakerCommand = [...entrypoint, 'serve'];
const inRepo = (imagePath: string) => path.join(REPO, path.relative(workdir, imagePath));

describe('the Docker image', () => {
  it('has an exec-form node entrypoint whose default command is serve', () => {
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint[1].startsWith(`${workdir}/dist/`)).toBe(true);
    expect(JSON.parse(only(runtime, 'CMD'))).toEqual(['serve']);
  });

  it('declares the SageMaker capability labels, port 8080 and the auto engine', () => {
    expect(keyValues(runtime, 'LABEL')).toEqual({
      'com.amazonaws.sagemaker.capabilities.accept-bind-to-port': 'true',
      'com.amazonaws.sagemaker.capabilities.multi-models': 'true',
    });
    expect(only(runtime, 'EXPOSE')).toBe('8080');
    expect(keyValues(runtime, 'ENV')).toMatchObject({ TFSERVE_ENGINE: 'auto' });
  });

  it('copies from the build stage only files a build of this checkout has', () => {
    const copied = runtime
      .filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from=build '))
      .map((i) => i.args.split(/\s+/)[1])
      .filter((source) => source.startsWith(`${workdir}/`));
    expect(copied.map((source) => path.relative(workdir, source)).sort()).toEqual([
      'container/agent/agent.proto',
      'container/formats/protos',
      'dist',
      'node_modules',
      'package.json',
    ]);
    for (const source of copied) expect(fs.existsSync(inRepo(source))).toBe(true);
    expect(fs.existsSync(inRepo(`${workdir}/container/formats/protos/tensorflow.proto`))).toBe(true);
  });

  it(".dockerignore keeps the host's node_modules and dist out and the sources in", () => {
    const ignored = fs
      .readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
    for (const source of ['bin', 'container', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      expect(ignored).not.toContain(source);
    }
  });

  describe("the image's command line", () => {
    let modelDir: string;
    let child: ChildProcessWithoutNullStreams;

    beforeAll(() => {
      modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-image-'));
      writeLinearModel(path.join(modelDir, 'half_plus_three', '1'));
    });

    afterAll(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fs.rmSync(modelDir, { recursive: true, force: true });
    });

    it('serves a model and stops with exit code 0 on SIGTERM', async () => {
      const [, script, ...args] = sagemakerCommand;
      child = spawn(process.execPath, [inRepo(script), ...args, '--model-dir', modelDir, '--port', '0', '--host', '127.0.0.1'], {
        env: { ...process.env, ...keyValues(runtime, 'ENV') },
      });
      const url = await readyUrl(child);

      expect((await fetch(`${url}/ping`)).status).toBe(200);
      const response = await fetch(`${url}/invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"instances":[1,2,5]}',
      });
      expect(await response.json()).toEqual({ predictions: [3.5, 4.0, 5.5] });

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    });
  });
});

/**
 * The URL from tfserve's `listening` log line (pino JSON on stdout), once the `ready` line says every model has
 * loaded (the server listens first and answers /ping 503 while loading); rejects if the process exits first.
 */
function readyUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  let stderr = '';
  let url: string | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = tryJson(line);
      if (entry?.msg === 'listening' && typeof entry.url === 'string') url = entry.url;
      if (entry?.msg === 'ready' && url !== undefined) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`tfserve exited with ${code} before it was ready:\n${stderr}`)));
  });
}

function tryJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
