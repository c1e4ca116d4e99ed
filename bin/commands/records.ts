import { Command, InvalidArgumentError as CliArgumentError, Option } from 'commander';
import type { SplitType } from '../../transform/codecs/record-codec';
import { inspectExamples, DEFAULT_MAX_BYTES } from '../../transform/records/inspect';
import { DEFAULT_FEATURE_NAME, DEFAULT_FILENAME_FEATURE, packDirectory, type PackOptions } from '../../transform/records/pack';
import { countRecords, verifyRecordFiles } from '../../transform/records/scan';

/** `tfserve records pack|count|verify|inspect`: make and check TFRecord (and RecordIO, line) data for batch transform. */

type Write = (text: string) => void;

export async function runRecordsPack(options: PackOptions, write: Write): Promise<void> {
  const result = await packDirectory(options);
  for (const shard of result.shards) write(`wrote ${shard.path} (${shard.records} records, ${shard.bytes} bytes)\n`);
  write(`packed ${result.files} files into ${result.shards.length} shards\n`);
}

/** One line per file, `<records>\t<file>`, and a total line for several files, like `wc -l`. */
export async function runRecordsCount(files: readonly string[], splitType: SplitType, write: Write): Promise<void> {
  let total = 0;
  for (const file of files) {
    const { records } = await countRecords(file, splitType);
    total += records;
    write(`${records}\t${file}\n`);
  }
  if (files.length > 1) write(`${total}\ttotal\n`);
}

/** Checks every file, printing a line each; throws (exit 1) naming how many failed. */
export async function runRecordsVerify(files: readonly string[], splitType: SplitType, write: Write): Promise<void> {
  const results = await verifyRecordFiles(files, splitType);
  for (const { file, records, error } of results) {
    write(error ? `FAILED ${file}: ${error.message}\n` : `ok ${file}: ${records} records\n`);
  }
  const failed = results.filter((result) => result.error).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} files failed verification`);
}

export interface RecordsInspectOptions {
  limit?: number;
  maxBytes?: number;
  splitType?: SplitType;
}

/** One JSON line per record: {"record", "offset", "features"}. */
export async function runRecordsInspect(file: string, options: RecordsInspectOptions, write: Write): Promise<void> {
  for await (const record of inspectExamples(file, options)) write(`${JSON.stringify(record)}\n`);
}

function count(name: string, min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min) throw new CliArgumentError(`${name} must be a whole number >= ${min}, got '${value}'`);
    return parsed;
  };
}

const splitTypeOption = () =>
  new Option('--split-type <type>', 'record format of the files').choices(['TFRecord', 'RecordIO', 'Line']).default('TFRecord');

const stdout: Write = (text) => process.stdout.write(text);

export function recordsCommand(): Command {
  const records = new Command('records').description('pack, count, verify and inspect TFRecord files for batch transform');
  records
    .command('pack')
    .description('pack every file under <dir> (sorted by path) into tf.Examples in sharded TFRecord files')
    .argument('<dir>', 'directory of input files, read recursively')
    .requiredOption('-o, --output <outdir>', 'directory for the part-NNNNN-of-MMMMM.tfrecord shards (created if missing)')
    .option('--shards <n>', 'number of shards', count('--shards', 1), 1)
    .option('--feature-name <name>', 'bytes feature for the file content', DEFAULT_FEATURE_NAME)
    .option('--filename-feature <name>', 'bytes feature for the file path relative to <dir>', DEFAULT_FILENAME_FEATURE)
    .action(async (dir: string, opts: { output: string; shards: number; featureName: string; filenameFeature: string }) => {
      await runRecordsPack({ inputDir: dir, outputDir: opts.output, shards: opts.shards, featureName: opts.featureName, filenameFeature: opts.filenameFeature }, stdout);
    });
  records
    .command('count')
    .description('count the records of each file, checking their framing (CRCs for TFRecord)')
    .argument('<files...>', 'record files (.gz is gunzipped)')
    .addOption(splitTypeOption())
    .action(async (files: string[], opts: { splitType: SplitType }) => {
      await runRecordsCount(files, opts.splitType, stdout);
    });
  records
    .command('verify')
    .description('check every record of every file; exits 1 naming each bad file, record, byte offset and check')
    .argument('<files...>', 'record files (.gz is gunzipped)')
    .addOption(splitTypeOption())
    .action(async (files: string[], opts: { splitType: SplitType }) => {
      await runRecordsVerify(files, opts.splitType, stdout);
    });
  records
    .command('inspect')
    .description('print each record of a file as a tf.Example, one JSON line per record')
    .argument('<file>', 'record file (.gz is gunzipped)')
    .option('--limit <n>', 'print at most n records', count('--limit', 0))
    .option('--max-bytes <n>', 'show at most n bytes (base64) of a non-text bytes value', count('--max-bytes', 0), DEFAULT_MAX_BYTES)
    .addOption(splitTypeOption())
    .action(async (file: string, opts: { limit?: number; maxBytes: number; splitType: SplitType }) => {
      await runRecordsInspect(file, opts, stdout);
    });
  return records;
}
