import { parseCustomAttributes } from '../../../container/server/custom-attributes';

describe('parseCustomAttributes', () => {
  it('reads tfs-model-name, tfs-model-version and tfs-method among other attributes', () => {
    expect(parseCustomAttributes('trace=1,tfs-model-name=half_plus_three,tfs-model-version=123,tfs-method=predict')).toEqual({
      modelName: 'half_plus_three',
      modelVersion: '123',
      method: 'predict',
    });
  });

  it('is empty without the header or tfs attributes', () => {
    expect(parseCustomAttributes(undefined)).toEqual({});
    expect(parseCustomAttributes('c000b4f9-df62-4c85-a0bf-7c525f9104a4')).toEqual({});
  });

  it('trims values, lets later duplicates win, ignores values with "=" and upper-case keys', () => {
    expect(parseCustomAttributes('tfs-model-name=m1 , tfs-model-name=m2')).toEqual({ modelName: 'm2' });
    expect(parseCustomAttributes('tfs-model-name=a=b')).toEqual({});
    expect(parseCustomAttributes('TFS-MODEL-NAME=x')).toEqual({});
  });
});
