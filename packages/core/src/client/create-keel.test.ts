import { ValidationError } from '@keel/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeel } from './create-keel.ts';

// A client that never sends: the routing environment is decided at construction.
const offline = { apiKey: 'test', baseURL: 'http://127.0.0.1:9' };

describe('createKeel reads KEEL_ENV', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('routes for the environment KEEL_ENV names', () => {
    vi.stubEnv('KEEL_ENV', 'production');
    expect(createKeel(offline).routing.environment).toBe('production');
    vi.stubEnv('KEEL_ENV', 'staging');
    expect(createKeel(offline).routing.environment).toBe('staging');
  });

  it('uses development when KEEL_ENV is unset', () => {
    vi.stubEnv('KEEL_ENV', undefined);
    expect(createKeel({ ...offline }).routing.environment).toBe('development');
  });

  it('lets an explicit environment win over KEEL_ENV', () => {
    vi.stubEnv('KEEL_ENV', 'production');
    expect(createKeel({ ...offline, environment: 'staging' }).routing.environment).toBe('staging');
  });

  it('rejects a KEEL_ENV that names no environment', () => {
    vi.stubEnv('KEEL_ENV', 'prod');
    expect(() => createKeel(offline)).toThrow(ValidationError);
  });
});
