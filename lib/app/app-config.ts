import * as fs from 'node:fs';
import { z } from 'zod';

/**
 * The CDK app's configuration: cdk.json context `tfserve` (an object, or a JSON string from `-c tfserve=…`) merged
 * over an optional JSON file named by context `tfserveConfigFile`. Every key is optional; unknown keys are errors so
 * that a typo does not silently fall back to a default. Semantic checks (exclusive options, limits) are the
 * constructs' own, which report every problem together.
 */

const wholeNumber = z.number().int();
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const engine = z.enum(['auto', 'native', 'pure']);
const stringMap = z.record(z.string(), z.string());

const batching = z.strictObject({
  maxBatchSize: wholeNumber.optional(),
  batchTimeoutMicros: wholeNumber.optional(),
  numBatchThreads: wholeNumber.optional(),
  maxEnqueuedBatches: wholeNumber.optional(),
});

const appConfigSchema = z.strictObject({
  /** Deployment target; unset parts fall back to CDK_DEFAULT_ACCOUNT/REGION, then to an environment-agnostic stack. */
  env: z
    .strictObject({
      account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1').optional(),
    })
    .default({}),
  /** Stack names are `<prefix>Serving` and `<prefix>Transform`. */
  stackPrefix: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must start with a letter; letters, digits, -').default('Tfserve'),
  image: z
    .strictObject({
      directory: z.string().optional(),
      file: z.string().optional(),
      buildArgs: stringMap.optional(),
      uri: z.string().optional(),
    })
    .default({}),
  model: z
    .strictObject({
      /** A models root (`<name>/<version>/…`), packed at synth. */
      sourceDir: z.string().default('demo/models'),
      /** Model data already in S3; replaces sourceDir. */
      s3Uri: z.string().optional(),
    })
    .default({ sourceDir: 'demo/models' }),
  container: z
    .strictObject({
      defaultModelName: z.string().optional(),
      logLevel: logLevel.optional(),
      engine: engine.optional(),
      batching: batching.optional(),
      extra: stringMap.optional(),
    })
    .default({}),
  serving: z
    .strictObject({
      enabled: z.boolean().default(true),
      endpointName: z.string().optional(),
      multiModel: z.boolean().default(false),
      instanceType: z.string().optional(),
      instanceCount: wholeNumber.optional(),
      serverless: z.strictObject({ memorySizeInMb: wholeNumber.optional(), maxConcurrency: wholeNumber.optional() }).optional(),
      dataCapture: z
        .strictObject({
          samplingPercentage: wholeNumber.optional(),
          prefix: z.string().optional(),
          captureInput: z.boolean().optional(),
          captureOutput: z.boolean().optional(),
        })
        .optional(),
      autoScaling: z
        .strictObject({
          minCapacity: wholeNumber.optional(),
          maxCapacity: wholeNumber,
          invocationsPerInstance: z.number(),
          scaleInCooldownSeconds: wholeNumber.optional(),
          scaleOutCooldownSeconds: wholeNumber.optional(),
        })
        .optional(),
    })
    .default({ enabled: true, multiModel: false }),
  transform: z
    .strictObject({
      enabled: z.boolean().default(true),
      instanceType: z.string().optional(),
      instanceCount: wholeNumber.optional(),
      maxConcurrentTransforms: wholeNumber.optional(),
      maxPayloadInMB: wholeNumber.optional(),
      contentType: z.string().optional(),
      accept: z.string().optional(),
      inputPrefix: z.string().optional(),
      outputPrefix: z.string().optional(),
      batching: z.union([batching, z.literal(false)]).optional(),
      jobNamePrefix: z.string().optional(),
      triggerOnUpload: z.boolean().optional(),
    })
    .default({ enabled: true }),
});

export type AppConfig = z.output<typeof appConfigSchema>;
export type AppConfigInput = z.input<typeof appConfigSchema>;

/** Context keys the app reads. */
export const CONFIG_CONTEXT_KEY = 'tfserve';
export const CONFIG_FILE_CONTEXT_KEY = 'tfserveConfigFile';

export class AppConfigError extends Error {
  override name = 'AppConfigError';
}

/** Validates a raw config; the error lists every bad key as `tfserve.<path>: <problem>`. */
export function parseAppConfig(raw: unknown, source = CONFIG_CONTEXT_KEY): AppConfig {
  const result = appConfigSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const keyPath = [source, ...issue.path.map(String)].join('.');
    return unknownKeys.length > 0
      ? unknownKeys.map((key) => `${keyPath}.${key}: unknown key`).join('\n  - ')
      : `${keyPath}: ${issue.message}`;
  });
  throw new AppConfigError(`invalid tfserve configuration:\n  - ${lines.join('\n  - ')}`);
}

/** Reads context (`tryGetContext`) and the optional config file, context values winning, then validates. */
export function loadAppConfig(tryGetContext: (key: string) => unknown): AppConfig {
  const file = tryGetContext(CONFIG_FILE_CONTEXT_KEY);
  const fromFile = typeof file === 'string' ? readJson(file, `${CONFIG_FILE_CONTEXT_KEY} ${file}`) : {};
  const context = tryGetContext(CONFIG_CONTEXT_KEY);
  const fromContext = typeof context === 'string' ? parseJson(context, `context ${CONFIG_CONTEXT_KEY}`) : context;
  return parseAppConfig(mergeDeep(fromFile, fromContext ?? {}));
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppConfigError(`${what}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseJson(text, what);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppConfigError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else in `over` replaces what is in `base`. */
export function mergeDeep(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = mergeDeep(base[key], value);
  return merged;
}
