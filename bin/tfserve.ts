#!/usr/bin/env node
import { Command } from 'commander';
import { agentCommand } from './commands/agent';
import { archiveCommand } from './commands/archive';
import { demoCommand } from './commands/demo';
import { inspectCommand } from './commands/inspect';
import { recordsCommand } from './commands/records';
import { serveCommand } from './commands/serve';
import { transformCommand } from './commands/transform';

export function buildProgram(): Command {
  return new Command('tfserve')
    .description('serve TensorFlow SavedModels the way SageMaker expects')
    .addCommand(serveCommand())
    .addCommand(inspectCommand())
    .addCommand(demoCommand())
    .addCommand(archiveCommand())
    .addCommand(recordsCommand())
    .addCommand(agentCommand())
    .addCommand(transformCommand());
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`tfserve: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
