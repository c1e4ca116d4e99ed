import { InvalidArgumentError } from '../../../container/errors';
import { makeTensor, type NamedTensors } from '../../../container/formats/tensor';
import { bfloat16ToNumber, float16ToNumber } from '../../../container/formats/half-precision';
import { formatPredictResponse } from '../../../container/tfs/predict-response';

const y = makeTensor('float32', [3], new Float32Array([3.5, 4, 5.5]));

describe('formatPredictResponse', () => {
  it('row form, one output: the list of its values per instance', () => {
    expect(formatPredictResponse({ y }, 'row')).toBe('{"predictions":[3.5,4.0,5.5]}');
    const twoRows = makeTensor('float32', [2, 3], new Float32Array([3.5, 4, 5.5, 3.5, 4, 5.5]));
    expect(formatPredictResponse({ y: twoRows }, 'row')).toBe('{"predictions":[[3.5,4.0,5.5],[3.5,4.0,5.5]]}');
  });

  it('row form, several outputs: one object per instance keyed by output', () => {
    const outputs: NamedTensors = {
      scores: makeTensor('float32', [2, 2], new Float32Array([0.1, 0.9, 0.75, 0.25])),
      ids: makeTensor('int64', [2], new BigInt64Array([9007199254740993n, -1n])),
    };
    expect(formatPredictResponse(outputs, 'row')).toBe(
      '{"predictions":[{"ids":9007199254740993,"scores":[0.1,0.9]},{"ids":-1,"scores":[0.75,0.25]}]}',
    );
  });

  it('columnar form: the value for one output, an object for several', () => {
    expect(formatPredictResponse({ y }, 'columnar')).toBe('{"outputs":[3.5,4.0,5.5]}');
    const scalar = makeTensor('float64', [], new Float64Array([0.1]));
    expect(formatPredictResponse({ y, z: scalar }, 'columnar')).toBe('{"outputs":{"y":[3.5,4.0,5.5],"z":0.1}}');
  });

  it('writes every dtype: ints, uint64, bools, NaN and infinities as TFS does', () => {
    const outputs: NamedTensors = {
      a: makeTensor('int32', [2], new Int32Array([-7, 8])),
      b: makeTensor('uint64', [2], new BigUint64Array([18446744073709551615n, 0n])),
      c: makeTensor('bool', [2], new Uint8Array([1, 0])),
      d: makeTensor('float32', [2], new Float32Array([NaN, -Infinity])),
      e: makeTensor('float16', [2], new Uint16Array([0x3c00, 0xc100])),
    };
    expect(formatPredictResponse(outputs, 'columnar')).toBe(
      '{"outputs":{"a":[-7,8],"b":[18446744073709551615,0],"c":[true,false],"d":[NaN,-Infinity],"e":[1.0,-2.5]}}',
    );
  });

  it('writes strings as text, and as {"b64"} when not UTF-8 or when the key ends in _bytes', () => {
    const text = new TextEncoder().encode('héllo "x"');
    const binary = new Uint8Array([0xff, 0x00]);
    const outputs: NamedTensors = {
      label: makeTensor('string', [2], [text, binary]),
      image_bytes: makeTensor('string', [2], [text, binary]),
    };
    expect(formatPredictResponse(outputs, 'row')).toBe(
      '{"predictions":[{"image_bytes":{"b64":"aMOpbGxvICJ4Ig=="},"label":"héllo \\"x\\""},{"image_bytes":{"b64":"/wA="},"label":{"b64":"/wA="}}]}',
    );
  });

  it.each([
    [{}, 'Cannot convert empty tensor map to JSON'],
    [{ s: makeTensor('float32', [], new Float32Array([1])) }, 'Tensor name: s has no shape information '],
    [{ e: makeTensor('float32', [0], new Float32Array([])) }, 'Tensor name: e has invalid batch size: 0'],
    [
      { a: makeTensor('float32', [2], new Float32Array([1, 2])), b: makeTensor('float32', [1], new Float32Array([1])) },
      'Tensor name: b has inconsistent batch size: 1 expecting: 2',
    ],
  ])('row form rejects outputs that are not batched alike (%#)', (outputs, message) => {
    expect(() => formatPredictResponse(outputs as NamedTensors, 'row')).toThrow(new InvalidArgumentError(message));
  });

  it('converts 16-bit floats', () => {
    expect(float16ToNumber(0x3555)).toBeCloseTo(0.333, 3);
    expect(float16ToNumber(0x0001)).toBe(2 ** -24);
    expect(float16ToNumber(0x7c00)).toBe(Infinity);
    expect(bfloat16ToNumber(0x3fc0)).toBe(1.5);
    expect(bfloat16ToNumber(0xc000)).toBe(-2);
  });
});
