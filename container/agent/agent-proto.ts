import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { findPackageFile } from '../formats/proto';

/**
 * The Edge Manager agent's service, loaded from `agent.proto` at run time (no codegen), and the TypeScript view of
 * its messages as @grpc/proto-loader hands them over with `PROTO_LOADER_OPTIONS`: field names as in the proto
 * (`byte_data`), enums as their names, 64-bit integers as numbers, unset fields at their defaults, and `data` naming
 * the member of a oneof that is set.
 */

export const AGENT_PROTO_FILE = findPackageFile(path.join('container', 'agent', 'agent.proto'));

export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  enums: String,
  // 64-bit fields are SharedMemoryHandle sizes and Timestamp seconds: far below 2^53 in practice.
  longs: Number,
  defaults: true,
  oneofs: true,
};

export const AGENT_SERVICE = 'AWS.SageMaker.Edge.Agent';

/** The `Agent` service definition, for `server.addService` and for clients (`grpc.makeClientConstructor`). */
export function loadAgentService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(AGENT_PROTO_FILE, PROTO_LOADER_OPTIONS);
  return definition[AGENT_SERVICE] as grpc.ServiceDefinition;
}

export const DATA_TYPES = ['UINT8', 'INT16', 'INT32', 'INT64', 'FLOAT16', 'FLOAT32', 'FLOAT64'] as const;
export type WireDataType = (typeof DATA_TYPES)[number];
export type WireEncoding = 'CSV' | 'JSON' | 'NONE' | 'BASE64';
export type WireCaptureStatus = 'FAILURE' | 'SUCCESS' | 'IN_PROGRESS' | 'NOT_FOUND';

export interface WireTensorMetadata {
  /** Bytes on the wire (the docs declare a string). protobufjs would read a string here as base64: never pass one. */
  name: Uint8Array;
  data_type: WireDataType;
  shape: number[];
}

export interface WireSharedMemoryHandle {
  size: number;
  offset: number;
  segment_id: number;
}

export interface WireTensor {
  tensor_metadata?: WireTensorMetadata | null;
  byte_data?: Uint8Array;
  shared_memory_handle?: WireSharedMemoryHandle | null;
  /** Which member of the `data` oneof is set (received messages only). */
  data?: 'byte_data' | 'shared_memory_handle';
}

export interface WireModel {
  url: string;
  name: string;
  input_tensor_metadatas: WireTensorMetadata[];
  output_tensor_metadatas: WireTensorMetadata[];
}

export interface WireAuxilaryData {
  name: string;
  encoding: WireEncoding;
  byte_data?: Uint8Array;
  shared_memory_handle?: WireSharedMemoryHandle | null;
  data?: 'byte_data' | 'shared_memory_handle';
}

export interface WireTimestamp {
  seconds: number;
  nanos: number;
}

export interface PredictRequest {
  name: string;
  tensors: WireTensor[];
}

export interface LoadModelRequest {
  url: string;
  name: string;
}

export interface NameRequest {
  name: string;
}

export interface CaptureDataRequest {
  model_name: string;
  capture_id: string;
  inference_timestamp?: WireTimestamp | null;
  input_tensors: WireTensor[];
  output_tensors: WireTensor[];
  inputs: WireAuxilaryData[];
  outputs: WireAuxilaryData[];
}

export interface CaptureIdRequest {
  capture_id: string;
}
