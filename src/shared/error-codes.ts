/**
 * Why an operation failed: the one set of codes that crosses the contract (`ApiError.code`).
 * The engine throws these; the renderer switches on them, never on string literals.
 */
export const ErrorCode = {
  InvalidArgument: 'invalid_argument',
  NotFound: 'not_found',
  AlreadyExists: 'already_exists',
  PortInUse: 'port_in_use',
  SpawnFailed: 'spawn_failed',
  ProcessExited: 'process_exited',
  /** The server is stopped, stopping, or waiting to restart after a crash. */
  NotRunning: 'not_running',
  /** A limit was reached (processes per server, sessions); try again later. */
  Full: 'full',
  /** The server is not keeping up (its stdin is not being read). */
  Busy: 'busy',
  /** The client asked for a protocol revision the server does not speak. */
  UnsupportedProtocolVersion: 'unsupported_protocol_version',
  Timeout: 'timeout',
  /** Saving these settings restarts a server with connected sessions: ask the user first. */
  RestartNeeded: 'restart_needed',
  /** A secret was sealed by another shell (the app's OS keychain) and cannot be opened here. */
  Sealed: 'sealed',
  /** This shell lacks the capability the command needs (see `shell.capabilities`). */
  Unsupported: 'unsupported',
  /** The command name is not in the contract. */
  UnknownCommand: 'unknown_command',
  /** The calling frame is not the app's own page (Electron IPC refuses it). */
  Forbidden: 'forbidden',
  /** Renderer only: the WebSocket to `patchbay serve` is down, so the call never reached the engine. */
  Disconnected: 'disconnected',
  /** Renderer only: `patchbay serve` refused this page's launch token (it restarted). */
  Unauthorized: 'unauthorized',
  Internal: 'internal',
} as const;

/** One of the codes above. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
