import type { AttrValue, NodeDef, OpDefObject } from './types';

/**
 * What the engine must know about an op that TensorFlow may leave out of a SavedModel: how its outputs are
 * laid out (to resolve `node:arg:index` references in function bodies) and the defaults of attributes that
 * `stripped_default_attrs` removed. The model's own `stripped_op_list` wins; this table covers ops that TF 2.0.x
 * omits from that list (function-body ops). Facts are TensorFlow's (core/ops/ops.pbtxt), not tfjs's: tfjs's
 * FusedBatchNorm epsilon default is 0.001, TensorFlow's is 0.0001.
 */
export interface OutputArg {
  name: string;
  /** Length of the arg: 1, or taken from an int attr (`number_attr`) or a type-list attr (`type_list_attr`). */
  numberAttr?: string;
  typeListAttr?: string;
}

export interface OpFacts {
  outputs: OutputArg[];
  defaults: Record<string, AttrValue>;
}

const i = (value: number): AttrValue => ({ i: String(value) });
const b = (value: boolean): AttrValue => ({ b: value });
const f = (value: number): AttrValue => ({ f: value });
const s = (value: string): AttrValue => ({ s: new TextEncoder().encode(value) });
const type = (value: string): AttrValue => ({ type: value });
const ints = (values: number[]): AttrValue => ({ list: { i: values.map(String) } });
const emptyList: AttrValue = { list: {} };

const one = (name: string): OutputArg => ({ name });

const nhwc = { data_format: s('NHWC') };
const reduction = { keep_dims: b(false), Tidx: type('DT_INT32') };
const batchNorm = (outputs: string[]): OpFacts => ({
  outputs: outputs.map(one),
  defaults: { epsilon: f(0.0001), exponential_avg_factor: f(1), is_training: b(true), ...nhwc },
});
const batchNormOutputs = ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2'];

const builtin: Record<string, OpFacts> = {
  Conv2D: {
    outputs: [one('output')],
    defaults: { use_cudnn_on_gpu: b(true), explicit_paddings: emptyList, dilations: ints([1, 1, 1, 1]), ...nhwc },
  },
  DepthwiseConv2dNative: {
    outputs: [one('output')],
    defaults: { explicit_paddings: emptyList, dilations: ints([1, 1, 1, 1]), ...nhwc },
  },
  MaxPool: { outputs: [one('output')], defaults: { explicit_paddings: emptyList, ...nhwc } },
  AvgPool: { outputs: [one('output')], defaults: nhwc },
  BiasAdd: { outputs: [one('output')], defaults: nhwc },
  FusedBatchNorm: batchNorm(batchNormOutputs),
  FusedBatchNormV2: batchNorm(batchNormOutputs),
  FusedBatchNormV3: batchNorm([...batchNormOutputs, 'reserve_space_3']),
  MatMul: { outputs: [one('product')], defaults: { transpose_a: b(false), transpose_b: b(false) } },
  BatchMatMulV2: { outputs: [one('output')], defaults: { adj_x: b(false), adj_y: b(false) } },
  Mean: { outputs: [one('output')], defaults: reduction },
  Sum: { outputs: [one('output')], defaults: reduction },
  Max: { outputs: [one('output')], defaults: reduction },
  Min: { outputs: [one('output')], defaults: reduction },
  Prod: { outputs: [one('output')], defaults: reduction },
  All: { outputs: [one('output')], defaults: reduction },
  Any: { outputs: [one('output')], defaults: reduction },
  ArgMax: { outputs: [one('output')], defaults: { output_type: type('DT_INT64'), Tidx: type('DT_INT32') } },
  ArgMin: { outputs: [one('output')], defaults: { output_type: type('DT_INT64'), Tidx: type('DT_INT32') } },
  Squeeze: { outputs: [one('output')], defaults: { squeeze_dims: emptyList } },
  StridedSlice: {
    outputs: [one('output')],
    defaults: { begin_mask: i(0), end_mask: i(0), ellipsis_mask: i(0), new_axis_mask: i(0), shrink_axis_mask: i(0) },
  },
  Cast: { outputs: [one('y')], defaults: { Truncate: b(false) } },
  Shape: { outputs: [one('output')], defaults: { out_type: type('DT_INT32') } },
  Reshape: { outputs: [one('output')], defaults: { Tshape: type('DT_INT32') } },
  GatherV2: { outputs: [one('output')], defaults: { batch_dims: i(0) } },
  Pack: { outputs: [one('output')], defaults: { axis: i(0) } },
  Unpack: { outputs: [{ name: 'output', numberAttr: 'num' }], defaults: { axis: i(0) } },
  Split: { outputs: [{ name: 'output', numberAttr: 'num_split' }], defaults: {} },
  SplitV: { outputs: [{ name: 'output', numberAttr: 'num_split' }], defaults: {} },
  LeakyRelu: { outputs: [one('activations')], defaults: { alpha: f(0.2) } },
  ResizeBilinear: { outputs: [one('resized_images')], defaults: { align_corners: b(false), half_pixel_centers: b(false) } },
  ResizeNearestNeighbor: {
    outputs: [one('resized_images')],
    defaults: { align_corners: b(false), half_pixel_centers: b(false) },
  },
  TopKV2: { outputs: [one('values'), one('indices')], defaults: { sorted: b(true) } },
  Unique: { outputs: [one('y'), one('idx')], defaults: { out_idx: type('DT_INT32') } },
  OneHot: { outputs: [one('output')], defaults: { axis: i(-1), TI: type('DT_INT64') } },
  Cumsum: { outputs: [one('out')], defaults: { exclusive: b(false), reverse: b(false), Tidx: type('DT_INT32') } },
  Fill: { outputs: [one('output')], defaults: { index_type: type('DT_INT32') } },
  Range: { outputs: [one('output')], defaults: { Tidx: type('DT_INT32') } },
  Switch: { outputs: [one('output_false'), one('output_true')], defaults: {} },
  Merge: { outputs: [one('output'), one('value_index')], defaults: {} },
  NonMaxSuppressionV4: {
    outputs: [one('selected_indices'), one('valid_outputs')],
    defaults: { pad_to_max_output_size: b(false), T_threshold: type('DT_FLOAT') },
  },
  NonMaxSuppressionV5: {
    outputs: [one('selected_indices'), one('selected_scores'), one('valid_outputs')],
    defaults: { pad_to_max_output_size: b(false) },
  },
  IdentityN: { outputs: [{ name: 'output', typeListAttr: 'T' }], defaults: {} },
  PartitionedCall: { outputs: [{ name: 'output', typeListAttr: 'Tout' }], defaults: {} },
  StatefulPartitionedCall: { outputs: [{ name: 'output', typeListAttr: 'Tout' }], defaults: {} },
  ParseExample: {
    outputs: [
      { name: 'sparse_indices', numberAttr: 'Nsparse' },
      { name: 'sparse_values', typeListAttr: 'sparse_types' },
      { name: 'sparse_shapes', numberAttr: 'Nsparse' },
      { name: 'dense_values', typeListAttr: 'Tdense' },
    ],
    defaults: {},
  },
  ParseExampleV2: {
    outputs: [
      { name: 'sparse_indices', numberAttr: 'num_sparse' },
      { name: 'sparse_values', typeListAttr: 'sparse_types' },
      { name: 'sparse_shapes', numberAttr: 'num_sparse' },
      { name: 'dense_values', typeListAttr: 'Tdense' },
      { name: 'ragged_values', typeListAttr: 'ragged_value_types' },
      { name: 'ragged_row_splits', typeListAttr: 'ragged_split_types' },
    ],
    defaults: {},
  },
};

export function opFactsFromOpDef(def: OpDefObject): OpFacts {
  const outputs = (def.outputArg ?? []).map((arg) => ({
    name: arg.name,
    numberAttr: arg.numberAttr || undefined,
    typeListAttr: arg.typeListAttr || undefined,
  }));
  const defaults: Record<string, AttrValue> = {};
  for (const attr of def.attr ?? []) {
    if (attr.defaultValue) defaults[attr.name] = attr.defaultValue;
  }
  return { outputs, defaults };
}

/** The op facts for a model: its stripped_op_list over the builtin table. */
export class OpRegistry {
  private readonly facts = new Map<string, OpFacts>(Object.entries(builtin));

  constructor(strippedOpList: OpDefObject[] = []) {
    for (const def of strippedOpList) this.facts.set(def.name, opFactsFromOpDef(def));
  }

  /** Also registers a library function, which may be called as an op by its own name. */
  addFunction(signature: OpDefObject): void {
    this.facts.set(signature.name, opFactsFromOpDef(signature));
  }

  get(op: string): OpFacts | undefined {
    return this.facts.get(op);
  }

  /**
   * Flat output index of `arg:index` on `node`. Ops unknown to both tables are taken to have one output arg,
   * which is true of every op with more than one output that tfjs can run (they are all in the builtin table).
   */
  flatOutputIndex(node: NodeDef, argName: string, index: number): number {
    const facts = this.facts.get(node.op);
    if (!facts) return index;
    let offset = 0;
    for (const arg of facts.outputs) {
      if (arg.name === argName) return offset + index;
      offset += argLength(node, arg);
    }
    throw new Error(`node '${node.name}' (op ${node.op}) has no output arg '${argName}'`);
  }

  /** Re-adds attrs that `stripped_default_attrs` removed. */
  restoreDefaults(node: NodeDef): NodeDef {
    const defaults = this.facts.get(node.op)?.defaults;
    if (!defaults) return node;
    const attr = { ...(node.attr ?? {}) };
    for (const [name, value] of Object.entries(defaults)) {
      if (!(name in attr)) attr[name] = value;
    }
    return { ...node, attr };
  }
}

function argLength(node: NodeDef, arg: OutputArg): number {
  if (arg.numberAttr) return Number(node.attr?.[arg.numberAttr]?.i ?? 0);
  if (arg.typeListAttr) return node.attr?.[arg.typeListAttr]?.list?.type?.length ?? 0;
  return 1;
}
