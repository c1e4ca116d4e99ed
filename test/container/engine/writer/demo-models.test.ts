import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDemoModels } from '../../../../container/engine/writer/demo-models';

const committed = path.resolve(__dirname, '..', '..', '..', '..', 'demo', 'models');

function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('writeDemoModels', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-demo-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes half_plus_three version 1', async () => {
    await writeDemoModels(dir);
    expect(filesUnder(dir)).toEqual([
      'half_plus_three/1/saved_model.pb',
      'half_plus_three/1/variables/variables.data-00000-of-00001',
      'half_plus_three/1/variables/variables.index',
    ]);
  });

  it('regenerates the committed demo/models byte for byte (deterministic, and the commit is fresh)', async () => {
    await writeDemoModels(dir);
    expect(filesUnder(committed)).toEqual(filesUnder(dir));
    for (const file of filesUnder(dir)) {
      const fresh = fs.readFileSync(path.join(dir, file));
      expect([file, fresh.equals(fs.readFileSync(path.join(committed, file)))]).toEqual([file, true]);
    }
  });
});
