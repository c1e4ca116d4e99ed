import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import * as protobuf from 'protobufjs';
import { parseAgentConfig } from '../../../container/agent/agent-config';
import { startAgent, type RunningAgent } from '../../../container/agent/start-agent';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { float32Bytes, PROTO_FILE, tempDir, uuid } from './agent-client';

/**
 * Wire compatibility with the original agent, checked against the numbers in ../shared/spec/edge-agent.md §3-4 (copied
 * here as the source of truth, not read from agent.proto): the .proto's declarations, and the bytes the running
 * service reads and writes, encoded and decoded field by field with protobufjs' Writer and Reader.
 */

/** message → field → [number, type, repeated?] per the spec. */
const SPEC_MESSAGES: Record<string, Record<string, [number, string, boolean?]>> = {
  TensorMetadata: { name: [1, 'bytes'], data_type: [2, 'DataType'], shape: [3, 'int32', true] },
  SharedMemoryHandle: { size: [1, 'uint64'], offset: [2, 'uint64'], segment_id: [3, 'uint64'] },
  Tensor: { tensor_metadata: [1, 'TensorMetadata'], byte_data: [4, 'bytes'], shared_memory_handle: [5, 'SharedMemoryHandle'] },
  Model: {
    url: [1, 'string'],
    name: [2, 'string'],
    input_tensor_metadatas: [3, 'TensorMetadata', true],
    output_tensor_metadatas: [4, 'TensorMetadata', true],
  },
  PredictRequest: { name: [1, 'string'], tensors: [2, 'Tensor', true] },
  PredictResponse: { tensors: [1, 'Tensor', true] },
  LoadModelRequest: { url: [1, 'string'], name: [2, 'string'] },
  LoadModelResponse: { model: [1, 'Model'] },
  UnLoadModelRequest: { name: [1, 'string'] },
  UnLoadModelResponse: {},
  ListModelsRequest: {},
  ListModelsResponse: { models: [1, 'Model', true] },
  DescribeModelRequest: { name: [1, 'string'] },
  DescribeModelResponse: { model: [1, 'Model'] },
  AuxilaryData: { name: [1, 'string'], encoding: [2, 'Encoding'], byte_data: [3, 'bytes'], shared_memory_handle: [4, 'SharedMemoryHandle'] },
  CaptureDataRequest: {
    model_name: [1, 'string'],
    capture_id: [2, 'string'],
    inference_timestamp: [3, 'Timestamp'],
    input_tensors: [4, 'Tensor', true],
    output_tensors: [5, 'Tensor', true],
    inputs: [6, 'AuxilaryData', true],
    outputs: [7, 'AuxilaryData', true],
  },
  CaptureDataResponse: {},
  GetCaptureDataStatusRequest: { capture_id: [1, 'string'] },
  GetCaptureDataStatusResponse: { status: [1, 'CaptureDataStatus'] },
  Timestamp: { seconds: [1, 'int64'], nanos: [2, 'int32'] },
};

const SPEC_ENUMS: Record<string, Record<string, number>> = {
  DataType: { UINT8: 0, INT16: 1, INT32: 2, INT64: 3, FLOAT16: 4, FLOAT32: 5, FLOAT64: 6 },
  Encoding: { CSV: 0, JSON: 1, NONE: 2, BASE64: 3 },
  CaptureDataStatus: { FAILURE: 0, SUCCESS: 1, IN_PROGRESS: 2, NOT_FOUND: 3 },
};

const SPEC_RPCS: Record<string, [string, string]> = {
  Predict: ['PredictRequest', 'PredictResponse'],
  LoadModel: ['LoadModelRequest', 'LoadModelResponse'],
  UnLoadModel: ['UnLoadModelRequest', 'UnLoadModelResponse'],
  ListModels: ['ListModelsRequest', 'ListModelsResponse'],
  DescribeModel: ['DescribeModelRequest', 'DescribeModelResponse'],
  CaptureData: ['CaptureDataRequest', 'CaptureDataResponse'],
  GetCaptureDataStatus: ['GetCaptureDataStatusRequest', 'GetCaptureDataStatusResponse'],
};

describe('agent.proto', () => {
  const root = new protobuf.Root().loadSync(PROTO_FILE, { keepCase: true });

  it.each(Object.keys(SPEC_MESSAGES))('declares %s with the spec field numbers and types', (name) => {
    const type = root.lookupType(`AWS.SageMaker.Edge.${name}`);
    const declared = Object.fromEntries(
      Object.values(type.fields).map((f) => [f.name, f.repeated ? [f.id, f.type, true] : [f.id, f.type]]),
    );
    expect(declared).toEqual(SPEC_MESSAGES[name]);
  });

  it.each(['Tensor', 'AuxilaryData'])('holds %s byte_data and shared_memory_handle in oneof data', (name) => {
    expect(root.lookupType(`AWS.SageMaker.Edge.${name}`).oneofs.data.oneof).toEqual(['byte_data', 'shared_memory_handle']);
  });

  it.each(Object.keys(SPEC_ENUMS))('declares enum %s with the spec values', (name) => {
    expect(root.lookupEnum(`AWS.SageMaker.Edge.${name}`).values).toEqual(SPEC_ENUMS[name]);
  });

  it('declares service AWS.SageMaker.Edge.Agent with the seven unary RPCs', () => {
    const service = root.lookupService('AWS.SageMaker.Edge.Agent');
    const methods = Object.fromEntries(
      Object.values(service.methods).map((m) => [m.name, [m.requestType, m.responseType, m.requestStream, m.responseStream]]),
    );
    expect(methods).toEqual(Object.fromEntries(Object.entries(SPEC_RPCS).map(([rpc, [req, res]]) => [rpc, [req, res, undefined, undefined]])));
  });
});

/** A decoded field: number, wire type and value (varint as number, length-delimited as bytes). */
interface Field {
  n: number;
  wire: number;
  value: number | Buffer;
}

function fields(bytes: Uint8Array): Field[] {
  const reader = protobuf.Reader.create(bytes);
  const out: Field[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wire = tag & 7;
    if (wire === 0) out.push({ n: tag >>> 3, wire, value: Number(reader.uint64().toString()) });
    else if (wire === 2) out.push({ n: tag >>> 3, wire, value: Buffer.from(reader.bytes()) });
    else throw new Error(`unexpected wire type ${wire} for field ${tag >>> 3}`);
  }
  return out;
}

const only = (list: Field[], n: number) => list.filter((f) => f.n === n);
const text = (f: Field) => (f.value as Buffer).toString();

describe('the service on the wire', () => {
  let dir: string;
  let agent: RunningAgent;
  let client: grpc.Client;

  beforeAll(async () => {
    dir = tempDir('tfserve-agent-wire-');
    await writeDemoModels(path.join(dir, 'models'));
    agent = await startAgent({
      address: path.join(dir, 'agent.sock'),
      config: parseAgentConfig({ sagemaker_edge_core_capture_data_disk_path: path.join(dir, 'captures'), sagemaker_edge_core_capture_data_push_period_seconds: 0.05 }, 'test'),
      logger: pino({ level: 'silent' }),
    });
    client = new grpc.Client(agent.target, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await agent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A call with hand-encoded request bytes, answering the raw response bytes. */
  const raw = (rpc: string, request: protobuf.Writer) =>
    new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(
        `/AWS.SageMaker.Edge.Agent/${rpc}`,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(request.finish()),
        (error, value) => (error ? reject(error) : resolve(value!)),
      ),
    );

  it('LoadModel: reads url=1 and name=2, answers Model{url=1, name=2, inputs=3, outputs=4{name=1, data_type=2}}', async () => {
    const url = path.join(dir, 'models', 'half_plus_three');
    const response = fields(await raw('LoadModel', protobuf.Writer.create().uint32((1 << 3) | 2).string(url).uint32((2 << 3) | 2).string('hp3')));
    expect(response.map((f) => f.n)).toEqual([1]);
    const model = fields(response[0].value as Buffer);
    expect(text(only(model, 1)[0])).toBe(url);
    expect(text(only(model, 2)[0])).toBe('hp3');
    const [input] = only(model, 3).map((f) => fields(f.value as Buffer));
    const [output] = only(model, 4).map((f) => fields(f.value as Buffer));
    expect(text(only(input, 1)[0])).toBe('x');
    expect(only(input, 2)[0].value).toBe(5); // FLOAT32
    expect(text(only(output, 1)[0])).toBe('y');
  });

  it('Predict: reads name=1, tensors=2{metadata=1{name=1, data_type=2, shape=3 packed}, byte_data=4}; answers tensors=1 the same way', async () => {
    const metadata = protobuf.Writer.create().uint32((1 << 3) | 2).string('x').uint32(2 << 3).uint32(5).uint32((3 << 3) | 2).fork().int32(3).ldelim();
    const tensor = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(metadata.finish()).uint32((4 << 3) | 2).bytes(float32Bytes([1, 2, 5]));
    const request = protobuf.Writer.create().uint32((1 << 3) | 2).string('hp3').uint32((2 << 3) | 2).bytes(tensor.finish());
    const response = fields(await raw('Predict', request));
    expect(response.map((f) => f.n)).toEqual([1]);
    const out = fields(response[0].value as Buffer);
    expect(out.map((f) => f.n)).toEqual([1, 4]); // metadata and byte_data, never shared_memory_handle=5
    const outMetadata = fields(only(out, 1)[0].value as Buffer);
    expect(text(only(outMetadata, 1)[0])).toBe('y');
    expect(only(outMetadata, 2)[0].value).toBe(5);
    expect([...(only(outMetadata, 3)[0].value as Buffer)]).toEqual([3]); // packed repeated int32 [3]
    expect(only(out, 4)[0].value).toEqual(float32Bytes([3.5, 4, 5.5]));
  });

  it('ListModels and DescribeModel answer models=1 and model=1; UnLoadModel reads name=1', async () => {
    expect(fields(await raw('ListModels', protobuf.Writer.create())).map((f) => f.n)).toEqual([1]);
    const described = fields(await raw('DescribeModel', protobuf.Writer.create().uint32((1 << 3) | 2).string('hp3')));
    expect(text(only(fields(described[0].value as Buffer), 2)[0])).toBe('hp3');
    expect(await raw('UnLoadModel', protobuf.Writer.create().uint32((1 << 3) | 2).string('hp3'))).toEqual(Buffer.alloc(0));
    expect(await raw('ListModels', protobuf.Writer.create())).toEqual(Buffer.alloc(0));
  });

  it('CaptureData reads fields 1-7 with Timestamp{seconds=1, nanos=2}; GetCaptureDataStatus answers status=1 as the enum number', async () => {
    const id = uuid();
    const timestamp = protobuf.Writer.create().uint32(1 << 3).int64(Math.floor(Date.now() / 1000) - 1).uint32(2 << 3).int32(7);
    const metadata = protobuf.Writer.create().uint32((1 << 3) | 2).string('x').uint32(2 << 3).uint32(0).uint32((3 << 3) | 2).fork().int32(2).ldelim();
    const tensor = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(metadata.finish()).uint32((4 << 3) | 2).bytes(Buffer.from([1, 2]));
    const aux = protobuf.Writer.create().uint32((1 << 3) | 2).string('a').uint32(2 << 3).uint32(1).uint32((3 << 3) | 2).bytes(Buffer.from('{}'));
    const request = protobuf.Writer.create()
      .uint32((1 << 3) | 2).string('hp3')
      .uint32((2 << 3) | 2).string(id)
      .uint32((3 << 3) | 2).bytes(timestamp.finish())
      .uint32((4 << 3) | 2).bytes(tensor.finish())
      .uint32((5 << 3) | 2).bytes(tensor.finish())
      .uint32((6 << 3) | 2).bytes(aux.finish())
      .uint32((7 << 3) | 2).bytes(aux.finish());
    expect(await raw('CaptureData', request)).toEqual(Buffer.alloc(0));
    const statusOf = async () => fields(await raw('GetCaptureDataStatus', protobuf.Writer.create().uint32((1 << 3) | 2).string(id)));
    let answer = await statusOf();
    for (let i = 0; i < 400 && answer[0]?.value === 2; i++) answer = await statusOf(); // IN_PROGRESS = 2
    expect(answer).toEqual([{ n: 1, wire: 0, value: 1 }]); // SUCCESS = 1
    // FAILURE = 0 is proto3's default: it is not on the wire at all; NOT_FOUND = 3.
    expect(fields(await raw('GetCaptureDataStatus', protobuf.Writer.create().uint32((1 << 3) | 2).string(uuid())))).toEqual([{ n: 1, wire: 0, value: 3 }]);
    const manifest = fs.readdirSync(path.join(dir, 'captures'), { recursive: true }).map(String).find((f) => f.endsWith('.jsonl'))!;
    const line = JSON.parse(fs.readFileSync(path.join(dir, 'captures', manifest), 'utf8'));
    expect(line).toMatchObject({
      captureId: id,
      inferenceTime: expect.stringMatching(/\.000000007Z$/),
      inputTensors: [{ name: 'x', dataType: 'UINT8', shape: [2], data: 'AQI=' }],
      outputTensors: [{ name: 'x' }],
      inputs: [{ name: 'a', encoding: 'JSON', data: 'e30=' }],
      outputs: [{ name: 'a' }],
    });
  });
});
