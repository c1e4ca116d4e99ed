import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Tensor } from '../container/formats/tensor';
import { CNN_ARCHITECTURE, type CnnWeights } from '../container/engine/writer/cnn-model';

/**
 * The CNN of cnn-model.ts built independently with tfjs-layers, as the reference for parity tests and the
 * benchmark. Uses the devDependency @tensorflow/tfjs-layers: import this only from tests and bench/.
 */
export function buildLayersCnn(weights: CnnWeights): tfl.Sequential {
  const { inputShape, kernelSize, conv1Filters, poolSize, conv2Filters, batchNormEpsilon, classes } = CNN_ARCHITECTURE;
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [...inputShape], filters: conv1Filters, kernelSize, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize, strides: poolSize, padding: 'valid' }),
      tfl.layers.conv2d({ filters: conv2Filters, kernelSize, padding: 'same' }),
      tfl.layers.batchNormalization({ epsilon: batchNormEpsilon }),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.globalAveragePooling2d({}),
      tfl.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  // Per layer, because a model's weight list puts every trainable weight before the batch-norm statistics.
  const perLayer: Tensor<'float32'>[][] = [
    [weights.conv1Kernel, weights.conv1Bias],
    [],
    [weights.conv2Kernel, weights.conv2Bias],
    [weights.bnGamma, weights.bnBeta, weights.bnMovingMean, weights.bnMovingVariance],
    [],
    [],
    [weights.denseKernel, weights.denseBias],
  ];
  model.layers.forEach((layer, i) => {
    const values = perLayer[i].map((w) => tf.tensor(w.values, w.shape, 'float32'));
    layer.setWeights(values); // copies, so the inputs can go
    tf.dispose(values);
  });
  return model;
}

/** Runs the tfjs-layers CNN on a project tensor and reads the probabilities back. */
export function predictLayersCnn(model: tfl.Sequential, images: Tensor<'float32'>): Float32Array {
  return tf.tidy(() => {
    const output = model.predict(tf.tensor(images.values, images.shape, 'float32')) as tf.Tensor;
    return output.dataSync() as Float32Array;
  });
}
