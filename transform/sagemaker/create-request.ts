import type { CreateTransformJobCommandInput, DataProcessing } from '@aws-sdk/client-sagemaker';
import { TransformJobValidationError, type FieldProblem } from '../job/job-validation-error';
import type { TransformJobOptions } from '../job/options';
import { instanceTypeProblem, isTransformInstanceType } from './instance-types';
import { generateTransformJobName, sageMakerNameProblem, systemJobNaming, type JobNaming } from './job-name';

/**
 * What a remote run needs beyond the shared option model. Each field falls back to its counterpart in the options
 * (TransformJobName, ModelName, TransformResources), so either the CLI flags or the options may carry it.
 */
export interface RemoteTarget {
  jobName?: string;
  modelName?: string;
  instanceType?: string;
  /** Default 1, as the API's. */
  instanceCount?: number;
}

/** CreateTransformJob's own limit on TransformResources.InstanceCount. */
export const MAX_INSTANCE_COUNT = 100;

const DEFAULT_DATA_PROCESSING: DataProcessing = { InputFilter: '$', OutputFilter: '$', JoinSource: 'None' };

function s3Problem(path: string, flag: string, uri: string): FieldProblem[] {
  if (uri.startsWith('s3://')) return [];
  const message =
    `"${uri}" is not in S3, and a SageMaker job reads and writes only S3: give an s3://bucket/prefix/ URI ` +
    '(upload local data first, e.g. with `aws s3 sync`)';
  return [{ path, flag, message }];
}

function nameProblems(path: string, flag: string, name: string): FieldProblem[] {
  const problem = sageMakerNameProblem(name);
  return problem ? [{ path, flag, message: `"${name}" ${problem}` }] : [];
}

function isDefaultDataProcessing(dataProcessing: DataProcessing): boolean {
  return (
    dataProcessing.InputFilter === DEFAULT_DATA_PROCESSING.InputFilter &&
    dataProcessing.OutputFilter === DEFAULT_DATA_PROCESSING.OutputFilter &&
    dataProcessing.JoinSource === DEFAULT_DATA_PROCESSING.JoinSource
  );
}

/** The target with the options' values and the API default filled in; empty strings where nothing was given. */
interface ResolvedTarget {
  jobName?: string;
  modelName: string;
  instanceType: string;
  instanceCount: number;
}

/** The remote-only facts: where the data lives, which model, which instances. Every violation, not the first. */
function remoteProblems(options: TransformJobOptions, target: ResolvedTarget): FieldProblem[] {
  const problems = [
    ...s3Problem('TransformInput.DataSource.S3DataSource.S3Uri', '--input', options.TransformInput.DataSource.S3DataSource.S3Uri),
    ...s3Problem('TransformOutput.S3OutputPath', '--output', options.TransformOutput.S3OutputPath),
  ];
  if (!target.modelName) {
    const message = 'is required for a remote run: the name of an existing SageMaker Model';
    problems.push({ path: 'ModelName', flag: '--model-name', message });
  } else {
    problems.push(...nameProblems('ModelName', '--model-name', target.modelName));
  }
  if (target.jobName !== undefined) problems.push(...nameProblems('TransformJobName', '--job-name', target.jobName));
  if (!target.instanceType) {
    const message = 'is required for a remote run, e.g. ml.m5.xlarge';
    problems.push({ path: 'TransformResources.InstanceType', flag: '--instance-type', message });
  } else if (!isTransformInstanceType(target.instanceType)) {
    const message = `"${target.instanceType}" ${instanceTypeProblem(target.instanceType)}`;
    problems.push({ path: 'TransformResources.InstanceType', flag: '--instance-type', message });
  }
  const count = target.instanceCount;
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTANCE_COUNT) {
    problems.push({
      path: 'TransformResources.InstanceCount',
      flag: '--instance-count',
      message: `is ${count}; it must be an integer from 1 to ${MAX_INSTANCE_COUNT}`,
    });
  }
  return problems;
}

/**
 * Advice that does not stop a run: S3Prefix is a raw key prefix, so `s3://b/data` also reads `s3://b/data-old/…`, and
 * an output under the input prefix is read back as input by the next run of the same job.
 */
export function remoteWarnings(options: TransformJobOptions): string[] {
  const { S3DataType, S3Uri } = options.TransformInput.DataSource.S3DataSource;
  const output = options.TransformOutput.S3OutputPath;
  const warnings: string[] = [];
  if (S3DataType === 'S3Prefix' && S3Uri.startsWith('s3://') && !S3Uri.endsWith('/')) {
    warnings.push(
      `input ${S3Uri} does not end with "/": S3Prefix matches every key that starts with it (e.g. ${S3Uri}-old/…)`,
    );
  }
  if (S3DataType === 'S3Prefix' && output.startsWith(S3Uri)) {
    warnings.push(`output ${output} is inside the input prefix ${S3Uri}: a later run would read these .out files as input`);
  }
  return warnings;
}

/**
 * The CreateTransformJob request for a validated option model. Pure given `naming` (used only when no job name is
 * given). Local paths, a missing model or instance type, and malformed names are all reported in one
 * TransformJobValidationError. DataProcessing and Environment are left out when they hold only the defaults, so the request
 * reads like one written by hand (DataProcessing does not apply to TFRecord/RecordIO input).
 */
export function toCreateTransformJobRequest(
  options: TransformJobOptions,
  target: RemoteTarget,
  naming: JobNaming = systemJobNaming,
): CreateTransformJobCommandInput {
  const resolved: ResolvedTarget = {
    jobName: target.jobName ?? options.TransformJobName,
    modelName: target.modelName ?? options.ModelName ?? '',
    instanceType: target.instanceType ?? options.TransformResources?.InstanceType ?? '',
    instanceCount: target.instanceCount ?? options.TransformResources?.InstanceCount ?? 1,
  };
  const problems = remoteProblems(options, resolved);
  // The type guard repeats a check remoteProblems made, so that InstanceType is typed as the SDK's enum below.
  if (problems.length > 0 || !isTransformInstanceType(resolved.instanceType)) throw new TransformJobValidationError(problems);
  const { TransformInput, TransformOutput, ModelClientConfig, Environment, DataProcessing } = options;
  const volumeKmsKeyId = options.TransformResources?.VolumeKmsKeyId;
  return {
    TransformJobName: resolved.jobName ?? generateTransformJobName(resolved.modelName, naming),
    ModelName: resolved.modelName,
    ...(options.BatchStrategy !== undefined && { BatchStrategy: options.BatchStrategy }),
    ...(options.MaxPayloadInMB !== undefined && { MaxPayloadInMB: options.MaxPayloadInMB }),
    ...(options.MaxConcurrentTransforms !== undefined && { MaxConcurrentTransforms: options.MaxConcurrentTransforms }),
    ModelClientConfig: { ...ModelClientConfig },
    ...(Object.keys(Environment).length > 0 && { Environment: { ...Environment } }),
    TransformInput: {
      DataSource: { S3DataSource: { ...TransformInput.DataSource.S3DataSource } },
      ...(TransformInput.ContentType !== undefined && { ContentType: TransformInput.ContentType }),
      CompressionType: TransformInput.CompressionType,
      SplitType: TransformInput.SplitType,
    },
    TransformOutput: {
      S3OutputPath: TransformOutput.S3OutputPath,
      ...(TransformOutput.Accept !== undefined && { Accept: TransformOutput.Accept }),
      AssembleWith: TransformOutput.AssembleWith,
      ...(TransformOutput.KmsKeyId !== undefined && { KmsKeyId: TransformOutput.KmsKeyId }),
    },
    TransformResources: {
      InstanceType: resolved.instanceType,
      InstanceCount: resolved.instanceCount,
      ...(volumeKmsKeyId !== undefined && { VolumeKmsKeyId: volumeKmsKeyId }),
    },
    ...(!isDefaultDataProcessing(DataProcessing) && { DataProcessing: { ...DataProcessing } }),
  };
}
