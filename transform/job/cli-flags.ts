import { Command, Option } from 'commander';
import { TransformJobValidationError, type FieldProblem } from './job-validation-error';
import type { TransformJobOptions } from './options';
import { validateTransformJob } from './validate';

/**
 * The transform CLI's flags: CreateTransformJob's field names in kebab-case, with the API's value spellings
 * (`--split-type TFRecord`, `--batch-strategy SingleRecord`), so a command line reads like the request it makes.
 * Flags hold strings; conversion and every check happen in optionsFromFlags, which reports all problems together,
 * each under its flag and API field.
 */

/** What commander parses the flags into (its camelCase of each flag name). */
export interface TransformJobFlags {
  input?: string;
  output?: string;
  s3DataType?: string;
  contentType?: string;
  compressionType?: string;
  splitType?: string;
  batchStrategy?: string;
  maxPayloadInMb?: string;
  maxConcurrentTransforms?: string;
  accept?: string;
  assembleWith?: string;
  kmsKeyId?: string;
  inputFilter?: string;
  outputFilter?: string;
  joinSource?: string;
  invocationsTimeoutInSeconds?: string;
  invocationsMaxRetries?: string;
  environment?: string[];
  modelName?: string;
  jobName?: string;
  instanceType?: string;
  instanceCount?: string;
  volumeKmsKeyId?: string;
  modelDir?: string;
  endpoint?: string;
}

/** The validated job, plus what only a local run uses: where the model is, or which container to call. */
export interface TransformRun {
  options: TransformJobOptions;
  /** A models root to serve with tfserve's own container for the run. */
  modelDir?: string;
  /** The base URL of a container already serving (it must answer /ping and /invocations). */
  endpoint?: string;
}

interface FlagSpec {
  flag: string;
  value: string;
  key: keyof TransformJobFlags;
  /** The CreateTransformJob field it sets; none for the local-only flags. */
  path?: string;
  kind: 'text' | 'number' | 'pairs';
  help: string;
}

const S3_DATA_TYPE = 'TransformInput.DataSource.S3DataSource.S3DataType';

/** One row per flag: declares it, converts it, and names it in problems. The README's option table mirrors it. */
export const TRANSFORM_JOB_FLAGS: readonly FlagSpec[] = [
  { flag: '--input', value: 'uri', key: 'input', path: 'TransformInput.DataSource.S3DataSource.S3Uri', kind: 'text',
    help: 'input: s3://bucket/prefix/ (a raw key prefix: end it with /) or, for local runs, a directory (required)' },
  { flag: '--output', value: 'uri', key: 'output', path: 'TransformOutput.S3OutputPath', kind: 'text',
    help: 'where <input key>.out files go: s3://bucket/prefix/ or, for local runs, a directory (required)' },
  { flag: '--s3-data-type', value: 'type', key: 's3DataType', path: S3_DATA_TYPE, kind: 'text',
    help: 'S3Prefix (every object under --input) or ManifestFile (--input is a manifest); default S3Prefix' },
  { flag: '--content-type', value: 'type', key: 'contentType', path: 'TransformInput.ContentType', kind: 'text',
    help: 'Content-Type of each request, e.g. text/csv, application/jsonlines, application/x-tfexample' },
  { flag: '--compression-type', value: 'type', key: 'compressionType',
    path: 'TransformInput.CompressionType', kind: 'text',
    help: 'None or Gzip (each input object is gunzipped before splitting); default None' },
  { flag: '--split-type', value: 'type', key: 'splitType', path: 'TransformInput.SplitType', kind: 'text',
    help: 'None (whole object), Line, RecordIO or TFRecord; default None' },
  { flag: '--batch-strategy', value: 'strategy', key: 'batchStrategy', path: 'BatchStrategy', kind: 'text',
    help: 'SingleRecord or MultiRecord (needs a --split-type); default: the container\'s ' +
      '/execution-parameters, else MultiRecord' },
  { flag: '--max-payload-in-mb', value: 'mb', key: 'maxPayloadInMb', path: 'MaxPayloadInMB', kind: 'number',
    help: '0-100, 0 = unlimited (streamed); × --max-concurrent-transforms ≤ 100; default: ' +
      '/execution-parameters, else 6' },
  { flag: '--max-concurrent-transforms', value: 'n', key: 'maxConcurrentTransforms',
    path: 'MaxConcurrentTransforms', kind: 'number',
    help: 'parallel requests per instance, ≥ 0; default: /execution-parameters, else 1' },
  { flag: '--accept', value: 'type', key: 'accept', path: 'TransformOutput.Accept', kind: 'text',
    help: 'Accept of each request, e.g. application/json, text/csv' },
  { flag: '--assemble-with', value: 'type', key: 'assembleWith', path: 'TransformOutput.AssembleWith', kind: 'text',
    help: 'None (responses concatenated) or Line (a newline after each); default None' },
  { flag: '--kms-key-id', value: 'id', key: 'kmsKeyId', path: 'TransformOutput.KmsKeyId', kind: 'text',
    help: 'KMS key for the output objects (SSE-KMS); remote runs' },
  { flag: '--input-filter', value: 'jsonpath', key: 'inputFilter', path: 'DataProcessing.InputFilter', kind: 'text',
    help: 'JSONPath picking what of each record is sent, e.g. $[1:] or $.features; default $' },
  { flag: '--output-filter', value: 'jsonpath', key: 'outputFilter',
    path: 'DataProcessing.OutputFilter', kind: 'text',
    help: 'JSONPath picking what of each (joined) result is written, e.g. $[0,-1]; default $' },
  { flag: '--join-source', value: 'source', key: 'joinSource', path: 'DataProcessing.JoinSource', kind: 'text',
    help: 'None or Input (write each input record with its result); default None' },
  { flag: '--invocations-timeout-in-seconds', value: 's', key: 'invocationsTimeoutInSeconds',
    path: 'ModelClientConfig.InvocationsTimeoutInSeconds', kind: 'number',
    help: 'per-request timeout, 1-3600; default 600' },
  { flag: '--invocations-max-retries', value: 'n', key: 'invocationsMaxRetries',
    path: 'ModelClientConfig.InvocationsMaxRetries', kind: 'number',
    help: 'retries of a failed request, 0-3; default 3' },
  { flag: '--environment', value: 'KEY=VALUE', key: 'environment', path: 'Environment', kind: 'pairs',
    help: 'container environment variable; repeat for more (at most 16)' },
  { flag: '--model-name', value: 'name', key: 'modelName', path: 'ModelName', kind: 'text',
    help: 'the SageMaker Model to run (remote runs)' },
  { flag: '--job-name', value: 'name', key: 'jobName', path: 'TransformJobName', kind: 'text',
    help: 'job name, 1-63 letters, digits and hyphens; default: generated from the model name' },
  { flag: '--instance-type', value: 'type', key: 'instanceType',
    path: 'TransformResources.InstanceType', kind: 'text',
    help: 'e.g. ml.m5.xlarge (remote runs)' },
  { flag: '--instance-count', value: 'n', key: 'instanceCount',
    path: 'TransformResources.InstanceCount', kind: 'number',
    help: '1-100; default 1 (remote runs)' },
  { flag: '--volume-kms-key-id', value: 'id', key: 'volumeKmsKeyId',
    path: 'TransformResources.VolumeKmsKeyId', kind: 'text',
    help: 'KMS key for the instances\' storage volume (remote runs)' },
  { flag: '--model-dir', value: 'dir', key: 'modelDir', kind: 'text',
    help: 'local runs: serve the SavedModels under this directory with tfserve for the run' },
  { flag: '--endpoint', value: 'url', key: 'endpoint', kind: 'text',
    help: 'local runs: call this already-running container (http://host:port) instead of --model-dir' },
];

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Declares every transform flag on `command` (the command's file owns its action); returns it for chaining. */
export function addTransformJobFlags(command: Command): Command {
  for (const spec of TRANSFORM_JOB_FLAGS) {
    const option = new Option(`${spec.flag} <${spec.value}>`, spec.path ? `${spec.help} [${spec.path}]` : spec.help);
    if (spec.kind === 'pairs') option.argParser(collect);
    command.addOption(option);
  }
  return command;
}

/**
 * Parsed flags → the validated option model (API defaults applied) and the local-only settings beside it. Throws
 * one TransformJobValidationError listing every problem, each with its flag: values that are not numbers or not
 * KEY=VALUE, and every rule validateTransformJob enforces.
 */
export function optionsFromFlags(flags: TransformJobFlags): TransformRun {
  const problems: FieldProblem[] = [];
  // The API requires S3DataType; the CLI defaults it. An empty TransformOutput makes a missing --output read as such.
  const job: Record<string, unknown> = { TransformOutput: {} };
  setAt(job, S3_DATA_TYPE, 'S3Prefix');
  for (const spec of TRANSFORM_JOB_FLAGS) {
    const raw = flags[spec.key];
    if (raw === undefined || spec.path === undefined) continue;
    const value = convert(spec, spec.path, raw, problems);
    if (value !== undefined) setAt(job, spec.path, value);
  }
  problems.push(...localProblems(flags));
  let options: TransformJobOptions | undefined;
  try {
    options = validateTransformJob(job);
  } catch (error) {
    if (!(error instanceof TransformJobValidationError)) throw error;
    problems.push(...error.problems.map((problem) => ({ ...problem, flag: flagFor(problem.path) })));
  }
  if (options === undefined || problems.length > 0) throw new TransformJobValidationError(problems);
  return {
    options,
    ...(flags.modelDir !== undefined && { modelDir: flags.modelDir }),
    ...(flags.endpoint !== undefined && { endpoint: flags.endpoint }),
  };
}

function convert(spec: FlagSpec, path: string, raw: string | string[], problems: FieldProblem[]): unknown {
  const values = typeof raw === 'string' ? [raw] : raw;
  const problem = (message: string) => problems.push({ path, flag: spec.flag, message });
  if (spec.kind === 'text') return values[values.length - 1];
  if (spec.kind === 'number') {
    const value = values[values.length - 1];
    if (/^[+-]?\d+$/.test(value.trim())) return Number(value);
    problem(`${JSON.stringify(value)} is not a whole number`);
    return undefined;
  }
  const pairs: Record<string, string> = {};
  for (const pair of values) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      problem(`${JSON.stringify(pair)} is not KEY=VALUE`);
      continue;
    }
    const key = pair.slice(0, equals);
    if (Object.hasOwn(pairs, key)) problem(`${key} is given twice`);
    pairs[key] = pair.slice(equals + 1);
  }
  return pairs;
}

function localProblems(flags: TransformJobFlags): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (flags.modelDir !== undefined && flags.endpoint !== undefined) {
    const message = 'give --model-dir (serve a model for the run) or --endpoint (call a running container), not both';
    problems.push({ path: '--endpoint', message });
  }
  if (flags.modelDir !== undefined && flags.modelDir.trim() === '') {
    problems.push({ path: '--model-dir', message: 'is empty' });
  }
  if (flags.endpoint !== undefined && !isHttpUrl(flags.endpoint)) {
    const message = `${JSON.stringify(flags.endpoint)} is not an http:// or https:// URL`;
    problems.push({ path: '--endpoint', message });
  }
  return problems;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The flag that sets an API path, or the closest enclosing one (`Environment.FOO` → --environment). */
function flagFor(path: string): string | undefined {
  const sets = (spec: FlagSpec) => spec.path !== undefined && (path === spec.path || path.startsWith(`${spec.path}.`));
  return TRANSFORM_JOB_FLAGS.find(sets)?.flag;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}
