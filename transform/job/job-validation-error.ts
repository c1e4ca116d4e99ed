import { InvalidArgumentError } from '../../container/errors';

/**
 * One violation: the field by its CreateTransformJob path (`TransformInput.SplitType`), and what is wrong with it.
 * `flag` is the CLI flag that sets the field, when the options came from flags.
 */
export interface FieldProblem {
  path: string;
  message: string;
  flag?: string;
}

function label({ path, flag }: FieldProblem): string {
  if (flag === undefined || flag === path) return path;
  return `${flag} (${path})`;
}

/**
 * Every way a transform job's options break the API's rules, reported together so one edit fixes them all. The
 * message lists one problem per line; `problems` keeps them apart for callers that want them one by one.
 */
export class TransformJobValidationError extends InvalidArgumentError {
  override name = 'TransformJobValidationError';

  constructor(readonly problems: readonly FieldProblem[]) {
    super(
      `invalid transform job (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${label(problem)}: ${problem.message}`).join('\n'),
    );
  }
}
