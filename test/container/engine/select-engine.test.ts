import type { Engine, EngineName, LoadedModel, LoadOptions } from '../../../container/engine/engine';
import type { TfjsNode } from '../../../container/engine/native-engine';
import { createEngineSelector, describeEngineChoice, parseEngineChoice } from '../../../container/engine/select-engine';

/** An engine that records what it was asked to load and refuses the directories listed in `refuses`. */
class FakeEngine implements Engine {
  readonly loads: Array<[string, LoadOptions | undefined]> = [];
  constructor(
    readonly name: EngineName,
    private readonly refuses: Record<string, string> = {},
  ) {}

  async load(modelDir: string, options?: LoadOptions): Promise<LoadedModel> {
    this.loads.push([modelDir, options]);
    const refusal = this.refuses[modelDir];
    if (refusal) throw new Error(refusal);
    return { engine: this.name, tags: options?.tags ?? ['serve'], signatures: {}, run: async () => ({}), dispose: () => {} };
  }
}

const fakeBinding = { node: { loadSavedModel: async () => ({ predict: () => ({}), dispose: () => {} }) } } as unknown as TfjsNode;
const MISSING = "tfjs-node binding unavailable: Cannot find module '@tensorflow/tfjs-node'";
const TF_214 = '/models/half_plus_two_tf2/00000123';
const DISABLE_COPY_ON_READ = "tfjs-node cannot load signature 'serving_default': Op type not registered 'DisableCopyOnRead'";

function setup(binding: TfjsNode | string, nativeRefuses: Record<string, string> = {}) {
  const native = new FakeEngine('native', nativeRefuses);
  const pure = new FakeEngine('pure');
  const counts = { loadTfjsNode: 0, createNativeEngine: 0, createPureEngine: 0 };
  const boundTo: TfjsNode[] = [];
  const selector = createEngineSelector({
    loadTfjsNode: () => {
      counts.loadTfjsNode++;
      return binding;
    },
    createNativeEngine: (tf) => {
      counts.createNativeEngine++;
      boundTo.push(tf);
      return native;
    },
    createPureEngine: () => {
      counts.createPureEngine++;
      return pure;
    },
  });
  return { selector, native, pure, counts, boundTo };
}

describe('parseEngineChoice', () => {
  test('defaults to auto and accepts the three choices', () => {
    expect([undefined, '', 'auto', 'native', 'pure'].map(parseEngineChoice)).toEqual(['auto', 'auto', 'auto', 'native', 'pure']);
  });

  test('names the variable and the allowed values for anything else', () => {
    expect(() => parseEngineChoice('gpu')).toThrow(new Error('TFSERVE_ENGINE="gpu": must be one of auto, native, pure'));
    expect(() => parseEngineChoice('Native')).toThrow('TFSERVE_ENGINE="Native": must be one of auto, native, pure');
  });
});

describe('loadModel', () => {
  test('auto picks native when the binding loads, creating each engine once', async () => {
    const { selector, native, pure, counts, boundTo } = setup(fakeBinding);
    const a = await selector.loadModel('/models/a/1', undefined, {});
    const b = await selector.loadModel('/models/b/1', { tags: ['serve', 'gpu'] }, { TFSERVE_ENGINE: 'auto' });
    expect([a.engine, b.engine]).toEqual(['native', 'native']);
    expect(native.loads).toEqual([
      ['/models/a/1', {}],
      ['/models/b/1', { tags: ['serve', 'gpu'] }],
    ]);
    expect(pure.loads).toEqual([]);
    expect(boundTo).toEqual([fakeBinding]);
    expect(counts).toEqual({ loadTfjsNode: 1, createNativeEngine: 1, createPureEngine: 0 });
  });

  test('auto falls back to pure for the model native refuses, says so, and keeps native for the others', async () => {
    const { selector, native, pure } = setup(fakeBinding, { [TF_214]: DISABLE_COPY_ON_READ });
    const messages: string[] = [];
    const log = (message: string) => messages.push(message);
    const refused = await selector.loadModel(TF_214, { log }, {});
    const other = await selector.loadModel('/models/times_three_float/1', { log }, {});
    expect([refused.engine, other.engine]).toEqual(['pure', 'native']);
    expect(native.loads.map(([dir]) => dir)).toEqual([TF_214, '/models/times_three_float/1']);
    expect(pure.loads).toEqual([[TF_214, {}]]);
    expect(messages).toEqual([`native engine refused ${TF_214} (${DISABLE_COPY_ON_READ}); loading it on the pure engine`]);
  });

  test('auto uses pure when the binding is missing, without touching native', async () => {
    const { selector, native, counts } = setup(MISSING);
    expect((await selector.loadModel('/models/a/1', undefined, {})).engine).toBe('pure');
    expect(native.loads).toEqual([]);
    expect(counts.createNativeEngine).toBe(0);
  });

  test('native fails clearly when the binding is missing', async () => {
    const { selector, pure } = setup(MISSING);
    await expect(selector.loadModel('/models/a/1', undefined, { TFSERVE_ENGINE: 'native' })).rejects.toThrow(
      new Error(`cannot load /models/a/1: TFSERVE_ENGINE=native, but ${MISSING}`),
    );
    expect(pure.loads).toEqual([]);
  });

  test('native does not fall back: the refusal is the error', async () => {
    const { selector, pure } = setup(fakeBinding, { [TF_214]: DISABLE_COPY_ON_READ });
    await expect(selector.loadModel(TF_214, undefined, { TFSERVE_ENGINE: 'native' })).rejects.toThrow(DISABLE_COPY_ON_READ);
    expect(pure.loads).toEqual([]);
  });

  test('pure never loads the binding', async () => {
    const { selector, native, counts } = setup(fakeBinding);
    expect((await selector.loadModel('/models/a/1', { tags: ['serve'] }, { TFSERVE_ENGINE: 'pure' })).engine).toBe('pure');
    expect(native.loads).toEqual([]);
    expect(counts.loadTfjsNode).toBe(0);
  });

  test('a bad TFSERVE_ENGINE stops loading with the variable named', async () => {
    const { selector } = setup(fakeBinding);
    await expect(selector.loadModel('/models/a/1', undefined, { TFSERVE_ENGINE: 'fast' })).rejects.toThrow(
      'TFSERVE_ENGINE="fast": must be one of auto, native, pure',
    );
  });
});

describe('describeEngineChoice', () => {
  test('says which engine each setting picks and why', () => {
    const withBinding = setup(fakeBinding).selector;
    const without = setup(MISSING).selector;
    expect(withBinding.describeEngineChoice({})).toEqual({
      requested: 'auto',
      engine: 'native',
      reason: 'TFSERVE_ENGINE=auto: tfjs-node binding loaded; models it refuses load on the pure engine',
    });
    expect(without.describeEngineChoice({})).toEqual({ requested: 'auto', engine: 'pure', reason: `TFSERVE_ENGINE=auto: ${MISSING}` });
    expect(withBinding.describeEngineChoice({ TFSERVE_ENGINE: 'native' })).toEqual({
      requested: 'native',
      engine: 'native',
      reason: 'TFSERVE_ENGINE=native: tfjs-node binding loaded',
    });
    expect(without.describeEngineChoice({ TFSERVE_ENGINE: 'native' })).toEqual({
      requested: 'native',
      engine: undefined,
      reason: `TFSERVE_ENGINE=native, but ${MISSING}`,
    });
    expect(without.describeEngineChoice({ TFSERVE_ENGINE: 'pure' })).toEqual({ requested: 'pure', engine: 'pure', reason: 'TFSERVE_ENGINE=pure' });
  });

  test('the default selector reports the real binding state of this machine', () => {
    const decision = describeEngineChoice({});
    expect(decision.requested).toBe('auto');
    if (decision.engine === 'pure') expect(decision.reason).toMatch(/^TFSERVE_ENGINE=auto: tfjs-node binding unavailable: \S/);
    else expect(decision).toEqual({ requested: 'auto', engine: 'native', reason: expect.stringMatching(/binding loaded/) });
  });
});
