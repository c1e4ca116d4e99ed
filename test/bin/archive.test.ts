import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { runArchivePack, runArchiveVerify } from '../../bin/commands/archive';
import { buildProgram } from '../../bin/tfserve';
import { writeDemoModels } from '../../container/engine/writer/demo-models';
import { rawTarGz } from '../container/archive/tar-builder';

/** Commander settings are not inherited by added subcommands: without this a usage error would exit jest. */
function throwInsteadOfExit(command: Command): Command {
  command.exitOverride();
  command.commands.forEach(throwInsteadOfExit);
  return command;
}

describe('tfserve archive', () => {
  let root: string;
  let source: string;
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-archive-cli-'));
    source = path.join(root, 'models');
    await writeDemoModels(source);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Runs the real command line, capturing stdout, stderr and the exit code it sets. */
  async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    let stdout = '';
    let stderr = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
    const before = process.exitCode;
    try {
      await throwInsteadOfExit(buildProgram()).parseAsync(args, { from: 'user' });
      return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
    } finally {
      process.exitCode = before;
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('packs and verifies the demo model', async () => {
    const output = path.join(root, 'model.tar.gz');
    const packed = await cli('archive', 'pack', source, '-o', output);
    expect(packed.exitCode).toBe(0);
    expect(packed.stdout).toMatch(new RegExp(`^wrote ${output}: 6 entries, \\d+ bytes, sha256 [0-9a-f]{64}\\n$`));
    const verified = await cli('archive', 'verify', output, '--load');
    expect(verified).toEqual({
      stdout: expect.stringMatching(new RegExp(`^${output}: ok: half_plus_three \\(version 1\\); 6 entries, `)),
      stderr: '',
      exitCode: 0,
    });
  });

  it('verify exits non-zero with one line per problem', async () => {
    const archive = path.join(root, 'bad.tar.gz');
    fs.writeFileSync(archive, rawTarGz([{ path: '../evil', body: 'x' }, { path: 'lnk', type: 'SymbolicLink', linkpath: '/etc/passwd' }]));
    const result = await cli('archive', 'verify', archive);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${archive}: ../evil: path escapes the archive root (\`..\`)`,
      expect.stringMatching(new RegExp(`^${archive}: lnk: symbolic link to /etc/passwd: `)),
      `${archive}: no SavedModel found: expected <name>/<version>/saved_model.pb (e.g. half_plus_three/1/saved_model.pb)`,
      '',
    ]);
  });

  it('verify applies the size limits given on the command line', async () => {
    const archive = path.join(root, 'model.tar.gz');
    await runArchivePack(source, archive, () => {}, () => {});
    const result = await cli('archive', 'verify', archive, '--max-entries', '2');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('more than 2 entries (limit maxEntries)');
    await expect(cli('archive', 'verify', archive, '--max-entries', 'lots')).rejects.toThrow(/expected a positive integer/);
  });

  it('pack refuses a bare SavedModel with one line per problem and writes nothing', async () => {
    let errors = '';
    const bare = path.join(source, 'half_plus_three', '1');
    const result = await runArchivePack(bare, path.join(root, 'model.tar.gz'), () => {}, (text) => (errors += text));
    expect(result).toBeUndefined();
    expect(errors).toMatch(new RegExp(`^${bare}: saved_model.pb: the archive root is a single SavedModel.*<name>/1/\\n$`));
    expect(fs.existsSync(path.join(root, 'model.tar.gz'))).toBe(false);
  });

  it('runArchiveVerify returns the report it printed', async () => {
    const archive = path.join(root, 'model.tar.gz');
    await runArchivePack(source, archive, () => {}, () => {});
    let printed = '';
    const report = await runArchiveVerify(archive, {}, (text) => (printed += text), () => {});
    expect(report.ok).toBe(true);
    expect(printed).toContain(report.sha256);
  });
});
