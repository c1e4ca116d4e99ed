import { randomBytes } from 'node:crypto';

/**
 * SageMaker resource names (TransformJobName, ModelName): 1–63 characters matching `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
 * i.e. letters, digits and hyphens, starting and ending with a letter or digit. Job names are unique per account and
 * region forever (a finished job's name cannot be reused), so a generated name carries a timestamp and random hex.
 */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const SAGEMAKER_NAME_MAX_LENGTH = 63;

/** What a generated name needs beyond its base: the clock and a little entropy, injected so naming stays pure. */
export interface JobNaming {
  now(): Date;
  /** Lower-case hex, at least 4 characters. */
  randomHex(): string;
}

export const systemJobNaming: JobNaming = {
  now: () => new Date(),
  randomHex: () => randomBytes(2).toString('hex'),
};

/** Why `name` is not a valid SageMaker name, or undefined when it is. */
export function sageMakerNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > SAGEMAKER_NAME_MAX_LENGTH) {
    return `is ${name.length} characters long; SageMaker allows at most ${SAGEMAKER_NAME_MAX_LENGTH}`;
  }
  if (!SAGEMAKER_NAME_PATTERN.test(name)) {
    return 'may hold only letters, digits and hyphens, and must start and end with a letter or digit';
  }
  return undefined;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `20261122-093005`, in UTC so that names sort the same wherever they were made. */
function compactTimestamp(date: Date): string {
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/**
 * `<base>-<yyyymmdd>-<hhmmss>-<4 hex>`, at most 63 characters: the base (usually the model name) is cleaned to the
 * allowed characters and cut so the unique tail always fits. Two runs in the same second differ by the hex.
 */
export function generateTransformJobName(base: string, naming: JobNaming): string {
  const tail = `${compactTimestamp(naming.now())}-${naming.randomHex().slice(0, 4)}`;
  const room = SAGEMAKER_NAME_MAX_LENGTH - tail.length - 1;
  const cleaned = base
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return `${cleaned || 'tfserve'}-${tail}`;
}
