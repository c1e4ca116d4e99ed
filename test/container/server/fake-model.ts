import type { LoadedModel, SignatureInfo, TensorSpec } from '../../../container/engine/engine';
import type { NamedTensors, Tensor } from '../../../container/formats/tensor';
import { tfFromDtype } from '../../../container/formats/dtypes';
import type { DType } from '../../../container/formats/tensor';

/** A LoadedModel without an engine, so the HTTP layer is tested on its own. */

function spec(name: string, dtype: DType, shape?: number[]): TensorSpec {
  return { name, dtype, tfDtype: tfFromDtype(dtype), shape };
}

export const fakeSignatures: Record<string, SignatureInfo> = {
  serving_default: {
    key: 'serving_default',
    methodName: 'tensorflow/serving/predict',
    inputs: { x: spec('x:0', 'float32', [-1, 1]) },
    outputs: { y: spec('y:0', 'float32', [-1, 1]) },
  },
  two_inputs: {
    key: 'two_inputs',
    methodName: 'tensorflow/serving/predict',
    inputs: { a: spec('a:0', 'float32', [-1]), b: spec('b:0', 'int64', [-1]) },
    outputs: { a_doubled: spec('mul:0', 'float32', [-1]), b_next: spec('add:0', 'int64', undefined) },
  },
  broken: {
    key: 'broken',
    methodName: 'tensorflow/serving/predict',
    inputs: { x: spec('x:0', 'float32', []) },
    outputs: { y: spec('y:0', 'float32', []) },
  },
};

function mapFloats(tensor: Tensor, f: (v: number) => number): Tensor {
  return { dtype: 'float32', shape: tensor.shape, values: (tensor.values as Float32Array).map(f) };
}

export class FakeModel implements LoadedModel {
  readonly engine = 'pure' as const;
  readonly tags = ['serve'];
  readonly signatures = fakeSignatures;
  disposed = false;
  readonly runs: { signature: string; inputs: NamedTensors }[] = [];

  constructor(private readonly offset = 3) {}

  async run(signatureKey: string, inputs: NamedTensors): Promise<NamedTensors> {
    this.runs.push({ signature: signatureKey, inputs });
    if (signatureKey === 'serving_default') return { y: mapFloats(inputs.x, (v) => 0.5 * v + this.offset) };
    if (signatureKey === 'two_inputs') {
      const b = inputs.b;
      return {
        a_doubled: mapFloats(inputs.a, (v) => 2 * v),
        b_next: { dtype: 'int64', shape: b.shape, values: (b.values as BigInt64Array).map((v) => v + 1n) },
      };
    }
    throw new Error('kernel exploded');
  }

  dispose(): void {
    this.disposed = true;
  }
}
