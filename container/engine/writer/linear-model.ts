import { makeTensor } from '../../formats/tensor';
import { attr, GraphBuilder } from './graph-builder';
import {
  CLASSIFY_METHOD,
  PREDICT_METHOD,
  REGRESS_METHOD,
  type SavedModelSpec,
  type SignatureSpec,
  type TensorInfoSpec,
  writeSavedModel,
} from './saved-model-writer';

/**
 * TensorFlow Serving's test model family (saved_model_half_plus_two.py): y = a·x + b, y2 = a·x + c, y3 = a·x2 + c,
 * with x and x2 parsed from serialized tf.Examples (`x` required, `x2` defaulting to 0) and fed directly by predict.
 * As in TensorFlow's own exports, `x` and `x2` are Identities of the ParseExample outputs, not placeholders.
 */
export interface LinearModelOptions {
  a: number;
  b: number;
  c: number;
}

export const HALF_PLUS_THREE: LinearModelOptions = { a: 0.5, b: 3, c: 3 };
export const HALF_PLUS_TWO: LinearModelOptions = { a: 0.5, b: 2, c: 3 };

const scalar = (value: number) => makeTensor('float32', [], Float32Array.of(value));
const float = (name: string): TensorInfoSpec => ({ name, dtype: 'float32' });
const examples: TensorInfoSpec = { name: 'tf_example:0', dtype: 'string' };

function signature(methodName: string, input: TensorInfoSpec, outputKey: string, output: string): SignatureSpec {
  const inputKey = methodName === PREDICT_METHOD ? 'x' : 'inputs';
  return { methodName, inputs: { [inputKey]: input }, outputs: { [outputKey]: float(output) } };
}

/**
 * The signatures of both upstream variants: half_plus_three's `serving_default` and `tensorflow/serving/*` keys
 * and half_plus_two_2_versions' `*_x_to_y*` keys. Shapes are left unknown, as half_plus_three declares them.
 */
const signatures: Record<string, SignatureSpec> = {
  serving_default: { methodName: PREDICT_METHOD, inputs: { x: float('x:0') }, outputs: { y: float('y:0') } },
  'tensorflow/serving/classify': signature(CLASSIFY_METHOD, examples, 'scores', 'y:0'),
  'tensorflow/serving/regress': signature(REGRESS_METHOD, examples, 'outputs', 'y:0'),
  classify_x_to_y: signature(CLASSIFY_METHOD, examples, 'scores', 'y:0'),
  regress_x_to_y: signature(REGRESS_METHOD, examples, 'outputs', 'y:0'),
  regress_x_to_y2: signature(REGRESS_METHOD, examples, 'outputs', 'y2:0'),
  classify_x2_to_y3: signature(CLASSIFY_METHOD, float('x2:0'), 'scores', 'y3:0'),
  regress_x2_to_y3: signature(REGRESS_METHOD, float('x2:0'), 'outputs', 'y3:0'),
};

/** `tf.io.parse_example(tf_example, {x: FixedLenFeature([1], float), x2: FixedLenFeature([1], float, 0)})`. */
function parseExamples(g: GraphBuilder): { x: string; x2: string } {
  const serialized = g.placeholder('tf_example', 'string');
  const required = g.constant('ParseExample/Const', makeTensor('float32', [0], new Float32Array(0)));
  const zero = g.constant('ParseExample/Const_1', makeTensor('float32', [1], Float32Array.of(0)));
  const names = g.constant('ParseExample/ParseExample/names', makeTensor('string', [0], []));
  const key = (i: number, feature: string) =>
    g.constant(`ParseExample/ParseExample/dense_keys_${i}`, makeTensor('string', [], [new TextEncoder().encode(feature)]));
  const keys = [key(0, 'x'), key(1, 'x2')];
  const parse = g.add('ParseExample/ParseExample', 'ParseExample', [serialized, names, ...keys, required, zero], {
    Ndense: attr.int(2),
    Nsparse: attr.int(0),
    Tdense: attr.types(['float32', 'float32']),
    dense_shapes: attr.shapes([[1], [1]]),
    sparse_types: attr.types([]),
  });
  return { x: g.identity('x', parse, 'float32'), x2: g.identity('x2', `${parse}:1`, 'float32') };
}

export function linearModel(options: LinearModelOptions = HALF_PLUS_THREE): SavedModelSpec {
  const g = new GraphBuilder();
  const a = g.variable('a', scalar(options.a));
  const b = g.variable('b', scalar(options.b));
  const c = g.variable('c', scalar(options.c));
  const { x, x2 } = parseExamples(g);
  const T = { T: attr.type('float32') };
  g.add('y', 'Add', [g.add('Mul', 'Mul', [a, x], T), b], T);
  g.add('y2', 'Add', [g.add('Mul_1', 'Mul', [a, x], T), c], T);
  g.add('y3', 'Add', [g.add('Mul_2', 'Mul', [a, x2], T), c], T);
  return { graph: g, signatures };
}

export function writeLinearModel(dir: string, options: LinearModelOptions = HALF_PLUS_THREE): void {
  writeSavedModel(dir, linearModel(options));
}
