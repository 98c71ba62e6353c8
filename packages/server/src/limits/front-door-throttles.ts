import type { Redis } from 'ioredis';
import { memoryLoginThrottle, redisLoginThrottle, type LoginThrottle } from './login-throttle.ts';
import {
  memoryRegistrationThrottle,
  redisRegistrationThrottle,
  type RegistrationThrottle,
} from './registration-throttle.ts';

/** The throttles of the sign-in and registration routes. */
export interface FrontDoorThrottles {
  /** Failed logins per account (lower-cased email): locks after 5. */
  loginByAccount: LoginThrottle;
  /** Failed logins per client address, shared behind NAT: locks after 20. */
  loginByAddress: LoginThrottle;
  /** Registration attempts per client address per hour. */
  registration: RegistrationThrottle;
}

/** Options of {@link frontDoorThrottles}. */
export interface FrontDoorThrottlesOptions {
  /** Registration attempts per address per hour (`registration.perAddressPerHour`). */
  registrationsPerAddressPerHour: number;
  /**
   * Shared counts: with Redis every instance enforces one count, so running more instances does
   * not multiply an attacker's guesses. Without it each process counts alone.
   */
  redis?: Redis;
  /** Prefix of every Redis key (`keel:`). */
  keyPrefix?: string;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

/** The front door's throttles, in Redis when it is configured, else in this process's memory. */
export function frontDoorThrottles(options: FrontDoorThrottlesOptions): FrontDoorThrottles {
  const { redis, now } = options;
  const prefix = options.keyPrefix ?? 'keel:';
  const login = (freeFailures: number, kind: string): LoginThrottle =>
    redis
      ? redisLoginThrottle({ redis, keyPrefix: `${prefix}login:${kind}:`, freeFailures, now })
      : memoryLoginThrottle({ freeFailures, now });
  const perHour = options.registrationsPerAddressPerHour;
  return {
    // An account locks after a few failures; an address, shared behind NAT, after more.
    loginByAccount: login(5, 'account'),
    loginByAddress: login(20, 'address'),
    registration: redis
      ? redisRegistrationThrottle({ redis, keyPrefix: `${prefix}register:`, perHour, now })
      : memoryRegistrationThrottle({ perHour, now }),
  };
}
