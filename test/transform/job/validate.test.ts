import { TransformJobValidationError } from '../../../transform/job/job-validation-error';
import { concurrentPayloadProblem, validateTransformJob } from '../../../transform/job/validate';
import { InvalidArgumentError } from '../../../container/errors';
import { INPUT_URI, MINIMAL_JOB_WITH_DEFAULTS, OUTPUT_URI } from './minimal-job';

type Job = Record<string, unknown>;

function job(overrides: Job = {}, input: Job = {}, output: Job = {}): Job {
  return {
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: INPUT_URI } }, ...input },
    TransformOutput: { S3OutputPath: OUTPUT_URI, ...output },
    ...overrides,
  };
}

function problemsOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    validateTransformJob(input);
  } catch (error) {
    if (error instanceof TransformJobValidationError) return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  throw new Error('the job validated');
}

function expectProblem(input: unknown, path: string, message: string | RegExp): void {
  const problems = problemsOf(input);
  const expected = typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message);
  expect(problems).toContainEqual({ path, message: expected });
}

describe('validateTransformJob: defaults', () => {
  it("fills in the API's defaults and leaves the execution-parameters fields unset", () => {
    expect(validateTransformJob(job())).toEqual(MINIMAL_JOB_WITH_DEFAULTS);
  });

  it('fills in the parts of ModelClientConfig and DataProcessing left out', () => {
    const options = validateTransformJob(
      job(
        { ModelClientConfig: { InvocationsMaxRetries: 0 }, DataProcessing: { JoinSource: 'Input' } },
        { ContentType: 'application/json' },
        { Accept: 'application/json' },
      ),
    );
    expect(options.ModelClientConfig).toEqual({ InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 0 });
    expect(options.DataProcessing).toEqual({ InputFilter: '$', OutputFilter: '$', JoinSource: 'Input' });
  });

  it('defaults TransformResources.InstanceCount to 1', () => {
    expect(validateTransformJob(job({ TransformResources: { InstanceType: 'ml.m5.xlarge' } })).TransformResources).toEqual({
      InstanceType: 'ml.m5.xlarge',
      InstanceCount: 1,
    });
  });

  it('keeps a full, valid request as given', () => {
    const full = job(
      {
        TransformJobName: 'nightly-scoring-2',
        ModelName: 'half-plus-three',
        BatchStrategy: 'SingleRecord',
        MaxPayloadInMB: 0,
        MaxConcurrentTransforms: 8,
        ModelClientConfig: { InvocationsTimeoutInSeconds: 3600, InvocationsMaxRetries: 3 },
        Environment: { LOG_LEVEL: 'debug', _X: '' },
        DataProcessing: { InputFilter: '$[1:]', OutputFilter: '$[0,-1]', JoinSource: 'Input' },
        TransformResources: { InstanceType: 'ml.c5.2xlarge', InstanceCount: 100, VolumeKmsKeyId: 'alias/volume' },
      },
      { ContentType: 'text/csv', CompressionType: 'Gzip', SplitType: 'Line' },
      { Accept: 'text/csv', AssembleWith: 'Line', KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc-1' },
    );
    expect(validateTransformJob(full)).toEqual(full);
  });

  it('accepts local directories for input and output (local runs), and file:// URLs', () => {
    const options = validateTransformJob({
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'ManifestFile', S3Uri: './data/manifest.json' } } },
      TransformOutput: { S3OutputPath: 'file:///tmp/out' },
    });
    expect(options.TransformInput.DataSource.S3DataSource.S3Uri).toBe('./data/manifest.json');
    expect(options.TransformOutput.S3OutputPath).toBe('file:///tmp/out');
  });
});

describe('validateTransformJob: one field at a time', () => {
  it.each<[string, Job, string, string | RegExp]>([
    [
      'TransformJobName pattern',
      { TransformJobName: 'nightly_run' },
      'TransformJobName',
      'may hold only letters, digits and hyphens',
    ],
    [
      'TransformJobName length',
      { TransformJobName: 'a'.repeat(64) },
      'TransformJobName',
      'is 64 characters long; SageMaker allows at most 63',
    ],
    ['TransformJobName empty', { TransformJobName: '' }, 'TransformJobName', 'must not be empty'],
    ['ModelName pattern', { ModelName: '-model' }, 'ModelName', 'must start and end with a letter or digit'],
    [
      'BatchStrategy spelling',
      { BatchStrategy: 'singlerecord' },
      'BatchStrategy',
      'must be one of MultiRecord, SingleRecord; got "singlerecord" (did you mean SingleRecord?)',
    ],
    [
      'MaxPayloadInMB above 100',
      { MaxPayloadInMB: 101 },
      'MaxPayloadInMB',
      'must be a whole number from 0 to 100; got 101',
    ],
    ['MaxPayloadInMB negative', { MaxPayloadInMB: -1 }, 'MaxPayloadInMB', 'from 0 to 100; got -1'],
    ['MaxPayloadInMB fraction', { MaxPayloadInMB: 1.5 }, 'MaxPayloadInMB', 'whole number'],
    [
      'MaxPayloadInMB string',
      { MaxPayloadInMB: '6' },
      'MaxPayloadInMB',
      'must be a whole number from 0 to 100; got "6"',
    ],
    [
      'MaxConcurrentTransforms negative',
      { MaxConcurrentTransforms: -2 },
      'MaxConcurrentTransforms',
      'must be a whole number of at least 0; got -2',
    ],
    [
      'timeout 0',
      { ModelClientConfig: { InvocationsTimeoutInSeconds: 0 } },
      'ModelClientConfig.InvocationsTimeoutInSeconds',
      'from 1 to 3600; got 0',
    ],
    [
      'timeout above an hour',
      { ModelClientConfig: { InvocationsTimeoutInSeconds: 3601 } },
      'ModelClientConfig.InvocationsTimeoutInSeconds',
      'from 1 to 3600; got 3601',
    ],
    [
      'retries above 3',
      { ModelClientConfig: { InvocationsMaxRetries: 4 } },
      'ModelClientConfig.InvocationsMaxRetries',
      'from 0 to 3; got 4',
    ],
    [
      'retries negative',
      { ModelClientConfig: { InvocationsMaxRetries: -1 } },
      'ModelClientConfig.InvocationsMaxRetries',
      'from 0 to 3; got -1',
    ],
    ['Environment key', { Environment: { '1ST': 'x' } }, 'Environment.1ST', 'is not a valid variable name'],
    [
      'Environment key with a dash',
      { Environment: { 'MY-VAR': 'x' } },
      'Environment.MY-VAR',
      'is not a valid variable name',
    ],
    ['Environment value type', { Environment: { N: 3 } }, 'Environment.N', 'must be a string; got 3'],
    [
      'Environment value length',
      { Environment: { BIG: 'x'.repeat(10241) } },
      'Environment.BIG',
      'is 10241 characters long; the API allows at most 10240',
    ],
    [
      'Environment size',
      { Environment: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`V${i}`, ''])) },
      'Environment',
      'has 17 variables; the API allows at most 16',
    ],
    [
      'InputFilter length',
      { DataProcessing: { InputFilter: `$.${'a'.repeat(62)}` } },
      'DataProcessing.InputFilter',
      'at most 63 characters',
    ],
    [
      'JoinSource spelling',
      { DataProcessing: { JoinSource: 'input' } },
      'DataProcessing.JoinSource',
      'must be one of None, Input; got "input" (did you mean Input?)',
    ],
    [
      'InstanceType',
      { TransformResources: { InstanceType: 'ml.m5.xlrge' } },
      'TransformResources.InstanceType',
      'is not a Batch Transform instance type',
    ],
    [
      'InstanceType case',
      { TransformResources: { InstanceType: 'ML.M5.XLARGE' } },
      'TransformResources.InstanceType',
      '(did you mean ml.m5.xlarge?)',
    ],
    [
      'InstanceType required',
      { TransformResources: { InstanceCount: 2 } },
      'TransformResources.InstanceType',
      'is required',
    ],
    [
      'InstanceCount 0',
      { TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 0 } },
      'TransformResources.InstanceCount',
      'from 1 to 100; got 0',
    ],
    [
      'InstanceCount above 100',
      { TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 101 } },
      'TransformResources.InstanceCount',
      'from 1 to 100; got 101',
    ],
    [
      'VolumeKmsKeyId characters',
      { TransformResources: { InstanceType: 'ml.m5.xlarge', VolumeKmsKeyId: 'key id' } },
      'TransformResources.VolumeKmsKeyId',
      'letters, digits and : / _ -',
    ],
    [
      'an unknown field',
      { DataCaptureConfig: {} },
      'DataCaptureConfig',
      'is not a CreateTransformJob field tfserve accepts here',
    ],
    [
      'a misspelt nested field',
      { ModelClientConfig: { InvocationTimeoutInSeconds: 60 } },
      'ModelClientConfig.InvocationTimeoutInSeconds',
      'check its spelling',
    ],
  ])('%s', (_name, overrides, path, message) => {
    expectProblem(job(overrides), path, message);
  });

  it.each<[string, Job, Job, string, string | RegExp]>([
    [
      'S3Uri required',
      { DataSource: { S3DataSource: { S3DataType: 'S3Prefix' } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'is required',
    ],
    [
      'S3DataType required',
      { DataSource: { S3DataSource: { S3Uri: 's3://my-bucket/in/' } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3DataType',
      'must be one of S3Prefix, ManifestFile',
    ],
    [
      'S3DataType AugmentedManifestFile',
      { DataSource: { S3DataSource: { S3DataType: 'AugmentedManifestFile', S3Uri: 's3://my-bucket/m' } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3DataType',
      'AugmentedManifestFile is not compatible with Batch Transform',
    ],
    [
      'S3Uri bucket',
      { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://My_Bucket/in/' } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'is not an S3 bucket name',
    ],
    [
      'S3Uri scheme',
      { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 'gs://bucket/in/' } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'unsupported scheme gs://',
    ],
    [
      'S3Uri https',
      { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 'https://my-bucket.s3.amazonaws.com/in/' } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'https:// S3 URLs are not supported',
    ],
    [
      'S3Uri length',
      { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://my-bucket/${'k'.repeat(1010)}` } } },
      {},
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'is 1025 characters long; the API allows at most 1024',
    ],
    [
      'ContentType length',
      { ContentType: 'x'.repeat(257) },
      {},
      'TransformInput.ContentType',
      'at most 256 characters',
    ],
    [
      'CompressionType spelling',
      { CompressionType: 'gzip' },
      {},
      'TransformInput.CompressionType',
      'must be one of None, Gzip; got "gzip" (did you mean Gzip?)',
    ],
    [
      'SplitType spelling',
      { SplitType: 'TfRecord' },
      {},
      'TransformInput.SplitType',
      'must be one of None, Line, RecordIO, TFRecord; got "TfRecord" (did you mean TFRecord?)',
    ],
    ['SplitType unknown', { SplitType: 'Json' }, {}, 'TransformInput.SplitType', /got "Json"$/],
    ['S3OutputPath required', {}, { S3OutputPath: undefined }, 'TransformOutput.S3OutputPath', 'is required'],
    ['S3OutputPath empty', {}, { S3OutputPath: '' }, 'TransformOutput.S3OutputPath', 'an empty location'],
    ['Accept type', {}, { Accept: 5 }, 'TransformOutput.Accept', 'must be a string of at most 256 characters; got 5'],
    ['AssembleWith spelling', {}, { AssembleWith: 'line' }, 'TransformOutput.AssembleWith', '(did you mean Line?)'],
    ['KmsKeyId characters', {}, { KmsKeyId: 'key?' }, 'TransformOutput.KmsKeyId', 'letters, digits and : / _ -'],
  ])('%s', (_name, input, output, path, message) => {
    expectProblem(job({}, input, output), path, message);
  });

  it('TransformInput and TransformOutput are required', () => {
    expect(problemsOf({})).toEqual([
      { path: 'TransformInput', message: 'is required' },
      { path: 'TransformOutput', message: 'is required' },
    ]);
  });

  it('refuses what is not an object', () => {
    const notAnObject = { path: '(job)', message: 'must be an object in the shape of a CreateTransformJob request' };
    expect(problemsOf('s3://bucket/in/')).toEqual([notAnObject]);
    expect(problemsOf(null)).toHaveLength(1);
  });
});

describe('validateTransformJob: rules between fields', () => {
  it('BatchStrategy needs a SplitType other than None', () => {
    expect(problemsOf(job({ BatchStrategy: 'MultiRecord' }))).toEqual([
      {
        path: 'BatchStrategy',
        message: 'MultiRecord needs TransformInput.SplitType Line, RecordIO or TFRecord; with SplitType None each object is sent whole',
      },
    ]);
    expect(() => validateTransformJob(job({ BatchStrategy: 'MultiRecord' }, { SplitType: 'TFRecord' }))).not.toThrow();
  });

  it('MaxConcurrentTransforms × MaxPayloadInMB may not exceed 100', () => {
    expect(problemsOf(job({ MaxConcurrentTransforms: 11, MaxPayloadInMB: 10 }))).toEqual([
      { path: 'MaxConcurrentTransforms', message: 'MaxConcurrentTransforms × MaxPayloadInMB is 11 × 10 = 110 MB; the API allows at most 100' },
    ]);
    expect(() => validateTransformJob(job({ MaxConcurrentTransforms: 10, MaxPayloadInMB: 10 }))).not.toThrow();
    expect(() => validateTransformJob(job({ MaxConcurrentTransforms: 500, MaxPayloadInMB: 0 }))).not.toThrow();
    expect(() => validateTransformJob(job({ MaxConcurrentTransforms: 500 }))).not.toThrow();
  });

  it('exports the joint limit for values the container states', () => {
    expect(concurrentPayloadProblem(4, 25)).toBeUndefined();
    expect(concurrentPayloadProblem(4, 26)).toContain('4 × 26 = 104 MB');
  });

  describe('DataProcessing', () => {
    const csv = (dataProcessing: Job, input: Job = {}, output: Job = {}) =>
      job(
        { DataProcessing: dataProcessing },
        { ContentType: 'text/csv', SplitType: 'Line', ...input },
        { Accept: 'text/csv', AssembleWith: 'Line', ...output },
      );

    it('accepts the guide\'s CSV and JSON examples', () => {
      expect(() => validateTransformJob(csv({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' }))).not.toThrow();
      const json = job(
        { DataProcessing: { InputFilter: '$.features', JoinSource: 'Input', OutputFilter: "$['id','SageMakerOutput']" } },
        { ContentType: 'application/jsonlines', SplitType: 'Line' },
        { Accept: 'application/jsonlines', AssembleWith: 'Line' },
      );
      expect(() => validateTransformJob(json)).not.toThrow();
      const wholeObjects = job(
        { DataProcessing: { InputFilter: '$.x' } },
        { ContentType: 'application/json' },
        { Accept: 'application/json' },
      );
      expect(() => validateTransformJob(wholeObjects)).not.toThrow();
    });

    it('ignores content types and splitting while DataProcessing is at its defaults', () => {
      const tfrecord = job(
        { DataProcessing: { InputFilter: '$', OutputFilter: '$', JoinSource: 'None' } },
        { ContentType: 'application/x-tfexample', SplitType: 'TFRecord' },
      );
      expect(() => validateTransformJob(tfrecord)).not.toThrow();
    });

    const TYPES = 'text/csv, application/json, application/jsonlines';

    it('needs ContentType and Accept among text/csv, application/json, application/jsonlines', () => {
      expect(problemsOf(job({ DataProcessing: { JoinSource: 'Input' } }))).toEqual([
        { path: 'TransformInput.ContentType', message: `is not set, but DataProcessing needs one of ${TYPES}` },
        { path: 'TransformOutput.Accept', message: `is not set, but DataProcessing needs one of ${TYPES}` },
      ]);
      expectProblem(
        job({ DataProcessing: { InputFilter: '$.a' } }, { ContentType: 'application/x-npy' }, { Accept: 'application/json' }),
        'TransformInput.ContentType',
        'is "application/x-npy", but DataProcessing needs one of',
      );
    });

    it('does not apply to TFRecord or RecordIO input', () => {
      for (const SplitType of ['TFRecord', 'RecordIO']) {
        expectProblem(
          job({ DataProcessing: { JoinSource: 'Input' } }, { ContentType: 'application/json', SplitType }, { Accept: 'application/json' }),
          'DataProcessing',
          `does not apply to SplitType ${SplitType} input`,
        );
      }
    });

    it('CSV needs SplitType Line and AssembleWith Line', () => {
      expect(problemsOf(csv({ InputFilter: '$[1:]' }, { SplitType: 'None' }, { AssembleWith: 'None' }))).toEqual([
        { path: 'TransformInput.SplitType', message: 'is None, but DataProcessing on text/csv input needs Line' },
        { path: 'TransformOutput.AssembleWith', message: 'is None, but DataProcessing on text/csv needs Line' },
      ]);
      const csvOut = job(
        { DataProcessing: { OutputFilter: '$[0]' } },
        { ContentType: 'application/json' },
        { Accept: 'text/csv' },
      );
      expectProblem(csvOut, 'TransformOutput.AssembleWith', 'is None, but DataProcessing on text/csv needs Line');
    });

    it('a filter on CSV selects by index only', () => {
      const byIndex = 'CSV rows are JSON arrays, so only index paths apply';
      expectProblem(csv({ InputFilter: '$.features' }), 'DataProcessing.InputFilter', `the input is text/csv: ${byIndex}`);
      const joined = csv({ JoinSource: 'Input', OutputFilter: "$['id']" });
      expectProblem(joined, 'DataProcessing.OutputFilter', 'the joined record is text/csv (as the input)');
      expectProblem(csv({ OutputFilter: '$.label' }), 'DataProcessing.OutputFilter', 'the response is text/csv (Accept)');
    });

    it('an OutputFilter for the joined CSV row may select by name when the join is JSON', () => {
      const mixed = job(
        { DataProcessing: { JoinSource: 'Input', OutputFilter: '$.SageMakerOutput' } },
        { ContentType: 'application/jsonlines', SplitType: 'Line' },
        { Accept: 'text/csv', AssembleWith: 'Line' },
      );
      expect(() => validateTransformJob(mixed)).not.toThrow();
    });

    it('filters must parse; the problem gives the offset', () => {
      expect(problemsOf(csv({ InputFilter: '$[1:', OutputFilter: '$..x' }))).toEqual([
        { path: 'DataProcessing.InputFilter', message: 'JSONPath "$[1:" at offset 1: "[" is never closed' },
        { path: 'DataProcessing.OutputFilter', message: expect.stringContaining('at offset 1: recursive descent') },
      ]);
      expectProblem(job({ DataProcessing: { InputFilter: '' } }), 'DataProcessing.InputFilter', 'the path is empty');
    });
  });
});

describe('validateTransformJob: every violation at once', () => {
  it('reports field and cross-field problems together in one InvalidArgumentError', () => {
    const bad = {
      TransformJobName: 'my_job',
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 's3prefix', S3Uri: 'gs://x/y' } },
        ContentType: 'text/csv',
        SplitType: 'None',
      },
      TransformOutput: { S3OutputPath: 's3://my-bucket/out/', Accept: 'text/csv', AssembleWith: 'Line' },
      BatchStrategy: 'SingleRecord',
      MaxPayloadInMB: 60,
      MaxConcurrentTransforms: 2,
      ModelClientConfig: { InvocationsTimeoutInSeconds: 7200, InvocationsMaxRetries: 9 },
      Environment: { 'BAD-KEY': 'x' },
      DataProcessing: { InputFilter: '$.id', JoinSource: 'Both' },
      Tags: [],
    };
    let error: unknown;
    try {
      validateTransformJob(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TransformJobValidationError);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const { problems, message, status } = error as TransformJobValidationError;
    expect(status).toBe(400);
    expect(problems.map((problem) => problem.path)).toEqual([
      'TransformJobName',
      'TransformInput.DataSource.S3DataSource.S3DataType',
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'ModelClientConfig.InvocationsTimeoutInSeconds',
      'ModelClientConfig.InvocationsMaxRetries',
      'Environment.BAD-KEY',
      'DataProcessing.JoinSource',
      'Tags',
      'BatchStrategy',
      'MaxConcurrentTransforms',
      'TransformInput.SplitType',
      'DataProcessing.InputFilter',
    ]);
    expect(message.split('\n')[0]).toBe('invalid transform job (12 problems):');
    expect(message).toContain(
      '\n  - TransformInput.DataSource.S3DataSource.S3DataType: must be one of S3Prefix, ManifestFile; ' +
        'got "s3prefix" (did you mean S3Prefix?)',
    );
    expect(message).toContain('\n  - MaxConcurrentTransforms: MaxConcurrentTransforms × MaxPayloadInMB is 2 × 60 = 120 MB');
  });
});
