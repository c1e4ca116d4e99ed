import { RecordFormatError } from '../../../container/formats/record-format-error';
import { frameTfRecord, splitTfRecords } from '../../../container/formats/tfrecord';
import { FormatError } from '../../../container/errors';
import { ascii, noise } from '../../support/bytes';
import { concatBytes } from '../../../transform/codecs/bytes';

const hexBytes = (text: string) => Uint8Array.from(text.split(' '), (byte) => parseInt(byte, 16));
/** Hex strings compare far faster in jest than large typed arrays. */
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

function thrown(action: () => unknown): RecordFormatError {
  try {
    action();
  } catch (error) {
    if (error instanceof RecordFormatError) return error;
    throw error;
  }
  throw new Error('expected a RecordFormatError');
}

describe('frameTfRecord', () => {
  it('frames the empty record as the spec vector', () => {
    expect(frameTfRecord(new Uint8Array(0))).toEqual(hexBytes('00 00 00 00 00 00 00 00 29 03 98 07 d8 ea 82 a2'));
  });

  it('frames "hello" as the spec vector', () => {
    expect(frameTfRecord(ascii('hello'))).toEqual(
      hexBytes('05 00 00 00 00 00 00 00 ea b2 04 3e 68 65 6c 6c 6f bb 1f 1c 19'),
    );
  });
});

describe('splitTfRecords', () => {
  const payloads = [ascii('hello'), new Uint8Array(0), noise(1000), noise(70_000, 7)];
  const file = concatBytes(payloads.map(frameTfRecord));

  it('returns every payload with its index and offset', () => {
    const records = splitTfRecords(file, 'body');
    expect(records.map((r) => hexOf(r.payload))).toEqual(payloads.map(hexOf));
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(records.map((r) => r.offset)).toEqual([0, 21, 37, 1053]);
  });

  it('returns nothing for an empty buffer', () => {
    expect(splitTfRecords(new Uint8Array(0), 'body')).toEqual([]);
  });

  it('names the record, offset and check when the length CRC is wrong', () => {
    const corrupt = file.slice();
    corrupt[21 + 9] ^= 0x01;
    const error = thrown(() => splitTfRecords(corrupt, 'request body'));
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ source: 'request body', recordIndex: 1, offset: 21, check: 'length CRC' });
    expect(error.message).toMatch(/^request body: record 1 at byte offset 21: length CRC check failed: stored masked CRC32C 0x/);
  });

  it('catches a corrupt length by its CRC before reading the payload', () => {
    const corrupt = file.slice();
    corrupt[37 + 5] = 0xff; // a length of ~2^40 bytes
    expect(thrown(() => splitTfRecords(corrupt, 'b'))).toMatchObject({ recordIndex: 2, offset: 37, check: 'length CRC' });
  });

  it('names the record, offset and check when the data CRC is wrong', () => {
    const corrupt = file.slice();
    corrupt[37 + 12 + 500] ^= 0x80;
    const error = thrown(() => splitTfRecords(corrupt, 'b'));
    expect(error).toMatchObject({ recordIndex: 2, offset: 37, check: 'data CRC' });
    expect(error.message).toContain('of the 1000-byte payload');
  });

  it('reports a header cut short', () => {
    const error = thrown(() => splitTfRecords(file.subarray(0, 21 + 5), 'b'));
    expect(error).toMatchObject({ recordIndex: 1, offset: 21, check: 'truncated length' });
    expect(error.message).toContain('only 5 bytes remain');
  });

  it('reports a payload or data CRC cut short', () => {
    for (const cut of [1053 + 12 + 10, file.length - 1]) {
      const error = thrown(() => splitTfRecords(file.subarray(0, cut), 'b'));
      expect(error).toMatchObject({ recordIndex: 3, offset: 1053, check: 'truncated payload' });
      expect(error.message).toContain(`announces a 70000-byte payload (70016 bytes framed), only ${cut - 1053} bytes remain`);
    }
  });

  it('reads records from a view that does not start at the buffer start', () => {
    const padded = concatBytes([noise(13), file]);
    expect(splitTfRecords(padded.subarray(13), 'b').map((r) => hexOf(r.payload))).toEqual(payloads.map(hexOf));
  });
});
