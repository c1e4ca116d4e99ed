import type { DescribeTransformJobCommandOutput, TransformJobStatus } from '@aws-sdk/client-sagemaker';
import { formatDuration, startedLine } from './job-messages';

/**
 * What one DescribeTransformJob answer adds to the display. A status change is a line of its own; an unchanged status
 * is repeated as a line once per heartbeat (so a CI log shows the watcher is alive) and otherwise only redraws the
 * terminal's status line. The moment instances start gets its own line: billing starts there, not at creation.
 */

export interface PollState {
  status?: TransformJobStatus;
  /** When the last full line was printed, in the clock's milliseconds. */
  lastLineAt: number;
  instancesStarted: boolean;
}

export interface PollReport {
  state: PollState;
  lines: string[];
  /** For the terminal status line when no full line was printed. */
  statusLine?: string;
  statusChanged: boolean;
}

export interface PollContext {
  jobName: string;
  now: number;
  startedAt: number;
  heartbeatMs: number;
}

export function reportPoll(state: PollState, job: DescribeTransformJobCommandOutput, context: PollContext): PollReport {
  const { jobName, now, startedAt, heartbeatMs } = context;
  const status = job.TransformJobStatus ?? state.status ?? 'InProgress';
  const elapsed = formatDuration(now - startedAt);
  const lines: string[] = [];
  const statusChanged = status !== state.status;
  if (statusChanged) {
    lines.push(`${jobName}: ${state.status ? `${state.status} → ` : ''}${status} (${elapsed})`);
  } else if (now - state.lastLineAt >= heartbeatMs) {
    lines.push(`${jobName}: still ${status} (${elapsed})`);
  }
  const instancesStarted = state.instancesStarted || job.TransformStartTime !== undefined;
  if (instancesStarted && !state.instancesStarted) lines.push(startedLine(job));
  return {
    state: { status, instancesStarted, lastLineAt: lines.length > 0 ? now : state.lastLineAt },
    lines,
    ...(lines.length === 0 && { statusLine: `${jobName}: ${status} (${elapsed})` }),
    statusChanged,
  };
}
