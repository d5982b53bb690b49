import pino, { type Logger } from 'pino';

/** Structured JSON logs; secrets are redacted wherever they might appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'lifecycle-engine' },
      redact: { paths: ['accessToken', 'clientSecret', 'req.headers.authorization', '*.accessToken', '*.clientSecret'], censor: '***' },
    },
    destination,
  );
}
