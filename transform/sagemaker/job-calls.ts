import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  StopTransformJobCommand,
  type CreateTransformJobCommandInput,
  type CreateTransformJobCommandOutput,
  type DescribeTransformJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { formatDuration } from './job-messages';
import { withRetry, type RetryPolicy, type Sleep } from './retry';
import { explainSageMakerError, type CallContext } from './sdk-errors';

/** A call to SageMaker that failed for good. `jobCreated` says whether a job may be running (and costing) anyway. */
export class RemoteJobError extends Error {
  override name = 'RemoteJobError';
  constructor(
    message: string,
    readonly jobCreated: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface JobCallsOptions {
  client: SageMakerClient;
  context: Omit<CallContext, 'operation'>;
  policy: RetryPolicy;
  sleep: Sleep;
  warn: (message: string) => void;
}

/** The three control-plane calls for one job, each retried by `policy` and failing as a RemoteJobError. */
export interface JobCalls {
  create(request: CreateTransformJobCommandInput): Promise<CreateTransformJobCommandOutput>;
  describe(): Promise<DescribeTransformJobCommandOutput>;
  /** A ValidationException (the job ended before the stop arrived) is only warned about: the next poll tells the end. */
  stop(): Promise<void>;
}

export function jobCalls({ client, context, policy, sleep, warn }: JobCallsOptions): JobCalls {
  const TransformJobName = context.jobName;
  const call = <T>(operation: CallContext['operation'], send: () => Promise<T>, retryTransient: boolean): Promise<T> =>
    withRetry(send, { ...policy, retryTransient: policy.retryTransient && retryTransient }, sleep, (notice) =>
      warn(
        `${operation} was throttled or failed transiently (${(notice.error as Error).name}); ` +
          `retry ${notice.attempt} of ${notice.maxAttempts - 1} in ${formatDuration(notice.delayMs)}`,
      ),
    ).catch((error: unknown) => {
      const jobCreated = operation !== 'CreateTransformJob';
      throw new RemoteJobError(explainSageMakerError(error, { ...context, operation }), jobCreated, { cause: error });
    });

  return {
    // A 5xx on create may still have created the job, and a retry would then fail on the name: only throttling retries.
    create: (request) => call('CreateTransformJob', () => client.send(new CreateTransformJobCommand(request)), false),
    describe: () => call('DescribeTransformJob', () => client.send(new DescribeTransformJobCommand({ TransformJobName })), true),
    stop: async () => {
      try {
        await call('StopTransformJob', () => client.send(new StopTransformJobCommand({ TransformJobName })), true);
      } catch (error) {
        if (!(error instanceof RemoteJobError) || (error.cause as Error | undefined)?.name !== 'ValidationException') throw error;
        warn(error.message);
      }
    },
  };
}
