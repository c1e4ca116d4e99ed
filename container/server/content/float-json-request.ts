import type { SignatureInfo } from '../../engine/engine';
import { floatInstances, readFloatPredictRequest } from '../../tfs/float-predict-request';
import { isJsonSpace, skipSpace } from '../../tfs/json-parse';
import { readNumberNest, type NumberNest } from '../../tfs/number-nest';
import type { DecodedPredictRequest } from '../../tfs/predict-request';

/**
 * The fast path of JSON and JSON Lines predict bodies (tfs/float-predict-request.ts): numbers for a float input,
 * decoded from the bytes straight into its tensor, classified as json-request.ts classifies them — a TF Serving
 * request object, a list of lists (the instances), a list of numbers (one instance), or one list per line. Anything
 * else is undefined, and json-request.ts decides.
 */

const NEWLINE = 0x0a;
const OPEN_BRACKET = 0x5b;

/** `application/json`: the whole body is one document. */
export function decodeFloatJson(body: Uint8Array, signatures: Record<string, SignatureInfo>): DecodedPredictRequest | undefined {
  const start = skipSpace(body, 0);
  if (body[start] !== OPEN_BRACKET) return readFloatPredictRequest(body, signatures);
  const nest = readNumberNest(body, start);
  if (nest === undefined || skipSpace(body, nest.end) !== body.length) return undefined;
  return floatInstances([nest], nest.shape.length === 1 ? [1, ...nest.shape] : nest.shape, signatures);
}

/** The JSON Lines types: a single line is read as a JSON body; several lines are one instance each. */
export function decodeFloatJsonLines(body: Uint8Array, signatures: Record<string, SignatureInfo>): DecodedPredictRequest | undefined {
  const lines = nonBlankLines(body);
  if (lines.length === 1) return decodeFloatJson(body, signatures);
  const nests: NumberNest[] = [];
  for (const line of lines) {
    const nest = readNumberNest(body, line.start);
    if (nest === undefined || nest.end !== line.end) return undefined;
    if (nests.length > 0 && nest.shape.join() !== nests[0].shape.join()) return undefined;
    nests.push(nest);
  }
  return nests.length === 0 ? undefined : floatInstances(nests, [nests.length, ...nests[0].shape], signatures);
}

/** Each line's span without the JSON whitespace around it; lines of nothing else are left out. */
function nonBlankLines(body: Uint8Array): { start: number; end: number }[] {
  const lines = [];
  for (let lineStart = 0; lineStart < body.length; ) {
    const newline = body.indexOf(NEWLINE, lineStart);
    const lineEnd = newline < 0 ? body.length : newline;
    const start = skipSpace(body.subarray(0, lineEnd), lineStart);
    let end = lineEnd;
    while (end > start && isJsonSpace(body[end - 1])) end--;
    if (start < end) lines.push({ start, end });
    lineStart = lineEnd + 1;
  }
  return lines;
}
