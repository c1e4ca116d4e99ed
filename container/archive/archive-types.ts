import { InvalidArgumentError } from '../errors';

/**
 * Shared vocabulary of the model archive: what pack returns, what verify reports, the limits that stop a tar bomb,
 * and the error every refusal throws. The layout is the one SageMaker unpacks into /opt/ml/model (serving contract
 * A6/B7/B8): `<name>/<version>/saved_model.pb` (+ `variables/`, `assets/`) and an optional `code/` at the root.
 */

/** What `packModelArchive` wrote. */
export interface PackResult {
  /** SHA-256 of the `.tar.gz` bytes, hex. */
  sha256: string;
  /** Size of the `.tar.gz` in bytes. */
  bytes: number;
  /** Entry paths in archive order (sorted; directories end in `/`). */
  entries: string[];
  /** SHA-256 of the uncompressed tar: identical for the same input even where Node bundles a different zlib. */
  tarSha256: string;
}

/** One thing wrong with an archive; `entry` is the path as stored in the tar when the problem belongs to one entry. */
export interface ArchiveProblem {
  entry?: string;
  message: string;
}

/** A model found in the archive, as the container would discover it after extraction. */
export interface ArchiveModel {
  name: string;
  /** Version directory names as stored (e.g. `1`, `00000123`), ascending by number. */
  versions: string[];
}

/** What `verifyModelArchive` found. `ok` is true iff `problems` is empty. */
export interface ArchiveReport {
  file: string;
  ok: boolean;
  problems: ArchiveProblem[];
  /** Entry paths in archive order, as stored. */
  entries: string[];
  models: ArchiveModel[];
  /** Whether the archive has a root `code/` directory (inference handlers). */
  hasCode: boolean;
  /** Size of the archive file in bytes. */
  bytes: number;
  /** SHA-256 of the archive file, hex. */
  sha256: string;
  /** Sum of the sizes of the regular files inside. */
  unpackedBytes: number;
}

/** Bounds on what reading an archive may produce; crossing one is a problem naming the limit, not a crash. */
export interface ArchiveLimits {
  /** Total bytes of all files once extracted. */
  maxUnpackedBytes: number;
  /** Number of entries (files + directories). */
  maxEntries: number;
  /** Decompressed ÷ compressed bytes; `tar`'s own bomb guard (deflate tops out near 1032:1, so only zeros trip it). */
  maxDecompressionRatio: number;
}

/**
 * 20 GiB unpacked, 100 000 entries: above the largest SavedModel a SageMaker instance volume takes comfortably.
 * Ratio 1000: `tar`'s default.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxUnpackedBytes: 20 * 1024 ** 3,
  maxEntries: 100_000,
  maxDecompressionRatio: 1000,
};

export interface VerifyOptions {
  /** Also load each SavedModel with the engine (slower; catches unsupported ops). Default false: parse only. */
  load?: boolean;
  limits?: Partial<ArchiveLimits>;
}

export interface UnpackOptions {
  limits?: Partial<ArchiveLimits>;
}

/** An archive (or a directory to pack) that tfserve refuses; `problems` lists every reason, the message joins them. */
export class ArchiveError extends InvalidArgumentError {
  override name = 'ArchiveError';

  constructor(
    readonly file: string,
    readonly problems: ArchiveProblem[],
  ) {
    super(`${file}: ${problems.map(formatProblem).join('; ')}`);
  }
}

/** `entry: message`, or just the message for archive-wide problems — the CLI prints one per line. */
export function formatProblem(problem: ArchiveProblem): string {
  return problem.entry === undefined ? problem.message : `${problem.entry}: ${problem.message}`;
}

export function resolveLimits(limits: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
}
