import { TransformInstanceType } from '@aws-sdk/client-sagemaker';

/**
 * Batch Transform instance types as the installed SDK knows them (its TransformInstanceType enum), so a typo is caught
 * before a job is created rather than by a ValidationException after the request.
 */
export const KNOWN_INSTANCE_TYPES: readonly string[] = Object.values(TransformInstanceType);

export function isTransformInstanceType(value: string): value is TransformInstanceType {
  return KNOWN_INSTANCE_TYPES.includes(value);
}

/** What is wrong with an unknown type, listing its family's sizes (`ml.p3.2xlrge` → the `ml.p3.*` types) as likely intents. */
export function instanceTypeProblem(instanceType: string): string {
  const family = `${instanceType.split('.').slice(0, 2).join('.')}.`;
  const sameFamily = KNOWN_INSTANCE_TYPES.filter((known) => known.startsWith(family));
  const examples = sameFamily.length > 0 ? sameFamily.join(', ') : 'ml.m5.xlarge, ml.c5.2xlarge, ml.g4dn.xlarge, ml.p3.2xlarge';
  return `is not a Batch Transform instance type; for example ${examples}`;
}
