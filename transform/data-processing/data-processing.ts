import { DataProcessingError, JsonPathError } from './data-processing-error';
import { evaluateJsonPath } from './evaluate-json-path';
import { parseJsonPath, type JsonPath } from './json-path';
import {
  csvRowAsJson,
  dataFormatOf,
  decodeText,
  decodeValues,
  encodeText,
  encodeValues,
  lineEnding,
  type DataFormat,
} from './record-values';

/**
 * SageMaker's DataProcessing as pure functions over record bytes: InputFilter before a record is sent, JoinSource
 * and OutputFilter on what comes back. A record may hold several values (a MultiRecord mini-batch of lines), each
 * filtered on its own. With the defaults (`$`, JoinSource None) the bytes pass through untouched.
 */

export type JoinSource = 'None' | 'Input';

export interface RecordContentTypes {
  /** TransformInput.ContentType: how input records are read, and how a joined record is written. */
  contentType: string | undefined;
  /** TransformOutput.Accept: how the container's responses are read (and written when nothing is joined). */
  accept: string | undefined;
}

type FilterField = 'InputFilter' | 'OutputFilter';

/**
 * The part of `record` the container should see. JSON values are re-serialised compactly; CSV cells keep their
 * text. The record's final line ending, if any, is kept, so framing decided by the splitter is unchanged.
 */
export function applyInputFilter(record: Uint8Array, contentType: string | undefined, inputFilter: string): Uint8Array {
  if (inputFilter === '$') return record;
  const path = compileFilter('InputFilter', inputFilter);
  const format = formatFor(contentType, 'TransformInput.ContentType');
  const text = decodeText(record, 'input record');
  const filtered = decodeValues(text, format, 'input record').map((value) => applyFilter('InputFilter', path, value));
  return encodeText(encodeValues(filtered, format) + lineEnding(text));
}

/**
 * The record to write for one input record (the ORIGINAL one, before InputFilter: the guide's CSV example filters
 * out an ID column and still gets it back by joining) and the container's response to it.
 *
 * - JoinSource None: the response, OutputFilter applied, in the Accept format.
 * - JoinSource Input, CSV input: the input's columns, then the response's (a JSON response's array elements, or
 *   the value as one column). Written as CSV.
 * - JoinSource Input, JSON input: an object input gains a `SageMakerOutput` key (an input key of that name is
 *   overwritten, as the guide warns); any other input becomes `{"SageMakerInput": …, "SageMakerOutput": …}`.
 *   A CSV response joins as its row, a JSON array whose numeric cells are numbers. Written as JSON.
 *
 * Input and response pair value by value, so a mini-batch of N lines needs a response of N lines. The result has
 * no final line ending: AssembleWith Line adds one.
 */
export function joinAndFilterOutput(
  inputRecord: Uint8Array,
  outputRecord: Uint8Array,
  contentTypes: RecordContentTypes,
  joinSource: JoinSource,
  outputFilter: string,
): Uint8Array {
  if (joinSource === 'None' && outputFilter === '$') return outputRecord;
  const path = compileFilter('OutputFilter', outputFilter);
  const outputFormat = formatFor(contentTypes.accept, 'TransformOutput.Accept');
  const outputs = decodeValues(decodeText(outputRecord, 'response'), outputFormat, 'response');
  const filterAll = (values: unknown[], format: DataFormat) =>
    encodeText(encodeValues(values.map((value) => applyFilter('OutputFilter', path, value)), format));
  if (joinSource === 'None') return filterAll(outputs, outputFormat);

  const inputFormat = formatFor(contentTypes.contentType, 'TransformInput.ContentType');
  const inputs = decodeValues(decodeText(inputRecord, 'input record'), inputFormat, 'input record');
  if (inputs.length !== outputs.length) {
    throw new DataProcessingError(
      `JoinSource Input pairs each input record with one response record, but the input holds ${inputs.length} ` +
        `and the response ${outputs.length}; the container must answer a mini-batch of N lines with N lines`,
    );
  }
  const csvIntoJson = outputFormat === 'csv' && inputFormat === 'json';
  const joinable = csvIntoJson ? outputs.map((row) => csvRowAsJson(row as string[])) : outputs;
  const joined = inputs.map((input, i) => join(input, joinable[i], inputFormat));
  return filterAll(joined, inputFormat);
}

function join(input: unknown, output: unknown, inputFormat: DataFormat): unknown {
  if (inputFormat === 'csv') return [...(input as unknown[]), ...(Array.isArray(output) ? output : [output])];
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  return isObject ? { ...input, SageMakerOutput: output } : { SageMakerInput: input, SageMakerOutput: output };
}

function formatFor(contentType: string | undefined, field: string): DataFormat {
  const format = dataFormatOf(contentType);
  if (format === undefined) {
    const is = contentType === undefined ? 'not set' : JSON.stringify(contentType);
    throw new DataProcessingError(
      `${field} is ${is}; DataProcessing works only on text/csv, application/json and application/jsonlines`,
    );
  }
  return format;
}

function rethrowForField(field: FilterField, error: unknown): never {
  if (!(error instanceof JsonPathError)) throw error;
  throw new DataProcessingError(`DataProcessing.${field}: ${error.message}`, { cause: error });
}

function compileFilter(field: FilterField, source: string): JsonPath {
  try {
    return parseJsonPath(source);
  } catch (error) {
    rethrowForField(field, error);
  }
}

function applyFilter(field: FilterField, path: JsonPath, value: unknown): unknown {
  try {
    return evaluateJsonPath(path, value);
  } catch (error) {
    rethrowForField(field, error);
  }
}
