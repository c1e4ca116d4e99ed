#!/usr/bin/env node
import { Command } from 'commander';
import { demoCommand } from './commands/demo';
import { inspectCommand } from './commands/inspect';
import { serveCommand } from './commands/serve';

export function buildProgram(): Command {
  return new Command('tfserve')
    .description('serve TensorFlow SavedModels the way SageMaker expects')
    .addCommand(serveCommand())
    .addCommand(inspectCommand())
    .addCommand(demoCommand());
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`tfserve: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
