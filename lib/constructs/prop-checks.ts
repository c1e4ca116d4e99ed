import { Token } from 'aws-cdk-lib';

/**
 * Props validation shared by the constructs: each check returns a message or undefined, so that a construct can
 * collect every problem with its props and report them in one Error instead of making the user fix them one by one.
 * Values that are CDK tokens are only known at deploy time and are never judged here.
 */

export type PropProblem = string | undefined;

/** Throws one Error listing every problem, headed by the construct path; does nothing when the list is empty. */
export function throwIfInvalid(constructPath: string, problems: readonly PropProblem[]): void {
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length === 0) return;
  throw new Error(`${constructPath}: invalid props:\n  - ${found.join('\n  - ')}`);
}

/** A whole number in [min, max], or a problem naming the prop. */
export function wholeNumberIn(name: string, value: number | undefined, min: number, max: number): PropProblem {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    return `${name} must be a whole number from ${min} to ${max} (got ${value})`;
  }
  return undefined;
}

/** A string matching `pattern`, or a problem naming the prop and the rule it breaks. */
export function matches(name: string, value: string | undefined, pattern: RegExp, rule: string): PropProblem {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  return pattern.test(value) ? undefined : `${name} ${rule} (got "${value}")`;
}

/** A problem when more than one of the named props is set. */
export function atMostOne(props: Record<string, unknown>): PropProblem {
  const set = Object.keys(props).filter((key) => props[key] !== undefined);
  return set.length > 1 ? `${set.join(' and ')} are mutually exclusive; set only one` : undefined;
}

/** SageMaker resource names (endpoints, variants, transform jobs): alphanumerics and single-run hyphens. */
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** A SageMaker name of at most `maxLength` characters, or a problem naming the prop. */
export function sagemakerName(name: string, value: string | undefined, maxLength = 63): PropProblem {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  if (SAGEMAKER_NAME.test(value) && value.length <= maxLength) return undefined;
  return `${name} must be 1-${maxLength} letters, digits and hyphens, starting and ending with a letter or digit (got "${value}")`;
}

/** `ml.` instance types, as SageMaker spells them (ml.m5.large, ml.g4dn.xlarge). */
export const ML_INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
export const ML_INSTANCE_TYPE_RULE = 'must be a SageMaker instance type such as ml.m5.large';
