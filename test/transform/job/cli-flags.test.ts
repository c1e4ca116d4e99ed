import { Command } from 'commander';
import {
  addTransformJobFlags,
  optionsFromFlags,
  TRANSFORM_JOB_FLAGS,
  type TransformJobFlags,
} from '../../../transform/job/cli-flags';
import { TransformJobValidationError } from '../../../transform/job/job-validation-error';
import { INPUT_URI, MINIMAL_JOB_WITH_DEFAULTS, OUTPUT_URI } from './minimal-job';

function parseFlags(args: string[]): TransformJobFlags {
  const command = addTransformJobFlags(new Command('transform')).exitOverride();
  command.parse(args, { from: 'user' });
  return command.opts<TransformJobFlags>();
}

function failure(args: string[]): TransformJobValidationError {
  try {
    optionsFromFlags(parseFlags(args));
  } catch (error) {
    if (error instanceof TransformJobValidationError) return error;
    throw error;
  }
  throw new Error('the flags validated');
}

const IO = ['--input', INPUT_URI, '--output', OUTPUT_URI];

describe('addTransformJobFlags', () => {
  it('declares every flag, named for its API field, with the field in its help', () => {
    const command = addTransformJobFlags(new Command('transform'));
    const help = command.helpInformation();
    for (const spec of TRANSFORM_JOB_FLAGS) {
      expect(help).toContain(`${spec.flag} <${spec.value}>`);
      if (spec.path) expect(help).toContain(spec.path);
    }
    expect(command.options.map((option) => option.long)).toEqual(
      expect.arrayContaining([
        '--input', '--output', '--model-dir', '--endpoint', '--content-type', '--compression-type', '--split-type',
        '--batch-strategy', '--max-payload-in-mb', '--max-concurrent-transforms', '--accept', '--assemble-with',
        '--input-filter', '--output-filter', '--join-source', '--invocations-timeout-in-seconds',
        '--invocations-max-retries', '--environment', '--s3-data-type', '--model-name', '--job-name',
        '--instance-type', '--instance-count',
      ]),
    );
  });

  it('parses each flag into the key its spec names (commander camel-cases the flag)', () => {
    const command = addTransformJobFlags(new Command('transform'));
    for (const spec of TRANSFORM_JOB_FLAGS) {
      expect(command.options.find((option) => option.long === spec.flag)?.attributeName()).toBe(spec.key);
    }
  });
});

describe('optionsFromFlags', () => {
  it('builds the API shape with its defaults from the two required flags', () => {
    expect(optionsFromFlags(parseFlags(IO))).toEqual({ options: MINIMAL_JOB_WITH_DEFAULTS });
  });

  it('maps every flag to its field, numbers as numbers, --environment repeatable', () => {
    const run = optionsFromFlags(
      parseFlags([
        '--input', './data', '--output', './out', '--model-dir', './models',
        '--s3-data-type', 'ManifestFile', '--content-type', 'text/csv', '--compression-type', 'Gzip',
        '--split-type', 'Line', '--batch-strategy', 'SingleRecord', '--max-payload-in-mb', '10',
        '--max-concurrent-transforms', '4', '--accept', 'text/csv', '--assemble-with', 'Line',
        '--kms-key-id', 'alias/out', '--input-filter', '$[1:]', '--output-filter', '$[0,-1]', '--join-source', 'Input',
        '--invocations-timeout-in-seconds', '120', '--invocations-max-retries', '0',
        '--environment', 'A=1', '--environment', 'B=x=y', '--environment', 'EMPTY=',
        '--model-name', 'half-plus-three', '--job-name', 'job-1', '--instance-type', 'ml.m5.xlarge',
        '--instance-count', '2', '--volume-kms-key-id', 'alias/vol',
      ]),
    );
    expect(run).toEqual({
      modelDir: './models',
      options: {
        TransformJobName: 'job-1',
        ModelName: 'half-plus-three',
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'ManifestFile', S3Uri: './data' } },
          ContentType: 'text/csv',
          CompressionType: 'Gzip',
          SplitType: 'Line',
        },
        TransformOutput: { S3OutputPath: './out', Accept: 'text/csv', AssembleWith: 'Line', KmsKeyId: 'alias/out' },
        BatchStrategy: 'SingleRecord',
        MaxPayloadInMB: 10,
        MaxConcurrentTransforms: 4,
        ModelClientConfig: { InvocationsTimeoutInSeconds: 120, InvocationsMaxRetries: 0 },
        Environment: { A: '1', B: 'x=y', EMPTY: '' },
        DataProcessing: { InputFilter: '$[1:]', OutputFilter: '$[0,-1]', JoinSource: 'Input' },
        TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeKmsKeyId: 'alias/vol' },
      },
    });
  });

  it('returns --endpoint beside the options, not inside', () => {
    const run = optionsFromFlags(parseFlags([...IO, '--endpoint', 'http://127.0.0.1:8080']));
    expect(run.endpoint).toBe('http://127.0.0.1:8080');
    expect(JSON.stringify(run.options)).not.toContain('127.0.0.1');
  });

  it('names the flag of a value that is not a number', () => {
    const error = failure([...IO, '--max-payload-in-mb', 'six', '--instance-count', '1.5', '--instance-type', 'ml.m5.xlarge']);
    expect(error.problems).toEqual([
      { path: 'MaxPayloadInMB', flag: '--max-payload-in-mb', message: '"six" is not a whole number' },
      { path: 'TransformResources.InstanceCount', flag: '--instance-count', message: '"1.5" is not a whole number' },
    ]);
    expect(error.message).toContain('  - --max-payload-in-mb (MaxPayloadInMB): "six" is not a whole number');
  });

  it('names the flag of a wrong spelling, with the likely intent', () => {
    const error = failure([...IO, '--split-type', 'tfrecord', '--batch-strategy', 'single']);
    expect(error.message).toContain(
      '--split-type (TransformInput.SplitType): must be one of None, Line, RecordIO, TFRecord; got "tfrecord" (did you mean TFRecord?)',
    );
    expect(error.message).toContain('--batch-strategy (BatchStrategy): must be one of MultiRecord, SingleRecord; got "single"');
  });

  it('names the flags of range and cross-field problems', () => {
    const error = failure([
      ...IO, '--max-payload-in-mb', '50', '--max-concurrent-transforms', '3',
      '--invocations-timeout-in-seconds', '0', '--invocations-max-retries', '5', '--environment', '9X=1',
    ]);
    expect(error.problems.map(({ flag, path }) => [flag, path])).toEqual([
      ['--invocations-timeout-in-seconds', 'ModelClientConfig.InvocationsTimeoutInSeconds'],
      ['--invocations-max-retries', 'ModelClientConfig.InvocationsMaxRetries'],
      ['--environment', 'Environment.9X'],
      ['--max-concurrent-transforms', 'MaxConcurrentTransforms'],
    ]);
  });

  it('requires --input and --output, naming them', () => {
    const error = failure([]);
    expect(error.message).toContain('--input (TransformInput.DataSource.S3DataSource.S3Uri): is required');
    expect(error.message).toContain('--output (TransformOutput.S3OutputPath): is required');
  });

  it('refuses --environment without =, or a key given twice', () => {
    const error = failure([...IO, '--environment', 'NOVALUE', '--environment', 'A=1', '--environment', 'A=2']);
    expect(error.problems).toEqual([
      { path: 'Environment', flag: '--environment', message: '"NOVALUE" is not KEY=VALUE' },
      { path: 'Environment', flag: '--environment', message: 'A is given twice' },
    ]);
  });

  it('refuses --model-dir with --endpoint, and an endpoint that is not an http URL', () => {
    const error = failure([...IO, '--model-dir', 'models', '--endpoint', 'localhost:8080']);
    expect(error.problems).toEqual([
      { path: '--endpoint', message: 'give --model-dir (serve a model for the run) or --endpoint (call a running container), not both' },
      { path: '--endpoint', message: '"localhost:8080" is not an http:// or https:// URL' },
    ]);
  });

  it('--instance-count alone asks for --instance-type', () => {
    expect(failure([...IO, '--instance-count', '2']).message).toContain('--instance-type (TransformResources.InstanceType): is required');
  });

  it('reports flag-parsing and validation problems together', () => {
    const error = failure(['--output', 'out', '--max-payload-in-mb', 'x', '--join-source', 'Input', '--content-type', 'text/csv']);
    expect(error.problems.map(({ path }) => path)).toEqual([
      'MaxPayloadInMB',
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'TransformOutput.Accept',
      'TransformInput.SplitType',
      'TransformOutput.AssembleWith',
    ]);
  });
});
