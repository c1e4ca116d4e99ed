import type { LoadedModel } from '../../../container/engine/engine';
import { PureEngine } from '../../../container/engine/pure-engine';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../../container/errors';
import { encodeExample } from '../../../container/formats/example';
import { describeWithFixtures, fixture } from '../../support/fixtures';
import { f32, i32, i64, plain, strings } from '../../support/tensors';

const engine = new PureEngine();
const examples = (feature: string, values: number[]) =>
  strings(values.map((v) => encodeExample({ [feature]: { kind: 'float', values: [v] } })));

describeWithFixtures('pure engine on real TensorFlow SavedModels (../shared/fixtures)', () => {
  const loaded: LoadedModel[] = [];
  const load = async (model: string, version?: string) => {
    const m = await engine.load(fixture(model, version));
    loaded.push(m);
    return m;
  };
  afterAll(() => loaded.forEach((m) => m.dispose()));

  describe('half_plus_three (TF 1.0)', () => {
    test('lists its two signatures, with the DT_FLOAT the regress signature declares', async () => {
      const m = await load('half_plus_three', '00000123');
      expect(Object.keys(m.signatures)).toEqual(['serving_default', 'tensorflow/serving/regress']);
      expect(m.signatures['tensorflow/serving/regress']).toEqual({
        key: 'tensorflow/serving/regress',
        methodName: 'tensorflow/serving/regress',
        inputs: { inputs: { name: 'tf_example:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: undefined } },
        outputs: { outputs: { name: 'Identity:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: undefined } },
      });
      expect(m.tags).toEqual(['serve']);
      expect(m.engine).toBe('pure');
    });

    test('predict [1,2,5] → [3.5,4,5.5]', async () => {
      const m = await load('half_plus_three', '00000124');
      const { y } = await m.run('serving_default', { x: f32([1, 2, 5]) });
      expect(plain(y)).toEqual({ dtype: 'float32', shape: [3], values: [3.5, 4, 5.5] });
    });

    test('regress through serialized tf.Example, fed to a string placeholder the signature calls DT_FLOAT', async () => {
      const m = await load('half_plus_three', '00000123');
      const { outputs } = await m.run('tensorflow/serving/regress', { inputs: examples('x', [1, 2]) });
      expect(plain(outputs)).toEqual({ dtype: 'float32', shape: [2, 1], values: [3.5, 4] });
    });

    test('an input the signature lacks is refused, naming it', async () => {
      const m = await load('half_plus_three', '00000123');
      await expect(m.run('serving_default', { xyz: f32([1]) })).rejects.toThrow(
        new InvalidArgumentError('input tensor alias not found in signature: xyz. Inputs expected to be in the set {x}.'),
      );
      await expect(m.run('nope', {})).rejects.toThrow(NotFoundError);
    });
  });

  describe('half_plus_two_2_versions and half_plus_two_mlmd (TF 1.1, TF 2.1: ParseExample, ParseExampleV2)', () => {
    test.each(['half_plus_two_2_versions', 'half_plus_two_mlmd'])('%s: predict, classify and regress', async (name) => {
      const m = await load(name);
      expect(plain((await m.run('serving_default', { x: f32([1, 2, 5], [3, 1]) })).y).values).toEqual([2.5, 3, 4.5]);
      // Feeding x, an Identity of ParseExample's output, overrides the parse entirely.
      expect(plain((await m.run('classify_x_to_y', { inputs: examples('x', [1, 2, 5]) })).scores).values).toEqual([2.5, 3, 4.5]);
      expect(plain((await m.run('regress_x_to_y', { inputs: examples('x', [1, 2, 5]) })).outputs).values).toEqual([2.5, 3, 4.5]);
      expect(plain((await m.run('regress_x_to_y2', { inputs: examples('x', [1, 2, 5]) })).outputs).values).toEqual([3.5, 4, 5.5]);
      expect(plain((await m.run('regress_x2_to_y3', { inputs: f32([1, 2, 5], [3, 1]) })).outputs).values).toEqual([3.5, 4, 5.5]);
    });
  });

  describe('half_plus_two_tf2 (TF 2.14: nested StatefulPartitionedCall, resource variables)', () => {
    test('predict x=[2] → [3], and with no input the PlaceholderWithDefault value [0] → [2]', async () => {
      const m = await load('half_plus_two_tf2');
      expect(plain((await m.run('serving_default', { x: f32([2]) })).y)).toEqual({ dtype: 'float32', shape: [1], values: [3] });
      expect(plain((await m.run('serving_default', {})).y)).toEqual({ dtype: 'float32', shape: [1], values: [2] });
    });

    test('classify and regress signatures parse tf.Example with ParseExampleV2 inside nested functions', async () => {
      const m = await load('half_plus_two_tf2');
      expect(plain((await m.run('classify_x_to_y', { inputs: examples('x', [2]) })).scores).values).toEqual([3]);
      expect(plain((await m.run('regress_x_to_y', { inputs: examples('x', [2]) })).outputs).values).toEqual([3]);
      expect(plain((await m.run('regress_x_to_y2', { inputs: examples('x', [2]) })).outputs).values).toEqual([4]);
      expect(plain((await m.run('regress_x2_to_y3', { inputs: f32([2]) })).outputs).values).toEqual([4]);
      expect(plain((await m.run('classify_x2_to_y3', { inputs: f32([2]) })).scores).values).toEqual([4]);
    });

    test('the init-op pseudo-signature is not servable', async () => {
      const m = await load('half_plus_two_tf2');
      expect(Object.keys(m.signatures)).not.toContain('__saved_model_init_op');
    });
  });

  describe('tfjs-node test objects (TF 2.0–2.3)', () => {
    test('times_three_float and times_two_int accept rank-1 input for their declared scalars', async () => {
      expect(plain((await (await load('times_three_float')).run('serving_default', { x: f32([1, 2, 3]) })).output_0).values).toEqual([3, 6, 9]);
      const int = (await (await load('times_two_int')).run('serving_default', { x: i32([1, 2, 3]) })).output_0;
      expect(plain(int)).toEqual({ dtype: 'int32', shape: [3], values: [2, 4, 6] });
    });

    test('module_with_multiple_signatures runs each signature', async () => {
      const m = await load('module_with_multiple_signatures');
      expect(plain((await m.run('serving_default', { x: f32([1, 2, 3]) })).output_0).values).toEqual([3, 6, 9]);
      expect(plain((await m.run('timestwo', { x: f32([1, 2, 3]) })).output_0).values).toEqual([2, 4, 6]);
    });

    test('multi-output models', async () => {
      const single = await (await load('model_single_input_multi_output')).run('serving_default', { x: i32([1, 2, 3]) });
      expect([plain(single.output_0).values, plain(single.output_1).values]).toEqual([[2, 4, 6], [1, 2, 3]]);
      const multi = await (await load('model_multi_output')).run('serving_default', { x: i32([1, 2, 3]), y: i32([1, 2, 3]) });
      expect([plain(multi.output_0).values, plain(multi.output_1).values]).toEqual([[2, 4, 6], [1, 2, 3]]);
    });

    test('int64_multiply keeps int64 at the interface: [3,4] → [18,24]', async () => {
      const { output_0 } = await (await load('int64_multiply')).run('serving_default', { x: i64([3n, 4n]) });
      expect(plain(output_0)).toEqual({ dtype: 'int64', shape: [2], values: [18n, 24n] });
    });

    test('int64 values that tfjs would wrap are refused, not corrupted', async () => {
      const m = await load('int64_multiply');
      await expect(m.run('serving_default', { x: i64([2n ** 40n, 1n]) })).rejects.toThrow(/int64|int32|range/);
    });
  });

  describe('counter (stateful TF1 model)', () => {
    test('reading the frozen state works: get_counter → 0', async () => {
      const m = await load('counter');
      expect(plain((await m.run('get_counter', {})).output)).toEqual({ dtype: 'float32', shape: [], values: [0] });
    });

    test.each([
      ['incr_counter', 'AssignAdd', 'incr_counter_op/AssignAdd', {}],
      ['incr_counter_by', 'AssignAdd', 'incr_counter_by_op/AssignAdd', { delta: f32([3], []) }],
      ['reset_counter', 'Assign', 'reset_counter_op/Assign', {}],
    ])('%s fails at call time naming the stateful op', async (signature, op, node, inputs) => {
      const m = await load('counter');
      const call = m.run(signature, inputs);
      await expect(call).rejects.toThrow(FailedPreconditionError);
      await expect(m.run(signature, inputs)).rejects.toThrow(`op ${op}, node '${node}'`);
    });
  });
});
