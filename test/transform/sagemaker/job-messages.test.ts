import { logHintLines, transformJobConsoleUrl, transformLogsConsoleUrl } from '../../../transform/sagemaker/job-links';
import { billedLine, completedLines, formatDuration } from '../../../transform/sagemaker/job-messages';
import { explainSageMakerError, isThrottlingError, isTransientError } from '../../../transform/sagemaker/sdk-errors';
import { describeOutput, serviceError, throttling } from './sagemaker-mock';

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [12_000, '12s'],
    [245_000, '4m 05s'],
    [3_723_000, '1h 02m 03s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('job links', () => {
  it('points at the job in the SageMaker console of its region', () => {
    expect(transformJobConsoleUrl('eu-west-1', 'j-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/transform-jobs/j-1',
    );
    expect(transformJobConsoleUrl('cn-north-1', 'j-1')).toBe('https://console.amazonaws.cn/sagemaker/home?region=cn-north-1#/transform-jobs/j-1');
  });

  it("filters the log group on the job's stream prefix, escaped the way the CloudWatch console expects", () => {
    expect(transformLogsConsoleUrl('us-east-1', 'j-1')).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/' +
        '$252Faws$252Fsagemaker$252FTransformJobs/log-events$3FlogStreamNameFilter$3Dj-1$252F',
    );
    expect(logHintLines('us-east-1', 'j-1')[1]).toBe(
      '  aws logs tail /aws/sagemaker/TransformJobs --log-stream-name-prefix j-1/ --region us-east-1',
    );
  });
});

describe('job summaries', () => {
  it('bills from TransformStartTime to TransformEndTime on every instance, and says nothing without both', () => {
    const start = new Date(Date.UTC(2026, 0, 1, 10, 0, 0));
    const job = describeOutput('Completed', { TransformStartTime: start, TransformEndTime: new Date(start.getTime() + 90_000) });
    expect(billedLine(job)).toBe('billed: 1m 30s on 2 × ml.p3.2xlarge');
    expect(billedLine(describeOutput('Completed', { TransformStartTime: start }))).toBeUndefined();
    expect(completedLines(describeOutput('Completed'), 5000)).toStrictEqual([
      'Completed after 5s',
      'output: s3://my-bucket/open-images/output/ (one <input key>.out per input object)',
    ]);
  });
});

describe('SDK error classification', () => {
  it('knows throttling by name, by HTTP 429 and by the retryable trait', () => {
    expect(isThrottlingError(throttling())).toBe(true);
    expect(isThrottlingError(serviceError('SomethingElse', 'slow down', 429))).toBe(true);
    expect(isThrottlingError(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottlingError(serviceError('ValidationException', 'bad'))).toBe(false);
    expect(isThrottlingError('not an error')).toBe(false);
  });

  it('treats 5xx and dropped connections as transient, client faults as not', () => {
    expect(isTransientError(serviceError('InternalFailure', 'x', 500))).toBe(true);
    expect(isTransientError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientError(serviceError('ValidationException', 'bad'))).toBe(false);
  });

  it('explains missing credentials, region and network with what to check', () => {
    const context = { operation: 'CreateTransformJob', jobName: 'j' } as const;
    const credentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(explainSageMakerError(credentials, context)).toContain('hint: no AWS credentials: set AWS_PROFILE');
    expect(explainSageMakerError(new Error('Region is missing'), context)).toContain('hint: no AWS region: set AWS_REGION');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(explainSageMakerError(refused, { ...context, region: 'eu-west-1' })).toContain(
      'hint: cannot reach the SageMaker API in eu-west-1',
    );
    expect(explainSageMakerError(serviceError('AccessDeniedException', 'not authorized'), context)).toContain(
      'hint: the caller needs sagemaker:CreateTransformJob',
    );
  });
});
