/**
 * The model archive (`model.tar.gz`) shared by the CDK app, the Edge agent and `tfserve archive`:
 * - `packModelArchive(sourceDir, outFile)` writes a byte-for-byte reproducible archive of a models root;
 * - `verifyModelArchive(file, options?)` reports every layout, SavedModel and safety problem at once;
 * - `unpackModelArchive(file, destDir, options?)` extracts safely and atomically.
 */
export { packModelArchive } from './pack';
export { verifyModelArchive } from './verify';
export { unpackModelArchive } from './unpack';
export {
  ArchiveError,
  DEFAULT_ARCHIVE_LIMITS,
  formatProblem,
  type ArchiveLimits,
  type ArchiveModel,
  type ArchiveProblem,
  type ArchiveReport,
  type PackResult,
  type UnpackOptions,
  type VerifyOptions,
} from './archive-types';
