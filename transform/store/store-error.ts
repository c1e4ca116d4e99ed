/**
 * What went wrong with an input or output location, named so a job can fail before any work starts: a URI that is
 * not one, a bucket or directory that does not exist, a manifest that does not parse, an output inside the input.
 */
export type StoreProblem = 'bad uri' | 'not found' | 'access denied' | 'bad manifest' | 'bad key' | 'overlap' | 'writer closed';

export class ObjectStoreError extends Error {
  override name = 'ObjectStoreError';

  constructor(
    readonly problem: StoreProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
