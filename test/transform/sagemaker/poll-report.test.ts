import { reportPoll, type PollState } from '../../../transform/sagemaker/poll-report';
import { describeOutput } from './sagemaker-mock';

const context = { jobName: 'j-1', startedAt: 0, heartbeatMs: 60_000 };
const fresh: PollState = { lastLineAt: 0, instancesStarted: false };

describe('reportPoll', () => {
  it('prints the first status as a line of its own', () => {
    const report = reportPoll(fresh, describeOutput('InProgress'), { ...context, now: 2000 });
    expect(report.lines).toStrictEqual(['j-1: InProgress (2s)']);
    expect(report.statusChanged).toBe(true);
    expect(report.statusLine).toBeUndefined();
    expect(report.state).toStrictEqual({ status: 'InProgress', lastLineAt: 2000, instancesStarted: false });
  });

  it('only redraws the status line for an unchanged status within the heartbeat', () => {
    const state: PollState = { status: 'InProgress', lastLineAt: 2000, instancesStarted: false };
    const report = reportPoll(state, describeOutput('InProgress'), { ...context, now: 30_000 });
    expect(report.lines).toStrictEqual([]);
    expect(report.statusLine).toBe('j-1: InProgress (30s)');
    expect(report.statusChanged).toBe(false);
    expect(report.state.lastLineAt).toBe(2000);
  });

  it('repeats an unchanged status as a line once the heartbeat has passed', () => {
    const state: PollState = { status: 'InProgress', lastLineAt: 2000, instancesStarted: false };
    const report = reportPoll(state, describeOutput('InProgress'), { ...context, now: 62_000 });
    expect(report.lines).toStrictEqual(['j-1: still InProgress (1m 02s)']);
    expect(report.state.lastLineAt).toBe(62_000);
  });

  it('announces the instances starting once, and shows the transition from the previous status', () => {
    const started = describeOutput('InProgress', { TransformStartTime: new Date() });
    const state: PollState = { status: 'InProgress', lastLineAt: 0, instancesStarted: false };
    const first = reportPoll(state, started, { ...context, now: 10_000 });
    expect(first.lines).toStrictEqual(['instances started (2 × ml.p3.2xlarge); billing runs from here until the job ends']);
    expect(reportPoll(first.state, started, { ...context, now: 20_000 }).lines).toStrictEqual([]);
    const stopping = reportPoll(first.state, describeOutput('Stopping', { TransformStartTime: new Date() }), { ...context, now: 30_000 });
    expect(stopping.lines).toStrictEqual(['j-1: InProgress → Stopping (30s)']);
  });
});
