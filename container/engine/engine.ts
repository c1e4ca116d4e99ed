import type { DType, NamedTensors } from '../formats/tensor';

/** One input or output of a signature, as the SignatureDef declares it. */
export interface TensorSpec {
  /** Graph tensor name, e.g. `serving_default_x:0`. */
  name: string;
  dtype: DType;
  /** TensorFlow's DataType name as declared, e.g. `DT_FLOAT` (kept for metadata responses). */
  tfDtype: string;
  /** Dimensions with -1 for unknown; undefined when the rank is unknown. */
  shape?: number[];
}

export interface SignatureInfo {
  key: string;
  /** e.g. `tensorflow/serving/predict`, `tensorflow/serving/classify`, `tensorflow/serving/regress`. */
  methodName: string;
  inputs: Record<string, TensorSpec>;
  outputs: Record<string, TensorSpec>;
}

export interface LoadedModel {
  /** Which engine runs this model ('pure' or 'native'). */
  readonly engine: EngineName;
  readonly tags: string[];
  readonly signatures: Record<string, SignatureInfo>;
  /**
   * Runs a signature on inputs keyed by the signature's input keys; returns every output key. An aborted `signal`
   * (client gone, timeout) drops work that has not started and rejects with the signal's reason.
   */
  run(signatureKey: string, inputs: NamedTensors, options?: RunOptions): Promise<NamedTensors>;
  dispose(): void;
}

export type EngineName = 'pure' | 'native';

export interface RunOptions {
  signal?: AbortSignal;
}

export interface LoadOptions {
  /** MetaGraph tags to select; default ['serve']. */
  tags?: string[];
}

export interface Engine {
  readonly name: EngineName;
  load(modelDir: string, options?: LoadOptions): Promise<LoadedModel>;
}

export const DEFAULT_TAGS = ['serve'];
export const DEFAULT_SIGNATURE = 'serving_default';
