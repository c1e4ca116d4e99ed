import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidArgumentError, UnsupportedModelError } from '../../../container/errors';
import { makeTensor, type DType, type Tensor } from '../../../container/formats/tensor';
import { fromTfjs, lossyDtypeNotes, tfjsDtypeOf, toTfjs } from '../../../container/engine/tfjs-tensors';
import { bfloat16ToNumber, float16ToNumber, numberToBfloat16, numberToFloat16 } from '../../../container/formats/half-precision';

beforeAll(async () => {
  tf.env().set('IS_TEST', true); // silences tfjs's "install the node backend" banner
  await tf.setBackend('cpu');
});

/** toTfjs, then fromTfjs with the same declared dtype; checks the tfjs dtype on the way and leaks nothing. */
function roundTrip(tensor: Tensor): { tfjsDtype: string; tfjsValues: unknown; back: Tensor } {
  const before = tf.memory().numTensors;
  const t = toTfjs(tf, tensor);
  const result = {
    tfjsDtype: t.dtype,
    tfjsValues: tensor.dtype === 'string' ? undefined : Array.from(t.dataSync()),
    back: fromTfjs(tf, t, tensor.dtype),
  };
  t.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

describe('round trips through tfjs', () => {
  const cases: Array<[Tensor, string, number[] | undefined]> = [
    [makeTensor('float32', [2], new Float32Array([1.5, -2])), 'float32', [1.5, -2]],
    [makeTensor('float64', [2], new Float64Array([0.5, 1e10])), 'float32', [0.5, 1e10]],
    [makeTensor('int8', [2], new Int8Array([-128, 127])), 'int32', [-128, 127]],
    [makeTensor('int16', [2], new Int16Array([-32768, 32767])), 'int32', [-32768, 32767]],
    [makeTensor('int32', [2, 1], new Int32Array([-2147483648, 2147483647])), 'int32', [-2147483648, 2147483647]],
    [makeTensor('int64', [2], new BigInt64Array([-2147483648n, 2147483647n])), 'int32', [-2147483648, 2147483647]],
    [makeTensor('uint8', [2], new Uint8Array([0, 255])), 'int32', [0, 255]],
    [makeTensor('uint16', [2], new Uint16Array([0, 65535])), 'int32', [0, 65535]],
    [makeTensor('uint32', [2], new Uint32Array([0, 2147483647])), 'int32', [0, 2147483647]],
    [makeTensor('uint64', [2], new BigUint64Array([0n, 2147483647n])), 'int32', [0, 2147483647]],
    [makeTensor('bool', [3], new Uint8Array([1, 0, 1])), 'bool', [1, 0, 1]],
    // 1, 65504 (max half), 2^-24 (smallest subnormal), -2, +Infinity
    [makeTensor('float16', [5], new Uint16Array([0x3c00, 0x7bff, 0x0001, 0xc000, 0x7c00])), 'float32', [1, 65504, 2 ** -24, -2, Infinity]],
    // 1, -2, 3.140625 (0x4049 is pi truncated to bfloat16)
    [makeTensor('bfloat16', [3], new Uint16Array([0x3f80, 0xc000, 0x4049])), 'float32', [1, -2, 3.140625]],
    [makeTensor('float32', [], new Float32Array([7])), 'float32', [7]],
  ];

  test.each(cases.map(([tensor, tfjsDtype, tfjsValues]) => [tensor.dtype, tfjsDtype, tensor, tfjsValues] as const))(
    '%s is computed as tfjs %s and comes back identical',
    (_dtype, tfjsDtype, tensor, tfjsValues) => {
    const result = roundTrip(tensor);
    expect(result.tfjsDtype).toBe(tfjsDtype);
    expect(result.tfjsValues).toEqual(tfjsValues);
    expect(result.back).toEqual(tensor);
    },
  );

  test('binary (non-UTF-8) string bytes survive both ways', () => {
    const bytes = [new Uint8Array([0xff, 0x00, 0xfe, 0x80]), new Uint8Array([]), new TextEncoder().encode('é')];
    const tensor = makeTensor('string', [3], bytes);
    const result = roundTrip(tensor);
    expect(result.tfjsDtype).toBe('string');
    expect(result.back).toEqual({ dtype: 'string', shape: [3], values: bytes });
  });

  test('float64 loses precision beyond float32', () => {
    const { back } = roundTrip(makeTensor('float64', [1], new Float64Array([0.1])));
    expect(back.values).toEqual(new Float64Array([Math.fround(0.1)]));
  });
});

describe('toTfjs', () => {
  test('rejects int64 values outside the int32 range, naming the value, index and range', () => {
    const tensor = makeTensor('int64', [3], new BigInt64Array([1n, 2n, 3000000000n]));
    expect(() => toTfjs(tf, tensor, undefined, "input 'x'")).toThrow(
      new InvalidArgumentError(
        "input 'x': int64 value 3000000000 at index 2 is not an integer in [-2147483648, 2147483647], the int32 range tfjs computes int64 with",
      ),
    );
  });

  test('rejects uint32 and uint64 values above 2^31-1', () => {
    expect(() => toTfjs(tf, makeTensor('uint32', [1], new Uint32Array([2147483648])))).toThrow(
      /tensor: uint32 value 2147483648 at index 0 is not an integer/,
    );
    expect(() => toTfjs(tf, makeTensor('uint64', [1], new BigUint64Array([18446744073709551615n])))).toThrow(
      /uint64 value 18446744073709551615 at index 0/,
    );
  });

  test('converts to an explicit target dtype', () => {
    const t = toTfjs(tf, makeTensor('int64', [2], new BigInt64Array([3n, -4n])), 'float32');
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.dataSync())).toEqual([3, -4]);
    t.dispose();
    const b = toTfjs(tf, makeTensor('float32', [3], new Float32Array([0, 2.5, -1])), 'bool');
    expect(Array.from(b.dataSync())).toEqual([0, 1, 1]);
    b.dispose();
  });

  test('rejects a non-integer float fed as int32', () => {
    expect(() => toTfjs(tf, makeTensor('float32', [2], new Float32Array([1, 1.5])), 'int32')).toThrow(
      'tensor: float32 value 1.5 at index 1 is not an integer in [-2147483648, 2147483647]',
    );
  });

  test('rejects strings fed as numbers and numbers fed as strings', () => {
    expect(() => toTfjs(tf, makeTensor('string', [1], [new Uint8Array([49])]), 'float32', "input 'x'")).toThrow(
      new InvalidArgumentError("input 'x': a string tensor cannot be fed where tfjs expects float32"),
    );
    expect(() => toTfjs(tf, makeTensor('int32', [1], new Int32Array([1])), 'string')).toThrow(
      'tensor: a int32 tensor cannot be fed where tfjs expects string',
    );
  });
});

describe('fromTfjs', () => {
  function read(values: number[], tfjsDtype: 'float32' | 'int32' | 'bool', declared: DType): Tensor {
    const t = tf.tensor(values, [values.length], tfjsDtype);
    try {
      return fromTfjs(tf, t, declared, "output 'y'");
    } finally {
      t.dispose();
    }
  }

  test('widens an int32 result declared int64 to BigInt64Array', () => {
    expect(read([6, -8], 'int32', 'int64')).toEqual({ dtype: 'int64', shape: [2], values: new BigInt64Array([6n, -8n]) });
  });

  test('rounds float32 results declared float16 and bfloat16 to the nearest even word', () => {
    // 1 + 2^-11 is halfway between two halves: ties go to the even word 0x3c00
    expect(read([1 + 2 ** -11, 65520, -0], 'float32', 'float16').values).toEqual(new Uint16Array([0x3c00, 0x7c00, 0x8000]));
    expect(read([1 + 3 * 2 ** -8, NaN], 'float32', 'bfloat16').values).toEqual(new Uint16Array([0x3f82, 0x7fc0]));
  });

  test('rejects integer results outside the declared range instead of wrapping', () => {
    expect(() => read([255, 300], 'int32', 'uint8')).toThrow(
      new UnsupportedModelError("output 'y': tfjs computed 300 at index 1, which is not a uint8 value in [0, 255]"),
    );
  });

  test('rejects a tfjs dtype that cannot be read as the declared one', () => {
    expect(() => read([1], 'float32', 'bool')).toThrow("output 'y': declared bool, but tfjs produced a float32 tensor");
    expect(() => read([1], 'int32', 'string')).toThrow("output 'y': declared string, but tfjs produced a int32 tensor");
  });
});

describe('half-precision words', () => {
  test('float16 decoding covers normals, subnormals, zero signs, infinities and NaN', () => {
    expect([0x3c00, 0x3555, 0x0400, 0x03ff, 0x8000, 0xfc00].map(float16ToNumber)).toEqual([
      1,
      0.333251953125,
      2 ** -14,
      1023 * 2 ** -24,
      -0,
      -Infinity,
    ]);
    expect(float16ToNumber(0x7e00)).toBeNaN();
  });

  test('float16 encoding rounds to nearest even, underflows to zero and overflows to Infinity', () => {
    expect([1 / 3, 2 ** -25, 3 * 2 ** -25, 1e-9, 1e6, 1 + 3 * 2 ** -11].map(numberToFloat16)).toEqual([
      0x3555, 0x0000, 0x0002, 0x0000, 0x7c00, 0x3c02,
    ]);
  });

  test('bfloat16 is the top half of a float32', () => {
    expect(bfloat16ToNumber(0x3f80)).toBe(1);
    expect(numberToBfloat16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(numberToBfloat16(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81); // just above the tie
  });
});

describe('lossyDtypeNotes', () => {
  const spec = (dtype: DType, tfDtype: string) => ({ name: 't:0', dtype, tfDtype });
  test('names every input and output that tfjs cannot compute exactly', () => {
    const notes = lossyDtypeNotes({
      inputs: { ids: spec('int64', 'DT_INT64'), x: spec('float32', 'DT_FLOAT'), small: spec('uint8', 'DT_UINT8') },
      outputs: { y: spec('float64', 'DT_DOUBLE'), code: spec('uint8', 'DT_UINT8'), h: spec('float16', 'DT_HALF') },
    });
    expect(notes).toEqual([
      'input ids: int64 is computed as int32 by tfjs; values outside [-2^31, 2^31-1] are rejected',
      'output y: float64 is computed as float32 by tfjs (about 7 significant digits)',
      'output code: uint8 is computed as int32 by tfjs; results outside [0, 255] are rejected rather than wrapped',
      'output h: float16 is computed as float32 by tfjs and rounded to float16 (nearest even)',
    ]);
  });

  test('is empty for signatures tfjs computes exactly', () => {
    expect(lossyDtypeNotes({ inputs: { x: spec('float32', 'DT_FLOAT') }, outputs: { s: spec('string', 'DT_STRING') } })).toEqual([]);
  });

  test('tfjsDtypeOf maps every dtype to one of tfjs\'s four', () => {
    expect(['float64', 'uint16', 'bool', 'string'].map((d) => tfjsDtypeOf(d as DType))).toEqual(['float32', 'int32', 'bool', 'string']);
  });
});
