import { GraphBuilder, attr } from '../../../../container/engine/writer/graph-builder';
import { makeTensor } from '../../../../container/formats/tensor';

const utf8 = (text: string) => new TextEncoder().encode(text);
const scalar = (value: number) => makeTensor('float32', [], Float32Array.of(value));

describe('GraphBuilder.add', () => {
  it('adds every default attr of the OpDef and sorts attrs by name', () => {
    const g = new GraphBuilder();
    const images = g.placeholder('images', 'float32', [-1, 4, 4, 1]);
    const kernel = g.constant('kernel', makeTensor('float32', [1, 1, 1, 1], Float32Array.of(2)));
    g.add('conv', 'Conv2D', [images, kernel], { T: attr.type('float32'), strides: attr.ints([1, 1, 1, 1]), padding: attr.string('SAME') });
    const conv = g.nodes[2];
    expect(conv).toEqual({
      name: 'conv',
      op: 'Conv2D',
      input: ['images', 'kernel'],
      attr: {
        T: { type: 'DT_FLOAT' },
        data_format: { s: utf8('NHWC') },
        dilations: { list: { i: ['1', '1', '1', '1'] } },
        explicit_paddings: { list: { i: [] } },
        padding: { s: utf8('SAME') },
        strides: { list: { i: ['1', '1', '1', '1'] } },
        use_cudnn_on_gpu: { b: true },
      },
    });
    expect(Object.keys(conv.attr!)).toEqual(['T', 'data_format', 'dilations', 'explicit_paddings', 'padding', 'strides', 'use_cudnn_on_gpu']);
  });

  it('keeps an explicitly given value over the default', () => {
    const g = new GraphBuilder();
    const x = g.placeholder('x', 'float32');
    g.add('m', 'MatMul', [x, x], { T: attr.type('float32'), transpose_b: attr.bool(true) });
    expect(g.nodes[1].attr).toEqual({ T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: true } });
  });

  it('writes an unknown-rank placeholder shape as unknown_rank', () => {
    const g = new GraphBuilder();
    g.placeholder('x', 'string');
    expect(g.nodes[0].attr).toEqual({ dtype: { type: 'DT_STRING' }, shape: { shape: { unknownRank: true } } });
  });

  it('refuses what TensorFlow would refuse, naming the node', () => {
    const g = new GraphBuilder();
    const x = g.placeholder('x', 'float32');
    expect(() => g.placeholder('x', 'float32')).toThrow("graph already has a node named 'x'");
    expect(() => g.add('r', 'Relu', ['missing:1'], { T: attr.type('float32') })).toThrow(
      "node 'r' (Relu): input 'missing:1' names no node added before it",
    );
    expect(() => g.add('r', 'Relu', [x], {})).toThrow("node 'r': op Relu needs attr 'T' (no default)");
    expect(() => g.add('r', 'Relu', [x], { T: attr.type('float32'), alpha: attr.float(1) })).toThrow("node 'r': op Relu has no attr 'alpha'");
    expect(() => g.add('s', 'Sigmoid', [x])).toThrow("node 's': the writer has no OpDef for op Sigmoid");
    expect(() => g.add('bad name', 'NoOp', [])).toThrow("graph node name 'bad name' is not a valid TensorFlow node name");
  });

  it('accepts control inputs and internal `_` attrs', () => {
    const g = new GraphBuilder();
    const x = g.placeholder('x', 'float32');
    g.add('n', 'NoOp', [`^${x}`], { _class: attr.strings(['loc:@x']) });
    expect(g.nodes[1]).toEqual({ name: 'n', op: 'NoOp', input: ['^x'], attr: { _class: { list: { s: [utf8('loc:@x')] } } } });
  });
});

describe('GraphBuilder.variable', () => {
  it('creates the four nodes of a TF1 tf.Variable and returns its read tensor', () => {
    const g = new GraphBuilder();
    expect(g.variable('w', scalar(0.5))).toBe('w/read');
    const colocated = { _class: { list: { s: [utf8('loc:@w')] } } };
    expect(g.nodes.map((n) => [n.name, n.op, n.input])).toEqual([
      ['w/initial_value', 'Const', []],
      ['w', 'VariableV2', []],
      ['w/Assign', 'Assign', ['w', 'w/initial_value']],
      ['w/read', 'Identity', ['w']],
    ]);
    expect(g.nodes[1].attr).toEqual({
      container: { s: utf8('') },
      dtype: { type: 'DT_FLOAT' },
      shape: { shape: { dim: [] } },
      shared_name: { s: utf8('') },
    });
    expect(g.nodes[2].attr).toEqual({ T: { type: 'DT_FLOAT' }, ...colocated, use_locking: { b: true }, validate_shape: { b: true } });
    expect(g.nodes[3].attr).toEqual({ T: { type: 'DT_FLOAT' }, ...colocated });
    expect(g.variables).toEqual([{ name: 'w', value: scalar(0.5) }]);
  });

  it('assign() refuses a node that is not a variable', () => {
    const g = new GraphBuilder();
    const x = g.placeholder('x', 'float32');
    expect(() => g.assign('x/Assign', x, x)).toThrow("'x' is not a variable of this graph");
  });
});

describe('GraphBuilder.opDefs and copy', () => {
  it('lists each op once, sorted by name', () => {
    const g = new GraphBuilder();
    g.variable('v', scalar(1));
    g.noOp('init', ['v/Assign']);
    expect(g.opDefs().map((d) => d.name)).toEqual(['Assign', 'Const', 'Identity', 'NoOp', 'VariableV2']);
  });

  it('copy() can be extended without changing the original', () => {
    const g = new GraphBuilder();
    g.variable('v', scalar(1));
    const copy = g.copy();
    copy.variable('u', scalar(2));
    expect(g.nodes).toHaveLength(4);
    expect(g.variables.map((v) => v.name)).toEqual(['v']);
    expect(copy.nodes).toHaveLength(8);
    expect(g.has('u')).toBe(false);
  });
});
