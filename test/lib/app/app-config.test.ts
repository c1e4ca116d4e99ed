import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfigError, loadAppConfig, mergeDeep, parseAppConfig } from '../../../lib/app/app-config';
import { tempDir } from '../cdk-fixtures';

describe('app configuration', () => {
  test('defaults: demo models, both stacks, prefix Tfserve', () => {
    expect(parseAppConfig({})).toMatchObject({
      stackPrefix: 'Tfserve',
      model: { sourceDir: 'demo/models' },
      serving: { enabled: true, multiModel: false },
      transform: { enabled: true },
      env: {},
    });
  });

  test('errors name every bad key, unknown keys included', () => {
    let message = '';
    try {
      parseAppConfig({ serving: { instanceCount: 'two', autoscaling: {} }, env: { account: '12' }, transform: { batching: true } });
    } catch (error) {
      expect(error).toBeInstanceOf(AppConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/tfserve\.serving\.instanceCount: /);
    expect(message).toMatch(/tfserve\.serving\.autoscaling: unknown key/);
    expect(message).toMatch(/tfserve\.env\.account: must be a 12-digit AWS account id/);
    expect(message).toMatch(/tfserve\.transform\.batching: /);
  });

  test('a config file, overridden key by key by context (object or JSON string)', () => {
    const dir = tempDir('config');
    try {
      const file = path.join(dir, 'tfserve.json');
      fs.writeFileSync(file, JSON.stringify({ stackPrefix: 'FromFile', serving: { instanceCount: 2, endpointName: 'file' } }));
      const context: Record<string, unknown> = {
        tfserveConfigFile: file,
        tfserve: JSON.stringify({ serving: { endpointName: 'context' } }),
      };
      const config = loadAppConfig((key) => context[key]);
      expect(config.stackPrefix).toBe('FromFile');
      expect(config.serving).toMatchObject({ instanceCount: 2, endpointName: 'context' });
      expect(() => loadAppConfig((key) => ({ tfserveConfigFile: path.join(dir, 'missing.json') })[key])).toThrow(
        /tfserveConfigFile .*missing\.json: ENOENT/,
      );
      expect(() => loadAppConfig((key) => ({ tfserve: '{not json' })[key])).toThrow(/context tfserve is not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('mergeDeep merges objects and replaces everything else', () => {
    expect(mergeDeep({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, e: 2 })).toEqual({ a: { b: 1, c: [2] }, d: 1, e: 2 });
  });
});
