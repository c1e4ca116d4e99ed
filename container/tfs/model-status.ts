import type { SignatureInfo, TensorSpec } from '../engine/engine';

/**
 * TensorFlow Serving's model status and metadata responses (`GET /v1/models/{m}[/versions/{v}]` and `…/metadata`),
 * in the protobuf JSON TF Serving prints: snake_case names, int64 as strings, every field present.
 */

/** TF Serving's ModelVersionStatus.State names. */
export type VersionState = 'START' | 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export interface VersionStatus {
  version: string;
  state: VersionState;
  /** Why loading failed; TF Serving reports a failed load as state END with the error. */
  error?: string;
}

export function formatModelStatus(versions: VersionStatus[]): string {
  const entries = versions.map((v) => ({
    version: v.version,
    state: v.state,
    status: v.error === undefined ? { error_code: 'OK', error_message: '' } : { error_code: 'UNKNOWN', error_message: v.error },
  }));
  return JSON.stringify({ model_version_status: entries });
}

function tensorInfo(spec: TensorSpec) {
  const tensor_shape =
    spec.shape === undefined
      ? { dim: [], unknown_rank: true }
      : { dim: spec.shape.map((size) => ({ size: String(size), name: '' })), unknown_rank: false };
  return { dtype: spec.tfDtype, tensor_shape, name: spec.name };
}

const tensorMap = (specs: Record<string, TensorSpec>) =>
  Object.fromEntries(Object.keys(specs).sort().map((key) => [key, tensorInfo(specs[key])]));

export function formatModelMetadata(name: string, version: string, signatures: Record<string, SignatureInfo>): string {
  const signature_def = Object.fromEntries(
    Object.keys(signatures)
      .sort()
      .map((key) => [
        key,
        { inputs: tensorMap(signatures[key].inputs), outputs: tensorMap(signatures[key].outputs), method_name: signatures[key].methodName },
      ]),
  );
  return JSON.stringify({
    model_spec: { name, signature_name: '', version },
    metadata: { signature_def: { signature_def } },
  });
}
