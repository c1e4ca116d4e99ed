import { fork } from 'node:child_process';
import * as path from 'node:path';
import { typescriptBootstrap } from '../../container/server/workers/worker-script';
import type { ContainerMessage } from './container-entry';
import { stopChild } from './stop-child';

/**
 * Starts the project's container for a job from `--model-dir`, in a child process rather than in this one: the job's
 * Environment then is the container's whole environment (as on SageMaker, where TransformJob.Environment and the
 * SAGEMAKER_* variables are the container's env, including what hooks in code/ read from process.env), model code
 * cannot disturb the runner's event loop or memory, and a crashing container fails the job instead of the CLI.
 * The child inherits the runner's environment as the image's ENV would be, with the job's variables on top.
 * The cost is a second Node process start (about a second) per job.
 */

export interface ContainerProcess {
  url: string;
  /** Why the container is gone, if it exited; checked while waiting for /ping and when requests fail. */
  exitReason(): string | undefined;
  stop(): Promise<void>;
}

export interface StartContainerOptions {
  modelDir: string;
  env: Record<string, string>;
  /** Each line the container writes (its pino log), for the runner's log. */
  onLog?: (line: string) => void;
  /** Bound on reaching "listening". Default 60 s. */
  startTimeoutMs?: number;
}

const TAIL_LINES = 20;
const JOB_VARIABLES = ['SAGEMAKER_BATCH', 'SAGEMAKER_MAX_PAYLOAD_IN_MB', 'SAGEMAKER_BATCH_STRATEGY', 'SAGEMAKER_MAX_CONCURRENT_TRANSFORMS'];
const STOP_GRACE_MS = 10_000;

/** From compiled JS: the entry file itself. From TypeScript sources (tests): the same transpiling bootstrap as the workers use. */
function entry(): { script: string; execArgv: string[] } {
  if (!__filename.endsWith('.ts')) return { script: path.join(__dirname, 'container-entry.js'), execArgv: [] };
  const bootstrap = typescriptBootstrap(require.resolve('typescript'), path.join(__dirname, 'container-entry.ts'));
  // fork runs a file, so the bootstrap goes through -e, with `--` keeping the model directory out of node's options.
  return { script: '--', execArgv: ['-e', bootstrap] };
}

export function startContainerProcess(options: StartContainerOptions): Promise<ContainerProcess> {
  const { script, execArgv } = entry();
  const child = fork(script, [options.modelDir], {
    env: { ...inheritedEnv(), ...options.env },
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        options.onLog?.(line);
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `the container process exited (${signal ?? `code ${code}`}); its last output:\n${tail.join('\n')}`;
  });
  const exitReason = () => exited;

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child, STOP_GRACE_MS).finally(() => reject(new Error(`the container did not start listening within ${(options.startTimeoutMs ?? 60_000) / 1000} s:\n${tail.join('\n')}`)));
    }, options.startTimeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the container process: ${error.message}`));
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(exitReason()));
    });
    child.once('message', (message: ContainerMessage) => {
      clearTimeout(timer);
      resolve({ url: message.url, exitReason, stop: () => stopChild(child, STOP_GRACE_MS) });
    });
  });
}

/**
 * The runner's environment stands for the image's (PATH, TFSERVE_* settings), minus the batch settings a job sets
 * only when it means to: a stray SAGEMAKER_MAX_PAYLOAD_IN_MB in the shell must not reach the container.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of JOB_VARIABLES) delete env[name];
  return env;
}
