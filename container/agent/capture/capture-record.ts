import * as path from 'node:path';
import type { Capture, CaptureAuxiliary, CaptureTensor } from './capture-request';

/**
 * How a batch of captures is written (the same layout on disk and in S3), pure so that it can be tested alone:
 *
 *   <folder_prefix>/<model_name>/<YYYY>/<MM>/<DD>/<HH>/<batch>.jsonl          one JSON line per capture
 *   <folder_prefix>/<model_name>/<YYYY>/<MM>/<DD>/<HH>/<batch>/<capture_id>/<kind>-<index>.<ext>
 *
 * The date is the batch's write time (UTC); `<batch>` is that time and the first capture id of the batch. Each data
 * item (tensor or auxiliary data) is either inlined as base64 (`"data"`) when its raw size is below the base64
 * embed limit, or written beside the manifest with its path relative to the manifest's directory (`"file"`).
 * The manifest is the last object of its batch written, so a manifest never names a file that is not there yet.
 */

export interface CaptureObject {
  key: string;
  body: Uint8Array;
}

export interface CaptureLayout {
  /** `sagemaker_edge_core_folder_prefix`; empty for none. */
  folderPrefix: string;
  /** `sagemaker_edge_core_capture_data_base64_embed_limit`: items of at least this many bytes go beside. */
  embedLimit: number;
  deviceName?: string;
  deviceFleetName?: string;
}

/** What one line of the manifest holds. */
export interface CaptureLine {
  captureId: string;
  modelName: string;
  deviceName?: string;
  deviceFleetName?: string;
  /** RFC 3339, UTC, nanosecond precision: `2024-04-26T12:00:00.123456789Z`. */
  inferenceTime: string;
  inputTensors: (Placement & { name: string; dataType: string; shape: number[] })[];
  outputTensors: (Placement & { name: string; dataType: string; shape: number[] })[];
  inputs: (Placement & { name: string; encoding: string })[];
  outputs: (Placement & { name: string; encoding: string })[];
}

/** Inline (`data`, base64) or beside (`file`, relative to the manifest's directory); `bytes` is the raw size. */
type Placement = { bytes: number } & ({ data: string } | { file: string });

const EXTENSION: Record<CaptureAuxiliary['encoding'], string> = { CSV: 'csv', JSON: 'json', NONE: 'bin', BASE64: 'b64' };

/** The objects of one batch, grouped by model (one manifest per model), manifests last. */
export function batchObjects(captures: Capture[], writtenAt: Date, layout: CaptureLayout): CaptureObject[] {
  const byModel = new Map<string, Capture[]>();
  for (const capture of captures) byModel.set(capture.modelName, [...(byModel.get(capture.modelName) ?? []), capture]);
  const files: CaptureObject[] = [];
  const manifests: CaptureObject[] = [];
  for (const [model, group] of byModel) {
    const dir = path.posix.join(layout.folderPrefix, model, datePath(writtenAt));
    const batch = `${compactTime(writtenAt)}-${group[0].id}`;
    const lines = group.map((capture) => {
      const place = (bytes: Uint8Array, name: string): Placement => {
        if (bytes.length < layout.embedLimit) return { bytes: bytes.length, data: Buffer.from(bytes).toString('base64') };
        const file = path.posix.join(batch, capture.id, name);
        files.push({ key: path.posix.join(dir, file), body: bytes });
        return { bytes: bytes.length, file };
      };
      const tensor = (kind: string) => (t: CaptureTensor, i: number) => ({
        name: t.name,
        dataType: t.dataType,
        shape: t.shape,
        ...place(t.bytes, `${kind}-${i}.bin`),
      });
      const aux = (kind: string) => (a: CaptureAuxiliary, i: number) => ({
        name: a.name,
        encoding: a.encoding,
        ...place(a.bytes, `${kind}-${i}.${EXTENSION[a.encoding]}`),
      });
      const line: CaptureLine = {
        captureId: capture.id,
        modelName: model,
        ...(layout.deviceName === undefined ? {} : { deviceName: layout.deviceName }),
        ...(layout.deviceFleetName === undefined ? {} : { deviceFleetName: layout.deviceFleetName }),
        inferenceTime: rfc3339(capture.inferenceTime),
        inputTensors: capture.inputTensors.map(tensor('input-tensor')),
        outputTensors: capture.outputTensors.map(tensor('output-tensor')),
        inputs: capture.inputs.map(aux('input')),
        outputs: capture.outputs.map(aux('output')),
      };
      return JSON.stringify(line);
    });
    manifests.push({ key: path.posix.join(dir, `${batch}.jsonl`), body: Buffer.from(`${lines.join('\n')}\n`) });
  }
  return [...files, ...manifests];
}

function datePath(date: Date): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:...
  return [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)].join('/');
}

function compactTime(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

export function rfc3339({ seconds, nanos }: { seconds: number; nanos: number }): string {
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(nanos).padStart(9, '0')}Z`;
}
