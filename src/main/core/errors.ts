import { ErrorCode } from '@shared/error-codes';

/** The engine's codes are the contract's: one set, defined in `src/shared`. */
export { ErrorCode };

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
export function toPatchbayError(err: unknown, fallback: ErrorCode = ErrorCode.Internal): PatchbayError {
  if (err instanceof PatchbayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PatchbayError(fallback, message, { cause: err });
}
