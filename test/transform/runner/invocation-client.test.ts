import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvocationClient, InvocationError } from '../../../transform/runner/invocation-client';

/** The client against a real HTTP server that answers from a script, one entry per request. */

type Step = number | 'reset';

describe('InvocationClient', () => {
  let server: http.Server;
  let url: string;
  let script: Step[] = [];
  const seen: Array<{ contentType?: string; accept?: string; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ contentType: req.headers['content-type'], accept: req.headers.accept, body: Buffer.concat(chunks).toString() });
        const step = script.shift() ?? 200;
        if (step === 'reset') return req.socket.destroy();
        res.writeHead(step).end(`answer ${step}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    seen.length = 0;
  });

  const client = (maxRetries: number) =>
    new InvocationClient({ url, contentType: 'text/csv', accept: 'application/json', timeoutSeconds: 5, maxRetries, maxSockets: 2, retryDelayMs: () => 0 });

  it('sends the body with the job Content-Type and Accept', async () => {
    script = [200];
    const invoker = client(0);
    expect((await invoker.invoke(Buffer.from('1,2'), 'f record 0')).toString()).toBe('answer 200');
    expect(seen).toEqual([{ contentType: 'text/csv', accept: 'application/json', body: '1,2' }]);
    invoker.close();
  });

  it('retries 5xx, 429 and dropped connections', async () => {
    script = [503, 'reset', 429, 500, 200];
    const invoker = client(4);
    expect((await invoker.invoke(Buffer.from('x'), 'f record 0')).toString()).toBe('answer 200');
    expect(seen).toHaveLength(5);
    invoker.close();
  });

  it('gives up after InvocationsMaxRetries, and at once on other 4xx', async () => {
    script = [502, 502];
    const invoker = client(1);
    const error = await invoker.invoke(Buffer.from('x'), 'f record 3').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvocationError);
    expect(error).toMatchObject({ attempts: 2, status: 502, message: 'POST /invocations for f record 3 failed after 2 attempts: 502 answer 502' });
    script = [415];
    await expect(invoker.invoke(Buffer.from('x'), 'f record 4')).rejects.toThrow('POST /invocations for f record 4 failed: 415 answer 415');
    expect(seen).toHaveLength(3);
    invoker.close();
  });
});
