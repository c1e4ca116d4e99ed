import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { stopOnSignals } from '../../bin/commands/serve';
import { buildProgram } from '../../bin/tfserve';
import { startServer } from '../../container/server/serve';
import { FakeModel } from '../container/server/fake-model';

describe('stopOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'])('on %s finishes in-flight requests, frees the models and exits 0', async (signal) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-signal-'));
    fs.mkdirSync(path.join(root, 'm', '1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'm', '1', 'saved_model.pb'), '');
    let finishRun: (() => void) | undefined;
    const model = new FakeModel();
    const run = model.run.bind(model);
    // holds the first prediction open until the test lets it go, so the signal arrives mid-request
    model.run = async (key, inputs) => {
      await new Promise<void>((resolve) => (finishRun = resolve));
      return run(key, inputs);
    };
    const server = await startServer({
      modelDir: root,
      port: 0,
      host: '127.0.0.1',
      env: {},
      logger: pino({ level: 'silent' }),
      load: async () => model,
    });
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) => stopOnSignals(server, resolve, signals));

    const inFlight = fetch(`${server.url}/invocations`, {
      method: 'POST',
      body: '{"instances": [1]}',
      headers: { 'Content-Type': 'application/json' },
    });
    while (!finishRun) await new Promise((resolve) => setTimeout(resolve, 5));
    signals.emit(signal);
    signals.emit(signal); // a second signal while stopping changes nothing
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow(); // no longer accepting connections
    finishRun?.();

    const response = await inFlight;
    expect(await response.text()).toBe('{"predictions":[3.5]}');
    expect(await exited).toBe(0);
    expect(model.disposed).toBe(true);
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

  it('has serve, inspect and demo commands', () => {
    expect(buildProgram().commands.map((c) => c.name())).toEqual(['serve', 'inspect', 'demo']);
  });

  it('defaults serve to /opt/ml/model on all addresses', () => {
    const serve = buildProgram().commands.find((c) => c.name() === 'serve');
    expect(serve?.opts()).toEqual({ modelDir: '/opt/ml/model', host: '0.0.0.0' });
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
