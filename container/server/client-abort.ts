import type { ServerResponse } from 'node:http';

/**
 * A signal that aborts when the client goes away before its answer is written, so queued inference for it is
 * dropped. A connection closing after the answer was sent aborts nothing.
 */
export function abortOnClientClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
