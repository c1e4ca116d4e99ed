#!/usr/bin/env node
/**
 * The CDK app (cdk.json: `node dist/bin/app.js`). Reads the `tfserve` context / config file, packs the model
 * directory into a deterministic model.tar.gz (asynchronous, so before the synchronous synthesis), then builds the
 * serving and transform stacks. Needs neither Docker nor AWS credentials to synthesize.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadAppConfig } from '../lib/app/app-config';
import { composeApp } from '../lib/app/compose-app';
import { prepareArchive } from '../lib/app/prepare-archive';

async function main(): Promise<void> {
  const app = new App();
  const config = loadAppConfig((key) => app.node.tryGetContext(key));
  // The asset is copied into the cloud assembly while the stacks are built, so the packed file is only needed
  // until synthesis ends.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-cdk-'));
  try {
    const archive = await prepareArchive(config.model, process.cwd(), workDir);
    composeApp(app, config, {
      baseDir: process.cwd(),
      archive: archive.props,
      defaultEnv: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    });
    app.synth();
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`tfserve cdk app: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
