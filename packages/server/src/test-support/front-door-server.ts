import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistantLogger } from '../app/assistant-runtime.ts';
import { startAssistantServer, type AssistantServer } from '../app/start-assistant-server.ts';
import { loadAssistantConfig, type AssistantConfig } from '../config/assistant-config.ts';

/** A real assistant server on a free port, with its JSON log lines kept for assertions. */
export interface FrontDoorServer {
  server: AssistantServer;
  url: string;
  /** The parsed JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the demo assistant (edited by `configure`) on 127.0.0.1, port 0, with a temp data dir. */
export async function startFrontDoorServer(
  options: {
    configure?: (config: AssistantConfig) => AssistantConfig;
    metricsToken?: string;
    webRoot?: string;
  } = {},
): Promise<FrontDoorServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-front-door-'));
  const lines: string[] = [];
  const base = loadAssistantConfig();
  const server = await startAssistantServer({
    port: 0,
    dataDir,
    env: {},
    config: options.configure ? options.configure(base) : base,
    logger: createAssistantLogger({ write: (line: string) => void lines.push(line) }),
    webRoot: options.webRoot ?? join(dataDir, 'no-web-ui'),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
  });
  return {
    server,
    url: server.url,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a raw upload saw: the server's answer (if any) and how much of the body went out. */
export interface RawUploadResult {
  /** The raw response text received (status line, headers, body), possibly empty. */
  response: string;
  /** Body bytes the socket accepted before the answer came or the server closed it. */
  bodyBytesSent: number;
  /** True when the server closed the connection. */
  closedByServer: boolean;
}

/**
 * Sends `head` (which should say `Connection: close`) and then up to `bodyBytes` of body in 16 KB pieces on a raw socket (chunked when
 * `chunked`), stopping as soon as any response byte arrives or the server closes the connection.
 * A server that reads the whole body before answering lets every byte through.
 */
export async function rawUpload(options: {
  url: string;
  head: string;
  bodyBytes: number;
  chunked?: boolean;
  /** Destroy the socket after this many body bytes (a client abort). */
  abortAfterBytes?: number;
}): Promise<RawUploadResult> {
  const { hostname, port } = new URL(options.url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let response = '';
  let closedByServer = false;
  socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
  const ended = new Promise<void>((resolve) => {
    socket.once('end', () => {
      closedByServer = true;
      resolve();
    });
    socket.once('close', () => resolve());
  });
  socket.on('error', () => {
    closedByServer = true;
  });
  const write = (data: string | Buffer) =>
    new Promise<boolean>((resolve) => socket.write(data, (error) => resolve(!error)));

  await write(options.head);
  const piece = Buffer.alloc(16_384, 'a');
  let sent = 0;
  while (sent < options.bodyBytes && response === '' && !closedByServer && !socket.destroyed) {
    if (options.abortAfterBytes !== undefined && sent >= options.abortAfterBytes) {
      socket.destroy();
      return { response, bodyBytesSent: sent, closedByServer: false };
    }
    const size = Math.min(piece.length, options.bodyBytes - sent);
    const data = piece.subarray(0, size);
    const ok = options.chunked
      ? await write(
          Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), data, Buffer.from('\r\n')]),
        )
      : await write(data);
    if (!ok) break;
    sent += size;
  }
  if (options.chunked && sent >= options.bodyBytes && !closedByServer) await write('0\r\n\r\n');
  // Heads say `Connection: close`, so the server ends the socket once it has answered.
  await ended;
  socket.destroy();
  return { response, bodyBytesSent: sent, closedByServer };
}

/** The status code of a raw HTTP response. */
export function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
}
