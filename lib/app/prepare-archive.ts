import * as path from 'node:path';
import { packModelArchive, type PackResult } from '../../container/archive';
import type { ModelArchiveProps } from '../constructs/model-archive';
import type { AppConfig } from './app-config';

export interface PreparedArchive {
  readonly props: ModelArchiveProps;
  /** What was packed, when the model came from a local directory. */
  readonly packed?: PackResult;
}

/**
 * Turns the configured model into ModelArchive props. CDK synthesis is synchronous and packing is not, so the app
 * packs before it builds the stacks: same models in, same bytes out, same asset hash, no re-upload.
 */
export async function prepareArchive(
  model: AppConfig['model'],
  baseDir: string,
  workDir: string,
): Promise<PreparedArchive> {
  if (model.s3Uri !== undefined) return { props: { s3Uri: model.s3Uri } };
  const archiveFile = path.join(workDir, 'model.tar.gz');
  const packed = await packModelArchive(path.resolve(baseDir, model.sourceDir), archiveFile);
  return { props: { archiveFile }, packed };
}
