import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../clock.ts';
import { hashApiKey } from './hash-api-key.ts';
import { annotateRequest } from './request-annotations.ts';
import { RequestLog, type RequestLogEntry } from './request-log.ts';
import { watchRequest } from './watch-request.ts';

/** Waits (bounded) until the server side has seen the response close. */
async function untilLogged(log: RequestLog): Promise<void> {
  for (let attempt = 0; attempt < 200 && log.size === 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const entry = (requestId: string): RequestLogEntry => ({
  requestId,
  time: '2026-01-01T00:00:00.000Z',
  method: 'GET',
  path: '/v1/models',
  status: 200,
  completed: true,
  durationMs: 1,
  apiKeyHash: null,
  model: null,
  stream: false,
  usage: null,
  fault: null,
  scenario: null,
});

describe('RequestLog', () => {
  it('keeps the newest entries up to its capacity, oldest first', () => {
    const log = new RequestLog({ capacity: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) log.record(entry(id));
    expect(log.size).toBe(3);
    expect(log.list().map((item) => item.requestId)).toEqual(['c', 'd', 'e']);
    expect(log.list(2).map((item) => item.requestId)).toEqual(['d', 'e']);
    log.clear();
    expect(log.list()).toEqual([]);
    log.record(entry('f'));
    expect(log.list().map((item) => item.requestId)).toEqual(['f']);
  });

  it('refuses a useless capacity', () => {
    expect(() => new RequestLog({ capacity: 0 })).toThrow(RangeError);
  });

  it('fingerprints keys without keeping them', () => {
    expect(hashApiKey('sk-secret')).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(hashApiKey('sk-secret')).toBe(hashApiKey('sk-secret'));
    expect(hashApiKey('sk-secret')).not.toBe(hashApiKey('sk-other'));
  });
});

describe('watchRequest over a real socket', () => {
  const log = new RequestLog();
  const clock = new AdjustableClock(() => Date.parse('2026-03-01T12:00:00Z'));
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      watchRequest(request, response, { log, clock, requestId: 'req_1', path: '/v1/messages' });
      if (request.url === '/reset') {
        response.write('partial');
        setTimeout(() => response.destroy(), 5);
        return;
      }
      annotateRequest(response, { model: 'claude-sonnet-4-6', stream: false });
      annotateRequest(response, { usage: { input_tokens: 12, output_tokens: 7 }, fault: 'none' });
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('records status, hashed key and the handler annotations once the response is over', async () => {
    log.clear();
    const response = await fetch(`${url}/ok`, { method: 'POST', headers: { 'x-api-key': 'sk-1' } });
    await response.text();
    await untilLogged(log);
    const [logged] = log.list();
    expect(logged).toMatchObject({
      requestId: 'req_1',
      time: '2026-03-01T12:00:00.000Z',
      method: 'POST',
      path: '/v1/messages',
      status: 201,
      completed: true,
      apiKeyHash: hashApiKey('sk-1'),
      model: 'claude-sonnet-4-6',
      usage: { input_tokens: 12, output_tokens: 7 },
      fault: 'none',
    });
    expect(JSON.stringify(log.list())).not.toContain('sk-1');
  });

  it('marks a response cut short as not completed', async () => {
    log.clear();
    await fetch(`${url}/reset`)
      .then((response) => response.text())
      .catch(() => undefined);
    await untilLogged(log);
    expect(log.list()[0]).toMatchObject({ status: 200, completed: false, apiKeyHash: null });
  });
});
