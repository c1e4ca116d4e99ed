import type { SignatureInfo, TensorSpec } from '../../container/engine/engine';
import type { DType } from '../../container/formats/tensor';
import { parsePredictRequest, type PredictRequest } from '../../container/tfs/predict-request';

export const tensorSpec = (dtype: DType, shape?: number[]): TensorSpec => ({ name: 'n:0', dtype, tfDtype: 'DT_X', shape });

/** A predict signature with these inputs and one float output `y`. */
export const predictSignature = (key: string, inputs: Record<string, TensorSpec>): SignatureInfo => ({
  key,
  methodName: 'tensorflow/serving/predict',
  inputs,
  outputs: { y: tensorSpec('float32') },
});

/** Signatures with one input `x` of `dtype` (and `shape`) under serving_default and `other`. */
export function oneInputSignatures(dtype: DType, shape?: number[]): Record<string, SignatureInfo> {
  const signature = (key: string) => predictSignature(key, { x: tensorSpec(dtype, shape) });
  return { serving_default: signature('serving_default'), other: signature('other') };
}

/** What the general path makes of a TF Serving request text: the request, or the error it throws. */
export function exactPredict(text: string, signatures: Record<string, SignatureInfo>): PredictRequest | Error {
  try {
    return parsePredictRequest(Buffer.from(text, 'utf8'), signatures);
  } catch (error) {
    return error as Error;
  }
}

/** Plain data to compare with toEqual: -0 and 0 stay apart, NaN equals NaN, the typed array's kind counts. */
export function comparable(request: PredictRequest) {
  return {
    signatureName: request.signatureName,
    format: request.format,
    inputs: Object.fromEntries(
      Object.entries(request.inputs).map(([name, tensor]) => [
        name,
        { dtype: tensor.dtype, shape: tensor.shape, kind: tensor.values.constructor.name, values: Array.from(tensor.values as ArrayLike<unknown>) },
      ]),
    ),
  };
}
