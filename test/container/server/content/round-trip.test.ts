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
  ])('%s body, Accept %s, as text and as the tensors decoded for the model', async (contentType, body, accept, expected) => {
    const asText = decodeRequest(Buffer.from(body), contentType);
    const forModel = decodeRequest(Buffer.from(body), contentType, { method: 'predict', signatures: model.signatures });
    for (const request of [asText, forModel]) {
      const response = encodeResponse(await runTfsMethod(model, 'predict', typeof request === 'string' ? Buffer.from(request) : request), negotiateResponseType(accept));
      expect(response.body).toBe(expected);
    }
    expect(typeof asText).toBe('string');
  });
});
