import { z } from 'zod';
import { ENGINE_CHOICES } from '../engine/select-engine';

/**
 * Every environment variable the server reads, in one schema with its default. A bad value stops start-up with a
 * message naming the variable.
 */

const PORT_RANGE = 'must be a port number from 1 to 65535';
const port = z.coerce.number({ error: PORT_RANGE }).int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE);

const serverEnvSchema = z.object({
  /** SageMaker sets it in inference pipelines and multi-container endpoints; 8080 otherwise. */
  SAGEMAKER_BIND_TO_PORT: port.default(8080),
  /** Which engine runs models: `auto` picks native when @tensorflow/tfjs-node is installed, else pure. */
  TFSERVE_ENGINE: z.enum(ENGINE_CHOICES).default('auto'),
  TFSERVE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The model `/invocations` serves when a request names none; the peer container's spelling of "unset" is `None`. */
  SAGEMAKER_TFS_DEFAULT_MODEL_NAME: z
    .string()
    .optional()
    .transform((name) => (name === undefined || name === '' || name === 'None' ? undefined : name)),
});

export type ServerConfig = z.output<typeof serverEnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    const value = env[variable];
    return `${variable}=${JSON.stringify(value)}: ${issue.message}`;
  });
  throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
}
