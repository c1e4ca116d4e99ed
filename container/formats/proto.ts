import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { FormatError } from '../errors';

/**
 * TensorFlow's messages, decoded with protobufjs from the `.proto` subset in `protos/`.
 * The `.proto` file is not compiled by tsc, so it is found from the package root (`findPackageFile`), which works
 * the same from the sources (ts-jest), from `dist/` and inside the image.
 */

/** A file the package ships beside its sources (not compiled by tsc), found by walking up from this module. */
export function findPackageFile(relativePath: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, relativePath);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${relativePath} not found above ${__dirname}`);
    dir = parent;
  }
}

const root = protobuf.loadSync(findPackageFile(path.join('container', 'formats', 'protos', 'tensorflow.proto')));

function lookup(name: string): protobuf.Type {
  return root.lookupType(`tensorflow.${name}`);
}

export const protos = {
  SavedModel: lookup('SavedModel'),
  MetaGraphDef: lookup('MetaGraphDef'),
  GraphDef: lookup('GraphDef'),
  NodeDef: lookup('NodeDef'),
  AttrValue: lookup('AttrValue'),
  TensorProto: lookup('TensorProto'),
  TensorShapeProto: lookup('TensorShapeProto'),
  OpDef: lookup('OpDef'),
  OpList: lookup('OpList'),
  FunctionDef: lookup('FunctionDef'),
  SignatureDef: lookup('SignatureDef'),
  BundleHeaderProto: lookup('BundleHeaderProto'),
  BundleEntryProto: lookup('BundleEntryProto'),
  Example: lookup('Example'),
  Feature: lookup('Feature'),
};

export const DataTypeEnum = root.lookupEnum('tensorflow.DataType');

/**
 * Plain-object view used everywhere in tfserve: enums as their names ('DT_FLOAT'), 64-bit integers as
 * decimal strings (exact; callers convert with Number() or BigInt()), bytes as Uint8Array, defaults omitted.
 */
export const plainObjectOptions: protobuf.IConversionOptions = {
  enums: String,
  longs: String,
  bytes: Uint8Array as unknown as protobuf.IConversionOptions['bytes'],
  defaults: false,
  arrays: true,
  objects: true,
};

/** Decodes `bytes` as message `type` into the plain-object view; a malformed buffer names `what`. */
export function decodeMessage<T>(type: protobuf.Type, bytes: Uint8Array, what: string): T {
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new FormatError(`${what}: not a valid ${type.name} protobuf (${reason})`);
  }
  return type.toObject(message, plainObjectOptions) as T;
}

/** Encodes a plain object (same view as decodeMessage) as message `type`. */
export function encodeMessage(type: protobuf.Type, value: object): Uint8Array {
  return type.encode(type.fromObject(value)).finish();
}
