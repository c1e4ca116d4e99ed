import type { FieldProblem } from '../job/job-validation-error';
import { JsonPathError } from './data-processing-error';
import { parseJsonPath, type JsonPath } from './json-path';
import { DATA_PROCESSING_CONTENT_TYPES, dataFormatOf, type DataFormat } from './record-values';

/**
 * The job fields DataProcessing depends on. A value is undefined when it is unset or when it is malformed (that
 * field's own problem is reported elsewhere), so a broken field does not cascade into misleading problems here.
 */
export interface DataProcessingSettings {
  inputFilter: string | undefined;
  outputFilter: string | undefined;
  joinSource: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  splitType: string | undefined;
  assembleWith: string | undefined;
}

/** Filters that only ever pick array elements, which is all a CSV row (a JSON array) offers. */
const CSV_PATHS = 'CSV rows are JSON arrays, so only index paths apply (e.g. $[0], $[1:], $[0,-1])';

/**
 * DataProcessing's rules from the dev guide: the filters parse; and once any of it is in use (a filter other than
 * `$`, or JoinSource Input) ContentType and Accept are each one of text/csv, application/json, application/jsonlines;
 * CSV needs SplitType Line (input) and AssembleWith Line; binary splits (TFRecord, RecordIO) are not data it reads;
 * and a filter on CSV uses indexes only.
 */
export function dataProcessingProblems(settings: DataProcessingSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const inputPath = parseFilter('DataProcessing.InputFilter', settings.inputFilter, problems);
  const outputPath = parseFilter('DataProcessing.OutputFilter', settings.outputFilter, problems);
  const inUse = settings.inputFilter !== '$' || settings.outputFilter !== '$' || settings.joinSource === 'Input';
  if (!inUse) return problems;

  const { splitType, assembleWith, joinSource } = settings;
  if (splitType === 'TFRecord' || splitType === 'RecordIO') {
    problems.push({
      path: 'DataProcessing',
      message:
        `does not apply to SplitType ${splitType} input (only to CSV and JSON records); ` +
        'leave InputFilter and OutputFilter at $ and JoinSource at None',
    });
  }
  const inputFormat = formatOf('TransformInput.ContentType', settings.contentType, problems);
  const outputFormat = formatOf('TransformOutput.Accept', settings.accept, problems);
  if (inputFormat === 'csv' && splitType !== undefined && splitType !== 'Line') {
    const message = `is ${splitType}, but DataProcessing on text/csv input needs Line`;
    problems.push({ path: 'TransformInput.SplitType', message });
  }
  if ((inputFormat === 'csv' || outputFormat === 'csv') && assembleWith !== undefined && assembleWith !== 'Line') {
    const message = `is ${assembleWith}, but DataProcessing on text/csv needs Line`;
    problems.push({ path: 'TransformOutput.AssembleWith', message });
  }
  if (inputPath && inputFormat === 'csv' && !inputPath.indexOnly) {
    const message = `selects by name, but the input is text/csv: ${CSV_PATHS}`;
    problems.push({ path: 'DataProcessing.InputFilter', message });
  }
  const joinedFormat = joinSource === 'Input' ? inputFormat : outputFormat;
  if (outputPath && joinedFormat === 'csv' && !outputPath.indexOnly) {
    const what =
      joinSource === 'Input' ? 'the joined record is text/csv (as the input)' : 'the response is text/csv (Accept)';
    problems.push({ path: 'DataProcessing.OutputFilter', message: `selects by name, but ${what}: ${CSV_PATHS}` });
  }
  return problems;
}

function parseFilter(path: string, filter: string | undefined, problems: FieldProblem[]): JsonPath | undefined {
  if (filter === undefined) return undefined;
  try {
    return parseJsonPath(filter);
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    problems.push({ path, message: error.message });
    return undefined;
  }
}

function formatOf(path: string, contentType: string | undefined, problems: FieldProblem[]): DataFormat | undefined {
  const format = dataFormatOf(contentType);
  if (format === undefined) {
    const is = contentType === undefined ? 'is not set' : `is ${JSON.stringify(contentType)}`;
    const message = `${is}, but DataProcessing needs one of ${DATA_PROCESSING_CONTENT_TYPES.join(', ')}`;
    problems.push({ path, message });
  }
  return format;
}
