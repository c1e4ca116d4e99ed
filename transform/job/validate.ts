import { z } from 'zod';
import { dataProcessingProblems } from '../data-processing/data-processing-rules';
import { MAX_INSTANCE_COUNT } from '../sagemaker/create-request';
import { isTransformInstanceType, KNOWN_INSTANCE_TYPES } from '../sagemaker/instance-types';
import { sageMakerNameProblem } from '../sagemaker/job-name';
import { ObjectStoreError } from '../store/store-error';
import { parseStoreUri } from '../store/store-uri';
import { TransformJobValidationError, type FieldProblem } from './job-validation-error';
import type { TransformJobOptions } from './options';

/**
 * CreateTransformJob's request, checked by the API's own rules (limits from the SageMaker service model, cross-field
 * rules from the API reference and the dev guide), with the API's defaults filled in. tfserve's one addition: the
 * input and output may also be local paths, for local runs (the remote request builder refuses them).
 */

/** The API's cap on MaxPayloadInMB, and on MaxConcurrentTransforms × MaxPayloadInMB. */
const MAX_PAYLOAD_MB = 100;
const DEFAULT_INVOCATIONS_TIMEOUT_SECONDS = 600;
const MAX_INVOCATIONS_TIMEOUT_SECONDS = 3600;
const DEFAULT_INVOCATIONS_MAX_RETRIES = 3;
const MAX_ENVIRONMENT_ENTRIES = 16;
const MAX_ENVIRONMENT_VALUE_LENGTH = 10240;
const ENVIRONMENT_KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;
const KMS_KEY_ID = /^[a-zA-Z0-9:/_-]*$/;
const MAX_URI_LENGTH = 1024;

/** `; got "line" (did you mean Line?)`: a wrong spelling's most likely intent is the same word in another case. */
function got(input: unknown, choices: readonly string[] = []): string {
  const lower = typeof input === 'string' ? input.toLowerCase() : undefined;
  const near = choices.find((choice) => choice.toLowerCase() === lower);
  return `; got ${JSON.stringify(input)}${near === undefined ? '' : ` (did you mean ${near}?)`}`;
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (issue) => `must be one of ${values.join(', ')}${got(issue.input, values)}` });
}

function wholeNumber(min: number, max?: number) {
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  const schema = z.number({ error: (issue) => `must be a whole number ${range}${got(issue.input)}` }).int().min(min);
  return max === undefined ? schema : schema.max(max);
}

function text(maxLength: number, pattern?: { regex: RegExp; rule: string }) {
  const rules = `must be a string of at most ${maxLength} characters${pattern ? ` ${pattern.rule}` : ''}`;
  const schema = z.string({ error: (issue) => `${rules}${got(issue.input)}` }).max(maxLength);
  return pattern ? schema.regex(pattern.regex) : schema;
}

/** A string checked by a function that says what is wrong with it, or undefined when nothing is. */
function checked(problem: (value: string) => string | undefined) {
  return z.string({ error: (issue) => `must be a string${got(issue.input)}` }).superRefine((value, context) => {
    const message = problem(value);
    if (message !== undefined) context.addIssue({ code: 'custom', message });
  });
}

function locationProblem(uri: string): string | undefined {
  if (uri.length > MAX_URI_LENGTH) return `is ${uri.length} characters long; the API allows at most ${MAX_URI_LENGTH}`;
  if (/^https:\/\//i.test(uri)) return 'https:// S3 URLs are not supported here; give s3://bucket/prefix';
  try {
    parseStoreUri(uri);
    return undefined;
  } catch (error) {
    if (error instanceof ObjectStoreError) return error.message;
    throw error;
  }
}

function instanceTypeProblem(type: string): string | undefined {
  if (isTransformInstanceType(type)) return undefined;
  const examples = 'ml.m5.xlarge, ml.c5.2xlarge, ml.g4dn.xlarge';
  return `is not a Batch Transform instance type, e.g. ${examples}${got(type, KNOWN_INSTANCE_TYPES)}`;
}

function environmentEntryProblem(key: string, value: unknown): string | undefined {
  if (!ENVIRONMENT_KEY.test(key)) {
    return 'is not a valid variable name: letters, digits and _, not starting with a digit, at most 1024 characters';
  }
  if (typeof value !== 'string') return `must be a string${got(value)}`;
  if (value.length <= MAX_ENVIRONMENT_VALUE_LENGTH) return undefined;
  return `is ${value.length} characters long; the API allows at most ${MAX_ENVIRONMENT_VALUE_LENGTH}`;
}

/** Checked as a whole (not key and value schemas) so that every bad entry and the count are reported together. */
const environment = z
  .record(z.string(), z.unknown())
  .superRefine((variables, context) => {
    const entries = Object.entries(variables);
    if (entries.length > MAX_ENVIRONMENT_ENTRIES) {
      const message = `has ${entries.length} variables; the API allows at most ${MAX_ENVIRONMENT_ENTRIES}`;
      context.addIssue({ code: 'custom', message });
    }
    for (const [key, value] of entries) {
      const message = environmentEntryProblem(key, value);
      if (message !== undefined) context.addIssue({ code: 'custom', path: [key], message });
    }
  })
  .transform((variables) => Object.fromEntries(Object.entries(variables).filter(isStringEntry)));

function isStringEntry(entry: [string, unknown]): entry is [string, string] {
  return typeof entry[1] === 'string';
}

const kmsKeyId = text(2048, { regex: KMS_KEY_ID, rule: 'of letters, digits and : / _ -' });
const jsonPathFilter = text(63);
/** Fields whose value others depend on, kept apart so the cross-field rules read them with their defaults. */
const fields = {
  splitType: oneOf(['None', 'Line', 'RecordIO', 'TFRecord']).default('None'),
  assembleWith: oneOf(['None', 'Line']).default('None'),
  joinSource: oneOf(['None', 'Input']).default('None'),
  batchStrategy: oneOf(['MultiRecord', 'SingleRecord']).optional(),
  maxPayloadInMB: wholeNumber(0, MAX_PAYLOAD_MB).optional(),
  maxConcurrentTransforms: wholeNumber(0).optional(),
  contentType: text(256).optional(),
  accept: text(256).optional(),
  inputFilter: jsonPathFilter.default('$'),
  outputFilter: jsonPathFilter.default('$'),
};

const transformJobSchema = z.strictObject({
  TransformJobName: checked(sageMakerNameProblem).optional(),
  ModelName: checked(sageMakerNameProblem).optional(),
  TransformInput: z.strictObject({
    DataSource: z.strictObject({
      S3DataSource: z.strictObject({
        S3DataType: z.enum(['S3Prefix', 'ManifestFile'], {
          error: (issue) =>
            issue.input === 'AugmentedManifestFile'
              ? 'AugmentedManifestFile is not compatible with Batch Transform; use S3Prefix or ManifestFile'
              : `must be one of S3Prefix, ManifestFile${got(issue.input, ['S3Prefix', 'ManifestFile'])}`,
        }),
        S3Uri: checked(locationProblem),
      }),
    }),
    ContentType: fields.contentType,
    CompressionType: oneOf(['None', 'Gzip']).default('None'),
    SplitType: fields.splitType,
  }),
  TransformOutput: z.strictObject({
    S3OutputPath: checked(locationProblem),
    Accept: fields.accept,
    AssembleWith: fields.assembleWith,
    KmsKeyId: kmsKeyId.optional(),
  }),
  BatchStrategy: fields.batchStrategy,
  MaxPayloadInMB: fields.maxPayloadInMB,
  MaxConcurrentTransforms: fields.maxConcurrentTransforms,
  ModelClientConfig: z
    .strictObject({
      InvocationsTimeoutInSeconds: wholeNumber(1, MAX_INVOCATIONS_TIMEOUT_SECONDS).default(
        DEFAULT_INVOCATIONS_TIMEOUT_SECONDS,
      ),
      InvocationsMaxRetries: wholeNumber(0, 3).default(DEFAULT_INVOCATIONS_MAX_RETRIES),
    })
    .prefault({}),
  Environment: environment.default({}),
  DataProcessing: z
    .strictObject({ InputFilter: fields.inputFilter, OutputFilter: fields.outputFilter, JoinSource: fields.joinSource })
    .prefault({}),
  TransformResources: z
    .strictObject({
      InstanceType: checked(instanceTypeProblem),
      InstanceCount: wholeNumber(1, MAX_INSTANCE_COUNT).default(1),
      VolumeKmsKeyId: kmsKeyId.optional(),
    })
    .optional(),
});

/**
 * `input` (e.g. a parsed JSON job file, or what the CLI flags build) as a TransformJobOptions with every default
 * applied. Every violation — of a field's own limits and of the rules between fields — is reported in one
 * TransformJobValidationError, each under its API path.
 */
export function validateTransformJob(input: unknown): TransformJobOptions {
  const parsed = transformJobSchema.safeParse(input, { reportInput: true });
  const fieldProblems = parsed.success ? [] : parsed.error.issues.flatMap(issueProblems);
  const problems = [...fieldProblems, ...crossFieldProblems(input)];
  if (problems.length > 0 || !parsed.success) throw new TransformJobValidationError(problems);
  return parsed.data;
}

/** The joint limit on payload and concurrency; exported so the runner can check what /execution-parameters gave. */
export function concurrentPayloadProblem(maxConcurrentTransforms: number, maxPayloadInMB: number): string | undefined {
  if (maxConcurrentTransforms * maxPayloadInMB <= MAX_PAYLOAD_MB) return undefined;
  return (
    `MaxConcurrentTransforms × MaxPayloadInMB is ${maxConcurrentTransforms} × ${maxPayloadInMB} = ` +
    `${maxConcurrentTransforms * maxPayloadInMB} MB; the API allows at most ${MAX_PAYLOAD_MB}`
  );
}

function issueProblems(issue: z.core.$ZodIssue): FieldProblem[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: path === '' ? key : `${path}.${key}`,
      message: 'is not a CreateTransformJob field tfserve accepts here (check its spelling and nesting)',
    }));
  }
  if (path === '') {
    return [{ path: '(job)', message: 'must be an object in the shape of a CreateTransformJob request' }];
  }
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return [{ path, message: missing ? 'is required' : issue.message }];
}

function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
    value,
  );
}

/** A field's value with its default applied, or undefined when it is malformed (its own problem covers it). */
function usable<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function crossFieldProblems(input: unknown): FieldProblem[] {
  const splitType = usable(fields.splitType, at(input, 'TransformInput', 'SplitType'));
  const batchStrategy = usable(fields.batchStrategy, at(input, 'BatchStrategy'));
  const maxPayload = usable(fields.maxPayloadInMB, at(input, 'MaxPayloadInMB'));
  const maxConcurrent = usable(fields.maxConcurrentTransforms, at(input, 'MaxConcurrentTransforms'));
  const problems: FieldProblem[] = [];
  if (batchStrategy !== undefined && splitType === 'None') {
    problems.push({
      path: 'BatchStrategy',
      message:
        `${batchStrategy} needs TransformInput.SplitType Line, RecordIO or TFRecord; ` +
        'with SplitType None each object is sent whole',
    });
  }
  if (maxPayload !== undefined && maxConcurrent !== undefined) {
    const message = concurrentPayloadProblem(maxConcurrent, maxPayload);
    if (message !== undefined) problems.push({ path: 'MaxConcurrentTransforms', message });
  }
  const dataProcessing = (key: string) => at(input, 'DataProcessing', key);
  problems.push(
    ...dataProcessingProblems({
      inputFilter: usable(fields.inputFilter, dataProcessing('InputFilter')),
      outputFilter: usable(fields.outputFilter, dataProcessing('OutputFilter')),
      joinSource: usable(fields.joinSource, dataProcessing('JoinSource')),
      contentType: usable(fields.contentType, at(input, 'TransformInput', 'ContentType')),
      accept: usable(fields.accept, at(input, 'TransformOutput', 'Accept')),
      splitType,
      assembleWith: usable(fields.assembleWith, at(input, 'TransformOutput', 'AssembleWith')),
    }),
  );
  return problems;
}
