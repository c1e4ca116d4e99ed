import { Command, Option } from 'commander';
import pino from 'pino';
import { addTransformJobFlags, optionsFromFlags, type TransformJobFlags, type TransformRun } from '../../transform/job/cli-flags';
import { createProgress, type ProgressStream } from '../../transform/runner/progress';
import { runLocalTransform, type LocalTransformDeps } from '../../transform/runner/run-local-transform';
import { formatSummary } from '../../transform/runner/summary';
import { REMOTE_EXIT, runRemoteFromCli } from '../../transform/sagemaker';

/**
 * `tfserve transform`: a Batch Transform job from CreateTransformJob's fields as flags, run here against the project's
 * container (`--model-dir`) or a running one (`--endpoint`), or on SageMaker with `--remote`.
 *
 * Exit codes, the same as a remote run's where they mean the same:
 * 0 the job Completed; 1 the job Failed (some object has no output; the summary names each and why);
 * 2 no work was done (invalid options, unreachable input/output, a container that never became healthy).
 */

export const LOCAL_EXIT = { completed: REMOTE_EXIT.completed, failed: REMOTE_EXIT.failed, notStarted: REMOTE_EXIT.notCreated } as const;

interface CommandFlags extends TransformJobFlags {
  remote?: boolean;
  region?: string;
  logLevel: string;
}

export interface TransformCliIo {
  /** The summary. */
  stdout: ProgressStream;
  /** Progress, logs and errors. */
  stderr: ProgressStream;
  /** Test seams passed to the runner (S3 client, retry pauses). */
  deps?: Pick<LocalTransformDeps, 's3' | 'retryDelayMs' | 'readyTimeoutSeconds'>;
}

export async function runTransformCli(flags: CommandFlags, io: TransformCliIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`tfserve transform: ${message}\n`);
    return LOCAL_EXIT.notStarted;
  };
  let run: TransformRun;
  try {
    run = optionsFromFlags(flags);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (flags.remote) {
    if (run.modelDir !== undefined || run.endpoint !== undefined) return fail('--model-dir and --endpoint are for local runs; --remote runs the SageMaker Model named by --model-name');
    return runRemoteFromCli(run.options, { region: flags.region }, { write: (text) => io.stderr.write(text) });
  }
  if (run.modelDir === undefined && run.endpoint === undefined) return fail('a local run needs --model-dir <dir> or --endpoint <url> (or add --remote to run on SageMaker)');
  try {
    const result = await runLocalTransform(run.options, {
      ...io.deps,
      modelDir: run.modelDir,
      endpoint: run.endpoint,
      progress: createProgress({ stream: io.stderr }),
      logger: pino({ level: flags.logLevel }, io.stderr),
    });
    io.stdout.write(formatSummary(result));
    return result.status === 'Completed' ? LOCAL_EXIT.completed : LOCAL_EXIT.failed;
  } catch (error) {
    return fail((error as Error).message);
  }
}

export function transformCommand(): Command {
  const command = new Command('transform').description(
    'run a SageMaker Batch Transform job: locally against the model (--model-dir) or a running container (--endpoint), or on SageMaker (--remote)',
  );
  addTransformJobFlags(command)
    .option('--remote', 'create and watch the job on SageMaker instead of running it here')
    .option('--region <region>', 'AWS region for --remote (default: AWS_REGION or the profile)')
    .addOption(new Option('--log-level <level>', 'runner and container log level (container lines show at debug)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'))
    .action(async (flags: CommandFlags) => {
      process.exitCode = await runTransformCli(flags, { stdout: process.stdout, stderr: process.stderr });
    });
  return command;
}
