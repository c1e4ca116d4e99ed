import { makeTensor, type Tensor } from '../../formats/tensor';
import { attr, GraphBuilder } from './graph-builder';
import { mulberry32, uniformFloats } from './prng';
import { PREDICT_METHOD, type SavedModelSpec, writeSavedModel } from './saved-model-writer';

/**
 * A small image classifier with fixed, seeded weights: the SavedModel the parity tests and the engine benchmark
 * run, and which tfjs-layers can rebuild layer for layer (cnn-layers.ts).
 *
 *   images [-1,32,32,3] → Conv2D 3×3×16 SAME + BiasAdd + Relu → MaxPool 2×2 → Conv2D 3×3×32 SAME + BiasAdd
 *   → FusedBatchNormV3 (inference) + Relu → Mean over H,W → MatMul 32×10 + BiasAdd → Softmax = probabilities
 */
export const CNN_ARCHITECTURE = {
  inputShape: [32, 32, 3],
  kernelSize: 3,
  conv1Filters: 16,
  poolSize: 2,
  conv2Filters: 32,
  batchNormEpsilon: 0.001,
  classes: 10,
} as const;

export const CNN_SIGNATURE = { key: 'serving_default', input: 'images', output: 'probabilities' } as const;

/** Weights in TensorFlow layouts: kernels HWIO ([h, w, in, out]), dense [in, out]. */
export interface CnnWeights {
  conv1Kernel: Tensor<'float32'>;
  conv1Bias: Tensor<'float32'>;
  conv2Kernel: Tensor<'float32'>;
  conv2Bias: Tensor<'float32'>;
  bnGamma: Tensor<'float32'>;
  bnBeta: Tensor<'float32'>;
  bnMovingMean: Tensor<'float32'>;
  bnMovingVariance: Tensor<'float32'>;
  denseKernel: Tensor<'float32'>;
  denseBias: Tensor<'float32'>;
}

export const DEFAULT_CNN_SEED = 20240611;

/** Glorot-uniform kernels and small biases and batch-norm statistics, all from one seeded generator. */
export function cnnWeights(seed = DEFAULT_CNN_SEED): CnnWeights {
  const next = mulberry32(seed);
  const { kernelSize: k, inputShape, conv1Filters, conv2Filters, classes } = CNN_ARCHITECTURE;
  const channels = inputShape[2];
  const uniform = (shape: number[], low: number, high: number) =>
    makeTensor('float32', shape, uniformFloats(next, shape.reduce((n, d) => n * d, 1), low, high));
  const glorot = (shape: number[], fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return uniform(shape, -limit, limit);
  };
  return {
    conv1Kernel: glorot([k, k, channels, conv1Filters], k * k * channels, k * k * conv1Filters),
    conv1Bias: uniform([conv1Filters], -0.1, 0.1),
    conv2Kernel: glorot([k, k, conv1Filters, conv2Filters], k * k * conv1Filters, k * k * conv2Filters),
    conv2Bias: uniform([conv2Filters], -0.1, 0.1),
    bnGamma: uniform([conv2Filters], 0.8, 1.2),
    bnBeta: uniform([conv2Filters], -0.1, 0.1),
    bnMovingMean: uniform([conv2Filters], -0.2, 0.2),
    bnMovingVariance: uniform([conv2Filters], 0.5, 1.5),
    denseKernel: glorot([conv2Filters, classes], conv2Filters, classes),
    denseBias: uniform([classes], -0.1, 0.1),
  };
}

/** A seeded batch of images in [0, 1), shape [batch, 32, 32, 3]. */
export function cnnImages(batch: number, seed = 1): Tensor<'float32'> {
  const shape = [batch, ...CNN_ARCHITECTURE.inputShape];
  return makeTensor('float32', shape, uniformFloats(mulberry32(seed), shape.reduce((n, d) => n * d, 1), 0, 1));
}

export function cnnModel(weights: CnnWeights = cnnWeights()): SavedModelSpec {
  const g = new GraphBuilder();
  const T = attr.type('float32');
  const unitStrides = attr.ints([1, 1, 1, 1]);
  const conv = (scope: string, input: string, kernel: Tensor, bias: Tensor) => {
    const filter = g.variable(`${scope}/kernel`, kernel);
    const offset = g.variable(`${scope}/bias`, bias);
    const convolved = g.add(`${scope}/Conv2D`, 'Conv2D', [input, filter], { T, strides: unitStrides, padding: attr.string('SAME') });
    return g.add(`${scope}/BiasAdd`, 'BiasAdd', [convolved, offset], { T });
  };

  const images = g.placeholder(CNN_SIGNATURE.input, 'float32', [-1, ...CNN_ARCHITECTURE.inputShape]);
  const conv1 = g.add('conv1/Relu', 'Relu', [conv('conv1', images, weights.conv1Kernel, weights.conv1Bias)], { T });
  const window = attr.ints([1, CNN_ARCHITECTURE.poolSize, CNN_ARCHITECTURE.poolSize, 1]);
  const pooled = g.add('pool1/MaxPool', 'MaxPool', [conv1], { T, ksize: window, strides: window, padding: attr.string('VALID') });
  const conv2 = conv('conv2', pooled, weights.conv2Kernel, weights.conv2Bias);

  const bnInputs = [
    g.variable('batch_norm/gamma', weights.bnGamma),
    g.variable('batch_norm/beta', weights.bnBeta),
    g.variable('batch_norm/moving_mean', weights.bnMovingMean),
    g.variable('batch_norm/moving_variance', weights.bnMovingVariance),
  ];
  // epsilon is written explicitly: TensorFlow's OpDef default (0.0001) differs from Keras's (0.001).
  const normalized = g.add('batch_norm/FusedBatchNormV3', 'FusedBatchNormV3', [conv2, ...bnInputs], {
    T,
    U: T,
    epsilon: attr.float(CNN_ARCHITECTURE.batchNormEpsilon),
    is_training: attr.bool(false),
  });
  const activated = g.add('batch_norm/Relu', 'Relu', [normalized], { T });

  const spatialAxes = g.constant('global_average_pool/reduction_indices', makeTensor('int32', [2], Int32Array.of(1, 2)));
  const pooledFeatures = g.add('global_average_pool/Mean', 'Mean', [activated, spatialAxes], { T, Tidx: attr.type('int32') });

  const denseKernel = g.variable('dense/kernel', weights.denseKernel);
  const denseBias = g.variable('dense/bias', weights.denseBias);
  const logits = g.add('dense/BiasAdd', 'BiasAdd', [g.add('dense/MatMul', 'MatMul', [pooledFeatures, denseKernel], { T }), denseBias], { T });
  const probabilities = g.add(CNN_SIGNATURE.output, 'Softmax', [logits], { T });

  return {
    graph: g,
    signatures: {
      [CNN_SIGNATURE.key]: {
        methodName: PREDICT_METHOD,
        inputs: { [CNN_SIGNATURE.input]: { name: `${images}:0`, dtype: 'float32', shape: [-1, ...CNN_ARCHITECTURE.inputShape] } },
        outputs: {
          [CNN_SIGNATURE.output]: { name: `${probabilities}:0`, dtype: 'float32', shape: [-1, CNN_ARCHITECTURE.classes] },
        },
      },
    },
  };
}

export function writeCnnModel(dir: string, weights: CnnWeights = cnnWeights()): void {
  writeSavedModel(dir, cnnModel(weights));
}
