import { Command } from 'commander';
import { readAgentConfig } from '../../container/agent/agent-config';
import { startAgent, type RunningAgent } from '../../container/agent/start-agent';
import { stopOnSignals } from './serve';

/**
 * `tfserve agent -a <socket> -c <config.json>`: a drop-in for `sagemaker_edge_agent_binary` with the same flags.
 * systemd's unit for the original stops it with SIGHUP (KillSignal=SIGHUP); SIGTERM and SIGINT stop it too.
 */

const STOP_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

export interface AgentCommandOptions {
  address: string;
  config?: string;
}

/** Starts the agent and stops it cleanly on the stop signals, then exits 0 (1 when stopping failed). */
export async function runAgent(
  options: AgentCommandOptions,
  exit: (code: number) => void = process.exit,
  signals: NodeJS.EventEmitter = process,
): Promise<RunningAgent> {
  const agent = await startAgent({ address: options.address, config: await readAgentConfig(options.config) });
  stopOnSignals(agent, exit, signals, STOP_SIGNALS);
  return agent;
}

export function agentCommand(): Command {
  return new Command('agent')
    .description('serve the SageMaker Edge Manager agent gRPC API (AWS.SageMaker.Edge.Agent) on a unix socket')
    .requiredOption('-a, --address <socket>', 'unix socket path (or unix:///path, or host:port for TCP), e.g. /tmp/sagemaker_edge_agent_example.sock')
    .option('-c, --config <file>', 'agent config JSON (sagemaker_edge_* keys); defaults apply without one')
    .action(async (options: AgentCommandOptions) => {
      await runAgent(options);
    });
}
