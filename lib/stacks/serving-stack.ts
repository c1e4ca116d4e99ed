import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { accessLogsBucket, secureBucket } from '../constructs/secure-bucket';
import {
  DEFAULT_CAPTURE_PREFIX,
  TfserveEndpoint,
  type DataCaptureOptions,
  type TfserveEndpointProps,
} from '../constructs/tfserve-endpoint';
import type { TfserveModel } from '../constructs/tfserve-model';
import { acknowledgeDataCapture, acknowledgeModelRole } from './nag-acknowledgements';
import { buildModel, type ModelSource } from './model-source';

export type EndpointOptions = Omit<TfserveEndpointProps, 'model' | 'dataCapture'> & {
  /**
   * Capture traffic into a bucket this stack creates.
   * @default - no data capture
   */
  readonly dataCapture?: Omit<DataCaptureOptions, 'bucket'>;
};

export interface ServingStackProps extends StackProps {
  readonly source: ModelSource;
  /** @default false */
  readonly multiModel?: boolean;
  /** @default - one ml.m5.large instance, generated endpoint name, no capture, no autoscaling */
  readonly endpoint?: EndpointOptions;
}

/** A real-time SageMaker endpoint serving the model with the tfserve image. */
export class ServingStack extends Stack {
  readonly model: TfserveModel;
  readonly endpoint: TfserveEndpoint;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, props);
    this.model = buildModel(this, props.source, props.multiModel ?? false);
    acknowledgeModelRole(this.model);

    const { dataCapture, ...endpointOptions } = props.endpoint ?? {};
    const captureBucket = dataCapture
      ? secureBucket(this, 'DataCaptureBucket', { serverAccessLogsBucket: accessLogsBucket(this, 'AccessLogs') })
      : undefined;
    this.endpoint = new TfserveEndpoint(this, 'Endpoint', {
      ...endpointOptions,
      model: this.model,
      dataCapture: dataCapture && captureBucket && { ...dataCapture, bucket: captureBucket },
    });
    if (captureBucket) acknowledgeDataCapture(this.model, captureBucket, dataCapture?.prefix ?? DEFAULT_CAPTURE_PREFIX);

    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName, description: 'InvokeEndpoint target' });
    new CfnOutput(this, 'ModelName', { value: this.model.modelName });
    if (captureBucket) new CfnOutput(this, 'DataCaptureBucketName', { value: captureBucket.bucketName });
  }
}
