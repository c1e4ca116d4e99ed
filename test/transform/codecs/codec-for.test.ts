import { InvalidArgumentError } from '../../../container/errors';
import { codecFor } from '../../../transform/codecs/codec-for';
import type { SplitType } from '../../../transform/codecs/record-codec';
import { ascii } from '../../support/bytes';
import { splitError } from './chunking';

describe('codecFor', () => {
  it.each(['None', 'Line', 'RecordIO', 'TFRecord'] as SplitType[])('gives the %s codec', (splitType) => {
    expect(codecFor(splitType).splitType).toBe(splitType);
  });

  it('passes the payload limit on', async () => {
    expect(await splitError(codecFor('Line', { maxPayloadBytes: 2 }), ascii('abc\n'))).toMatchObject({ check: 'record too large' });
  });

  it.each(['Bogus', 'toString'])('rejects the unknown SplitType %s, listing the known ones', (splitType) => {
    expect(() => codecFor(splitType as SplitType)).toThrow(InvalidArgumentError);
    expect(() => codecFor(splitType as SplitType)).toThrow(`unknown SplitType '${splitType}': expected one of None, Line, RecordIO, TFRecord`);
  });
});
