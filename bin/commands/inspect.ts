import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { describeModel } from '../../container/engine/describe';
import { loadModel } from '../../container/engine/select-engine';
import { defaultVersion, discoverModels } from '../../container/models/model-discovery';
import type { ModelLoader } from '../../container/server/model-registry';

/** `tfserve inspect <dir>`: what `saved_model_cli show --all` prints, for a SavedModel or a models root. */

interface InspectTarget {
  title: string;
  dir: string;
}

/** A SavedModel directory as it is; a `<name>/<version>/` root as the default version of each model in it. */
async function inspectTargets(dir: string): Promise<InspectTarget[]> {
  if (fs.existsSync(path.join(dir, 'saved_model.pb'))) return [{ title: `SavedModel: ${path.resolve(dir)}`, dir }];
  const models = await discoverModels(dir);
  return models.map((model) => {
    const { version, dir: versionDir } = defaultVersion(model);
    return { title: `Model: ${model.name}, version ${version} (${versionDir})`, dir: versionDir };
  });
}

export async function runInspect(
  dir: string,
  write: (text: string) => void,
  load: ModelLoader = (modelDir) => loadModel(modelDir),
): Promise<void> {
  const targets = await inspectTargets(dir);
  for (const [index, target] of targets.entries()) {
    const model = await load(target.dir);
    try {
      write(`${index > 0 ? '\n' : ''}${target.title}\n${describeModel(model)}`);
    } finally {
      model.dispose();
    }
  }
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('print the tags and signatures of a SavedModel, or of the default version of each model under a models root')
    .argument('<dir>', 'a SavedModel directory or a <name>/<version>/ models root')
    .action(async (dir: string) => {
      await runInspect(dir, (text) => process.stdout.write(text));
    });
}
