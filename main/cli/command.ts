import { parseArgs, type ParseArgsConfig } from 'node:util';
import { redactBrokerUrl } from '../../wire/broker-url';
import { UsageError } from '../app/user-errors';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run: (argv: string[]) => Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with strict checking, its errors turned into UsageError. */
export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

export function intOption(value: string | undefined, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function mqttUrlOption(value: string | undefined, name = 'broker'): string {
  if (value === undefined) throw new UsageError(`--${name} URL is required`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} is not a URL: "${redactBrokerUrl(value)}"`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:'].includes(url.protocol)) {
    throw new UsageError(`--${name} must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${redactBrokerUrl(value)}"`);
  }
  return value;
}
