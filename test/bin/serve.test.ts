import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { stopOnSignals } from '../../bin/commands/serve';
import { buildProgram } from '../../bin/tfserve';
import { startServer } from '../../container/server/serve';

describe('stopOnSignals', () => {
  const heldLoader = path.join(__dirname, '..', 'container', 'server', 'workers', 'held-model-loader.ts');

  async function metric(url: string, line: string): Promise<number | undefined> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  }

  it.each(['SIGTERM', 'SIGINT'])('on %s answers all 200 requests in flight, then exits 0', async (signal) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-signal-'));
    const modelDir = path.join(root, 'm', '1');
    fs.mkdirSync(modelDir, { recursive: true });
    fs.writeFileSync(path.join(modelDir, 'saved_model.pb'), '');
    fs.writeFileSync(path.join(modelDir, 'runs.log'), '');
    fs.writeFileSync(path.join(modelDir, 'hold'), ''); // every inference waits until the test lets go
    const server = await startServer({
      modelDir: root,
      port: 0,
      host: '127.0.0.1',
      env: { TFSERVE_WORKERS: '2' },
      logger: pino({ level: 'silent' }),
      workerLoaderModule: heldLoader,
    });
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) => stopOnSignals(server, resolve, signals));

    const inFlight = Array.from({ length: 200 }, (_, i) =>
      fetch(`${server.url}/invocations`, {
        method: 'POST',
        body: `{"instances": [${i}]}`,
        headers: { 'Content-Type': 'application/json' },
      }).then(async (response) => [response.status, await response.text()]),
    );
    // 16 sent to the two workers (8 each, the pool's default pipeline depth), the other 184 queued: every request
    // has reached the server
    while ((await metric(server.url, 'tfserve_inference_queue_length')) !== 184) await new Promise((r) => setTimeout(r, 10));
    signals.emit(signal);
    signals.emit(signal); // a second signal while stopping changes nothing
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow(); // no longer accepting connections
    fs.rmSync(path.join(modelDir, 'hold'));

    expect(await Promise.all(inFlight)).toEqual(Array.from({ length: 200 }, (_, i) => [200, `{"predictions":[${(0.5 * i + 3).toFixed(1)}]}`]));
    expect(await exited).toBe(0);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('the tfserve program', () => {
  function parseError(args: string[]): string {
    const program = buildProgram();
    let stderr = '';
    for (const command of [program, ...program.commands]) {
      command.exitOverride().configureOutput({ writeErr: (text) => (stderr += text), writeOut: () => undefined });
    }
    expect(() => program.parse(args, { from: 'user' })).toThrow();
    return stderr;
  }

  it('has one subcommand per part of the toolkit', () => {
    expect(buildProgram().commands.map((c) => c.name())).toEqual(['serve', 'inspect', 'demo', 'archive', 'records', 'agent', 'transform']);
  });

  it('serves on all addresses and leaves the model dir to startServer (/opt/ml/model, or /opt/ml/models for MME)', () => {
    const serve = buildProgram().commands.find((c) => c.name() === 'serve');
    expect(serve?.opts()).toEqual({ host: '0.0.0.0' });
  });

  it('rejects a port that is not a port number', () => {
    expect(parseError(['serve', '--port', 'http'])).toBe(
      "error: option '--port <port>' argument 'http' is invalid. must be a port number from 0 to 65535\n",
    );
  });

  it('requires a directory for inspect', () => {
    expect(parseError(['inspect'])).toBe("error: missing required argument 'dir'\n");
  });
});
