// Logging through window/logMessage with levels; `once` keeps recurring problems (a broken
// config file seen on every keystroke) from flooding the output channel.
import { MessageType, type Connection } from 'vscode-languageserver';

export class Logger {
  private readonly seen = new Set<string>();
  constructor(private readonly connection: Connection) {}

  error(message: string): void {
    this.send(MessageType.Error, message);
  }
  warn(message: string): void {
    this.send(MessageType.Warning, message);
  }
  info(message: string): void {
    this.send(MessageType.Info, message);
  }
  debug(message: string): void {
    this.send(MessageType.Log, message);
  }

  /** Logs a message only the first time this exact text is seen. */
  once(level: 'error' | 'warn' | 'info', message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this[level](message);
  }

  /** Forget `once` messages, so a problem that comes back after a fix is logged again. */
  resetOnce(): void {
    this.seen.clear();
  }

  exception(where: string, error: unknown): void {
    const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    this.error(`${where} failed: ${text}`);
  }

  private send(type: MessageType, message: string): void {
    try {
      void this.connection.sendNotification('window/logMessage', { type, message });
    } catch {
      // The connection is gone (shutdown): nothing left to log to.
    }
  }
}
