import type { Logger } from 'pino';
import { startContainerProcess } from './container-process';
import { waitForPing } from './container-probe';

/**
 * Where the job's requests go: a container already running at `--endpoint`, or the project's container started for
 * the job from `--model-dir` (container-process.ts) with the job's environment. Either way it must answer /ping 200.
 */

export interface ContainerTarget {
  url: string;
  /** Why the container is gone, when the runner started it and it exited. */
  gone(): string | undefined;
  stop(): Promise<void>;
}

export interface TargetOptions {
  endpoint?: string;
  modelDir?: string;
  env: Record<string, string>;
  readyTimeoutMs: number;
  logger: Logger;
}

export async function openTarget(options: TargetOptions): Promise<ContainerTarget> {
  if (options.endpoint !== undefined) {
    const url = options.endpoint.replace(/\/+$/, '');
    await waitForPing(url, { timeoutMs: options.readyTimeoutMs });
    return { url, gone: () => undefined, stop: async () => undefined };
  }
  if (options.modelDir === undefined) throw new Error('give either a model directory or an endpoint URL');
  const container = await startContainerProcess({
    modelDir: options.modelDir,
    env: options.env,
    startTimeoutMs: options.readyTimeoutMs,
    onLog: (line) => options.logger.debug({ container: line }, 'container output'),
  });
  try {
    await waitForPing(container.url, { timeoutMs: options.readyTimeoutMs, gone: container.exitReason });
  } catch (error) {
    await container.stop();
    throw error;
  }
  options.logger.info({ url: container.url, modelDir: options.modelDir }, 'container ready');
  return { url: container.url, gone: container.exitReason, stop: container.stop };
}
