import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * A client of the agent built the way a user's would be: from agent.proto alone (no tfserve code), over the unix
 * socket. Each RPC is promisified; errors are grpc ServiceErrors carrying `code` and `details`.
 */

export const PROTO_FILE = path.resolve(__dirname, '..', '..', '..', 'container', 'agent', 'agent.proto');

/** Responses are the plain objects proto-loader decodes; tests read the fields they check. */
type Call = (request: object) => Promise<any>;

export interface AgentClient {
  Predict: Call;
  LoadModel: Call;
  UnLoadModel: Call;
  ListModels: Call;
  DescribeModel: Call;
  CaptureData: Call;
  GetCaptureDataStatus: Call;
  close(): void;
}

const RPCS = ['Predict', 'LoadModel', 'UnLoadModel', 'ListModels', 'DescribeModel', 'CaptureData', 'GetCaptureDataStatus'] as const;

export function connect(target: string): AgentClient {
  const definition = protoLoader.loadSync(PROTO_FILE, { keepCase: true, enums: String, longs: Number, defaults: true, oneofs: true });
  const proto = grpc.loadPackageDefinition(definition) as unknown as {
    AWS: { SageMaker: { Edge: { Agent: grpc.ServiceClientConstructor } } };
  };
  const limit = 64 * 1024 * 1024;
  const client = new proto.AWS.SageMaker.Edge.Agent(target, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': limit,
    'grpc.max_send_message_length': limit,
  });
  const calls = Object.fromEntries(
    RPCS.map((rpc) => [
      rpc,
      (request: object) =>
        new Promise((resolve, reject) =>
          (client[rpc] as (r: object, cb: (e: grpc.ServiceError | null, v: unknown) => void) => void).call(client, request, (error, value) =>
            error ? reject(error) : resolve(value),
          ),
        ),
    ]),
  ) as unknown as Omit<AgentClient, 'close'>;
  return { ...calls, close: () => client.close() };
}

/** The code and details of a refused call (fails the test when the call succeeds). */
export async function refusal(call: Promise<unknown>): Promise<{ code: string; details: string }> {
  try {
    await call;
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code: grpc.status[code], details };
  }
  throw new Error('the call succeeded but was expected to be refused');
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function float32Bytes(values: number[]): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}

export function float32Values(bytes: Uint8Array): number[] {
  return Array.from(new Float32Array(new Uint8Array(bytes).buffer));
}

/** A UUID for capture ids. */
export const uuid = () => crypto.randomUUID();

/** Polls until `read` returns something other than `pending`, at most `tries` times. */
export async function pollUntil<T>(read: () => Promise<T>, pending: T, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (value !== pending) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return pending;
}
