import type { ArgDef, AttrValue } from '../graph/types';

/**
 * The complete OpDefs (as TensorFlow 2.14 registers them, descriptions stripped) of the ops the writer emits. They
 * go into `meta_info_def.stripped_op_list` exactly as TensorFlow writes it, and the graph builder uses them to add
 * every default attr to its nodes and to refuse attrs an op does not have. Transcribed from
 * tensorflow/core/ops/compat/ops_history_v2/<Op>.pbtxt (last entry) and from the stripped op lists of TF-written
 * SavedModels (half_plus_two_tf2, TF 2.14.0; half_plus_two_mlmd, TF 2.1.0).
 */
export interface AttrDef {
  name: string;
  type: string;
  defaultValue?: AttrValue;
  allowedValues?: AttrValue;
  hasMinimum?: boolean;
  minimum?: string;
}

export interface OpDef {
  name: string;
  inputArg?: ArgDef[];
  outputArg?: ArgDef[];
  attr?: AttrDef[];
  isStateful?: boolean;
  isCommutative?: boolean;
  allowsUninitializedInput?: boolean;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const typed = (name: string, typeAttr: string): ArgDef => ({ name, typeAttr });
const fixed = (name: string, type: string, numberAttr?: string): ArgDef => (numberAttr ? { name, type, numberAttr } : { name, type });
const typeList = (name: string, typeListAttr: string): ArgDef => ({ name, typeListAttr });

function typeAttr(name: string, allowed?: string[], defaultType?: string): AttrDef {
  return {
    name,
    type: 'type',
    ...(defaultType ? { defaultValue: { type: defaultType } } : {}),
    ...(allowed ? { allowedValues: { list: { type: allowed } } } : {}),
  };
}

function stringAttr(name: string, allowed?: string[], defaultValue?: string): AttrDef {
  return {
    name,
    type: 'string',
    ...(defaultValue !== undefined ? { defaultValue: { s: bytes(defaultValue) } } : {}),
    ...(allowed ? { allowedValues: { list: { s: allowed.map(bytes) } } } : {}),
  };
}

const boolAttr = (name: string, value: boolean): AttrDef => ({ name, type: 'bool', defaultValue: { b: value } });
const floatAttr = (name: string, value: number): AttrDef => ({ name, type: 'float', defaultValue: { f: value } });
const counted = (name: string, type: string, minimum?: number): AttrDef =>
  minimum === undefined ? { name, type, hasMinimum: true } : { name, type, hasMinimum: true, minimum: String(minimum) };
const intList = (name: string, defaults?: number[]): AttrDef =>
  defaults ? { name, type: 'list(int)', defaultValue: { list: { i: defaults.map(String) } } } : { name, type: 'list(int)' };

const nhwc = (formats = ['NHWC', 'NCHW']): AttrDef => stringAttr('data_format', formats, 'NHWC');
const padding = (explicit: boolean): AttrDef => stringAttr('padding', explicit ? ['SAME', 'VALID', 'EXPLICIT'] : ['SAME', 'VALID']);
const unary = (name: string, input: string, output: string, allowed: string[]): OpDef => ({
  name,
  inputArg: [typed(input, 'T')],
  outputArg: [typed(output, 'T')],
  attr: [typeAttr('T', allowed)],
});

const DT = (names: string): string[] => names.split(' ').map((n) => `DT_${n}`);
const realNumbers = DT('FLOAT DOUBLE INT32 UINT8 INT16 INT8 COMPLEX64 INT64 QINT8 QUINT8 QINT32 BFLOAT16 QINT16 QUINT16 UINT16 COMPLEX128 HALF UINT32 UINT64');
const exampleTypes = DT('FLOAT INT64 STRING');

const defs: OpDef[] = [
  {
    name: 'Add',
    inputArg: [typed('x', 'T'), typed('y', 'T')],
    outputArg: [typed('z', 'T')],
    attr: [typeAttr('T', DT('BFLOAT16 HALF FLOAT DOUBLE UINT8 INT8 INT16 INT32 INT64 COMPLEX64 COMPLEX128 STRING'))],
  },
  {
    name: 'Assign',
    inputArg: [{ ...typed('ref', 'T'), isRef: true }, typed('value', 'T')],
    outputArg: [{ ...typed('output_ref', 'T'), isRef: true }],
    attr: [typeAttr('T'), boolAttr('validate_shape', true), boolAttr('use_locking', true)],
    allowsUninitializedInput: true,
  },
  {
    name: 'BiasAdd',
    inputArg: [typed('value', 'T'), typed('bias', 'T')],
    outputArg: [typed('output', 'T')],
    attr: [typeAttr('T', realNumbers), nhwc()],
  },
  {
    name: 'Const',
    outputArg: [typed('output', 'dtype')],
    attr: [{ name: 'value', type: 'tensor' }, typeAttr('dtype')],
  },
  {
    name: 'Conv2D',
    inputArg: [typed('input', 'T'), typed('filter', 'T')],
    outputArg: [typed('output', 'T')],
    attr: [
      typeAttr('T', DT('HALF BFLOAT16 FLOAT DOUBLE INT32')),
      intList('strides'),
      boolAttr('use_cudnn_on_gpu', true),
      padding(true),
      intList('explicit_paddings', []),
      nhwc(),
      intList('dilations', [1, 1, 1, 1]),
    ],
  },
  {
    name: 'FusedBatchNormV3',
    inputArg: ['x', 'scale', 'offset', 'mean', 'variance'].map((arg) => typed(arg, arg === 'x' ? 'T' : 'U')),
    outputArg: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2', 'reserve_space_3'].map((arg) =>
      typed(arg, arg === 'y' ? 'T' : 'U'),
    ),
    attr: [
      typeAttr('T', DT('HALF BFLOAT16 FLOAT')),
      typeAttr('U', DT('BFLOAT16 FLOAT')),
      floatAttr('epsilon', 0.0001),
      floatAttr('exponential_avg_factor', 1),
      nhwc(['NHWC', 'NCHW', 'NDHWC', 'NCDHW']),
      boolAttr('is_training', true),
    ],
  },
  { name: 'Identity', inputArg: [typed('input', 'T')], outputArg: [typed('output', 'T')], attr: [typeAttr('T')] },
  {
    name: 'MatMul',
    inputArg: [typed('a', 'T'), typed('b', 'T')],
    outputArg: [typed('product', 'T')],
    attr: [
      boolAttr('transpose_a', false),
      boolAttr('transpose_b', false),
      typeAttr('T', DT('BFLOAT16 HALF FLOAT DOUBLE INT32 INT64 UINT8 UINT16 UINT32 UINT64 COMPLEX64 COMPLEX128')),
    ],
  },
  {
    name: 'MaxPool',
    inputArg: [typed('input', 'T')],
    outputArg: [typed('output', 'T')],
    attr: [
      typeAttr('T', DT('HALF BFLOAT16 FLOAT DOUBLE INT32 INT64 UINT8 INT16 INT8 UINT16 QINT8'), 'DT_FLOAT'),
      counted('ksize', 'list(int)', 4),
      counted('strides', 'list(int)', 4),
      padding(true),
      intList('explicit_paddings', []),
      nhwc(['NHWC', 'NCHW', 'NCHW_VECT_C']),
    ],
  },
  {
    name: 'Mean',
    inputArg: [typed('input', 'T'), typed('reduction_indices', 'Tidx')],
    outputArg: [typed('output', 'T')],
    attr: [boolAttr('keep_dims', false), typeAttr('T', realNumbers), typeAttr('Tidx', DT('INT32 INT64'), 'DT_INT32')],
  },
  {
    name: 'Mul',
    inputArg: [typed('x', 'T'), typed('y', 'T')],
    outputArg: [typed('z', 'T')],
    attr: [typeAttr('T', DT('BFLOAT16 HALF FLOAT DOUBLE UINT8 INT8 UINT16 INT16 INT32 UINT32 UINT64 INT64 COMPLEX64 COMPLEX128'))],
    isCommutative: true,
  },
  { name: 'NoOp' },
  {
    name: 'ParseExample',
    inputArg: [
      fixed('serialized', 'DT_STRING'),
      fixed('names', 'DT_STRING'),
      fixed('sparse_keys', 'DT_STRING', 'Nsparse'),
      fixed('dense_keys', 'DT_STRING', 'Ndense'),
      typeList('dense_defaults', 'Tdense'),
    ],
    outputArg: [
      fixed('sparse_indices', 'DT_INT64', 'Nsparse'),
      typeList('sparse_values', 'sparse_types'),
      fixed('sparse_shapes', 'DT_INT64', 'Nsparse'),
      typeList('dense_values', 'Tdense'),
    ],
    attr: [
      counted('Nsparse', 'int'),
      counted('Ndense', 'int'),
      { ...counted('sparse_types', 'list(type)'), allowedValues: { list: { type: exampleTypes } } },
      { ...counted('Tdense', 'list(type)'), allowedValues: { list: { type: exampleTypes } } },
      counted('dense_shapes', 'list(shape)'),
    ],
  },
  {
    name: 'Placeholder',
    outputArg: [typed('output', 'dtype')],
    attr: [typeAttr('dtype'), { name: 'shape', type: 'shape', defaultValue: { shape: { unknownRank: true } } }],
  },
  unary('Relu', 'features', 'activations', DT('FLOAT DOUBLE INT32 UINT8 INT16 INT8 INT64 BFLOAT16 UINT16 HALF UINT32 UINT64 QINT8')),
  {
    name: 'RestoreV2',
    inputArg: [fixed('prefix', 'DT_STRING'), fixed('tensor_names', 'DT_STRING'), fixed('shape_and_slices', 'DT_STRING')],
    outputArg: [typeList('tensors', 'dtypes')],
    attr: [counted('dtypes', 'list(type)', 1)],
    isStateful: true,
  },
  {
    name: 'SaveV2',
    inputArg: [
      fixed('prefix', 'DT_STRING'),
      fixed('tensor_names', 'DT_STRING'),
      fixed('shape_and_slices', 'DT_STRING'),
      typeList('tensors', 'dtypes'),
    ],
    attr: [counted('dtypes', 'list(type)', 1)],
    isStateful: true,
  },
  unary('Softmax', 'logits', 'softmax', DT('HALF BFLOAT16 FLOAT DOUBLE')),
  {
    name: 'VariableV2',
    outputArg: [{ ...typed('ref', 'dtype'), isRef: true }],
    attr: [{ name: 'shape', type: 'shape' }, typeAttr('dtype'), stringAttr('container', undefined, ''), stringAttr('shared_name', undefined, '')],
    isStateful: true,
  },
];

const byName = new Map(defs.map((def) => [def.name, def]));

/** The OpDef of an op the writer knows, or undefined. */
export function writerOpDef(op: string): OpDef | undefined {
  return byName.get(op);
}
