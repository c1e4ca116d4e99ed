/** Real SageMaker Batch Transform jobs from the shared option model: build the request, run and watch the job. */
export { toCreateTransformJobRequest, remoteWarnings, type RemoteTarget } from './create-request';
export { generateTransformJobName, sageMakerNameProblem } from './job-name';
export { runRemoteTransformJob, RemoteJobError, type RemoteJobDeps, type RemoteJobLog, type RemoteJobResult } from './run-remote-job';
export { runRemoteFromCli, type RemoteCliIo, type RemoteFlags } from './run-from-cli';
export { REMOTE_EXIT, remoteExitCode } from './exit-codes';
