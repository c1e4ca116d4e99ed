import type { SignatureInfo } from '../../container/engine/engine';
import type { DType } from '../../container/formats/tensor';
import { parsePredictRequest, type PredictRequest } from '../../container/tfs/predict-request';

/** Signatures with one input `x` of `dtype` (shape [-1, …] as given) under serving_default and `other`. */
export function oneInputSignatures(dtype: DType, shape?: number[]): Record<string, SignatureInfo> {
  const signature = (key: string): SignatureInfo => ({
    key,
    methodName: 'tensorflow/serving/predict',
    inputs: { x: { name: 'x:0', dtype, tfDtype: 'DT_X', shape } },
    outputs: { y: { name: 'y:0', dtype: 'float32', tfDtype: 'DT_FLOAT' } },
  });
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
