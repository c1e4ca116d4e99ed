import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ArchiveError,
  formatProblem,
  packModelArchive,
  verifyModelArchive,
  type ArchiveLimits,
  type ArchiveProblem,
  type ArchiveReport,
  type PackResult,
} from '../../container/archive';

/** `tfserve archive pack|verify`: the model.tar.gz the CDK app uploads, checkable without CDK. */

export type Write = (text: string) => void;

const problemLines = (file: string, problems: ArchiveProblem[]): string =>
  problems.map((problem) => `${file}: ${formatProblem(problem)}\n`).join('');

function modelsText(report: ArchiveReport): string {
  const models = report.models.map((m) => `${m.name} (version${m.versions.length > 1 ? 's' : ''} ${m.versions.join(', ')})`);
  return `${models.join('; ') || 'no models'}${report.hasCode ? '; code/' : ''}`;
}

/** Packs `dir`; on a refused source, writes one line per problem to `writeError` and returns undefined. */
export async function runArchivePack(
  dir: string,
  output: string,
  write: Write,
  writeError: Write,
): Promise<PackResult | undefined> {
  try {
    const result = await packModelArchive(dir, output);
    write(`wrote ${output}: ${result.entries.length} entries, ${result.bytes} bytes, sha256 ${result.sha256}\n`);
    return result;
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    writeError(problemLines(dir, error.problems));
    return undefined;
  }
}

export interface VerifyCliOptions {
  load?: boolean;
  limits?: Partial<ArchiveLimits>;
}

/** Verifies `file`; writes a summary when clean, else one line per problem to `writeError`. Returns the report. */
export async function runArchiveVerify(
  file: string,
  options: VerifyCliOptions,
  write: Write,
  writeError: Write,
): Promise<ArchiveReport> {
  const report = await verifyModelArchive(file, options);
  if (report.ok) {
    write(`${file}: ok: ${modelsText(report)}; ${report.entries.length} entries, ${report.bytes} bytes, sha256 ${report.sha256}\n`);
  } else {
    writeError(problemLines(file, report.problems));
  }
  return report;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive integer');
  return number;
}

export function archiveCommand(): Command {
  const archive = new Command('archive').description('pack and check the model.tar.gz SageMaker extracts into /opt/ml/model');
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(text);
  archive
    .command('pack')
    .description('pack a models root (<name>/<version>/saved_model.pb, optional code/) into a reproducible model.tar.gz')
    .argument('<dir>', 'the models root, as it should appear in /opt/ml/model')
    .option('-o, --output <file>', 'archive to write', 'model.tar.gz')
    .action(async (dir: string, options: { output: string }) => {
      if (!(await runArchivePack(dir, options.output, out, err))) process.exitCode = 1;
    });
  archive
    .command('verify')
    .description('check an archive: layout, SavedModels, links, escaping paths, size limits; one line per problem')
    .argument('<file>', 'the model.tar.gz to check')
    .option('--load', 'also load each SavedModel on the engine (slower; finds unsupported ops, missing variables)')
    .addOption(new Option('--max-unpacked-bytes <n>', 'limit on the extracted size').argParser(positiveInteger))
    .addOption(new Option('--max-entries <n>', 'limit on the number of entries').argParser(positiveInteger))
    .action(async (file: string, options: { load?: boolean; maxUnpackedBytes?: number; maxEntries?: number }) => {
      const limits: Partial<ArchiveLimits> = {};
      if (options.maxUnpackedBytes !== undefined) limits.maxUnpackedBytes = options.maxUnpackedBytes;
      if (options.maxEntries !== undefined) limits.maxEntries = options.maxEntries;
      const report = await runArchiveVerify(file, { load: options.load, limits }, out, err);
      if (!report.ok) process.exitCode = 1;
    });
  return archive;
}
