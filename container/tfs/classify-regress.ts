import type { SignatureInfo, TensorSpec } from '../engine/engine';
import { DEFAULT_SIGNATURE } from '../engine/engine';
import { InvalidArgumentError } from '../errors';
import { encodeExample, type Example } from '../formats/example';
import type { NamedTensors, Tensor } from '../formats/tensor';
import { exampleFromJson } from './example-json';
import { formatFloat32 } from './float-format';
import { isJsonObject, parseJson } from './json-parse';
import { jsonValueToText } from './json-text';
import { requestedSignatureName } from './predict-request';

/**
 * TensorFlow Serving's Classify and Regress over REST (json_tensor.cc FillClassifyRegressRequestFromJson,
 * classifier.cc, regressor.cc): `{"signature_name"?, "context"?, "examples": [...]}` → one batch of serialized
 * tf.Examples fed to the signature's `inputs` tensor → `{"results": ...}`. As in current TF Serving, a signature's
 * method_name is not checked (tf.saved_model.save writes `predict` even on classify and regress signatures); its
 * inputs and outputs are.
 */
export type ExampleMethod = 'classify' | 'regress';

export interface ExamplesRequest {
  signature: SignatureInfo;
  /** The signature input that takes the serialized examples (always `inputs`). */
  inputKey: string;
  examples: Uint8Array[];
}

export function parseExamplesRequest(body: Uint8Array, signatures: Record<string, SignatureInfo>, method: ExampleMethod): ExamplesRequest {
  const doc = parseJson(body);
  if (doc === null || !isJsonObject(doc)) throw new InvalidArgumentError(`JSON Value: ${jsonValueToText(doc)} Is not object`);
  const name = requestedSignatureName(doc) || DEFAULT_SIGNATURE;
  const signature = Object.hasOwn(signatures, name) ? signatures[name] : undefined;
  if (!signature) throw new InvalidArgumentError(`No signature was found with the name: ${name}`);
  checkSignature(signature, method);

  const docError = (problem: string) => new InvalidArgumentError(`JSON Value: ${jsonValueToText(doc)} ${problem}`);
  const contextJson = doc.get('context');
  const context = contextJson === undefined ? {} : exampleFromJson(contextJson, 'context');
  const list = doc.get('examples');
  if (list === undefined) throw docError(`When method is ${method}, key 'examples' is expected and was not found`);
  if (!Array.isArray(list)) throw docError("Expecting 'examples' value to be an list/array");
  if (list.length === 0) throw docError("'examples' value is an empty array");
  // TF Serving merges the context into every example; an example's own feature wins over the context's.
  const examples = list.map((json, index): Example => ({ ...context, ...exampleFromJson(json, index) }));
  return { signature, inputKey: 'inputs', examples: examples.map(encodeExample) };
}

function checkSignature(signature: SignatureInfo, method: ExampleMethod): void {
  const inputs = Object.keys(signature.inputs);
  const outputs = Object.keys(signature.outputs);
  const noun = method === 'classify' ? 'classification' : 'regression';
  if (inputs.length !== 1) throw new InvalidArgumentError('Expected one input Tensor.');
  if (!signature.inputs.inputs) throw new InvalidArgumentError(`No ${noun} inputs found in SignatureDef: ${signature.key}`);
  if (method === 'regress') {
    if (outputs.length !== 1) throw new InvalidArgumentError('Expected one output Tensor.');
    if (!signature.outputs.outputs) throw new InvalidArgumentError(`No regression outputs found in SignatureDef: ${signature.key}`);
    return;
  }
  if (outputs.length !== 1 && outputs.length !== 2) {
    throw new InvalidArgumentError(`Expected one or two output Tensors, found ${outputs.length}`);
  }
  if (!signature.outputs.classes && !signature.outputs.scores) {
    throw new InvalidArgumentError(
      `Expected classification signature outputs to contain at least one of "classes" or "scores". Signature was: ${signature.key}`,
    );
  }
}

const shapeText = (t: Tensor) => `[${t.shape.join(',')}]`;

function checkOutput(name: string, tensor: Tensor | undefined, spec: TensorSpec | undefined, expected: 'DT_STRING' | 'DT_FLOAT', batch: number): void {
  if (!tensor || !spec) return;
  if (tensor.dtype !== (expected === 'DT_STRING' ? 'string' : 'float32')) {
    throw new InvalidArgumentError(`Expected ${name} Tensor of ${expected}. Got: ${spec.tfDtype}`);
  }
  if (tensor.shape.length !== 2) throw new InvalidArgumentError(`Expected Tensor shape: [batch_size num_classes] but got ${shapeText(tensor)}`);
  if (tensor.shape[0] !== batch) throw new InvalidArgumentError(`Expected ${name} output batch size of ${batch}. Got: ${tensor.shape[0]}`);
}

/** `{"results": [[["label", score], …], …]}`: one list of classes per example; a missing tensor gives "" or 0. */
export function formatClassifyResponse(outputs: NamedTensors, signature: SignatureInfo, batch: number): string {
  const classes = outputs.classes as Tensor<'string'> | undefined;
  const scores = outputs.scores as Tensor<'float32'> | undefined;
  checkOutput('classes', classes, signature.outputs.classes, 'DT_STRING', batch);
  checkOutput('scores', scores, signature.outputs.scores, 'DT_FLOAT', batch);
  if (classes && scores && classes.shape[1] !== scores.shape[1]) {
    throw new InvalidArgumentError(`Tensors class and score should match in dim_size(1). Got ${classes.shape[1]} vs. ${scores.shape[1]}`);
  }
  const numClasses = (classes ?? scores)?.shape[1] ?? 0;
  const labels = new TextDecoder();
  const rows: string[] = [];
  for (let i = 0; i < batch; i++) {
    const pairs: string[] = [];
    for (let c = 0; c < numClasses; c++) {
      const label = classes ? labels.decode(classes.values[i * numClasses + c]) : '';
      const score = scores ? scores.values[i * numClasses + c] : 0;
      pairs.push(`[${JSON.stringify(label)},${formatFloat32(score)}]`);
    }
    rows.push(`[${pairs.join(',')}]`);
  }
  return `{"results":[${rows.join(',')}]}`;
}

/** `{"results": [v, …]}`: one float per example, from an output of shape [batch] or [batch, 1]. */
export function formatRegressResponse(outputs: NamedTensors, batch: number, tfDtype: string): string {
  const values = outputs.outputs;
  if (values.dtype !== 'float32') throw new InvalidArgumentError(`Expected output Tensor of DT_FLOAT.  Got: ${tfDtype}`);
  const { shape } = values;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    throw new InvalidArgumentError(`Expected output Tensor shape to be either [batch_size] or [batch_size, 1] but got ${shapeText(values)}`);
  }
  if (shape[0] !== batch) throw new InvalidArgumentError(`Input batch size did not match output batch size: ${batch} vs. ${shape[0]}`);
  return `{"results":[${Array.from(values.values as Float32Array, formatFloat32).join(',')}]}`;
}
