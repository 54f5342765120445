/**
 * The functions' one logger setup (Powertools Logger), shared by every container.
 *
 * `LOG_FORMAT` says how a line is written: `json` (the default, and what every deployed function
 * writes: one Powertools JSON object per line, which CloudWatch Logs and its Insights read), or
 * `pretty`, for a person at a terminal (`npm start` chooses it when its output is one): a custom
 * Powertools log formatter keeps what a reader needs (time, level, function, message, the keys of
 * the line) and the line is written as text, `12:04:05.123 INFO  return-landing  landing settled
 * orderNo=A-17 result=paid`, an error's stack under it. The attributes are the same either way:
 * only their form differs.
 */
import { LogFormatter, Logger, LogItem, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { ConfigError } from './config.ts';
import { SERVICE_NAME } from './metrics.ts';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
/** LOG_FORMAT as docs/reference/configuration.md describes it (every function reads it). */
export const LOG_FORMAT_DESCRIPTION =
  "`json`: Powertools' JSON lines, what CloudWatch gets (deployed functions always log so). `pretty`: one readable line per entry, for a terminal (`npm start` chooses it when its output is one).";

/** LOG_FORMAT of `env`: `json` when unset; anything else fails the cold start, naming it. */
export function logFormatOf(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const v = env.LOG_FORMAT?.trim() ?? '';
  if (v === '') return 'json';
  if ((LOG_FORMATS as readonly string[]).includes(v)) return v as LogFormat;
  throw new ConfigError(`invalid configuration:\n  LOG_FORMAT: must be one of ${LOG_FORMATS.join(', ')}`);
}

/** What a terminal line keeps of the Powertools attributes: no ARN, memory size, sampling rate or service. */
export class TerminalLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        time: attributes.timestamp.toISOString().slice(11, 23),
        level: attributes.logLevel,
        fn: attributes.lambdaContext?.functionName,
        message: attributes.message,
      },
    }).addAttributes(additional);
  }
}

const COLOR: Record<string, string> = { DEBUG: '\u001b[90m', INFO: '\u001b[36m', WARN: '\u001b[33m', ERROR: '\u001b[31m', CRITICAL: '\u001b[31m' };
const RESET = '\u001b[0m';

/** A value as `key=value` shows it: strings bare when they are one word, anything else as JSON. */
const shown = (v: unknown): string =>
  typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v, (_k, x: unknown) => (x instanceof Error ? { name: x.name, message: x.message } : x)) ?? String(v);

/** One log item as a terminal line (with its error's stack below, indented). */
export function terminalLine(a: Record<string, unknown>, color = false): string {
  const { time, level, fn, message, error, ...rest } = a;
  const lvl = String(level ?? '').padEnd(5);
  const head = [String(time ?? ''), color ? `${COLOR[String(level)] ?? ''}${lvl}${RESET}` : lvl, ...(fn !== undefined ? [String(fn)] : []), String(message ?? '')].join('  ');
  const keys = Object.entries(rest).map(([k, v]) => `${k}=${shown(v)}`);
  const err = error !== null && typeof error === 'object' ? (error as { name?: unknown; message?: unknown; stack?: unknown }) : undefined;
  const stack = err === undefined ? [] : [typeof err.stack === 'string' ? err.stack : `${String(err.name)}: ${String(err.message)}`].map((s) => s.replace(/^/gm, '    '));
  return [[head, ...keys].join('  '), ...(error !== undefined && err === undefined ? [`    error=${shown(error)}`] : []), ...stack].join('\n');
}

/** Powertools' Logger, each line written as terminalLine() makes it (standard output; WARN and worse standard error). */
class TerminalLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const a = log.getAttributes();
    const toErr = logLevel >= LogLevelThreshold.WARN;
    const stream = toErr ? process.stderr : process.stdout;
    stream.write(`${terminalLine(a, stream.isTTY === true)}\n`);
  }
}

export const newLogger = (env: NodeJS.ProcessEnv = process.env): Logger =>
  logFormatOf(env) === 'pretty'
    ? new TerminalLogger({ serviceName: SERVICE_NAME, logFormatter: new TerminalLogFormatter() })
    : new Logger({ serviceName: SERVICE_NAME });
