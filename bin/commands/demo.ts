import * as path from 'node:path';
import { Command } from 'commander';
import { DEMO_MODELS, writeDemoModels } from '../../container/engine/writer/demo-models';

/** `tfserve demo generate <dir>`: writes the demo SavedModels that `npm start` serves. */

export async function runDemoGenerate(dir: string, write: (text: string) => void): Promise<void> {
  await writeDemoModels(dir);
  for (const [name, version] of Object.entries(DEMO_MODELS)) {
    write(`wrote ${path.join(dir, name, version)}\n`);
  }
}

export function demoCommand(): Command {
  const demo = new Command('demo').description('demo models');
  demo
    .command('generate')
    .description('write the demo SavedModels (half_plus_three: y = 0.5x + 3) under <dir>/<name>/<version>/')
    .argument('<dir>', 'models root to write into, e.g. demo/models')
    .action(async (dir: string) => {
      await runDemoGenerate(dir, (text) => process.stdout.write(text));
    });
  return demo;
}
