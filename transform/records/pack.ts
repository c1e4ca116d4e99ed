import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../container/errors';
import { encodeExample, type Example } from '../../container/formats/example';
import { RecordFileWriter } from '../codecs/record-file-writer';
import { tfRecordCodec } from '../codecs/tfrecord-codec';
import { groupIntoShards, shardName } from './shards';

export const DEFAULT_FEATURE_NAME = 'image/encoded';
export const DEFAULT_FILENAME_FEATURE = 'image/filename';

export interface PackOptions {
  inputDir: string;
  outputDir: string;
  /** Number of output files. Default 1. */
  shards?: number;
  /** The bytes feature holding each file's content. Default `image/encoded`. */
  featureName?: string;
  /** The bytes feature holding each file's path relative to inputDir, '/'-separated. Default `image/filename`. */
  filenameFeature?: string;
}

export interface PackedShard {
  path: string;
  records: number;
  /** Bytes of the shard file. */
  bytes: number;
}

export interface PackResult {
  files: number;
  shards: PackedShard[];
}

/** Regular files under `dir`, recursively, as '/'-separated relative paths in code-unit order (locale-independent). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function checkOptions(options: PackOptions): Required<PackOptions> {
  const { shards = 1, featureName = DEFAULT_FEATURE_NAME, filenameFeature = DEFAULT_FILENAME_FEATURE } = options;
  if (!Number.isInteger(shards) || shards < 1) throw new InvalidArgumentError(`--shards must be a whole number >= 1, got ${shards}`);
  if (!featureName || !filenameFeature) throw new InvalidArgumentError('feature names must not be empty');
  if (featureName === filenameFeature) {
    throw new InvalidArgumentError(`the content and filename features must differ, both are '${featureName}'`);
  }
  const inside = path.relative(path.resolve(options.inputDir), path.resolve(options.outputDir));
  const outside = inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside);
  if (!outside) {
    // The shards would be packed into themselves on the next run.
    throw new InvalidArgumentError(`the output directory ${options.outputDir} must not lie inside the input directory ${options.inputDir}`);
  }
  return { ...options, shards, featureName, filenameFeature };
}

/**
 * Packs the files `names` (in that order; `read` gives each one's content) as tf.Examples into the shards of
 * `options`. The shards are written to temporary files and renamed into place only once all are complete: a failure
 * leaves none of them (and any older shard of the same name as it was).
 */
export async function packFiles(
  names: readonly string[],
  read: (name: string) => Promise<Uint8Array>,
  options: Required<Omit<PackOptions, 'inputDir'>>,
): Promise<PackResult> {
  const { outputDir, shards, featureName, filenameFeature } = options;
  await fs.promises.mkdir(outputDir, { recursive: true });
  const codec = tfRecordCodec();
  const encoder = new TextEncoder();
  const writers: RecordFileWriter[] = [];
  try {
    // One shard at a time: a single open file however many shards are asked for.
    for (const [shard, group] of groupIntoShards(names, shards).entries()) {
      const writer = await RecordFileWriter.open(path.join(outputDir, shardName(shard, shards)), codec);
      writers.push(writer);
      for (const name of group) {
        const example: Example = {
          [featureName]: { kind: 'bytes', values: [await read(name)] },
          [filenameFeature]: { kind: 'bytes', values: [encoder.encode(name)] },
        };
        await writer.write(encodeExample(example));
      }
      await writer.finish();
    }
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.abort()));
    throw error;
  }
  for (const writer of writers) await writer.publish();
  return { files: names.length, shards: writers.map((writer) => ({ path: writer.path, ...writer.written })) };
}

/**
 * Packs every regular file under `inputDir` (recursively, sorted by relative path; symbolic links are skipped) as a
 * tf.Example into `shards` TFRecord files `part-NNNNN-of-MMMMM.tfrecord` in `outputDir`, atomically (see packFiles).
 */
export async function packDirectory(options: PackOptions): Promise<PackResult> {
  const checked = checkOptions(options);
  const names = await listFiles(checked.inputDir);
  if (names.length === 0) throw new InvalidArgumentError(`no files to pack under ${checked.inputDir}`);
  return packFiles(names, (name) => fs.promises.readFile(path.join(checked.inputDir, name)), checked);
}
