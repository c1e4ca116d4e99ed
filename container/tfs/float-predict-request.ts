import { DEFAULT_SIGNATURE, type SignatureInfo } from '../engine/engine';
import type { Tensor } from '../formats/tensor';
import { FLOAT32_MAX } from './float-format';
import { skipSpace } from './json-parse';
import { EXACT_INTEGER_LIMITS } from './json-to-tensor';
import { readNumberNest, type NumberNest } from './number-nest';
import { DecodedPredictRequest, type PredictFormat } from './predict-request';

/**
 * The fast path of predict requests (number-nest.ts): a body of numbers for a signature whose one input is float or
 * double, read straight into its tensor. Every function here answers undefined where the general path
 * (predict-request.ts) must decide — any other shape of body, dtype or signature, and every error — so the two
 * always agree; test/container/tfs/float-predict-request.test.ts checks that they do.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

/** A TF Serving request object `{"instances" | "inputs": <numbers>, "signature_name"?: "…"}`, the whole body. */
export function readFloatPredictRequest(body: Uint8Array, signatures: Record<string, SignatureInfo>): DecodedPredictRequest | undefined {
  let i = skipSpace(body, 0);
  if (body[i] !== OPEN_BRACE) return undefined;
  i++;
  let nest: NumberNest | undefined;
  let format: PredictFormat = 'row';
  let signatureName: string | undefined;
  for (;;) {
    const key = readPlainString(body, skipSpace(body, i));
    if (key === undefined) return undefined;
    i = skipSpace(body, key.end);
    if (body[i] !== COLON) return undefined;
    i = skipSpace(body, i + 1);
    if ((key.text === 'instances' || key.text === 'inputs') && nest === undefined) {
      nest = readNumberNest(body, i);
      if (nest === undefined) return undefined;
      format = key.text === 'instances' ? 'row' : 'columnar';
      i = nest.end;
    } else if (key.text === 'signature_name' && signatureName === undefined) {
      const value = readPlainString(body, i);
      if (value === undefined) return undefined;
      signatureName = value.text;
      i = value.end;
    } else {
      return undefined;
    }
    i = skipSpace(body, i);
    if (body[i] === CLOSE_BRACE) break;
    if (body[i] !== COMMA) return undefined;
    i++;
  }
  if (nest === undefined || skipSpace(body, i + 1) !== body.length) return undefined;
  return floatRequest(nest, nest.shape, format, signatures, signatureName || DEFAULT_SIGNATURE);
}

/**
 * Nests the content layer found on its own (a JSON body that is a list, JSON Lines of lists) as the instances of a
 * row-form request on `serving_default`: `shape` is the batched shape they make together.
 */
export function floatInstances(nests: NumberNest[], shape: number[], signatures: Record<string, SignatureInfo>): DecodedPredictRequest | undefined {
  return floatRequest(concatNests(nests), shape, 'row', signatures, DEFAULT_SIGNATURE);
}

function floatRequest(
  nest: Pick<NumberNest, 'values' | 'maxIntegerLiteral' | 'maxOtherLiteral'>,
  shape: number[],
  format: PredictFormat,
  signatures: Record<string, SignatureInfo>,
  signatureName: string,
): DecodedPredictRequest | undefined {
  const signature = Object.hasOwn(signatures, signatureName) ? signatures[signatureName] : undefined;
  const inputs = signature && Object.entries(signature.inputs);
  if (!signature || inputs?.length !== 1) return undefined;
  const [[name, { dtype }]] = inputs;
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  if (nest.maxIntegerLiteral > Number(EXACT_INTEGER_LIMITS[dtype])) return undefined;
  if (dtype === 'float32' && nest.maxOtherLiteral > FLOAT32_MAX) return undefined;
  const tensor: Tensor = dtype === 'float32' ? { dtype, shape, values: new Float32Array(nest.values) } : { dtype, shape, values: nest.values };
  return new DecodedPredictRequest(signature.key, format, { [name]: tensor });
}

function concatNests(nests: NumberNest[]): Pick<NumberNest, 'values' | 'maxIntegerLiteral' | 'maxOtherLiteral'> {
  if (nests.length === 1) return nests[0];
  const values = new Float64Array(nests.reduce((total, nest) => total + nest.values.length, 0));
  let offset = 0;
  for (const nest of nests) {
    values.set(nest.values, offset);
    offset += nest.values.length;
  }
  return {
    values,
    maxIntegerLiteral: Math.max(...nests.map((nest) => nest.maxIntegerLiteral)),
    maxOtherLiteral: Math.max(...nests.map((nest) => nest.maxOtherLiteral)),
  };
}

/** A string of printable ASCII without escapes (member names, signature names); undefined for any other. */
function readPlainString(bytes: Uint8Array, start: number): { text: string; end: number } | undefined {
  if (bytes[start] !== QUOTE) return undefined;
  for (let i = start + 1; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) return { text: Buffer.from(bytes.buffer, bytes.byteOffset + start + 1, i - start - 1).toString('latin1'), end: i + 1 };
    if (c === BACKSLASH || c < 0x20 || c > 0x7e) return undefined;
  }
  return undefined;
}
