import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured logger per process; `service` names the subgraph or the gateway. */
export function createLogger(service: string): Logger {
  return pino({
    name: service,
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service },
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["x-internal-identity"]'], remove: true },
  });
}
