import { pino, type Logger } from "pino";

/** Structured logs; credentials are redacted wherever they appear in a logged request. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "herald" },
    redact: {
      paths: [
        'req.headers["x-api-key"]',
        "req.headers.authorization",
        'req.headers["idempotency-key"]',
        "secret",
        "*.secret",
        "apiKey",
        "*.apiKey",
      ],
      censor: "[redacted]",
    },
  });
}
