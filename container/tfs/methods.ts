import type { LoadedModel } from '../engine/engine';
import { InvalidArgumentError } from '../errors';
import { formatClassifyResponse, formatRegressResponse, parseExamplesRequest, type ExampleMethod } from './classify-regress';
import { readFloatPredictRequest } from './float-predict-request';
import { DecodedPredictRequest, parsePredictRequest } from './predict-request';
import { formatPredictResponse } from './predict-response';

export const TFS_METHODS = ['predict', 'classify', 'regress'] as const;
export type TfsMethod = (typeof TFS_METHODS)[number];

export function isTfsMethod(value: string): value is TfsMethod {
  return (TFS_METHODS as readonly string[]).includes(value);
}

/**
 * One TensorFlow Serving REST call — predict, classify or regress — on a loaded model: request body (TFS JSON, or a
 * predict request tfserve has decoded already) → response body (TFS JSON). Errors are TfserveErrors carrying
 * TF Serving's message and status.
 */
export async function runTfsMethod(
  model: LoadedModel,
  method: TfsMethod,
  request: Uint8Array | DecodedPredictRequest,
  signal?: AbortSignal,
): Promise<string> {
  if (request instanceof DecodedPredictRequest) {
    return formatPredictResponse(await model.run(request.signatureName, request.inputs, { signal }), request.format);
  }
  if (method === 'predict') {
    const parsed = readFloatPredictRequest(request, model.signatures) ?? parsePredictRequest(request, model.signatures);
    const outputs = await model.run(parsed.signatureName, parsed.inputs, { signal });
    return formatPredictResponse(outputs, parsed.format);
  }
  return runExamples(model, method, request, signal);
}

async function runExamples(model: LoadedModel, method: ExampleMethod, request: Uint8Array, signal?: AbortSignal): Promise<string> {
  const { signature, inputKey, examples } = parseExamplesRequest(request, model.signatures, method);
  const batch = examples.length;
  const outputs = await model.run(signature.key, { [inputKey]: { dtype: 'string', shape: [batch], values: examples } }, { signal });
  if (method === 'classify') return formatClassifyResponse(outputs, signature, batch);
  const spec = signature.outputs.outputs;
  if (!outputs.outputs) throw new InvalidArgumentError(`No regression outputs found in SignatureDef: ${signature.key}`);
  return formatRegressResponse(outputs, batch, spec.tfDtype);
}
