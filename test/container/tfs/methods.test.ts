import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoadedModel } from '../../../container/engine/engine';
import { PureEngine } from '../../../container/engine/pure-engine';
import { writeLinearModel } from '../../../container/engine/writer/linear-model';
import { InvalidArgumentError } from '../../../container/errors';
import { runTfsMethod, type TfsMethod } from '../../../container/tfs/methods';
import { describeWithFixtures, fixture } from '../../support/fixtures';

const engine = new PureEngine();
const call = (model: LoadedModel, method: TfsMethod, body: string) => runTfsMethod(model, method, new TextEncoder().encode(body));

describe('runTfsMethod on the generated half_plus_three', () => {
  let dir: string;
  let model: LoadedModel;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-methods-'));
    writeLinearModel(dir);
    model = await engine.load(dir);
  });
  afterAll(() => {
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['predict', '{"instances": [1.0, 2.0, 5.0]}', '{"predictions":[3.5,4.0,5.5]}'],
    ['regress', '{"signature_name": "tensorflow/serving/regress", "examples": [{"x": 1.0}, {"x": 2.0}]}', '{"results":[3.5,4.0]}'],
    ['regress', '{"signature_name": "tensorflow/serving/regress", "examples": [{"x": 1.0}]}', '{"results":[3.5]}'],
    ['classify', '{"signature_name": "tensorflow/serving/classify", "examples": [{"x": 1.0}, {"x": 5.0}]}', '{"results":[[["",3.5]],[["",5.5]]]}'],
    ['regress', '{"signature_name": "regress_x_to_y2", "context": {"x": 2.0}, "examples": [{}, {"x": 1.0}]}', '{"results":[4.0,3.5]}'],
  ] as const)('%s %s', async (method, body, expected) => {
    expect(await call(model, method, body)).toBe(expected);
  });

  test.each([
    ['regress', '{"signature_name": "tensorflow/serving/regress"}', "When method is regress, key 'examples' is expected and was not found"],
    ['classify', '{"signature_name": "tensorflow/serving/classify", "examples": []}', "'examples' value is an empty array"],
    ['classify', '{"signature_name": "tensorflow/serving/classify", "examples": {}}', "Expecting 'examples' value to be an list/array"],
    ['regress', '{"signature_name": "nope", "examples": [{"x": 1.0}]}', 'No signature was found with the name: nope'],
    ['classify', '{"examples": [{"x": 1.0}]}', 'No classification inputs found in SignatureDef: serving_default'],
    ['regress', '{"signature_name": "tensorflow/serving/regress", "examples": [{"x": null}]}', 'Example 0: Feature: x has element with unexpected JSON type: Null'],
    ['regress', '{"signature_name": "tensorflow/serving/regress", "examples": [{"z": 1.0}]}', 'Feature: x (data type: float) is required but could not be found.'],
  ] as const)('%s %s → 400 naming the problem', async (method, body, message) => {
    await expect(call(model, method, body)).rejects.toThrow(InvalidArgumentError);
    await expect(call(model, method, body)).rejects.toThrow(message);
  });
});

describeWithFixtures('runTfsMethod on TensorFlow-written models', () => {
  test('half_plus_three regress, as in the SageMaker container tests', async () => {
    const model = await engine.load(fixture('half_plus_three'));
    const body = '{"signature_name": "tensorflow/serving/regress", "examples": [{"x": 1.0}, {"x": 2.0}]}';
    expect(await call(model, 'regress', body)).toBe('{"results":[3.5,4.0]}');
    model.dispose();
  });

  test('half_plus_two_tf2 classify and regress on predict-method signatures (TF Serving testClassifyTf2, testRegressTf2)', async () => {
    const model = await engine.load(fixture('half_plus_two_tf2'));
    expect(await call(model, 'classify', '{"signature_name": "classify_x_to_y", "examples": [{"x": 2.0}]}')).toBe('{"results":[[["",3.0]]]}');
    expect(await call(model, 'regress', '{"signature_name": "regress_x_to_y", "examples": [{"x": 2.0}]}')).toBe('{"results":[3.0]}');
    model.dispose();
  });
});
