import type { Stack } from 'aws-cdk-lib';
import { ModelArchive } from '../../../lib/constructs/model-archive';
import { ServingImage } from '../../../lib/constructs/serving-image';
import { TfserveModel, type TfserveModelProps } from '../../../lib/constructs/tfserve-model';
import { ECR_IMAGE } from '../cdk-fixtures';

/** A TfserveModel on an ECR image and S3 model data: nothing to stage, so construct tests stay fast. */
export function testModel(
  stack: Stack,
  s3Uri = 's3://models-bucket/demo/model.tar.gz',
  props: Partial<TfserveModelProps> = {},
): TfserveModel {
  return new TfserveModel(stack, 'Model', {
    image: new ServingImage(stack, 'Image', { imageUri: ECR_IMAGE }),
    modelData: new ModelArchive(stack, 'ModelData', { s3Uri }),
    multiModel: s3Uri.endsWith('/'),
    ...props,
  });
}
