import type { DType } from './tensor';

/** TensorFlow DataType names (as protobufjs renders the enum) ↔ the project's dtypes. */
const byTfName: Record<string, DType> = {
  DT_FLOAT: 'float32',
  DT_DOUBLE: 'float64',
  DT_HALF: 'float16',
  DT_BFLOAT16: 'bfloat16',
  DT_INT8: 'int8',
  DT_INT16: 'int16',
  DT_INT32: 'int32',
  DT_INT64: 'int64',
  DT_UINT8: 'uint8',
  DT_UINT16: 'uint16',
  DT_UINT32: 'uint32',
  DT_UINT64: 'uint64',
  DT_BOOL: 'bool',
  DT_STRING: 'string',
};

const byDType = Object.fromEntries(Object.entries(byTfName).map(([tf, d]) => [d, tf])) as Record<DType, string>;

/** `DT_FLOAT_REF` and friends are reference types of old TF1 graphs; they carry the same values. */
export function stripRef(tfName: string): string {
  return tfName.endsWith('_REF') ? tfName.slice(0, -'_REF'.length) : tfName;
}

/** The project dtype for a TensorFlow DataType name, or undefined (resource, variant, complex, quantized…). */
export function dtypeFromTf(tfName: string): DType | undefined {
  return byTfName[stripRef(tfName)];
}

export function tfFromDtype(dtype: DType): string {
  return byDType[dtype];
}
