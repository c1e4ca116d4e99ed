import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { startServer, type RunningServer } from '../../../../container/server/serve';

/** Batching through the whole server: real workers, the pure engine, a generated half_plus_three. */

describe('startServer with SAGEMAKER_TFS_ENABLE_BATCHING=true', () => {
  let root: string;
  let server: RunningServer;
  const logLines: { level: number; msg: string }[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-batching-'));
    writeLinearModel(path.join(root, 'half_plus_three', '1'));
    const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
    const env = {
      TFSERVE_WORKERS: '2',
      TFSERVE_ENGINE: 'pure',
      SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
      SAGEMAKER_TFS_MAX_BATCH_SIZE: '16',
      // Long enough that concurrent requests meet in one batch; a full batch closes at once anyway.
      SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: '20000',
    };
    server = await startServer({ modelDir: root, port: 0, host: '127.0.0.1', env, logger });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('logs the effective configuration and the defaulted values at start-up', () => {
    const messages = logLines.map((line) => line.msg);
    expect(messages).toContain(`batching config: \nmax_batch_size { value: 16 }\nbatch_timeout_micros { value: 20000 }\nnum_batch_threads { value: ${os.availableParallelism()} }\nmax_enqueued_batches { value: ${os.availableParallelism()} }`);
    expect(messages.filter((message) => message.includes('defaulted to'))).toHaveLength(2);
  });

  it('answers concurrent requests, of one or several rows, each with its own predictions', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? [i, i + 1] : [i]));
    const answers = await Promise.all(
      bodies.map(async (instances, i) => {
        const route = i % 2 === 0 ? '/invocations' : '/v1/models/half_plus_three:predict';
        const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ instances }) });
        return [response.status, await response.json()];
      }),
    );
    expect(answers).toEqual(bodies.map((instances) => [200, { predictions: instances.map((x) => 0.5 * x + 3) }]));
  });

  it('answers another signature (regress) and a malformed request next to batched ones', async () => {
    const post = (route: string, body: unknown) =>
      fetch(`${server.url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()]);
    const [regress, predict, bad] = await Promise.all([
      post('/v1/models/half_plus_three:regress', { signature_name: 'tensorflow/serving/regress', examples: [{ x: 1 }, { x: 2 }] }),
      post('/invocations', { instances: [4] }),
      post('/invocations', { instances: [[1, 2], [3]] }),
    ]);
    expect(regress).toEqual([200, { results: [3.5, 4] }]);
    expect(predict).toEqual([200, { predictions: [5] }]);
    expect(bad[0]).toBe(400);
  });
});
