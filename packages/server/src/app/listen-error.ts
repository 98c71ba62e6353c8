import { KeelError } from '@keel/errors';

/** The server could not take its port: invalid, in use, or not ours to bind. */
export class ListenError extends KeelError<
  { host: string; port: number; reason: string },
  'listen_failed'
> {
  constructor(host: string, port: number, reason: string, cause?: unknown) {
    super('listen_failed', listenMessage(host, port, reason), { host, port, reason }, { cause });
  }
}

function listenMessage(host: string, port: number, reason: string): string {
  const where = `${host}:${port}`;
  switch (reason) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use; stop the other server or choose another port (--port, PORT)`;
    case 'EACCES':
      return `No permission to listen on ${where}; ports below 1024 need privileges, choose another (--port, PORT)`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${where}: ${host} is not an address of this machine; choose another --host`;
    case 'invalid_port':
      return `Port ${port} is not valid: use 0 (any free port) to 65535`;
    default:
      return `Cannot listen on ${where} (${reason})`;
  }
}
