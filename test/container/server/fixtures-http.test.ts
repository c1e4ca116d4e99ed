import pino from 'pino';
import { type RunningServer, startServer } from '../../../container/server/serve';
import { describeWithFixtures, fixturesRoot } from '../../support/fixtures';

/**
 * `tfserve serve` on every TensorFlow-written fixture at once (the fixtures folder is a models root: one model per
 * folder, numeric versions), on the pure engine, over real HTTP. Expected values are the ones the fixtures'
 * sources state (../shared/fixtures/README.md).
 */
describeWithFixtures('serving every fixture model over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      modelDir: fixturesRoot,
      port: 0,
      host: '127.0.0.1',
      env: { TFSERVE_ENGINE: 'pure' },
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(() => server.close());

  async function invoke(model: string, body: unknown, extraAttributes = '') {
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Amzn-SageMaker-Custom-Attributes': `tfs-model-name=${model}${extraAttributes}`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  }

  test('/ping answers 200 once every model is loaded', async () => {
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  test.each([
    ['half_plus_three', { instances: [1, 2, 5] }, '{"predictions":[3.5,4.0,5.5]}'],
    ['half_plus_three', { inputs: [1, 2, 5] }, '{"outputs":[3.5,4.0,5.5]}'],
    ['half_plus_three', { instances: [[1, 2, 5], [1, 2, 5]] }, '{"predictions":[[3.5,4.0,5.5],[3.5,4.0,5.5]]}'],
    ['half_plus_two_2_versions', { instances: [[1], [2], [5]] }, '{"predictions":[[2.5],[3.0],[4.5]]}'],
    ['half_plus_two_mlmd', { instances: [1, 2, 5] }, '{"predictions":[2.5,3.0,4.5]}'],
    ['half_plus_two_tf2', { instances: [2] }, '{"predictions":[3.0]}'],
    ['half_plus_two_tf2', { signature_name: 'regress_x2_to_y3', instances: [2] }, '{"predictions":[4.0]}'],
    ['times_three_float', { instances: [1, 2, 3] }, '{"predictions":[3.0,6.0,9.0]}'],
    ['times_two_int', { instances: [1, 2, 3] }, '{"predictions":[2,4,6]}'],
    ['module_with_multiple_signatures', { signature_name: 'timestwo', instances: [1, 2, 3] }, '{"predictions":[2.0,4.0,6.0]}'],
    [
      'model_multi_output',
      { instances: [{ x: 1, y: 1 }, { x: 2, y: 2 }, { x: 3, y: 3 }] },
      '{"predictions":[{"output_0":2,"output_1":1},{"output_0":4,"output_1":2},{"output_0":6,"output_1":3}]}',
    ],
    ['model_single_input_multi_output', { inputs: [1, 2, 3] }, '{"outputs":{"output_0":[2,4,6],"output_1":[1,2,3]}}'],
    ['int64_multiply', { instances: [3, 4] }, '{"predictions":[18,24]}'],
  ])('%s %j', async (model, request, expected) => {
    expect(await invoke(model, request)).toEqual({ status: 200, body: expected });
  });

  test('a version is chosen with tfs-model-version', async () => {
    expect(await invoke('half_plus_three', { instances: [1] }, ',tfs-model-version=123')).toEqual({
      status: 200,
      body: '{"predictions":[3.5]}',
    });
  });

  test('a stateful signature answers 400 naming the op that writes state', async () => {
    const { status, body } = await invoke('counter', { signature_name: 'incr_counter_by', instances: [3] });
    expect(status).toBe(400);
    expect(JSON.parse(body).error).toContain("op AssignAdd, node 'incr_counter_by_op/AssignAdd'");
  });
});
