import { ConfigError, readServerConfig } from '../../../../container/server/config';
import { resolveBatching } from '../../../../container/server/batching/batching-config';

const CPUS = 4;
const resolve = (env: NodeJS.ProcessEnv) => resolveBatching(readServerConfig(env), CPUS);

describe('batching configuration', () => {
  it('is off unless SAGEMAKER_TFS_ENABLE_BATCHING is true, in any case', () => {
    expect(resolve({})).toBeUndefined();
    expect(resolve({ SAGEMAKER_TFS_ENABLE_BATCHING: 'False' })).toBeUndefined();
    expect(resolve({ SAGEMAKER_TFS_ENABLE_BATCHING: 'TRUE' })).toBeDefined();
  });

  it('defaults to 8 rows, 1000 µs and the core count, with the peer’s warning per defaulted value and config lines', () => {
    expect(resolve({ SAGEMAKER_TFS_ENABLE_BATCHING: 'true' })).toEqual({
      options: { maxBatchSize: 8, batchTimeoutMicros: 1000, numBatchThreads: CPUS, maxEnqueuedBatches: CPUS },
      warnings: [
        'max_batch_size defaulted to 8. Set SAGEMAKER_TFS_MAX_BATCH_SIZE to override default. Tuning this parameter may yield better performance.',
        'batch_timeout_micros defaulted to 1000. Set SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS to override default. Tuning this parameter may yield better performance.',
        'num_batch_threads defaulted to 4. Set SAGEMAKER_TFS_NUM_BATCH_THREADS to override default. Tuning this parameter may yield better performance.',
        'max_enqueued_batches defaulted to 4. Set SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES to override default. Tuning this parameter may yield better performance.',
      ],
      configText: [
        'max_batch_size { value: 8 }',
        'batch_timeout_micros { value: 1000 }',
        'num_batch_threads { value: 4 }',
        'max_enqueued_batches { value: 4 }',
      ].join('\n'),
    });
  });

  it('makes the queue effectively unbounded under batch transform', () => {
    expect(resolve({ SAGEMAKER_TFS_ENABLE_BATCHING: 'true', SAGEMAKER_BATCH: 'true' })?.options.maxEnqueuedBatches).toBe(100_000_000);
  });

  it('takes the values it is given, above the core count too, and warns only about the others', () => {
    const resolved = resolve({
      SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
      SAGEMAKER_TFS_MAX_BATCH_SIZE: '32',
      SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: '5000',
      SAGEMAKER_TFS_NUM_BATCH_THREADS: '64',
    });
    expect(resolved?.options).toEqual({ maxBatchSize: 32, batchTimeoutMicros: 5000, numBatchThreads: 64, maxEnqueuedBatches: CPUS });
    expect(resolved?.warnings.map((warning) => warning.split(' ')[0])).toEqual(['max_enqueued_batches']);
  });

  it.each([
    ['SAGEMAKER_TFS_ENABLE_BATCHING', 'yes', 'must be true or false'],
    ['SAGEMAKER_TFS_MAX_BATCH_SIZE', '0', 'must be a whole number of at least 1'],
    ['SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS', '1.5', 'must be a whole number of at least 1'],
    ['SAGEMAKER_TFS_NUM_BATCH_THREADS', 'many', 'must be a whole number of at least 1'],
    ['SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES', '-1', 'must be a whole number of at least 1'],
  ])('refuses %s=%s', (variable, value, message) => {
    expect(() => readServerConfig({ [variable]: value })).toThrow(new ConfigError(`invalid environment: ${variable}="${value}": ${message}`));
  });
});
