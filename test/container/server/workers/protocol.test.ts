import { FormatError, UnavailableError } from '../../../../container/errors';
import { deserializeError, packTensors, serializeError, unpackTensors } from '../../../../container/server/workers/protocol';
import { f32, i64, plain, strings } from '../../../support/tensors';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('packTensors / unpackTensors', () => {
  it('round-trips numeric, int64 and string tensors', () => {
    const tensors = { a: f32([1.5, -2], [2, 1]), b: i64([9007199254740993n]), s: strings([bytes('ab'), bytes(''), bytes('xyz')]) };
    const unpacked = unpackTensors(structuredClone(packTensors(tensors, true).tensors));
    expect(Object.fromEntries(Object.entries(unpacked).map(([k, t]) => [k, plain(t)]))).toEqual({
      a: { dtype: 'float32', shape: [2, 1], values: [1.5, -2] },
      b: { dtype: 'int64', shape: [1], values: [9007199254740993n] },
      s: { dtype: 'string', shape: [3], values: [bytes('ab'), bytes(''), bytes('xyz')] },
    });
  });

  it('packs strings into one buffer plus end offsets', () => {
    const { tensors, transfer } = packTensors({ s: strings([bytes('ab'), bytes('c')]) }, false);
    expect(tensors.s.values).toEqual({ bytes: bytes('abc'), ends: Uint32Array.of(2, 3) });
    expect(transfer).toHaveLength(2);
  });

  it('copies a view to exactly its bytes, and with copy=false hands over a whole buffer as is', () => {
    const backing = new Float32Array(1000);
    const view = backing.subarray(10, 12);
    const copied = packTensors({ v: { dtype: 'float32', shape: [2], values: view } }, false);
    expect(copied.transfer[0].byteLength).toBe(8);
    const whole = Float32Array.of(1, 2);
    const handedOver = packTensors({ w: { dtype: 'float32', shape: [2], values: whole } }, false);
    expect(handedOver.transfer[0]).toBe(whole.buffer);
    expect(packTensors({ w: { dtype: 'float32', shape: [2], values: whole } }, true).transfer[0]).not.toBe(whole.buffer);
  });
});

describe('serializeError / deserializeError', () => {
  it('restores the classes of container/errors.ts with their status, and anything else as Error', () => {
    const restored = deserializeError(structuredClone(serializeError(new UnavailableError('model m is loading'))));
    expect(restored).toBeInstanceOf(UnavailableError);
    expect(restored).toMatchObject({ message: 'model m is loading', status: 503 });
    expect(deserializeError(serializeError(new FormatError('bad CRC')))).toBeInstanceOf(FormatError);
    const plainError = deserializeError(serializeError(new TypeError('x is undefined')));
    expect(plainError.constructor).toBe(Error);
    expect(plainError.message).toBe('x is undefined');
    expect(deserializeError(serializeError('a string'))).toEqual(new Error('a string'));
  });
});
