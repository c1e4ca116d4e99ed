import { InvalidArgumentError } from '../../container/errors';

/**
 * A JSONPath that does not parse, or does not fit the record it is applied to. `offset` is the 0-based character in
 * `path` where the problem starts, so a message can point at it.
 */
export class JsonPathError extends InvalidArgumentError {
  override name = 'JsonPathError';

  constructor(
    readonly path: string,
    readonly offset: number,
    problem: string,
  ) {
    super(`JSONPath ${JSON.stringify(path)} at offset ${offset}: ${problem}`);
  }
}

/**
 * A record that DataProcessing cannot work on: not UTF-8, not JSON or CSV as its content type says, a filter that
 * does not fit it, or an input and a response that do not pair up. The runner adds which object and record.
 */
export class DataProcessingError extends InvalidArgumentError {
  override name = 'DataProcessingError';
}
