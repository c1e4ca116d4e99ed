import type { Construct } from 'constructs';
import type { ContainerSettings } from '../constructs/container-environment';
import { ModelArchive, type ModelArchiveProps } from '../constructs/model-archive';
import { ServingImage, type ServingImageProps } from '../constructs/serving-image';
import { TfserveModel } from '../constructs/tfserve-model';

/**
 * What both stacks serve: the same image and model data. Each stack builds its own Model from it (a Model is cheap
 * and stack-local), and the image and archive assets have the same content hash in both, so `cdk deploy` builds,
 * pushes and uploads them once. No cross-stack exports: either stack deploys or updates alone.
 */
export interface ModelSource {
  readonly image: ServingImageProps;
  readonly archive: ModelArchiveProps;
  /** @default - the container's defaults */
  readonly container?: ContainerSettings;
}

export function buildModel(scope: Construct, source: ModelSource, multiModel: boolean): TfserveModel {
  return new TfserveModel(scope, 'Model', {
    image: new ServingImage(scope, 'Image', source.image),
    modelData: new ModelArchive(scope, 'ModelData', source.archive),
    container: source.container,
    multiModel,
  });
}
