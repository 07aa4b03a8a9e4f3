// The structured logger core and the adapters log through (pino's shape, named here so that
// core and the chain families need no logging library).

/** Herald logs with fields: `log.info({ chain }, "started")`. */
export type LogFn = (fields: object, message?: string) => void;

export interface Log {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Log;
}
