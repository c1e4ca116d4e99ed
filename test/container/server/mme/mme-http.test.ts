import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { readServerConfig } from '../../../../container/server/config';
import { startMme, writeFile, type Mme } from './mme-server';

/**
 * The multi-model endpoint API (serving contract A9) on a real socket: generated half_plus_three models written under
 * a temporary models root, loaded, invoked and unloaded over HTTP. Models load in this thread (the worker pool path
 * has its own test at the end).
 */

/** saved_model.pb and variables/*: what the budget counts. */
function weightFileBytes(versionDir: string): number {
  const variables = fs.readdirSync(path.join(versionDir, 'variables')).map((file) => path.join(versionDir, 'variables', file));
  return [path.join(versionDir, 'saved_model.pb'), ...variables].reduce((sum, file) => sum + fs.statSync(file).size, 0);
}

async function answer(response: Promise<Response>): Promise<{ status: number; body: unknown }> {
  const r = await response;
  const text = await r.text();
  return { status: r.status, body: text === '' ? '' : JSON.parse(text) };
}

describe('multi-model endpoint: load, describe, invoke, unload', () => {
  let mme: Mme;
  beforeAll(async () => {
    mme = await startMme();
  });
  afterAll(() => mme.close());

  it('starts with no model, and /ping is 200', async () => {
    expect((await mme.get('/ping')).status).toBe(200);
    expect(await answer(mme.get('/models'))).toEqual({ status: 200, body: { models: [] } });
  });

  it('loads a model named with underscores, describes it, serves it and unloads it', async () => {
    const url = mme.model('half_plus_two/model');
    expect(await answer(mme.load('half_plus_two', url))).toEqual({ status: 200, body: { success: 'Successfully loaded model half_plus_two' } });
    const description = { modelName: 'half_plus_two', modelUrl: fs.realpathSync(url), status: 'AVAILABLE', versions: ['1'] };
    expect(await answer(mme.get('/models/half_plus_two'))).toEqual({ status: 200, body: description });
    expect(await answer(mme.get('/models'))).toEqual({ status: 200, body: { models: [description] } });

    expect(await answer(mme.invoke('half_plus_two', '{"instances":[1,2,5]}'))).toEqual({ status: 200, body: { predictions: [3.5, 4.0, 5.5] } });

    expect(await answer(mme.remove('half_plus_two'))).toEqual({ status: 200, body: { success: 'Successfully unloaded model half_plus_two.' } });
    expect(await answer(mme.get('/models/half_plus_two'))).toEqual({ status: 404, body: { error: 'Model half_plus_two is not loaded yet.' } });
    expect(await answer(mme.invoke('half_plus_two', '[1]'))).toEqual({ status: 404, body: { error: 'Model half_plus_two is not loaded yet.' } });
  });

  it('takes every content type, Accept and custom attribute that /invocations takes', async () => {
    const url = mme.model('formats/model');
    mme.model('formats/model', '2');
    expect((await mme.load('formats', url)).status).toBe(200);
    const csv = await mme.invoke('formats', '1.0\n2.0\n5.0', { 'Content-Type': 'text/csv', Accept: 'text/csv' });
    expect([csv.status, await csv.text()]).toEqual([200, '3.5\n4.0\n5.5']);
    const regress = await mme.invoke('formats', '{"signature_name":"tensorflow/serving/regress","examples":[{"x":1.0},{"x":2.0}]}', {
      'Content-Type': 'application/json',
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-method=regress, tfs-model-version=1',
    });
    expect([regress.status, await regress.json()]).toEqual([200, { results: [3.5, 4.0] }]);
    expect(await answer(mme.get('/models/formats'))).toMatchObject({ body: { versions: ['1', '2'] } });
    expect((await mme.remove('formats')).status).toBe(200);
  });

  it('answers 409 for a model already loaded, and exactly one of two concurrent loads of a name wins', async () => {
    const url = mme.model('twice/model');
    const statuses = (await Promise.all([mme.load('twice', url), mme.load('twice', url)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409]);
    expect(await answer(mme.load('twice', url))).toEqual({ status: 409, body: { error: 'Model twice is already loaded.' } });
    expect((await mme.remove('twice')).status).toBe(200);
    expect((await mme.load('twice', url)).status).toBe(200);
    expect((await mme.remove('twice')).status).toBe(200);
  });

  it('answers 404 for models it does not hold and for a url without version directories', async () => {
    expect(await answer(mme.get('/models/nope'))).toEqual({ status: 404, body: { error: 'Model nope is not loaded yet.' } });
    expect(await answer(mme.remove('nope'))).toEqual({ status: 404, body: { error: 'Model nope is not loaded yet' } });
    expect((await mme.invoke('nope', '[1]')).status).toBe(404);

    const flat = path.join(mme.root, 'flat');
    writeLinearModel(flat); // a SavedModel without a <version>/ directory around it (#166)
    const missing = await answer(mme.load('flat', flat));
    expect(missing).toEqual({
      status: 404,
      body: { error: `Could not find valid base path ${fs.realpathSync(flat)} for servable flat: expected <version>/saved_model.pb directly under it` },
    });
    expect(await answer(mme.load('ghost', path.join(mme.root, 'ghost')))).toEqual({
      status: 404,
      body: { error: `url ${path.join(mme.root, 'ghost')} does not exist` },
    });
    expect(await answer(mme.get('/models'))).toEqual({ status: 200, body: { models: [] } });
  });

  it('answers 400 for a bad body, a bad name and a url outside the models root', async () => {
    const post = (body: string) => answer(fetch(`${mme.server.url}/models`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }));
    expect((await post('{"model_name":')).status).toBe(400);
    expect(await post('{"model_name":"m"}')).toEqual({
      status: 400,
      body: { error: 'the body must be JSON {"model_name": "<name>", "url": "<path>"}: url is missing or not a non-empty string' },
    });
    const url = mme.model('bad/model');
    expect(await answer(mme.load('a/b', url))).toEqual({ status: 400, body: { error: 'model_name "a/b" may not contain "/" or NUL, nor be ".."' } });
    expect((await mme.load('..', url)).status).toBe(400);
    expect(await answer(mme.load('outside', os.tmpdir()))).toEqual({
      status: 400,
      body: { error: `url ${os.tmpdir()} is not a directory under the models root ${mme.root}` },
    });
    expect((await mme.load('dotdot', path.join(mme.root, '..', path.basename(mme.root), '..'))).status).toBe(400);
    expect((await mme.load('root', mme.root)).status).toBe(400);
    const link = path.join(mme.root, 'link');
    fs.symlinkSync(os.tmpdir(), link);
    expect((await mme.load('link', link)).status).toBe(400);
  });

  it('answers 400 to /invocations, which names no model', async () => {
    const response = await fetch(`${mme.server.url}/invocations`, { method: 'POST', body: '[1]', headers: { 'Content-Type': 'application/json' } });
    expect(await answer(Promise.resolve(response))).toEqual({
      status: 400,
      body: { error: 'Invocation request does not contain model name: in multi-model mode send POST /models/{model_name}/invoke' },
    });
  });

  it('pages the list by name with page_size and next_page_token', async () => {
    for (const name of ['p_c', 'p_a', 'p_b']) expect((await mme.load(name, mme.model(`${name}/model`))).status).toBe(200);
    const first = await answer(mme.get('/models?page_size=2'));
    expect(first.body).toMatchObject({ models: [{ modelName: 'p_a' }, { modelName: 'p_b' }], nextPageToken: 'p_b' });
    const second = await answer(mme.get('/models?page_size=2&next_page_token=p_b'));
    expect(second.body).toEqual({ models: [expect.objectContaining({ modelName: 'p_c' })] });
    expect((await mme.get('/models?page_size=0')).status).toBe(400);
    for (const name of ['p_a', 'p_b', 'p_c']) expect((await mme.remove(name)).status).toBe(200);
  });
});

const slowHook = (started: string, release: string) => `
const fs = require('node:fs');
exports.handler = async (data, context) => {
  fs.writeFileSync(${JSON.stringify(started)}, '');
  while (!fs.existsSync(${JSON.stringify(release)})) await new Promise((resolve) => setTimeout(resolve, 5));
  const response = await context.invoke(JSON.parse(data.toString()));
  return { body: response.body, status: response.status };
};
`;

const labelHook = (label: string) => `
exports.outputHandler = (response, context) => ({ body: '${label} ' + context.modelName + ' ' + response.body.toString(), contentType: 'text/plain' });
`;

describe('multi-model endpoint: hooks and unloading while busy', () => {
  let mme: Mme;
  beforeAll(async () => {
    mme = await startMme({ files: { 'code/inference.js': labelHook('universal') } });
  });
  afterAll(() => mme.close());

  it("uses a model's own code/ and falls back to the universal <root>/code/", async () => {
    const own = mme.model('own/model');
    writeFile(path.join(own, 'code', 'inference.js'), labelHook('own'));
    expect((await mme.load('own', own)).status).toBe(200);
    expect((await mme.load('plain', mme.model('plain/model'))).status).toBe(200);
    expect(await (await mme.invoke('own', '{"instances":[1]}')).text()).toBe('own own {"predictions":[3.5]}');
    expect(await (await mme.invoke('plain', '{"instances":[1]}')).text()).toBe('universal plain {"predictions":[3.5]}');
  });

  it('lets a request in flight finish before the unload answers, and refuses new requests meanwhile', async () => {
    const url = mme.model('busy/model');
    const started = path.join(mme.root, 'started');
    const release = path.join(mme.root, 'release');
    writeFile(path.join(url, 'code', 'inference.js'), slowHook(started, release));
    expect((await mme.load('busy', url)).status).toBe(200);

    const finished: string[] = [];
    const inFlight = answer(mme.invoke('busy', '{"instances":[1,2]}')).then((result) => (finished.push('invoke'), result));
    while (!fs.existsSync(started)) await new Promise((resolve) => setTimeout(resolve, 5));
    const unload = answer(mme.remove('busy')).then((result) => (finished.push('unload'), result));
    // The model is gone for new requests at once.
    while ((await mme.get('/models/busy')).status !== 404) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await mme.invoke('busy', '{"instances":[1]}')).status).toBe(404);

    fs.writeFileSync(release, '');
    expect(await inFlight).toEqual({ status: 200, body: { predictions: [3.5, 4.0] } });
    expect(await unload).toEqual({ status: 200, body: { success: 'Successfully unloaded model busy.' } });
    expect(finished).toEqual(['invoke', 'unload']);
  });
});

describe('multi-model endpoint: memory budget', () => {
  let mme: Mme;
  beforeAll(async () => {
    mme = await startMme({ env: { TFSERVE_MME_MEMORY_BUDGET_MB: '1' } });
  });
  afterAll(() => mme.close());

  it('answers 507 when the weights would exceed TFSERVE_MME_MEMORY_BUDGET_MB, and frees the budget on unload', async () => {
    const small = mme.model('small/model');
    const big = mme.model('big/model');
    // Padding in variables/ makes `big` fill the budget alone; the engine reads only the files the index names.
    const smallBytes = weightFileBytes(path.join(small, '1'));
    writeFile(path.join(big, '1', 'variables', 'padding'), Buffer.alloc(1024 * 1024 - smallBytes));
    expect((await mme.load('small', small)).status).toBe(200);
    expect(await answer(mme.load('big', big))).toEqual({
      status: 507,
      body: {
        error:
          `Memory exhausted: model big needs 1.00 MB of weights, ${(smallBytes / 1024 / 1024).toFixed(2)} MB of the 1.00 MB ` +
          'budget (TFSERVE_MME_MEMORY_BUDGET_MB) are in use; unload a model first',
      },
    });
    expect((await mme.get('/models/big')).status).toBe(404);
    expect((await mme.remove('small')).status).toBe(200);
    expect((await mme.load('big', big)).status).toBe(200);
    expect(await answer(mme.invoke('big', '{"instances":[2]}'))).toEqual({ status: 200, body: { predictions: [4.0] } });
  });
});

describe('multi-model endpoint: load timeout', () => {
  it('fails a load past TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS and frees the name', async () => {
    const mme = await startMme({ env: { TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: '0.1' }, load: () => new Promise(() => undefined) });
    try {
      expect(await answer(mme.load('stuck', mme.model('stuck')))).toEqual({
        status: 500,
        body: { error: 'did not load within 0.1 s (TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS); set it higher for large models' },
      });
      expect(await answer(mme.get('/models'))).toEqual({ status: 200, body: { models: [] } });
    } finally {
      await mme.close();
    }
  });
});

describe('multi-model endpoint: delete during load', () => {
  it('answers 409 to a DELETE while the model loads, then unloads it once loaded', async () => {
    let finishLoad: () => void = () => undefined;
    let loadStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (loadStarted = resolve));
    const engine = new PureEngine();
    const mme = await startMme({
      load: (dir) =>
        new Promise((resolve) => {
          finishLoad = () => resolve(engine.load(dir));
          loadStarted();
        }),
    });
    try {
      const loading = mme.load('slow', mme.model('slow'));
      await started;
      expect(await answer(mme.remove('slow'))).toEqual({
        status: 409,
        body: { error: 'Model slow is still loading; unload it once its load has answered' },
      });
      finishLoad();
      expect((await loading).status).toBe(200);
      expect((await mme.remove('slow')).status).toBe(200);
    } finally {
      await mme.close();
    }
  });
});

describe('multi-model endpoint: worker pool', () => {
  it('loads into the inference workers and unloads from them', async () => {
    const mme = await startMme({ load: 'workers' });
    try {
      expect((await mme.load('pooled', mme.model('pooled/model'))).status).toBe(200);
      expect(await answer(mme.invoke('pooled', '{"instances":[1,2,5]}'))).toEqual({ status: 200, body: { predictions: [3.5, 4.0, 5.5] } });
      expect((await mme.remove('pooled')).status).toBe(200);
    } finally {
      await mme.close();
    }
  });
});

describe('multi-model configuration', () => {
  it('turns on with SAGEMAKER_MULTI_MODEL=true in any case, and accepts SAGEMAKER_SAFE_PORT_RANGE', () => {
    expect(readServerConfig({ SAGEMAKER_MULTI_MODEL: 'TRUE', SAGEMAKER_SAFE_PORT_RANGE: '9000-9999' })).toMatchObject({
      SAGEMAKER_MULTI_MODEL: true,
      SAGEMAKER_SAFE_PORT_RANGE: '9000-9999',
    });
    expect(readServerConfig({ SAGEMAKER_MULTI_MODEL: 'false' }).SAGEMAKER_MULTI_MODEL).toBe(false);
    expect(readServerConfig({ TFSERVE_MME_MEMORY_BUDGET_MB: '512' }).TFSERVE_MME_MEMORY_BUDGET_MB).toBe(512);
    expect(() => readServerConfig({ TFSERVE_MME_MEMORY_BUDGET_MB: '0' })).toThrow('TFSERVE_MME_MEMORY_BUDGET_MB="0"');
  });
});
