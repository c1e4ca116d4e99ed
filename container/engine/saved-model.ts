import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError, NotFoundError } from '../errors';
import { dtypeFromTf, stripRef } from '../formats/dtypes';
import { decodeMessage, protos } from '../formats/proto';
import { dimsFromShape } from '../formats/tensor-proto';
import type { SignatureInfo, TensorSpec } from './engine';
import type { MetaGraphObject, TensorInfoObject } from './graph/types';

/** Signature keys that are not servable: TF2's init-op pseudo-signature. */
const NON_SERVABLE_SIGNATURES = new Set(['__saved_model_init_op']);

export interface SavedModelFile {
  dir: string;
  schemaVersion: number;
  metaGraphs: MetaGraphObject[];
}

export function readSavedModel(dir: string): SavedModelFile {
  const file = path.join(dir, 'saved_model.pb');
  if (!fs.existsSync(file)) {
    const text = path.join(dir, 'saved_model.pbtxt');
    if (fs.existsSync(text)) throw new FormatError(`${text}: text-format SavedModels are not supported; export saved_model.pb`);
    throw new NotFoundError(`${file}: no SavedModel here (saved_model.pb is missing)`);
  }
  const model = decodeMessage<{ savedModelSchemaVersion?: string; metaGraphs?: MetaGraphObject[] }>(
    protos.SavedModel,
    fs.readFileSync(file),
    file,
  );
  if (!model.metaGraphs?.length) throw new FormatError(`${file}: the SavedModel has no MetaGraphDef`);
  return { dir, schemaVersion: Number(model.savedModelSchemaVersion ?? 0), metaGraphs: model.metaGraphs };
}

export function metaGraphTags(metaGraph: MetaGraphObject): string[] {
  return metaGraph.metaInfoDef?.tags ?? [];
}

/** The MetaGraph whose tag set equals `tags` (order-insensitive), as TensorFlow's loader selects it. */
export function selectMetaGraph(model: SavedModelFile, tags: string[]): MetaGraphObject {
  const wanted = [...tags].sort().join(',');
  const found = model.metaGraphs.find((mg) => [...metaGraphTags(mg)].sort().join(',') === wanted);
  if (!found) {
    const available = model.metaGraphs.map((mg) => `[${metaGraphTags(mg).join(', ')}]`).join(', ');
    throw new NotFoundError(`${path.join(model.dir, 'saved_model.pb')}: no MetaGraph tagged [${tags.join(', ')}]; available: ${available}`);
  }
  return found;
}

function tensorSpec(info: TensorInfoObject, where: string): TensorSpec {
  if (!info.name) throw new FormatError(`${where}: only dense tensors are supported (sparse and composite signature tensors are not)`);
  const tfDtype = stripRef(info.dtype ?? 'DT_INVALID');
  const dtype = dtypeFromTf(tfDtype);
  if (!dtype) throw new FormatError(`${where}: dtype ${info.dtype} is not supported`);
  return { name: info.name, dtype, tfDtype, shape: dimsFromShape(info.tensorShape) };
}

/** The servable signatures of a MetaGraph, with dtypes and shapes as declared. */
export function signaturesOf(metaGraph: MetaGraphObject, file: string): Record<string, SignatureInfo> {
  const out: Record<string, SignatureInfo> = {};
  for (const [key, def] of Object.entries(metaGraph.signatureDef ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (NON_SERVABLE_SIGNATURES.has(key)) continue;
    const specs = (side: 'inputs' | 'outputs') =>
      Object.fromEntries(
        Object.entries(def[side] ?? {}).map(([k, info]) => [k, tensorSpec(info, `${file}: signature '${key}' ${side} '${k}'`)]),
      );
    out[key] = { key, methodName: def.methodName ?? '', inputs: specs('inputs'), outputs: specs('outputs') };
  }
  return out;
}
