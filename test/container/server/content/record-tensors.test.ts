import type { SignatureInfo } from '../../../../container/engine/engine';
import { decodeExample, encodeExample, type Example } from '../../../../container/formats/example';
import { readFloatFeatures } from '../../../../container/formats/example-float-features';
import { frameTfRecord } from '../../../../container/formats/tfrecord';
import { parseMediaType } from '../../../../container/server/content/media-type';
import { decodeRecordBody, decodeRecordRequest, type RecordTarget } from '../../../../container/server/content/record-request';
import { comparable, exactPredict, predictSignature as signature, tensorSpec as spec } from '../../../support/predict-requests';

/** The tensors of record bodies, read directly, against the request text the general path parses. */

const signatures: Record<string, SignatureInfo> = {
  serving_default: signature('serving_default', { image: spec('float32', [-1, 2, 2]), ids: spec('int64', [-1, 2]) }),
  floats: signature('floats', { image: spec('float32', [-1, 2, -1]), mask: spec('float32') }),
  examples: signature('examples', { inputs: spec('string', [-1]) }),
  mixed: signature('mixed', { name: spec('string', [-1]), v: spec('float32', [-1]) }),
  wide: signature('wide', { d: spec('float64', [-1]) }),
};
const predict: RecordTarget = { method: 'predict', signatures };
const float = (...values: number[]) => ({ kind: 'float' as const, values });
const int64 = (...values: bigint[]) => ({ kind: 'int64' as const, values });
const text = (...values: string[]) => ({ kind: 'bytes' as const, values: values.map((v) => new TextEncoder().encode(v)) });

const body = (examples: Example[]) => Buffer.concat(examples.map((example) => frameTfRecord(encodeExample(example))));

/**
 * What decodeRecordBody makes of `examples`, checked against the text path: the same tensors, or that text, or the
 * same error; 'general' when the tensors were left to the text path.
 */
function agrees(examples: Example[] | Uint8Array, signatureName: string, target: RecordTarget = predict): 'direct' | 'general' {
  const bytes = examples instanceof Uint8Array ? examples : body(examples);
  const mediaType = parseMediaType(`application/x-tfrecord; signature_name=${signatureName}`)!;
  let direct;
  try {
    direct = decodeRecordBody(bytes, mediaType, target);
  } catch (error) {
    expect(() => decodeRecordRequest(bytes, mediaType, target)).toThrow((error as Error).message);
    return 'general';
  }
  if (typeof direct === 'string') {
    expect(direct).toBe(decodeRecordRequest(bytes, mediaType, target));
    return 'general';
  }
  const exact = exactPredict(decodeRecordRequest(bytes, mediaType, target), target.signatures);
  if (exact instanceof Error) throw new Error(`the direct path read what the general path refuses: ${exact.message}`);
  expect(comparable(direct)).toEqual(comparable(exact));
  return 'direct';
}

describe('decodeRecordBody', () => {
  it('reads float_list features into float inputs and int64_list features into int64 inputs', () => {
    const examples: Example[] = [
      { image: float(0.1, -2.5, 3e30, Number.NaN), ids: int64(1n, -9007199254740993n), label: text('cat') },
      { image: float(1, 2, 3, -0), ids: int64(3n, 4n) },
    ];
    expect(agrees(examples, 'serving_default')).toBe('direct');
  });

  it('infers the unknown dimension as the text path does, and takes float features read straight from their bytes', () => {
    expect(agrees([{ image: float(1, 2, 3, 4, 5, 6), mask: float(1) }, { image: float(6, 5, 4, 3, 2, 1), mask: float(0) }], 'floats')).toBe('direct');
  });

  it('hands serialized examples to a string input as they came, even bytes that are no tf.Example', () => {
    const records = Buffer.concat([frameTfRecord(encodeExample({ a: float(1) })), frameTfRecord(Buffer.from('not a proto \xff', 'latin1'))]);
    expect(agrees(records, 'examples')).toBe('direct');
  });

  it.each<[string, Example[], string]>([
    ['a missing feature', [{ image: float(1, 2, 3, 4) }], 'serving_default'],
    ['a wrong count', [{ image: float(1, 2, 3), ids: int64(1n, 2n) }], 'serving_default'],
    ['examples of different inferred shapes', [{ image: float(1, 2), mask: float(1) }, { image: float(1, 2, 3, 4), mask: float(1) }], 'floats'],
    ['an int64 feature for a float input', [{ image: float(1, 2), mask: int64(1n) }], 'floats'],
    ['a string input among others', [{ name: text('a'), v: float(1) }], 'mixed'],
    ['a double input', [{ d: float(0.1) }], 'wide'],
  ])('leaves %s to the general path', (_name, examples, signatureName) => {
    expect(agrees(examples, signatureName)).toBe('general');
  });

  it('leaves classify, bad framing and unknown signatures to the general path', () => {
    const examples = [{ image: float(1, 2, 3, 4), ids: int64(1n, 2n) }];
    expect(agrees(examples, 'serving_default', { method: 'classify', signatures })).toBe('general');
    expect(agrees(examples, 'nope')).toBe('general');
    const broken = body(examples);
    broken[broken.length - 1] ^= 1;
    expect(agrees(broken, 'serving_default')).toBe('general');
    expect(() => decodeRecordBody(broken, parseMediaType('application/x-tfrecord')!, predict)).toThrow('data CRC check failed');
  });
});

describe('readFloatFeatures', () => {
  const example = { image: float(1.5, -2, 3.25), mask: float(1), label: text('cat'), ids: int64(7n) };

  it('reads the wanted float features as decodeExample does, skipping the others', () => {
    const features = readFloatFeatures(encodeExample(example), ['image', 'mask'])!;
    expect([...features.keys()].sort()).toEqual(['image', 'mask']);
    expect(Array.from(features.get('image')!)).toEqual(decodeExample(encodeExample(example)).image.values);
  });

  it('declines a wanted feature that is absent or of another kind', () => {
    expect(readFloatFeatures(encodeExample(example), ['image', 'absent'])).toBeUndefined();
    expect(readFloatFeatures(encodeExample(example), ['label'])).toBeUndefined();
    expect(readFloatFeatures(new Uint8Array(0), ['image'])).toBeUndefined();
  });

  it('never reads mutated bytes that decodeExample refuses, nor reads them differently', () => {
    const bytes = encodeExample(example);
    let read = 0;
    let state = 11;
    const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 20000; i++) {
      const mutated = Uint8Array.from(bytes);
      mutated[random(mutated.length)] = random(256);
      const features = readFloatFeatures(mutated, ['image']);
      if (features === undefined) continue;
      read++;
      const decoded = decodeExample(mutated); // throws if the fast reader accepted a malformed example
      expect(decoded.image.kind).toBe('float');
      expect(Array.from(features.get('image')!)).toEqual(decoded.image.values);
    }
    expect(read).toBeGreaterThan(100);
  });
});
