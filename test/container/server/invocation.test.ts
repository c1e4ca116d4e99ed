import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PureEngine } from '../../../container/engine/pure-engine';
import { HALF_PLUS_TWO, writeLinearModel } from '../../../container/engine/writer/linear-model';
import { InvalidArgumentError, UnsupportedMediaTypeError } from '../../../container/errors';
import type { Context, InferenceModule, ModelResponse } from '../../../container/hooks';
import { HookError } from '../../../container/server/hooks/hook-errors';
import { createInvocationHandler, type InvocationInput, type InvocationResult } from '../../../container/server/invocation';
import { ModelRegistry } from '../../../container/server/model-registry';
import { FakeModel } from './fake-model';

/**
 * The pipeline on a registry of generated models: half_plus_three version 1 (0.5x + 3) and version 2 (0.5x + 2, so
 * versions tell apart), and `fake` (FakeModel, whose `broken` signature fails the way a bug would).
 */

let root: string;
let registry: ModelRegistry;
const engine = new PureEngine();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-invocation-'));
  writeLinearModel(path.join(root, '1'));
  writeLinearModel(path.join(root, '2'), HALF_PLUS_TWO);
  registry = new ModelRegistry(
    [
      { name: 'half_plus_three', version: '1', dir: path.join(root, '1'), model: await engine.load(path.join(root, '1')) },
      { name: 'half_plus_three', version: '2', dir: path.join(root, '2'), model: await engine.load(path.join(root, '2')) },
      { name: 'fake', version: '1', dir: '/fake/1', model: new FakeModel() },
    ],
    'half_plus_three',
  );
});

afterAll(() => {
  registry.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

function invoke(hooks: InferenceModule | undefined, body: string, headers: Partial<InvocationInput> = {}): Promise<InvocationResult> {
  const handle = createInvocationHandler(registry, { hooks });
  return handle({ body: Buffer.from(body), contentType: 'application/json', signal: new AbortController().signal, ...headers });
}

/** The result with its body as text, for exact comparisons. */
async function answer(result: Promise<InvocationResult>) {
  const { status, body, contentType } = await result;
  return { status, body: body.toString(), contentType };
}

const json = (status: number, body: string) => ({ status, body, contentType: 'application/json' });

describe('without hooks (the built-in input and output handlers)', () => {
  it('decodes the body by Content-Type and answers in the Accept type', async () => {
    expect(await answer(invoke(undefined, '{"instances": [1.0, 2.0, 5.0]}'))).toEqual(json(200, '{"predictions":[2.5,3.0,4.5]}'));
    expect(await answer(invoke(undefined, '1.0\n2.0\n5.0\n', { contentType: 'text/csv', accept: 'application/jsonlines' }))).toEqual({
      status: 200,
      body: '2.5\n3.0\n4.5',
      contentType: 'application/jsonlines',
    });
  });

  it('runs the method, model and version the custom attributes name', async () => {
    const regress = '{"signature_name": "tensorflow/serving/regress", "examples": [{"x": 1.0}, {"x": 2.0}]}';
    const attributes = 'trace-id=abc, tfs-method=regress ,tfs-model-version=1';
    expect(await answer(invoke(undefined, regress, { customAttributes: attributes }))).toEqual(json(200, '{"results":[3.5,4.0]}'));
  });

  it("passes the model's errors through as JSON with their status, whatever the Accept", async () => {
    expect(await answer(invoke(undefined, '{"instances": [1.0], "signature_name": "nope"}', { accept: 'text/csv' }))).toEqual(
      json(400, '{"error":"Serving signature key \\"nope\\" not found."}'),
    );
  });

  it('throws the content errors (415) and attribute errors (400) for the error middleware', async () => {
    await expect(invoke(undefined, '<x/>', { contentType: 'application/xml' })).rejects.toThrow(
      new UnsupportedMediaTypeError('Unsupported Media Type: application/xml'),
    );
    await expect(invoke(undefined, '[1]', { accept: 'image/png' })).rejects.toThrow(UnsupportedMediaTypeError);
    await expect(invoke(undefined, '[1]', { customAttributes: 'tfs-model-name=nope' })).rejects.toThrow(
      new InvalidArgumentError('custom attribute tfs-model-name=nope: no such model (models: half_plus_three, fake)'),
    );
    await expect(invoke(undefined, '[1]', { customAttributes: 'tfs-method=infer' })).rejects.toThrow(InvalidArgumentError);
  });

  it('lets an unexpected model failure reject: it is a 500 for the middleware, not a model answer', async () => {
    const broken = invoke(undefined, '{"signature_name": "broken", "instances": [1]}', { customAttributes: 'tfs-model-name=fake' });
    await expect(broken).rejects.toThrow('kernel exploded');
  });
});

describe('the Context', () => {
  it('holds the request facts: resolved model, version and method, raw headers, body length', async () => {
    let seen: Context | undefined;
    const signal = new AbortController().signal;
    const customAttributes = 'my-flag=on,tfs-model-name=half_plus_three, tfs-model-version=1,tfs-method=predict';
    await invoke({ handler: (_data, context) => ((seen = context), { body: '' }) }, 'a;b', {
      contentType: 'text/plain; charset=latin1',
      accept: 'text/csv;q=0.5',
      customAttributes,
      signal,
    });
    expect(seen).toMatchObject({
      modelName: 'half_plus_three',
      modelVersion: '1',
      method: 'predict',
      requestContentType: 'text/plain; charset=latin1',
      accept: 'text/csv;q=0.5',
      customAttributes,
      contentLength: 3,
      signal,
    });
  });

  it('names the default model, its highest version and predict when the request names none', async () => {
    let seen: Context | undefined;
    await invoke({ handler: (_data, context) => ((seen = context), { body: '' }) }, '', { contentType: undefined });
    expect(seen).toMatchObject({
      modelName: 'half_plus_three',
      modelVersion: '2',
      method: 'predict',
      requestContentType: undefined,
      accept: undefined,
      customAttributes: undefined,
      contentLength: 0,
    });
  });
});

describe('handler', () => {
  it('answers alone: raw body in, its own response out', async () => {
    const handler = (data: Buffer) => ({ body: data.toString().toUpperCase(), contentType: 'text/plain', status: 201 });
    expect(await answer(invoke({ handler }, 'not json at all', { contentType: 'application/x-anything' }))).toEqual({
      status: 201,
      body: 'NOT JSON AT ALL',
      contentType: 'text/plain',
    });
  });

  it('may be async and call the model several times, with objects (bigints exact), strings and Buffers', async () => {
    const handler = async (_data: Buffer, context: Context) => {
      const fromObject = await context.invoke({ instances: [2n, 1024n] });
      const fromString = await context.invoke('{"inputs": [4.0]}');
      const fromBuffer = await context.invoke(Buffer.from('{"instances": [6.0]}'));
      return { body: [fromObject.json(), fromString.json(), fromBuffer.json()] };
    };
    expect(await answer(invoke({ handler }, ''))).toEqual(
      json(200, '[{"predictions":[3,514]},{"outputs":[4]},{"predictions":[5]}]'),
    );
  });

  it('sends a bigint to the model digit for digit (here, too large for a float input)', async () => {
    const handler = async (_data: Buffer, context: Context) => ({ body: (await context.invoke({ instances: [9007199254740993n] })).body });
    expect((await answer(invoke({ handler }, ''))).body).toMatch(/Cannot convert JSON value: 9007199254740993 to float/);
  });

  it("gets the model's errors as a response it can read", async () => {
    const handler = async (_data: Buffer, context: Context) => {
      const response = await context.invoke({ instances: ['a'] });
      return { status: 422, body: { status: response.status, contentType: response.contentType, model: response.json() } };
    };
    const result = JSON.parse((await answer(invoke({ handler }, ''))).body);
    expect(result).toEqual({ status: 400, contentType: 'application/json', model: { error: expect.stringMatching(/./) } });
  });
});

describe('inputHandler and outputHandler', () => {
  const csvInput = (data: Buffer) => ({ instances: data.toString().trim().split('\n').map(Number) });
  const csvOutput = async (response: ModelResponse) => {
    if (response.status !== 200) return { status: response.status, body: response.body };
    const { predictions } = response.json() as { predictions: number[] };
    return { body: predictions.join('\n'), contentType: 'text/csv' };
  };

  it('inputHandler alone: its request goes to the model, the built-in output handler applies Accept', async () => {
    expect(await answer(invoke({ inputHandler: csvInput }, '1\n2\n', { accept: 'application/jsonlines' }))).toEqual({
      status: 200,
      body: '2.5\n3.0',
      contentType: 'application/jsonlines',
    });
  });

  it('inputHandler may return the request as a string or a Buffer (async)', async () => {
    expect(await answer(invoke({ inputHandler: async () => '{"instances": [0]}' }, 'ignored'))).toEqual(json(200, '{"predictions":[2.0]}'));
    expect(await answer(invoke({ inputHandler: () => Buffer.from('{"inputs": [2]}') }, 'ignored'))).toEqual(json(200, '{"outputs":[3.0]}'));
  });

  it('outputHandler alone: the built-in input handler decodes the body, the hook shapes the answer', async () => {
    expect(await answer(invoke({ outputHandler: csvOutput }, '2.0\n4.0', { contentType: 'text/csv' }))).toEqual({
      status: 200,
      body: '3\n4',
      contentType: 'text/csv',
    });
  });

  it('outputHandler sees model errors with their status and body', async () => {
    expect(await answer(invoke({ outputHandler: csvOutput }, '{"instances": [1], "signature_name": "nope"}'))).toEqual(
      json(400, '{"error":"Serving signature key \\"nope\\" not found."}'),
    );
  });

  it('both: request and response are the hooks\' own', async () => {
    expect(await answer(invoke({ inputHandler: csvInput, outputHandler: csvOutput }, '6\n8', { contentType: 'text/csv' }))).toEqual({
      status: 200,
      body: '5\n6',
      contentType: 'text/csv',
    });
  });
});

describe('hook failures are 500s naming the hook', () => {
  const rejects = async (hooks: InferenceModule, message: string) => {
    const result = invoke(hooks, '{"instances": [1]}');
    await expect(result).rejects.toThrow(HookError);
    await expect(result).rejects.toMatchObject({ status: 500, message });
  };

  it('a hook that throws', async () => {
    await rejects({ inputHandler: () => { throw new Error('no such column: age'); } }, 'inputHandler: no such column: age');
    await rejects({ outputHandler: async () => Promise.reject(new TypeError('x is undefined')) }, 'outputHandler: x is undefined');
    await rejects({ handler: () => { throw 'a string'; } }, 'handler: a string');
  });

  it('a hook that returns the wrong shape', async () => {
    await rejects({ inputHandler: () => 5 as never }, 'inputHandler must return a TF Serving request (an object, a string or a Buffer), got number 5');
    await rejects({ inputHandler: () => [1, 2] as never }, 'inputHandler must return a TF Serving request (an object, a string or a Buffer), got an array');
    await rejects({ outputHandler: () => 42 as never }, 'outputHandler must return { body, contentType?, status? }, got number 42');
    await rejects({ handler: async () => undefined as never }, 'handler must return { body, contentType?, status? }, got undefined');
  });

  it('a handler that calls invoke with something that is not a request', async () => {
    await rejects(
      { handler: async (_data, context) => ({ body: await context.invoke(null as never) }) },
      'handler: context.invoke takes a TF Serving request (an object, a string or a Buffer), got null',
    );
  });
});
