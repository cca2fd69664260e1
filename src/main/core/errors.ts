/** Why an engine operation failed; stable strings the UI and tests can switch on. */
export enum ErrorCode {
  InvalidArgument = 'invalid_argument',
  NotFound = 'not_found',
  AlreadyExists = 'already_exists',
  PortInUse = 'port_in_use',
  SpawnFailed = 'spawn_failed',
  ProcessExited = 'process_exited',
  /** The server is stopped, stopping, or waiting to restart after a crash. */
  NotRunning = 'not_running',
  /** A limit was reached (processes per server, sessions); try again later. */
  Full = 'full',
  /** The server is not keeping up (its stdin is not being read). */
  Busy = 'busy',
  /** The client asked for a protocol revision the server does not speak. */
  UnsupportedProtocolVersion = 'unsupported_protocol_version',
  Timeout = 'timeout',
  /** Saving these settings restarts a server with connected sessions: ask the user first. */
  RestartNeeded = 'restart_needed',
  /** A secret was sealed by another shell (the app's OS keychain) and cannot be opened here. */
  Sealed = 'sealed',
  Internal = 'internal',
}

/** The one error type thrown inside the engine; crosses the UI boundary as `{ code, message }`. */
export class PatchbayError extends Error {
  override readonly name = 'PatchbayError';

  /** Structured detail for the wire (e.g. the versions a server speaks). */
  readonly data: unknown;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; data?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.data = options?.data;
  }

  /** The plain shape sent across IPC/WebSocket (no stack, no cause). */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Wraps anything thrown into a PatchbayError, keeping the original as `cause`. */
export function toPatchbayError(err: unknown, fallback = ErrorCode.Internal): PatchbayError {
  if (err instanceof PatchbayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PatchbayError(fallback, message, { cause: err });
}
