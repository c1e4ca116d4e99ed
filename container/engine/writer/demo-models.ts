import * as path from 'node:path';
import { HALF_PLUS_THREE, writeLinearModel } from './linear-model';

/** The models `tfserve demo` serves, by model name and version, under a model root. */
export const DEMO_MODELS = { half_plus_three: '1' } as const;

/** Writes `root/half_plus_three/1/`: y = 0.5·x + 3 with predict, classify and regress signatures. */
export async function writeDemoModels(root: string): Promise<void> {
  writeLinearModel(path.join(root, 'half_plus_three', DEMO_MODELS.half_plus_three), HALF_PLUS_THREE);
}
