import * as fs from 'node:fs';
import * as path from 'node:path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { composeTestApp, tempDir } from '../cdk-fixtures';

interface AssetManifest {
  files: Record<string, { source: { path: string } }>;
  dockerImages: Record<string, { source: { directory: string; platform?: string; dockerOutputs?: string[] } }>;
}

describe('the composed app (bin/app.ts composition, cdk-nag AwsSolutions on)', () => {
  let workDir: string;
  let assembly: CloudAssembly;
  let serving: Template;
  let transform: Template;

  beforeAll(async () => {
    // GIVEN the default configuration (demo model, image built from the repository)
    workDir = tempDir('app');
    const { app, serving: servingStack, transform: transformStack } = await composeTestApp(workDir);
    // WHEN synthesized: with cdk-nag registered, synth throws on any unacknowledged finding
    assembly = app.synth();
    serving = Template.fromStack(servingStack!);
    transform = Template.fromStack(transformStack!);
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  const manifest = (stack: string): AssetManifest =>
    JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack}.assets.json`), 'utf8')) as AssetManifest;

  test('no validation plugin reports an unacknowledged violation', () => {
    const report = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[] };
    for (const plugin of report.pluginReports) {
      expect({ plugin: plugin.pluginName, conclusion: plugin.conclusion, violations: plugin.violations }).toEqual({
        plugin: plugin.pluginName,
        conclusion: 'success',
        violations: [],
      });
    }
  });

  test('AmazonSageMakerFullAccess appears nowhere in the cloud assembly', () => {
    const files = fs.readdirSync(assembly.directory).filter((name) => name.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['TfserveServing.template.json', 'TfserveTransform.template.json']));
    for (const name of files) {
      expect(fs.readFileSync(path.join(assembly.directory, name), 'utf8')).not.toContain('AmazonSageMakerFullAccess');
    }
    serving.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
    transform.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  test('the image asset is built for linux/amd64 with the docker exporter, from a context without node_modules or cdk.out', () => {
    const images = Object.values(manifest('TfserveServing').dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0].source).toMatchObject({ platform: 'linux/amd64', dockerOutputs: ['type=docker'] });
    const staged = fs.readdirSync(path.join(assembly.directory, images[0].source.directory));
    expect(staged).toEqual(expect.arrayContaining(['Dockerfile', 'package.json', 'package-lock.json', 'container']));
    for (const excluded of ['node_modules', 'cdk.out', 'dist', 'test', '.git']) expect(staged).not.toContain(excluded);
  });

  test('both stacks share one image and one model archive (same asset hashes)', () => {
    const servingAssets = manifest('TfserveServing');
    const transformAssets = manifest('TfserveTransform');
    expect(Object.keys(transformAssets.dockerImages)).toEqual(Object.keys(servingAssets.dockerImages));
    const archives = (m: AssetManifest) => Object.keys(m.files).filter((hash) => m.files[hash].source.path.endsWith('.tar.gz'));
    expect(archives(servingAssets)).toHaveLength(1);
    expect(archives(transformAssets)).toEqual(archives(servingAssets));
  });

  test('outputs name the endpoint, the state machine and the buckets', () => {
    serving.hasOutput('EndpointName', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointName'] } });
    transform.hasOutput('StateMachineArn', { Value: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') } });
    transform.hasOutput('InputBucketName', { Value: { Ref: Match.stringLikeRegexp('^PipelineInputBucket') } });
    transform.hasOutput('OutputBucketName', { Value: { Ref: Match.stringLikeRegexp('^PipelineOutputBucket') } });
  });

  test('the serving model has no fixed name and uses the packed demo archive', () => {
    serving.hasResourceProperties('AWS::SageMaker::Model', {
      ModelName: Match.absent(),
      PrimaryContainer: Match.objectLike({ Mode: 'SingleModel', ModelDataUrl: Match.stringLikeRegexp('^s3://cdk-[a-z0-9]+-assets-123456789012-us-east-1/[0-9a-f]{64}\\.gz$') }),
    });
    serving.hasResourceProperties('AWS::SageMaker::EndpointConfig', { EndpointConfigName: Match.absent() });
  });
});

describe('composeApp with options from the config', () => {
  test('cdk-nag is active: an unacknowledged finding fails synthesis', async () => {
    const workDir = tempDir('app-nag');
    try {
      const { app, serving } = await composeTestApp(workDir, { transform: { enabled: false } });
      new s3.Bucket(serving!, 'Careless');
      expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('disabled stacks are not built; serving options reach the endpoint', async () => {
    const workDir = tempDir('app-options');
    try {
      const composed = await composeTestApp(workDir, {
        stackPrefix: 'Demo',
        transform: { enabled: false },
        serving: {
          endpointName: 'demo-endpoint',
          instanceType: 'ml.c5.xlarge',
          instanceCount: 2,
          dataCapture: { samplingPercentage: 20 },
          autoScaling: { maxCapacity: 4, invocationsPerInstance: 600, scaleInCooldownSeconds: 120 },
        },
      });
      expect(composed.transform).toBeUndefined();
      expect(composed.serving?.stackName).toBe('DemoServing');
      const template = Template.fromStack(composed.serving!);
      template.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'demo-endpoint' });
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        ProductionVariants: [Match.objectLike({ InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 2 })],
        DataCaptureConfig: Match.objectLike({ InitialSamplingPercentage: 20 }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 600, ScaleInCooldown: 120 }),
      });
      expect(() => composed.app.synth()).not.toThrow();
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });
});
