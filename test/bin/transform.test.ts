import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { LOCAL_EXIT, runTransformCli } from '../../bin/commands/transform';
import { buildProgram } from '../../bin/tfserve';
import { useRecordingContainer, writeFiles } from '../transform/runner/recording-container';

/** `tfserve transform` (local runs): flags in, summary on stdout, progress and errors on stderr, the exit code. */

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('tfserve transform', () => {
  const rig = useRecordingContainer('cli');
  beforeAll(() => {
    writeFiles(path.join(rig.work, 'in'), { 'a.csv': '1\n2\n', 'b.csv': 'FAIL\n' });
  });

  async function run(flags: Record<string, string | undefined>) {
    const stdout = capture();
    const stderr = capture();
    const code = await runTransformCli(
      { input: path.join(rig.work, 'in'), output: path.join(rig.work, 'out'), logLevel: 'silent', endpoint: rig.server.url, ...flags },
      { stdout: stdout.stream, stderr: stderr.stream, deps: { retryDelayMs: () => 0 } },
    );
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('is registered', () => {
    expect(buildProgram().commands.map((command) => command.name())).toContain('transform');
  });

  it('exits 1 when an object fails, listing each object and the FailureReason', async () => {
    const { code, stdout, stderr } = await run({ contentType: 'text/csv', splitType: 'Line', accept: 'text/csv', assembleWith: 'Line', batchStrategy: 'SingleRecord' });
    expect(code).toBe(LOCAL_EXIT.failed);
    expect(stdout).toMatch(/^object\s+status\s+records\s+requests\s+in\s+out\n/);
    expect(stdout).toMatch(/\na\.csv\s+Completed\s+2\s+2\s+4 B\s+8 B\n/);
    expect(stdout).toMatch(/\nb\.csv\s+Failed\s+0\s+0\s+5 B\s+0 B\n    error: POST \/invocations for b\.csv record 0 failed after 4 attempts: 500/);
    expect(stdout).toMatch(/\nFailed: 1 of 2 objects transformed, 2 records in .*BatchStrategy SingleRecord/);
    expect(stdout).toMatch(/\nFailureReason: 1 object failed\. b\.csv: /);
    // Not a terminal: plain lines, no bar; one line per object as it finishes (the objects run concurrently, so in
    // either order).
    const [first, ...objectLines] = stderr.trimEnd().split('\n');
    expect(first).toBe('transforming 2 objects, 9 B');
    expect(objectLines.sort()).toEqual([
      'a.csv: Completed, 2 records, 4 B in, 8 B out',
      expect.stringMatching(/^b\.csv: Failed, 0 records, 5 B in, 0 B out: POST \/invocations for b\.csv record 0 failed after 4 attempts: 500/),
    ]);
    expect(fs.readdirSync(path.join(rig.work, 'out'))).toEqual(['a.csv.out']);
  });

  it('exits 0 when every object is transformed', async () => {
    fs.rmSync(path.join(rig.work, 'in', 'b.csv'));
    const { code, stdout } = await run({ contentType: 'text/csv', splitType: 'Line', output: path.join(rig.work, 'out-ok') });
    expect(code).toBe(LOCAL_EXIT.completed);
    expect(stdout).toMatch(/\nCompleted: 1 of 1 objects transformed/);
  });

  it('exits 2 without doing anything for invalid flags or a missing target', async () => {
    rig.model.reset();
    const invalid = await run({ splitType: 'line' });
    expect(invalid.code).toBe(LOCAL_EXIT.notStarted);
    expect(invalid.stderr).toMatch(/SplitType.*did you mean Line\?/);
    const untargeted = await run({ endpoint: undefined });
    expect(untargeted.code).toBe(LOCAL_EXIT.notStarted);
    expect(untargeted.stderr).toMatch(/needs --model-dir <dir> or --endpoint <url>/);
    expect(rig.model.requests()).toHaveLength(0);
  });
});
