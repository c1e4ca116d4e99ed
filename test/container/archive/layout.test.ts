import { checkLayout, type LayoutEntry } from '../../../container/archive/layout';

const files = (...paths: string[]): LayoutEntry[] => paths.map((p) => ({ path: p, isDir: false }));

describe('checkLayout', () => {
  it('finds models, versions and the root code/ as the container does', () => {
    const layout = checkLayout([
      ...files('b/2/saved_model.pb', 'b/10/saved_model.pb', 'a/1/saved_model.pb', 'code/inference.js'),
      { path: 'b/10/assets', isDir: true },
    ]);
    expect(layout).toEqual({
      models: [
        { name: 'a', versions: ['1'] },
        { name: 'b', versions: ['2', '10'] },
      ],
      hasCode: true,
      problems: [],
      savedModelDirs: ['a/1', 'b/2', 'b/10'],
    });
  });

  it('ignores hidden directories, as discovery does', () => {
    const layout = checkLayout(files('m/1/saved_model.pb', '.git/x/1/saved_model.pb', 'm/.1/saved_model.pb'));
    expect(layout.models).toEqual([{ name: 'm', versions: ['1'] }]);
    expect(layout.problems).toEqual([]);
  });

  it('names what the container would silently ignore or fail on', () => {
    const layout = checkLayout([
      ...files('m/1/saved_model.pb', 'm/latest/saved_model.pb', 'm/1/code/inference.py', 'n/1/saved_model.pbtxt'),
      { path: 'm/3', isDir: true },
    ]);
    expect(layout.problems).toEqual([
      { entry: 'm/latest/saved_model.pb', message: 'not in a numeric version directory, so the container ignores it: move it under m/latest/1/' },
      { entry: 'm/1/code/inference.py', message: 'code/ is only read at the archive root; the container ignores this one' },
      { entry: 'n/1/saved_model.pbtxt', message: 'text-format SavedModels are not supported; export saved_model.pb' },
      { entry: 'm/3/', message: 'version directory without saved_model.pb; the model would fail to load' },
    ]);
    expect(layout.hasCode).toBe(false);
  });
});
