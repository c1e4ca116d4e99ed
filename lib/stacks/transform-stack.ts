import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { accessLogsBucket } from '../constructs/secure-bucket';
import type { TfserveModel } from '../constructs/tfserve-model';
import { TransformPipeline } from '../constructs/transform-pipeline';
import type { TransformPipelineProps } from '../constructs/transform-pipeline-props';
import { acknowledgeModelRole, acknowledgePipeline } from './nag-acknowledgements';
import { buildModel, type ModelSource } from './model-source';

export type PipelineOptions = Omit<TransformPipelineProps, 'model' | 'inputBucket' | 'outputBucket' | 'serverAccessLogsBucket'>;

export interface TransformStackProps extends StackProps {
  readonly source: ModelSource;
  /** @default - TransformPipeline's defaults */
  readonly pipeline?: PipelineOptions;
}

/** Batch transform: input and output buckets and the Step Functions pipeline that runs transform jobs. */
export class TransformStack extends Stack {
  readonly model: TfserveModel;
  readonly pipeline: TransformPipeline;

  constructor(scope: Construct, id: string, props: TransformStackProps) {
    super(scope, id, props);
    this.model = buildModel(this, props.source, false);
    acknowledgeModelRole(this.model);
    this.pipeline = new TransformPipeline(this, 'Pipeline', {
      ...props.pipeline,
      model: this.model,
      serverAccessLogsBucket: accessLogsBucket(this, 'AccessLogs'),
    });
    acknowledgePipeline(this.pipeline, this.model);

    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'InputBucketName', { value: this.pipeline.inputBucket.bucketName });
    new CfnOutput(this, 'InputPrefix', { value: this.pipeline.inputPrefix });
    new CfnOutput(this, 'OutputBucketName', { value: this.pipeline.outputBucket.bucketName });
    new CfnOutput(this, 'ModelName', { value: this.model.modelName });
  }
}
