import * as path from 'node:path';
import { Duration, Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ModelArchiveProps } from '../constructs/model-archive';
import type { ModelSource } from '../stacks/model-source';
import { ServingStack, type EndpointOptions } from '../stacks/serving-stack';
import { TransformStack } from '../stacks/transform-stack';
import type { AppConfig } from './app-config';

export interface ComposeOptions {
  /** Relative paths of the config (image directory) resolve against it: the directory holding cdk.json. */
  readonly baseDir: string;
  /** The model data, from prepareArchive(). */
  readonly archive: ModelArchiveProps;
  /** Account/region for what the config leaves unset (bin/app.ts passes CDK_DEFAULT_ACCOUNT/REGION). */
  readonly defaultEnv?: Environment;
}

export interface ComposedApp {
  readonly serving?: ServingStack;
  readonly transform?: TransformStack;
}

/** Builds the enabled stacks from a validated config and runs cdk-nag's AWS Solutions pack over the whole app. */
export function composeApp(app: App, config: AppConfig, options: ComposeOptions): ComposedApp {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const env: Environment = {
    account: config.env.account ?? options.defaultEnv?.account,
    region: config.env.region ?? options.defaultEnv?.region,
  };
  const source = modelSource(config, options);
  const serving = config.serving.enabled
    ? new ServingStack(app, `${config.stackPrefix}Serving`, {
        env,
        description: 'tfserve: SageMaker real-time endpoint',
        source,
        multiModel: config.serving.multiModel,
        endpoint: endpointOptions(config.serving),
      })
    : undefined;
  const { enabled: transformEnabled, ...pipeline } = config.transform;
  const transform = transformEnabled
    ? new TransformStack(app, `${config.stackPrefix}Transform`, {
        env,
        description: 'tfserve: batch transform pipeline (Step Functions + SageMaker)',
        source,
        pipeline,
      })
    : undefined;
  return { serving, transform };
}

function modelSource(config: AppConfig, options: ComposeOptions): ModelSource {
  const { uri, directory, ...build } = config.image;
  return {
    image:
      uri !== undefined
        ? { imageUri: uri, directory, ...build }
        : { directory: path.resolve(options.baseDir, directory ?? '.'), ...build },
    archive: options.archive,
    container: config.container,
  };
}

function endpointOptions(serving: AppConfig['serving']): EndpointOptions {
  const { autoScaling, instanceType, instanceCount } = serving;
  const hasInstances = instanceType !== undefined || instanceCount !== undefined;
  return {
    endpointName: serving.endpointName,
    instances: hasInstances ? { instanceType, initialInstanceCount: instanceCount } : undefined,
    serverless: serving.serverless,
    dataCapture: serving.dataCapture,
    autoScaling: autoScaling && {
      minCapacity: autoScaling.minCapacity,
      maxCapacity: autoScaling.maxCapacity,
      invocationsPerInstance: autoScaling.invocationsPerInstance,
      scaleInCooldown: seconds(autoScaling.scaleInCooldownSeconds),
      scaleOutCooldown: seconds(autoScaling.scaleOutCooldownSeconds),
    },
  };
}

function seconds(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.seconds(value);
}
