import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * What a model costs a memory budget: the size of its checkpoint (`variables/`) and graph files, summed over its
 * SavedModel directories. Weights dominate what a loaded model holds, and every worker thread holds the same weights
 * once more, so this is a floor per copy; budgets are compared against it as a stable, measurable proxy.
 */
export async function weightBytes(savedModelDirs: string[]): Promise<number> {
  let total = 0;
  for (const dir of savedModelDirs) {
    total += await sizeOf(path.join(dir, 'saved_model.pb'));
    const variables = await fs.readdir(path.join(dir, 'variables')).catch(() => [] as string[]);
    for (const file of variables) total += await sizeOf(path.join(dir, 'variables', file));
  }
  return total;
}

async function sizeOf(file: string): Promise<number> {
  const stat = await fs.stat(file).catch(() => undefined);
  return stat?.isFile() ? stat.size : 0;
}
