import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { mulberry32 } from '../../../container/engine/writer/prng';
import { writeLinearModel } from '../../../container/engine/writer/linear-model';
import { startServer, type RunningServer } from '../../../container/server/serve';

/**
 * Malformed and random requests against the real server on a generated half_plus_three: whatever arrives, the
 * server answers every request completely, errors are `{"error": ...}` JSON, nothing is a 500, and it still serves
 * afterwards. Seeded, so a failure reproduces; each failure prints the request that caused it.
 */

const SEED = 20240611;
const REQUESTS = 10_000;
const IN_FLIGHT = 32;
const RESPONSE_WAIT_MS = 10_000;
/** Enough to show a pattern; a server that stopped answering would otherwise cost RESPONSE_WAIT_MS per request. */
const MAX_FAILURES = 20;
/** Overload and timeout statuses the server may legitimately give. */
const ALLOWED_5XX = new Set([503, 504]);

type Rng = () => number;
const int = (rng: Rng, low: number, high: number) => low + Math.floor(rng() * (high - low + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const times = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset="UTF-8"'];
const JSONL_TYPES = ['application/jsonlines', 'application/jsons', 'application/jsonlines; charset=utf-8', 'application/x-jsonlines'];
const CSV_TYPES = ['text/csv', 'text/csv; header=present', 'text/csv; header=absent', 'text/csv; charset=utf-8; header=present', 'TEXT/CSV;HEADER=PRESENT'];
const ODD_TYPES = [
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/csv; charset=ebcdic', 'application/json; charset=',
  'text/plain', 'application/octet-stream', 'image/jpeg', 'multipart/form-data; boundary=x', 'application/x-recordio-protobuf',
  '', ';', 'application/', '*/*', 'application/json; header=present', 'text/csv; header=maybe', 'text/csv; header',
];
const ACCEPTS = [
  'application/json', 'application/jsonlines', 'text/csv', '*/*', 'application/json, application/jsonlines', 'text/csv, application/json',
  'application/xml', 'image/png', 'application/json;q=0', 'application/*', 'text/*;q=0.5, */*;q=0.1', ';;;,,,', 'application/jsons', '',
];
const ATTRIBUTES = [
  'tfs-model-name=half_plus_three', 'tfs-model-name=nope', 'tfs-model-version=1', 'tfs-model-version=2', 'tfs-model-version=abc',
  'tfs-model-version=99999999999999999999', 'tfs-model-version=-1', 'tfs-method=predict', 'tfs-method=classify', 'tfs-method=regress',
  'tfs-method=foo', 'tfs-model-name==', 'tfs-model-name=', ',,,', 'tfs-model-name=__proto__', 'tfs-model-name=constructor',
  'tfs-model-name=half_plus_three,tfs-model-version=1,tfs-method=predict', 'TFS-MODEL-NAME=x', 'tfs-model-name=a=b',
];
const PATHS = [
  '/v1/models/half_plus_three:predict', '/v1/models/half_plus_three:classify', '/v1/models/half_plus_three:regress',
  '/v1/models/half_plus_three/versions/1:predict', '/v1/models/nope:predict', '/models/half_plus_three/invoke', '/invocations?x=1',
];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'x-garbage'];
const SIGNATURES = ['serving_default', 'tensorflow/serving/classify', 'tensorflow/serving/regress', 'regress_x2_to_y3', 'nope', ''];
const KEYS = ['instances', 'inputs', 'examples', 'signature_name', 'context', 'x', 'x2', 'b64', '__proto__', 'constructor', 'y', ''];
const NUMBERS = [
  '1e309', '-1e400', '1e-400', '123456789012345678901234567890', '9223372036854775808', '-9223372036854775809', '-0', '0.0',
  'NaN', 'Infinity', '-Infinity', '1.7976931348623157e308', '4.9e-324', '3.4028235e38', '1e', '.5', '01', '+1', '0x10', '1_000',
];

const printable = (rng: Rng, length: number) => String.fromCharCode(...times(length, () => int(rng, 0x20, 0x7e)));
const bigNumber = (rng: Rng) => (rng() < 0.5 ? pick(rng, NUMBERS) : `${'-'.repeat(int(rng, 0, 1))}${'9'.repeat(int(rng, 1, 400))}`);
const scalar = (rng: Rng): string =>
  pick(rng, [() => String(int(rng, -5, 5)), () => (rng() * 100 - 50).toString(), () => bigNumber(rng), () => JSON.stringify(printable(rng, int(rng, 0, 8))), () => 'true', () => 'null']).call(null);

/** A random JSON document (as text), biased towards the keys and values the server looks at. */
function randomJson(rng: Rng, depth = 0): string {
  const kind = depth > 4 ? 0 : int(rng, 0, 3);
  if (kind === 0) return scalar(rng);
  if (kind === 1) return `[${times(int(rng, 0, 4), () => randomJson(rng, depth + 1)).join(',')}]`;
  if (kind === 2) return `{"b64":${pick(rng, ['"!!!"', '"AAA"', '""', '123', 'null', '"aGVsbG8="', '"=="', '[1]'])}}`;
  const members = times(int(rng, 0, 4), () => `${JSON.stringify(rng() < 0.8 ? pick(rng, KEYS) : printable(rng, 4))}:${randomJson(rng, depth + 1)}`);
  return `{${members.join(',')}}`;
}

const VALID = ['{"instances":[1,2,5]}', '{"inputs":[1,2,5]}', '{"instances":[[1],[2]]}', '[1,2,5]', '{"signature_name":"serving_default","instances":[1]}'];

/** Body generators, each with the content types it is usually sent with. */
const BODIES: Array<{ kind: string; types: readonly string[]; make: (rng: Rng) => string | Buffer }> = [
  { kind: 'random bytes', types: ODD_TYPES, make: (rng) => Buffer.from(times(int(rng, 0, 4096), () => int(rng, 0, 255))) },
  { kind: 'printable', types: JSON_TYPES, make: (rng) => printable(rng, int(rng, 0, 512)) },
  { kind: 'truncated', types: JSON_TYPES, make: (rng) => { const body = pick(rng, VALID); return body.slice(0, int(rng, 0, body.length - 1)); } },
  {
    kind: 'deep nesting',
    types: JSON_TYPES,
    make: (rng) => {
      const depth = pick(rng, [64, 512, 5_000, 50_000]);
      const [open, close] = pick(rng, [['[', ']'], ['{"a":', '}'], ['{"instances":[', ']}']]);
      return `${rng() < 0.5 ? '{"instances":' : ''}${open.repeat(depth)}1${close.repeat(rng() < 0.8 ? depth : int(rng, 0, depth))}`;
    },
  },
  { kind: 'huge numbers', types: JSON_TYPES, make: (rng) => `{"instances":[${times(int(rng, 1, 3), () => bigNumber(rng)).join(',')}]}` },
  {
    kind: 'wrong shapes',
    types: JSON_TYPES,
    make: (rng) =>
      pick(rng, [
        '{"instances":[[1,2],[3]]}', '{"instances":[[[1]],[2]]}', '{"instances":["a"]}', '{"instances":[true]}', '{"instances":[null]}',
        '{"instances":[{}]}', '{"instances":{}}', '{"instances":[]}', '{"inputs":{}}', '{"inputs":{"x":[[1],[2,3]]}}', '{"inputs":null}',
        '{"instances":[1],"inputs":[1]}', '{"instances":[{"x":1},{"y":2}]}', '{"instances":[{"x":[1,2]},{"x":1}]}', '{}', '[]', '""', 'null',
        `{"instances":[${times(int(rng, 1_000, 50_000), () => '1').join(',')}]}`, '{"examples":[{"x":"a"}]}', '{"examples":{}}',
      ]),
  },
  {
    kind: 'b64 garbage',
    types: JSON_TYPES,
    make: (rng) => `{"instances":[${randomJson(rng, 3)},{"b64":${JSON.stringify(printable(rng, int(rng, 0, 64)))}}${rng() < 0.3 ? ',{"b64":"AA==","x":1}' : ''}]}`,
  },
  {
    kind: 'random json',
    types: JSON_TYPES,
    make: (rng) => (rng() < 0.6 ? `{"signature_name":${JSON.stringify(pick(rng, SIGNATURES))},"${pick(rng, ['instances', 'inputs', 'examples'])}":${randomJson(rng, 1)}}` : randomJson(rng)),
  },
  {
    kind: 'json lines',
    types: JSONL_TYPES,
    make: (rng) =>
      times(int(rng, 1, 20), () => (rng() < 0.5 ? pick(rng, ['[1,2,5]', '{"x":1}', '1', '[1]', '']) : randomJson(rng, 2))).join(pick(rng, ['\n', '\r\n', '\n\n', ' '])),
  },
  {
    kind: 'csv',
    types: CSV_TYPES,
    make: (rng) => {
      const field = () => pick(rng, [() => String(int(rng, -9, 9)), () => bigNumber(rng), () => '', () => '"a,b"', () => '"unterminated', () => 'x', () => '""""', () => 'true', () => ' 1 ']).call(null);
      const rows = times(int(rng, 0, 12), () => times(int(rng, 1, 4), field).join(pick(rng, [',', ',', ';', '\t'])));
      return `${rng() < 0.2 ? '\ufeff' : ''}${rng() < 0.4 ? 'x,y\n' : ''}${rows.join(pick(rng, ['\n', '\r\n', '\r']))}${rng() < 0.5 ? '\n' : ''}`;
    },
  },
  {
    kind: 'encodings',
    types: [...JSON_TYPES, ...ODD_TYPES],
    make: (rng) =>
      pick(rng, [
        () => Buffer.from(`\ufeff${pick(rng, VALID)}`),
        () => Buffer.from(pick(rng, VALID), 'utf16le'),
        () => Buffer.concat([Buffer.from('{"instances":["'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('"]}')]),
        () => Buffer.from('{"instances":["\\ud800","\\udc00x","\\u0000"]}'),
        () => Buffer.from(`{"instances":[1]}\u0000${printable(rng, 8)}`),
        () => Buffer.from(pick(rng, VALID), 'latin1'),
      ]).call(null),
  },
  { kind: 'examples', types: JSON_TYPES, make: (rng) => `{"signature_name":${JSON.stringify(pick(rng, SIGNATURES))},"examples":[${times(int(rng, 0, 3), () => `{"x":${randomJson(rng, 3)},"x2":${scalar(rng)}}`).join(',')}]${rng() < 0.3 ? `,"context":${randomJson(rng, 3)}` : ''}}` },
  { kind: 'valid', types: [...JSON_TYPES, ...JSONL_TYPES], make: (rng) => pick(rng, VALID) },
];

interface FuzzRequest {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function fuzzRequest(rng: Rng): FuzzRequest {
  const generator = pick(rng, BODIES);
  const made = generator.make(rng);
  const headers: Record<string, string> = {};
  const typeRoll = rng();
  if (typeRoll < 0.65) headers['Content-Type'] = pick(rng, generator.types);
  else if (typeRoll < 0.9) headers['Content-Type'] = pick(rng, [...JSON_TYPES, ...JSONL_TYPES, ...CSV_TYPES, ...ODD_TYPES]);
  if (rng() < 0.5) headers.Accept = pick(rng, ACCEPTS);
  if (rng() < 0.3) headers['X-Amzn-SageMaker-Custom-Attributes'] = rng() < 0.85 ? pick(rng, ATTRIBUTES) : printable(rng, int(rng, 0, 1500));
  if (rng() < 0.03) headers['Content-Encoding'] = pick(rng, ENCODINGS);
  return {
    kind: generator.kind,
    path: rng() < 0.9 ? '/invocations' : pick(rng, PATHS),
    headers,
    body: Buffer.isBuffer(made) ? made : Buffer.from(made),
  };
}

interface Outcome {
  status?: number;
  contentType?: string;
  body: string;
  problem?: string;
}

function send(base: URL, agent: http.Agent, request: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path: request.path, method: 'POST', agent, headers: { ...request.headers, 'Content-Length': request.body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => resolve({ status: res.statusCode, body: '', problem: `response error: ${error.message}` }));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const declared = res.headers['content-length'];
          const incomplete = !res.complete || (declared !== undefined && Number(declared) !== body.length);
          resolve({ status: res.statusCode, contentType: res.headers['content-type'], body: body.toString(), problem: incomplete ? 'incomplete response' : undefined });
        });
      },
    );
    req.setTimeout(RESPONSE_WAIT_MS, () => req.destroy(new Error(`no response within ${RESPONSE_WAIT_MS} ms`)));
    req.on('error', (error) => resolve({ body: '', problem: `request failed: ${error.message}` }));
    req.end(request.body);
  });
}

/** What is wrong with a response, if anything. */
function judge(outcome: Outcome): string | undefined {
  if (outcome.problem) return outcome.problem;
  const status = outcome.status ?? 0;
  if (status >= 500 && !ALLOWED_5XX.has(status)) return `status ${status}`;
  if (status < 400) return undefined;
  if (!/^application\/json\b/.test(outcome.contentType ?? '')) return `error with content type ${outcome.contentType}`;
  try {
    const parsed = JSON.parse(outcome.body) as { error?: unknown };
    return typeof parsed.error === 'string' ? undefined : 'error body without an "error" string';
  } catch {
    return 'error body is not JSON';
  }
}

const preview = (body: Buffer) => JSON.stringify(body.subarray(0, 300).toString('latin1')) + (body.length > 300 ? ` … (${body.length} bytes)` : '');

describe('the server under malformed and random requests', () => {
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-fuzz-'));
    writeLinearModel(path.join(root, 'half_plus_three', '1'));
    server = await startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: {}, logger: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`answers ${REQUESTS} requests completely, with JSON errors and no 500s, and keeps serving`, async () => {
    const rng = mulberry32(SEED);
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const base = new URL(server.url);
    const statuses = new Map<number | string, number>();
    const failures: string[] = [];

    let next = 0;
    const lane = async () => {
      while (next < REQUESTS && failures.length < MAX_FAILURES) {
        // generated when taken, in index order, so the sequence is the same whatever the timing
        const index = next++;
        const request = fuzzRequest(rng);
        const outcome = await send(base, agent, request);
        const key = outcome.status ?? 'none';
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const problem = judge(outcome);
        if (problem) {
          failures.push(
            `#${index} ${request.kind}: ${problem}\n  POST ${request.path} ${JSON.stringify(request.headers)}\n  body ${preview(request.body)}\n  answer ${outcome.body.slice(0, 300)}`,
          );
        }
      }
    };
    await Promise.all(times(IN_FLIGHT, lane));
    agent.destroy();

    process.stdout.write(`fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(failures).toEqual([]);

    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"instances":[1,2,5]}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ predictions: [3.5, 4.0, 5.5] });
  }, 90_000);
});
