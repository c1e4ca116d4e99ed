import { validateTransformJob } from '../../../transform/job/validate';
import { containerEnvironment, parseExecutionParameters, resolveBatchSettings } from '../../../transform/runner/batch-settings';
import { localJob } from './recording-container';

const job = (extra: Record<string, unknown> = {}) => validateTransformJob(localJob('/in', '/out', { TransformInput: { SplitType: 'Line' }, ...extra }));

describe('parseExecutionParameters', () => {
  it("reads the doc's keys with either enum spelling, and the MMS plugin's keys", () => {
    expect(parseExecutionParameters({ MaxConcurrentTransforms: 8, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 6 })).toEqual({
      maxConcurrentTransforms: 8,
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 6,
    });
    expect(parseExecutionParameters({ MAX_CONCURRENT_TRANSFORMS: '2', BATCH_STRATEGY: 'SingleRecord', MAX_PAYLOAD_IN_MB: 0 })).toEqual({
      maxConcurrentTransforms: 2,
      batchStrategy: 'SingleRecord',
      maxPayloadInMB: 0,
    });
  });

  it('drops what is not a usable value', () => {
    expect(parseExecutionParameters({ MaxConcurrentTransforms: 0, BatchStrategy: 'Sometimes', MaxPayloadInMB: 101 })).toEqual({});
    expect(parseExecutionParameters([1])).toEqual({});
    expect(parseExecutionParameters('{}')).toEqual({});
  });
});

describe('resolveBatchSettings', () => {
  it('takes the job value, then the container value, then 1 / 6 / MultiRecord', () => {
    expect(resolveBatchSettings(job(), {})).toEqual({ batchStrategy: 'MultiRecord', maxPayloadInMB: 6, maxConcurrentTransforms: 1 });
    const fromContainer = { batchStrategy: 'SingleRecord', maxPayloadInMB: 10, maxConcurrentTransforms: 4 } as const;
    expect(resolveBatchSettings(job(), fromContainer)).toEqual(fromContainer);
    expect(resolveBatchSettings(job({ BatchStrategy: 'MultiRecord', MaxPayloadInMB: 0, MaxConcurrentTransforms: 2 }), fromContainer)).toEqual({
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 0,
      maxConcurrentTransforms: 2,
    });
  });

  it('reads MaxConcurrentTransforms 0 as unset, as the API does', () => {
    expect(resolveBatchSettings(job({ MaxConcurrentTransforms: 0 }), { maxConcurrentTransforms: 5 }).maxConcurrentTransforms).toBe(5);
  });
});

describe('containerEnvironment', () => {
  it('sets SAGEMAKER_BATCH, and each setting only when the job sets it', () => {
    expect(containerEnvironment(job({ Environment: { A: '1' } }))).toEqual({ A: '1', SAGEMAKER_BATCH: 'true' });
    expect(containerEnvironment(job({ BatchStrategy: 'SingleRecord', MaxPayloadInMB: 0, MaxConcurrentTransforms: 3 }))).toEqual({
      SAGEMAKER_BATCH: 'true',
      SAGEMAKER_BATCH_STRATEGY: 'SINGLE_RECORD',
      SAGEMAKER_MAX_PAYLOAD_IN_MB: '0',
      SAGEMAKER_MAX_CONCURRENT_TRANSFORMS: '3',
    });
  });

  it("lets SageMaker's own variables win over the job's Environment", () => {
    expect(containerEnvironment(job({ Environment: { SAGEMAKER_BATCH: 'false' } })).SAGEMAKER_BATCH).toBe('true');
  });
});
