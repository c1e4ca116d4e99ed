import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInspect } from '../../bin/commands/inspect';
import { FakeModel } from '../container/server/fake-model';
import { describeWithFixtures, fixture, fixturesRoot } from '../support/fixtures';

const FAKE_DESCRIPTION = `Engine: pure

MetaGraphDef with tag-set: 'serve' contains the following SignatureDefs:

signature_def['broken']:
  The given SavedModel SignatureDef contains the following input(s):
    inputs['x'] tensor_info:
        dtype: DT_FLOAT
        shape: ()
        name: x:0
  The given SavedModel SignatureDef contains the following output(s):
    outputs['y'] tensor_info:
        dtype: DT_FLOAT
        shape: ()
        name: y:0
  Method name is: tensorflow/serving/predict

signature_def['serving_default']:
  The given SavedModel SignatureDef contains the following input(s):
    inputs['x'] tensor_info:
        dtype: DT_FLOAT
        shape: (-1, 1)
        name: x:0
  The given SavedModel SignatureDef contains the following output(s):
    outputs['y'] tensor_info:
        dtype: DT_FLOAT
        shape: (-1, 1)
        name: y:0
  Method name is: tensorflow/serving/predict

signature_def['two_inputs']:
  The given SavedModel SignatureDef contains the following input(s):
    inputs['a'] tensor_info:
        dtype: DT_FLOAT
        shape: (-1)
        name: a:0
    inputs['b'] tensor_info:
        dtype: DT_INT64
        shape: (-1)
        name: b:0
  The given SavedModel SignatureDef contains the following output(s):
    outputs['a_doubled'] tensor_info:
        dtype: DT_FLOAT
        shape: (-1)
        name: mul:0
    outputs['b_next'] tensor_info:
        dtype: DT_INT64
        shape: unknown_rank
        name: add:0
  Method name is: tensorflow/serving/predict
  Note: input b: int64 is computed as int32 by tfjs; values outside [-2^31, 2^31-1] are rejected
  Note: output b_next: int64 is computed as int32 by tfjs; results beyond the int32 range overflow inside tfjs
`;

describe('runInspect', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-inspect-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function savedModel(...parts: string[]): string {
    const dir = path.join(root, ...parts);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'saved_model.pb'), '');
    return dir;
  }

  it('prints a SavedModel directory like saved_model_cli show --all, and disposes the model', async () => {
    const dir = savedModel('plain');
    const model = new FakeModel();
    let output = '';
    await runInspect(dir, (text) => (output += text), async () => model);
    expect(output).toBe(`SavedModel: ${dir}\n${FAKE_DESCRIPTION}`);
    expect(model.disposed).toBe(true);
  });

  it('prints the default version of each model under a models root', async () => {
    savedModel('b', '1');
    savedModel('b', '10');
    savedModel('a', '3');
    const loadedDirs: string[] = [];
    let output = '';
    await runInspect(root, (text) => (output += text), async (dir) => {
      loadedDirs.push(dir);
      return new FakeModel();
    });
    expect(loadedDirs).toEqual([path.join(root, 'a', '3'), path.join(root, 'b', '10')]);
    expect(output).toBe(
      `Model: a, version 3 (${path.join(root, 'a', '3')})\n${FAKE_DESCRIPTION}\n` +
        `Model: b, version 10 (${path.join(root, 'b', '10')})\n${FAKE_DESCRIPTION}`,
    );
  });

  it('names the directory when it holds no model', async () => {
    await expect(runInspect(root, () => undefined)).rejects.toThrow(`no SavedModel bundles found under ${root}`);
  });
});

describeWithFixtures('runInspect on a TensorFlow-written SavedModel', () => {
  it('lists half_plus_three’s signatures with the engine that loaded it', async () => {
    let output = '';
    await runInspect(path.join(fixturesRoot, 'half_plus_three'), (text) => (output += text));
    expect(output).toContain(`Model: half_plus_three, version 124 (${fixture('half_plus_three', '00000124')})\nEngine: `);
    expect(output).toContain(
      "signature_def['serving_default']:\n" +
        '  The given SavedModel SignatureDef contains the following input(s):\n' +
        "    inputs['x'] tensor_info:\n" +
        '        dtype: DT_FLOAT\n' +
        '        shape: unknown_rank\n' +
        '        name: x:0\n',
    );
    expect(output).toContain("signature_def['tensorflow/serving/regress']:");
  });
});

describeWithFixtures('runInspect on every TensorFlow-written fixture', () => {
  const signaturesByModel: Record<string, string[]> = {
    half_plus_three: ['serving_default', 'tensorflow/serving/regress'],
    half_plus_two_tf2: ['classify_x2_to_y3', 'classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default'],
    counter: ['get_counter', 'incr_counter', 'incr_counter_by', 'reset_counter'],
    half_plus_two_2_versions: ['classify_x2_to_y3', 'classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default'],
    half_plus_two_mlmd: ['classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default'],
    times_three_float: ['serving_default'],
    times_two_int: ['serving_default'],
    module_with_multiple_signatures: ['serving_default', 'timestwo'],
    model_multi_output: ['serving_default'],
    model_single_input_multi_output: ['serving_default'],
    int64_multiply: ['serving_default'],
  };

  it.each(Object.entries(signaturesByModel))('%s lists exactly its signatures', async (model, signatures) => {
    let output = '';
    await runInspect(fixture(model), (text) => (output += text));
    const listed = [...output.matchAll(/^signature_def\['(.+)'\]:$/gm)].map((m) => m[1]);
    expect(listed).toEqual(signatures);
  });

  it('prints int64_multiply’s int64 tensors with their shapes', async () => {
    let output = '';
    await runInspect(fixture('int64_multiply'), (text) => (output += text));
    expect(output).toContain("    inputs['x'] tensor_info:\n        dtype: DT_INT64\n        shape: (2)\n        name: serving_default_x:0\n");
  });
});

describeWithFixtures('runInspect says where tfjs computes a dtype in a narrower one', () => {
  it('int64_multiply: int64 in and out', async () => {
    let output = '';
    await runInspect(fixture('int64_multiply'), (text) => (output += text));
    expect(output).toContain('  Method name is: tensorflow/serving/predict\n  Note: input x: int64 is computed as int32 by tfjs');
    expect(output).toContain('  Note: output output_0: int64 is computed as int32 by tfjs');
  });
});
