import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoadedModel } from '../../../../container/engine/engine';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { decodeRequest, encodeResponse, negotiateResponseType } from '../../../../container/server/content';
import { runTfsMethod } from '../../../../container/tfs/methods';

/** The decoded requests are TF Serving requests the model accepts, and its responses re-encode as asked. */
describe('content types around the generated half_plus_three', () => {
  let dir: string;
  let model: LoadedModel;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-content-'));
    writeLinearModel(dir);
    model = await new PureEngine().load(dir);
  });
  afterAll(() => {
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['text/csv', '1.0\r\n2.0\r\n5.0\r\n', 'text/csv', '3.5\n4.0\n5.5'],
    ['text/csv; header=present', 'x\n1.0\n2.0\n', 'application/jsonlines', '3.5\n4.0'],
    ['application/jsonlines', '1.0\n2.0\n5.0\n', 'application/json', '{"predictions":[3.5,4.0,5.5]}'],
    ['application/json; charset=utf-8', '[1.0, 2.0, 5.0]', 'text/csv', '3.5,4.0,5.5'],
    [undefined, '{"instances": [1.0, 2.0, 5.0]}', undefined, '{"predictions":[3.5,4.0,5.5]}'],
  ])('%s body, Accept %s', async (contentType, body, accept, expected) => {
    const request = decodeRequest(Buffer.from(body), contentType);
    const response = encodeResponse(await runTfsMethod(model, 'predict', Buffer.from(request)), negotiateResponseType(accept));
    expect(response.body).toBe(expected);
  });
});
