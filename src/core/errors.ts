// Failures a caller can act on. The API maps each kind to a 4xx status; anything else is a bug.
export type ErrorKind = "invalid" | "not_found" | "conflict" | "unauthorized" | "unprocessable";

export class HeraldError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** More the answer carries beside `error` and `message` (a batch's `validationErrors`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "HeraldError";
  }
}

export const invalid = (message: string) => new HeraldError("invalid", message);
export const notFound = (what: string) => new HeraldError("not_found", `${what} not found`);
export const conflict = (message: string) => new HeraldError("conflict", message);
