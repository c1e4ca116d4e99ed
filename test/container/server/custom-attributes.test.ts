import { InvalidArgumentError } from '../../../container/errors';
import { parseCustomAttributes, resolveServedModel } from '../../../container/server/custom-attributes';
import { ModelRegistry } from '../../../container/server/model-registry';
import { FakeModel } from './fake-model';

describe('parseCustomAttributes', () => {
  it('reads tfs-model-name, tfs-model-version and tfs-method among other attributes', () => {
    expect(parseCustomAttributes('trace=1,tfs-model-name=half_plus_three,tfs-model-version=123,tfs-method=regress')).toEqual({
      modelName: 'half_plus_three',
      modelVersion: '123',
      method: 'regress',
    });
  });

  it('is empty without the header or tfs attributes; other attributes are not its business', () => {
    expect(parseCustomAttributes(undefined)).toEqual({});
    expect(parseCustomAttributes('')).toEqual({});
    expect(parseCustomAttributes('c000b4f9-df62-4c85-a0bf-7c525f9104a4')).toEqual({});
    expect(parseCustomAttributes('a=b=c, x-tfs-model-name=9, ,trace')).toEqual({});
  });

  it('trims keys and values, reads keys in any case, accepts a repeated identical value', () => {
    expect(parseCustomAttributes(' tfs-model-name = m1 , TFS-Model-Version=007 ,tfs-model-name=m1')).toEqual({
      modelName: 'm1',
      modelVersion: '007',
    });
  });

  it.each([
    ['tfs-model-nmae=m1', 'unknown custom attribute tfs-model-nmae (tfserve reads tfs-model-name, tfs-model-version, tfs-method)'],
    ['tfs-signature=x', 'unknown custom attribute tfs-signature (tfserve reads tfs-model-name, tfs-model-version, tfs-method)'],
    ['tfs-model-version=latest', 'custom attribute tfs-model-version=latest: a version is a number'],
    ['tfs-model-version=1.5', 'custom attribute tfs-model-version=1.5: a version is a number'],
    ['tfs-method=infer', 'custom attribute tfs-method=infer: the methods are predict, classify, regress'],
    ['tfs-method=Predict', 'custom attribute tfs-method=Predict: the methods are predict, classify, regress'],
    ['tfs-model-name', 'custom attribute tfs-model-name has no value'],
    ['tfs-model-name= ,x=1', 'custom attribute tfs-model-name has no value'],
    ['tfs-model-name=m1,tfs-model-name=m2', 'custom attribute tfs-model-name is given twice: m1 and m2'],
  ])('%s → 400 %s', (header, message) => {
    expect(() => parseCustomAttributes(header)).toThrow(InvalidArgumentError);
    expect(() => parseCustomAttributes(header)).toThrow(message);
  });
});

describe('resolveServedModel', () => {
  const registry = new ModelRegistry(
    [
      { name: 'half_plus_three', version: '1', dir: '/m/half_plus_three/1', model: new FakeModel() },
      { name: 'half_plus_three', version: '2', dir: '/m/half_plus_three/2', model: new FakeModel() },
      { name: 'other', version: '7', dir: '/m/other/7', model: new FakeModel() },
    ],
    'half_plus_three',
  );
  const resolve = (modelName?: string, modelVersion?: string) => {
    const served = resolveServedModel(registry, { modelName, modelVersion });
    return `${served.name}/${served.version}`;
  };

  it('picks the named model and version, else the default model and its highest version', () => {
    expect(resolve()).toBe('half_plus_three/2');
    expect(resolve(undefined, '1')).toBe('half_plus_three/1');
    expect(resolve('other')).toBe('other/7');
    expect(resolve('other', '007')).toBe('other/7');
  });

  it('answers 400 naming the attribute for a model or version the server does not have', () => {
    expect(() => resolve('nope')).toThrow(
      new InvalidArgumentError('custom attribute tfs-model-name=nope: no such model (models: half_plus_three, other)'),
    );
    expect(() => resolve('other', '8')).toThrow(
      new InvalidArgumentError('custom attribute tfs-model-version=8: model other has no such version (versions: 7)'),
    );
    expect(() => resolve(undefined, '3')).toThrow(
      new InvalidArgumentError('custom attribute tfs-model-version=3: model half_plus_three has no such version (versions: 1, 2)'),
    );
  });
});
