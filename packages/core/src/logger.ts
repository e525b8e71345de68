/** Where Mainspring writes its own diagnostics. Any object with these methods (pino, winston, console) fits. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Default: warnings and errors to the console, nothing else, so libraries stay quiet. */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (message, meta) => console.warn(`[mainspring] ${message}`, meta ?? ''),
  error: (message, meta) => console.error(`[mainspring] ${message}`, meta ?? ''),
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
