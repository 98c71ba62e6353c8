import { createKeel, type KeelClient, type KeelClientOptions } from '@keel/core';
import { startEmulator, type Scenario } from '@keel/emulator';

/** A Keel client for an example, and how to shut it down. */
export interface ExampleConnection {
  /** The client every example uses. */
  keel: KeelClient;
  /** `online` with ANTHROPIC_API_KEY set, `emulator` otherwise. */
  mode: 'online' | 'emulator';
  /** Flushes the client and stops the emulator, if one was started. */
  close(): Promise<void>;
}

/**
 * Online when ANTHROPIC_API_KEY is set; otherwise against a local emulator started here, with
 * the example's scenarios so the offline answers are meaningful.
 */
export async function connect(
  options: { scenarios?: Scenario[]; client?: Omit<KeelClientOptions, 'apiKey' | 'baseURL'> } = {},
): Promise<ExampleConnection> {
  if (process.env.ANTHROPIC_API_KEY) {
    const keel = createKeel({ logger: false, ...options.client });
    return { keel, mode: 'online', close: () => keel.close() };
  }
  const emulator = await startEmulator({
    batchProcessingDelayMs: 20,
    ...(options.scenarios ? { scenarios: options.scenarios } : {}),
  });
  const keel = createKeel({
    apiKey: 'emulator',
    baseURL: emulator.url,
    logger: false,
    ...options.client,
  });
  return {
    keel,
    mode: 'emulator',
    close: async () => {
      await keel.close();
      await emulator.close();
    },
  };
}

/** True when the module is the script node was started with (`npx tsx examples/x/x.ts`). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === new URL(`file://${entry}`).href;
}
