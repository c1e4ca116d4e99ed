import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  defaultModel,
  defaultVersion,
  discoverModels,
  modelsFromListing,
} from '../../../container/models/model-discovery';
import { describeWithFixtures, fixturesRoot } from '../../support/fixtures';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-discovery-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function touch(...parts: string[]): void {
  const file = path.join(root, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
}

describe('modelsFromListing', () => {
  it('groups versions by model, strips leading zeros, sorts numerically', () => {
    const models = modelsFromListing('/opt/ml/model', [
      'half_plus_three/00000124/saved_model.pb',
      'half_plus_three/00000123/saved_model.pb',
      'half_plus_three/9/saved_model.pb',
      'half_plus_three/000/saved_model.pb',
      'export/Servo/1/saved_model.pb',
    ]);
    expect(models.map((m) => m.name)).toEqual(['Servo', 'half_plus_three']);
    expect(models[1].basePath).toBe('/opt/ml/model/half_plus_three');
    expect(models[1].versions.map((v) => v.version)).toEqual(['0', '9', '123', '124']);
    expect(defaultVersion(models[1])).toEqual({ version: '124', dir: '/opt/ml/model/half_plus_three/00000124' });
  });

  it('names a version directory at the root after the root', () => {
    expect(modelsFromListing('/opt/ml/model', ['123/saved_model.pb'])).toEqual([
      { name: 'model', basePath: '/opt/ml/model', versions: [{ version: '123', dir: '/opt/ml/model/123' }] },
    ]);
  });

  it('ignores SavedModels whose directory is not all digits', () => {
    expect(modelsFromListing('/m', ['a/v1/saved_model.pb', 'a/latest/saved_model.pb', 'saved_model.pb'])).toEqual([]);
  });

  it('rejects two models with one name and one version twice', () => {
    expect(() => modelsFromListing('/m', ['x/a/1/saved_model.pb', 'y/a/2/saved_model.pb'])).toThrow(
      'two models are both named a: /m/x/a and /m/y/a; rename one directory',
    );
    expect(() => modelsFromListing('/m', ['a/1/saved_model.pb', 'a/001/saved_model.pb'])).toThrow(
      '/m/a holds version 1 twice: /m/a/001 and /m/a/1; keep one directory',
    );
  });
});

describe('defaultModel', () => {
  const models = modelsFromListing('/m', ['b/1/saved_model.pb', 'a/1/saved_model.pb']);
  it('is the configured model, else the first by name', () => {
    expect(defaultModel(models).name).toBe('a');
    expect(defaultModel(models, 'b').name).toBe('b');
    expect(() => defaultModel(models, 'c')).toThrow('SAGEMAKER_TFS_DEFAULT_MODEL_NAME=c names no discovered model (found: a, b)');
  });
});

describe('discoverModels', () => {
  it('skips hidden and non-numeric directories', async () => {
    touch('m', '1', 'saved_model.pb');
    touch('m', '2', 'saved_model.pb');
    touch('m', '.3', 'saved_model.pb');
    touch('m', 'tmp', 'saved_model.pb');
    touch('.cache', 'n', '5', 'saved_model.pb');
    touch('m', '4', 'variables', 'variables.index'); // a version directory without a SavedModel
    const models = await discoverModels(root);
    expect(models.map((m) => [m.name, m.versions.map((v) => v.version)])).toEqual([['m', ['1', '2']]]);
  });

  it('names the directory when it holds no model', async () => {
    await expect(discoverModels(root)).rejects.toThrow(
      `no SavedModel bundles found under ${root}: expected <name>/<version>/saved_model.pb with an all-digit version directory`,
    );
  });

  it('explains what to do with a bare SavedModel directory', async () => {
    touch('saved_model.pb');
    await expect(discoverModels(root)).rejects.toThrow(
      `${root} is itself a SavedModel: put it in a numeric version directory, e.g. <models>/<name>/1/`,
    );
  });

  it('names a missing directory', async () => {
    const missing = path.join(root, 'nope');
    await expect(discoverModels(missing)).rejects.toThrow(`model directory ${missing} does not exist or is not a directory`);
  });
});

describeWithFixtures('discoverModels on the TensorFlow-written fixtures', () => {
  it('finds half_plus_three 123 and 124 and skips the hidden .00000111', async () => {
    const models = await discoverModels(fixturesRoot);
    const halfPlusThree = models.find((m) => m.name === 'half_plus_three');
    expect(halfPlusThree?.versions.map((v) => v.version)).toEqual(['123', '124']);
    expect(models.map((m) => m.name)).toContain('int64_multiply');
  });
});
