import { SageMakerClient, type CreateTransformJobCommandInput } from '@aws-sdk/client-sagemaker';
import { TransformJobValidationError } from '../job/job-validation-error';
import type { TransformJobOptions } from '../job/options';
import { remoteWarnings, toCreateTransformJobRequest, type RemoteTarget } from './create-request';
import { REMOTE_EXIT, remoteExitCode } from './exit-codes';
import { RemoteJobError, runRemoteTransformJob, type RemoteJobDeps } from './run-remote-job';
import { abortOnInterrupt, askToStop, lineLog } from './terminal';

/**
 * The `--remote` flags beyond the shared option model: `--model-name`, `--job-name`, `--instance-type`,
 * `--instance-count`, `--region`. Each may instead come in the options (ModelName, TransformJobName, TransformResources).
 */
export interface RemoteFlags extends RemoteTarget {
  /** Default: the SDK's chain (AWS_REGION, the profile's region). */
  region?: string;
}

/** Everything a test replaces; the CLI passes only `write`. */
export interface RemoteCliIo {
  /** Progress and error text (the CLI writes it to stderr). */
  write: (text: string) => void;
  /** Whether `write` goes to a terminal, where a status line is redrawn in place. */
  isTerminal?: boolean;
  client?: SageMakerClient;
  confirmStop?: RemoteJobDeps['confirmStop'];
  signal?: AbortSignal;
  sleep?: RemoteJobDeps['sleep'];
  pollIntervalMs?: number;
}

/**
 * `tfserve transform --remote`: builds the CreateTransformJob request from the validated options and the remote flags,
 * runs and watches the job, and returns the exit code (see exit-codes.ts). Ctrl-C asks before stopping the job.
 * Never throws for an invalid request or a SageMaker error: those are written and mapped to an exit code.
 */
export async function runRemoteFromCli(
  options: TransformJobOptions,
  flags: RemoteFlags,
  io: RemoteCliIo = { write: (text) => process.stderr.write(text), isTerminal: process.stderr.isTTY },
): Promise<number> {
  const log = lineLog(io.write, io.isTerminal);
  let request: CreateTransformJobCommandInput;
  try {
    request = toCreateTransformJobRequest(options, flags);
  } catch (error) {
    if (!(error instanceof TransformJobValidationError)) throw error;
    log.error(error.message);
    return REMOTE_EXIT.notCreated;
  }
  for (const warning of remoteWarnings(options)) log.warn(warning);

  const client = io.client ?? new SageMakerClient(flags.region ? { region: flags.region } : {});
  const interrupt = io.signal ? undefined : abortOnInterrupt();
  try {
    const result = await runRemoteTransformJob(request, {
      client,
      log,
      confirmStop: io.confirmStop ?? ((jobName) => askToStop(jobName)),
      signal: io.signal ?? interrupt?.signal,
      sleep: io.sleep,
      pollIntervalMs: io.pollIntervalMs,
    });
    return remoteExitCode(result);
  } catch (error) {
    if (!(error instanceof RemoteJobError)) throw error;
    log.error(error.message);
    if (error.jobCreated) {
      const name = request.TransformJobName;
      log.error(`${name} may still be running: aws sagemaker describe-transform-job --transform-job-name ${name}`);
    }
    return error.jobCreated ? REMOTE_EXIT.lostTrack : REMOTE_EXIT.notCreated;
  } finally {
    interrupt?.dispose();
    if (!io.client) client.destroy();
  }
}
