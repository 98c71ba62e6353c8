import { createInterface } from 'node:readline';
import {
  AssistantClient,
  createAssistantApp,
  openAssistantRuntime,
  type AssistantRuntime,
  type ChatEvent,
  type OutcomeNotice,
} from '@keel/server';
import type { Command } from '../command.ts';
import { parseFlags } from './cli-flags.ts';

/** A message of a stored session, as the server returns it. */
type StoredMessage = Awaited<ReturnType<AssistantClient['getSession']>>['messages'][number];

const help = `Usage: keel chat [options]

A terminal chat with the Keel assistant: answers stream as they are written, with tool activity,
citations and the cost of each answer. Talks to a running server's HTTP API (keel serve), or runs
the assistant in this process with --in-process.

Sign-in: --token (or KEEL_TOKEN) with an API token, or --email/--password; without either, a
demo server's first demo account is used (and named).

Options:
  --url U          The server (default KEEL_URL, else http://127.0.0.1:3000)
  --in-process     Run the assistant here instead of connecting to a server
  --config F       With --in-process: the assistant config
  --token T        An API token (keel_api_...)
  --email E        Log in with this email...
  --password P     ...and password
  --session ID     Resume this session instead of starting a new one
  -h, --help       Show this help

In the chat:
  /sessions        List your sessions
  /resume <id>     Continue a session (shows its history)
  /new             Start a new session
  /quit            Leave (Ctrl-D works too)`;

/**
 * An answer that did not simply finish (cut off, declined, stopped at a cap), said in the
 * server's words with what to do next: a cut-off answer must not pass for a complete one.
 */
function noticeLine(notice: OutcomeNotice): string {
  return `\x1b[33m[${notice.title}] ${notice.body}\x1b[0m\n`;
}

/** One stored message of a resumed session, with its outcome or failure said in words. */
function printStored(message: StoredMessage): void {
  const text = message.content
    .map((block) =>
      block.type === 'text' ? String(block.text) : block.type === 'image' ? '[image]' : '',
    )
    .join('');
  if (message.status === 'failed' && message.role === 'assistant' && !message.outcome) {
    // A turn the model service refused (a 4xx): its row holds the reason, not an answer.
    console.log(`\x1b[31m  [Not answered] ${text}\x1b[0m`);
    return;
  }
  const mark =
    message.status === 'incomplete'
      ? ' (incomplete)'
      : message.status === 'failed' && message.role === 'user'
        ? ' (not answered: left out of the conversation)'
        : '';
  if (text) console.log(`${message.role === 'user' ? '>' : ' '} ${text}${mark}`);
  if (message.notice) process.stdout.write(noticeLine(message.notice));
}

/** Writes one event of an answer to the terminal. */
function render(event: ChatEvent, out: NodeJS.WritableStream): void {
  switch (event.type) {
    case 'text-delta':
      out.write(event.text);
      break;
    case 'thinking-start':
      out.write('\x1b[2m(thinking…)\x1b[0m ');
      break;
    case 'tool-start':
      out.write(`\n\x1b[2m→ ${event.name} ${JSON.stringify(event.input)}\x1b[0m\n`);
      break;
    case 'tool-end':
      out.write(`\x1b[2m← ${event.isError ? 'error: ' : ''}${event.summary}\x1b[0m\n`);
      break;
    case 'citation':
      out.write(`\n\x1b[2m[source: ${event.title} (${event.source})]\x1b[0m`);
      break;
    case 'retry':
      out.write(
        `\n\x1b[33m(upstream ${event.reason}; retry ${event.attempt} in ${event.delayMs} ms)\x1b[0m\n`,
      );
      break;
    case 'usage':
      out.write(
        `\n\x1b[2m[${event.input + event.cacheRead + event.cacheWrite} in / ${event.output} out tokens, ` +
          `cache hit ${(event.cacheHitRatio * 100).toFixed(0)}%, $${event.costUsd.toFixed(6)}${event.partial ? ', partial' : ''}]\x1b[0m\n`,
      );
      break;
    case 'error':
      out.write(
        `\n\x1b[31merror (${event.code}): ${event.message}${event.retryAfterSeconds ? ` — retry in ${event.retryAfterSeconds} s` : ''}\x1b[0m\n`,
      );
      break;
    case 'done':
      if (event.notice) out.write(noticeLine(event.notice));
      else if (event.stopped) out.write('\x1b[2m(stopped)\x1b[0m\n');
      break;
    default:
      break;
  }
}

export const chatCommand: Command = {
  name: 'chat',
  summary: 'Chat with the Keel assistant in the terminal',
  help,
  async run(argv) {
    const parsed = parseFlags(
      argv,
      ['url', 'config', 'token', 'email', 'password', 'session'],
      ['in-process'],
    );
    if (!parsed.ok) {
      console.error(`keel chat: ${parsed.message}`);
      return 2;
    }
    const { values, switches } = parsed.flags;
    let runtime: AssistantRuntime | undefined;
    let client: AssistantClient;
    if (switches.has('in-process')) {
      runtime = await openAssistantRuntime({
        ...(values.has('config') ? { config: values.get('config')! } : {}),
        logger: false,
      });
      const app = createAssistantApp({ runtime });
      const fetchApp = ((input: string | URL | Request, init?: RequestInit) =>
        app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;
      client = new AssistantClient({ baseUrl: 'http://in-process', fetch: fetchApp });
    } else {
      client = new AssistantClient({
        baseUrl: values.get('url') ?? process.env.KEEL_URL ?? 'http://127.0.0.1:3000',
      });
    }
    try {
      const status = await client.status();
      const token = values.get('token') ?? process.env.KEEL_TOKEN;
      if (token) {
        client.token = token;
      } else if (values.has('email')) {
        await client.login(values.get('email')!, values.get('password') ?? '');
      } else if (status.demo && status.demo.accounts.length > 0) {
        const demo = status.demo.accounts[0]!;
        await client.login(demo.email, demo.password);
        console.log(`Signed in as the demo account ${demo.email}.`);
      } else {
        console.error('keel chat: sign in with --token or --email/--password');
        return 2;
      }
      console.log(
        `${status.name} — ${status.mode === 'emulator' ? 'offline: answers come from the embedded emulator, not Claude' : `Claude (${status.model})`}`,
      );
      let sessionId = values.get('session') ?? (await client.createSession()).id;
      console.log(`Session ${sessionId}. Type /sessions, /resume <id>, /new or /quit.`);
      const terminal = createInterface({ input: process.stdin, output: process.stdout });
      terminal.setPrompt('\n> ');
      try {
        terminal.prompt();
        // The line iterator buffers input, so piped lines typed during an answer are not lost.
        for await (const raw of terminal) {
          const line = raw.trim();
          if (line === '') {
            terminal.prompt();
            continue;
          }
          if (line === '/quit' || line === '/exit') break;
          if (line === '/new') {
            sessionId = (await client.createSession()).id;
            console.log(`New session ${sessionId}.`);
            terminal.prompt();
            continue;
          }
          if (line === '/sessions') {
            for (const session of await client.listSessions()) {
              console.log(
                `${session.id}  ${new Date(session.updatedAtMs).toISOString()}  ${session.title}`,
              );
            }
            terminal.prompt();
            continue;
          }
          if (line.startsWith('/resume')) {
            const id = line.slice('/resume'.length).trim();
            try {
              const { messages } = await client.getSession(id);
              sessionId = id;
              for (const message of messages) printStored(message);
              console.log(`Resumed session ${id}.`);
            } catch (error) {
              console.error(`Cannot resume: ${(error as Error).message}`);
            }
            terminal.prompt();
            continue;
          }
          if (line.startsWith('/')) {
            console.log('Commands: /sessions, /resume <id>, /new, /quit');
            terminal.prompt();
            continue;
          }
          try {
            for await (const event of client.send(sessionId, { text: line }))
              render(event, process.stdout);
          } catch (error) {
            console.error(`\n${(error as Error).message}`);
          }
          terminal.prompt();
        }
      } finally {
        terminal.close();
      }
      return 0;
    } finally {
      await runtime?.close();
    }
  },
};
