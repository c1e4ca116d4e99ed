import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real TensorFlow SavedModels in ../shared/fixtures/savedmodels, read in place (never copied here).
 * TFSERVE_FIXTURES overrides the location. Suites that need them use `describeWithFixtures`, which skips with a
 * printed reason when the folder is absent.
 */
export const fixturesRoot = process.env.TFSERVE_FIXTURES ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'savedmodels');

export const haveFixtures = fs.existsSync(fixturesRoot);

/** Path to `<model>/<version>` inside the fixtures. */
export function fixture(model: string, version?: string): string {
  const modelDir = path.join(fixturesRoot, model);
  if (version) return path.join(modelDir, version);
  const versions = fs.readdirSync(modelDir).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return path.join(modelDir, versions[0]);
}

let reported = false;
export const describeWithFixtures: jest.Describe = haveFixtures
  ? describe
  : (((name: string, fn: () => void) => {
      if (!reported) {
        reported = true;
        console.warn(`skipping fixture suites: ${fixturesRoot} is absent`);
      }
      describe.skip(name, fn);
    }) as unknown as jest.Describe);
