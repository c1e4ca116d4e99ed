import type { RemoteJobResult } from './run-remote-job';

/**
 * Exit codes of `tfserve transform --remote`, distinct so a script can tell "the job failed" from "no job ran" and
 * from "a job may still be running":
 *
 * | code | meaning |
 * |---|---|
 * | 0 | the job Completed |
 * | 1 | the job Failed (FailureReason printed) |
 * | 2 | no job was created: the options are invalid for a remote run, or SageMaker refused CreateTransformJob |
 * | 3 | the job was Stopped (after Ctrl-C and confirmation, or by someone else) |
 * | 4 | the job was created but tfserve lost track of it (e.g. credentials expired); it may still be running |
 * | 130 | Ctrl-C and the stop was declined: the job is still running, unwatched |
 */
export const REMOTE_EXIT = {
  completed: 0,
  failed: 1,
  notCreated: 2,
  stopped: 3,
  lostTrack: 4,
  detached: 130,
} as const;

export function remoteExitCode(result: RemoteJobResult): number {
  if (result.detached) return REMOTE_EXIT.detached;
  if (result.status === 'Completed') return REMOTE_EXIT.completed;
  if (result.status === 'Stopped') return REMOTE_EXIT.stopped;
  return REMOTE_EXIT.failed;
}
