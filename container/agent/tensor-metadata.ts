import type { SignatureInfo, TensorSpec } from '../engine/engine';
import { FailedPreconditionError } from '../errors';
import type { DType } from '../formats/tensor';
import { DATA_TYPES, type WireDataType, type WireTensorMetadata } from './agent-proto';

/**
 * What the agent tells clients about a model's tensors: the serving signature's inputs and outputs, by key in sorted
 * order (the order positional Predict tensors are matched in), each with its Edge `DataType` and shape.
 *
 * - name: the signature key (`x`), not the graph tensor (`x:0`); Predict accepts either;
 * - DataType: the seven the Edge API has; a signature with any other dtype (bool, string, int8, uint16, ...) cannot
 *   be called through it, so such a model is refused at load with FAILED_PRECONDITION naming the tensor;
 * - shape: as declared, -1 for an unknown dimension, empty for an unknown rank (and for a scalar).
 */

const DTYPE_OF: Record<WireDataType, DType> = {
  UINT8: 'uint8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT16: 'float16',
  FLOAT32: 'float32',
  FLOAT64: 'float64',
};

const WIRE_TYPE_OF = new Map<DType, WireDataType>(DATA_TYPES.map((wire) => [DTYPE_OF[wire], wire]));

export function dtypeOf(wire: WireDataType): DType {
  return DTYPE_OF[wire];
}

export function wireTypeOf(dtype: DType): WireDataType | undefined {
  return WIRE_TYPE_OF.get(dtype);
}

/** A signature tensor the Edge API can carry: its key, its spec and its wire type. */
export interface AgentTensorSpec {
  key: string;
  spec: TensorSpec;
  dataType: WireDataType;
}

export interface AgentSignature {
  key: string;
  inputs: AgentTensorSpec[];
  outputs: AgentTensorSpec[];
}

/** The signature Predict runs: `serving_default`, else the first by key; refused when the Edge API cannot carry it. */
export function agentSignature(signatures: Record<string, SignatureInfo>, modelDir: string): AgentSignature {
  const keys = Object.keys(signatures).sort();
  const key = 'serving_default' in signatures ? 'serving_default' : keys[0];
  if (key === undefined) throw new FailedPreconditionError(`${modelDir} has no signature to serve`);
  const signature = signatures[key];
  return {
    key,
    inputs: agentTensors(signature.inputs, `input`, key, modelDir),
    outputs: agentTensors(signature.outputs, `output`, key, modelDir),
  };
}

function agentTensors(specs: Record<string, TensorSpec>, kind: string, signature: string, modelDir: string): AgentTensorSpec[] {
  return Object.keys(specs)
    .sort()
    .map((key) => {
      const dataType = wireTypeOf(specs[key].dtype);
      if (dataType === undefined) {
        throw new FailedPreconditionError(
          `${modelDir}: signature '${signature}' ${kind} '${key}' has dtype ${specs[key].tfDtype}, which the Edge agent API ` +
            `cannot carry (its DataType has ${DATA_TYPES.join(', ')})`,
        );
      }
      return { key, spec: specs[key], dataType };
    });
}

export function metadataOf(tensor: AgentTensorSpec): WireTensorMetadata {
  return { name: Buffer.from(tensor.key), data_type: tensor.dataType, shape: tensor.spec.shape ?? [] };
}
