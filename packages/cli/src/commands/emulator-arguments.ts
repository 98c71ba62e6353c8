import { parseArgs } from 'node:util';
import {
  faultTypes,
  type EmulatorOptions,
  type FaultRule,
  type FaultType,
  type LatencyPreset,
} from '@keel/emulator';

const latencyPresets: readonly LatencyPreset[] = ['none', 'fast', 'realistic'];

/** What `keel emulator` was asked for: the emulator's options, or why the arguments are wrong. */
export type EmulatorArguments =
  | {
      ok: true;
      /** Options for `startEmulator`. */
      options: EmulatorOptions & { port: number; host: string };
      /** Lines to print to stderr once started (what mode the emulator runs in). */
      notes: string[];
    }
  | {
      ok: false;
      /** What is wrong, naming the flag. */
      message: string;
    };

/** The real API, recorded from when `--record` is given without `--upstream`. */
export const defaultUpstream = 'https://api.anthropic.com';

class ArgumentProblem extends Error {}

function integer(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ArgumentProblem(`--${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** `--fault type[:rate]`, e.g. `overloaded:0.1`. */
function faultRule(raw: string): FaultRule {
  const [type = '', rate, ...extra] = raw.split(':');
  if (!(faultTypes as readonly string[]).includes(type) || extra.length > 0) {
    throw new ArgumentProblem(
      `--fault must be type[:rate] with type one of ${faultTypes.join(', ')}; got "${raw}"`,
    );
  }
  if (rate === undefined) return { type: type as FaultType };
  const value = Number(rate);
  if (rate === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ArgumentProblem(
      `--fault rate must be a number from 0 to 1, got "${rate}" in "${raw}"`,
    );
  }
  return { type: type as FaultType, rate: value };
}

/** Parses `keel emulator` arguments into emulator options, checking every value. */
export function parseEmulatorArguments(argv: string[]): EmulatorArguments {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        latency: { type: 'string', default: 'none' },
        seed: { type: 'string', default: '1' },
        rpm: { type: 'string' },
        itpm: { type: 'string' },
        otpm: { type: 'string' },
        fault: { type: 'string', multiple: true },
        scenarios: { type: 'string', multiple: true },
        'batch-delay-ms': { type: 'string' },
        'batch-result-order': { type: 'string' },
        record: { type: 'string' },
        upstream: { type: 'string' },
        replay: { type: 'string' },
        'api-key': { type: 'string', multiple: true },
      },
    });
    const notes: string[] = [];
    if (!(latencyPresets as readonly string[]).includes(values.latency)) {
      throw new ArgumentProblem(
        `--latency must be one of ${latencyPresets.join(', ')}, got "${values.latency}"`,
      );
    }
    const options: EmulatorOptions & { port: number; host: string } = {
      port: integer('port', values.port, 0, 65535),
      host: values.host,
      latency: values.latency as LatencyPreset,
      seed: integer('seed', values.seed, 0, 2 ** 32 - 1),
    };
    const rateLimits = {
      ...(values.rpm !== undefined ? { requestsPerMinute: integer('rpm', values.rpm, 1) } : {}),
      ...(values.itpm !== undefined
        ? { inputTokensPerMinute: integer('itpm', values.itpm, 1) }
        : {}),
      ...(values.otpm !== undefined
        ? { outputTokensPerMinute: integer('otpm', values.otpm, 1) }
        : {}),
    };
    if (Object.keys(rateLimits).length > 0) options.rateLimits = rateLimits;
    if (values.fault) options.faults = values.fault.map(faultRule);
    if (values.scenarios) options.scenarios = values.scenarios;
    if (values['batch-delay-ms'] !== undefined) {
      options.batchProcessingDelayMs = integer('batch-delay-ms', values['batch-delay-ms'], 0);
    }
    const resultOrder = values['batch-result-order'];
    if (resultOrder !== undefined) {
      if (resultOrder !== 'shuffled' && resultOrder !== 'request') {
        throw new ArgumentProblem(
          `--batch-result-order must be one of shuffled, request, got "${resultOrder}"`,
        );
      }
      options.batchResultOrder = resultOrder;
    }
    if (values['api-key']) {
      if (values['api-key'].some((key) => key.trim() === '')) {
        throw new ArgumentProblem('--api-key must not be empty');
      }
      options.apiKeys = values['api-key'];
    }
    if (values.record !== undefined && values.replay !== undefined) {
      throw new ArgumentProblem('--record and --replay cannot be used together');
    }
    if (values.upstream !== undefined && values.record === undefined) {
      throw new ArgumentProblem('--upstream only applies with --record DIR');
    }
    if (values.record !== undefined) {
      const upstream = values.upstream ?? defaultUpstream;
      if (!URL.canParse(upstream)) {
        throw new ArgumentProblem(`--upstream must be an absolute URL, got "${upstream}"`);
      }
      options.recordReplay = { mode: 'record', cassetteDir: values.record, upstream };
      notes.push(`recording /v1 requests from ${upstream} into ${values.record}`);
    }
    if (values.replay !== undefined) {
      options.recordReplay = { mode: 'replay', cassetteDir: values.replay };
      notes.push(`replaying /v1 requests from cassettes in ${values.replay}`);
    }
    return { ok: true, options, notes };
  } catch (error) {
    // parseArgs reports unknown flags and missing values with a TypeError of its own.
    if (
      error instanceof ArgumentProblem ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      return { ok: false, message: (error as Error).message };
    }
    throw error;
  }
}
