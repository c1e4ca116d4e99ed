import * as path from 'node:path';
import { readSavedModel } from '../engine/saved-model';
import { loadModel } from '../engine/select-engine';
import type { ArchiveProblem } from './archive-types';

/**
 * Whether each SavedModel of an archive parses (and, when asked, loads on the engine the container would use).
 * Messages are made relative to `root`, which is a temp dir or the source dir, so they name the archive entry.
 */
export async function savedModelProblems(root: string, versionDirs: string[], load: boolean): Promise<ArchiveProblem[]> {
  const problems: ArchiveProblem[] = [];
  for (const versionDir of versionDirs) {
    const dir = path.join(root, versionDir);
    try {
      readSavedModel(dir);
      if (load) (await loadModel(dir)).dispose();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ entry: `${versionDir}/saved_model.pb`, message: message.replaceAll(`${root}${path.sep}`, '') });
    }
  }
  return problems;
}
