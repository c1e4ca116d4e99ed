import type { LoadedModel } from '../engine/engine';
import { parsePredictRequest } from './predict-request';
import { formatPredictResponse } from './predict-response';

/** One TensorFlow Serving REST predict call: request body → response body, both TFS JSON. */
export async function predict(model: LoadedModel, body: Uint8Array): Promise<string> {
  const request = parsePredictRequest(body, model.signatures);
  const outputs = await model.run(request.signatureName, request.inputs);
  return formatPredictResponse(outputs, request.format);
}
