/**
 * Where the middleware writes its decision log and warnings. A pino logger fits as it is; so does any object with
 * these methods. Declared here so that the published types do not need pino.
 */
export interface AuthzLogger {
  info(record: object, message: string): void;
  warn(record: object, message: string): void;
  error(record: object, message: string): void;
  /** False for "info" spares building decision records nobody writes; absent means enabled. */
  isLevelEnabled?(level: string): boolean;
}

/**
 * Warnings about an unsafe default: to the host's logger, else to the process (stderr by default), so that a
 * host who configured no logger still sees them.
 */
export function warnHost(logger: AuthzLogger | undefined, code: string, message: string): void {
  if (logger) logger.warn({ code }, message);
  else process.emitWarning(message, { code });
}
