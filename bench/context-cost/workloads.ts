import type Anthropic from '@anthropic-ai/sdk';

/**
 * The standard workloads of the context-cost benchmark. Every assistant turn is scripted, so all
 * policies send the same conversation and differ only in what they send and how they cache it.
 */

interface PlantedFact {
  /** The value that must be present in what is sent when the question is asked. */
  value: string;
  /** The step that plants it and the step that asks for it. */
  plantedAt: number;
  askedAt: number;
}

interface WorkloadStep {
  /** The message appended before the request (a user turn or tool results). */
  user: Anthropic.MessageParam;
  /** The scripted assistant reply appended after the request. */
  assistant: Anthropic.MessageParam;
}

export interface Workload {
  name: string;
  description: string;
  model: string;
  system: string;
  tools: Anthropic.Tool[];
  /** Documents pinned for the whole conversation (retrieved context). */
  documents: Anthropic.DocumentBlockParam[];
  steps: WorkloadStep[];
  facts: PlantedFact[];
  maxTokens: number;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vocabulary =
  'order shipment refund warranty invoice account delivery package carrier tracking return exchange policy customer receipt discount coupon payment balance address billing support replacement damaged missing courier subscription renewal product catalog inventory backorder'.split(
    ' ',
  );

function prose(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(vocabulary[Math.floor(random() * vocabulary.length)]!);
    if (i % 14 === 13) out.push('.');
  }
  return out.join(' ').replace(/ \./g, '.');
}

function tool(name: string, description: string): Anthropic.Tool {
  return {
    name,
    description,
    input_schema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: `What to ${name.replace(/_/g, ' ')}` },
        limit: { type: 'integer' },
      },
      required: ['query'],
    },
  };
}

const supportTools = [
  tool('get_order_status', 'Look up the status, carrier and expected delivery date of one order.'),
  tool('list_customer_orders', 'List the logged-in customer’s orders, newest first.'),
  tool('start_return', 'Open a return for an order line and email the customer a label.'),
  tool('search_policies', 'Search the store policies: returns, shipping, warranty, payments.'),
  tool('update_address', 'Change the delivery address of an order that has not shipped yet.'),
  tool('issue_refund', 'Refund an order line to the original payment method.'),
  tool('track_package', 'Follow a package with the carrier and return its last scan events.'),
  tool('escalate_to_human', 'Hand the conversation to a human agent with a short summary.'),
];

const factTemplates: Array<(value: string) => string> = [
  (value) => `For reference, my customer number is ${value}.`,
  (value) => `The gift message I want on the package is "${value}".`,
  (value) => `My apartment code for the courier is ${value}.`,
  (value) => `The backup phone contact is ${value}.`,
  (value) => `The old order I returned last spring was ${value}.`,
];

function factValue(random: () => number, index: number): string {
  return `K${index}${Math.floor(random() * 1e6)
    .toString(36)
    .toUpperCase()}Z`;
}

/** A chat where facts are planted in early turns and asked about in later ones. */
function chat(options: {
  name: string;
  description: string;
  model: string;
  seed: number;
  turns: number;
  systemWords: number;
  tools: Anthropic.Tool[];
  userWords: [number, number];
  assistantWords: [number, number];
  facts: number;
}): Workload {
  const random = seeded(options.seed);
  const between = ([low, high]: [number, number]) => low + Math.floor(random() * (high - low));
  const facts: PlantedFact[] = [];
  const plantAt = (i: number) => 1 + i * 2;
  const askAt = (i: number) => options.turns - 1 - i * 3;
  const values = Array.from({ length: options.facts }, (_, i) => factValue(random, i));
  const steps: WorkloadStep[] = [];
  for (let turn = 0; turn < options.turns; turn++) {
    let text = prose(random, between(options.userWords));
    const planted = values.findIndex((_, i) => plantAt(i) === turn);
    if (planted !== -1)
      text = `${factTemplates[planted % factTemplates.length]!(values[planted]!)} ${text}`;
    const asked = values.findIndex((_, i) => askAt(i) === turn);
    if (asked !== -1) {
      text = `Earlier I told you something: what was the ${['customer number', 'gift message', 'apartment code', 'backup phone contact', 'old order I returned'][asked % 5]} I gave you? ${text}`;
      facts.push({ value: values[asked]!, plantedAt: plantAt(asked), askedAt: turn });
    }
    steps.push({
      user: { role: 'user', content: text },
      assistant: {
        role: 'assistant',
        content: [{ type: 'text', text: prose(random, between(options.assistantWords)) }],
      },
    });
  }
  return {
    name: options.name,
    description: options.description,
    model: options.model,
    system: `You are the support assistant of Acme Store. ${prose(random, options.systemWords)}`,
    tools: options.tools,
    documents: [],
    steps,
    facts,
    maxTokens: 1024,
  };
}

/** A single task worked through many tool steps, with parallel calls and sizeable results. */
function agentLoop(seed: number, steps: number): Workload {
  const random = seeded(seed);
  const list: WorkloadStep[] = [];
  let toolId = 0;
  let previous: Anthropic.MessageParam = {
    role: 'user',
    content: `Audit every delayed order this week and fix what you can. ${prose(random, 60)}`,
  };
  for (let step = 0; step < steps; step++) {
    // Up to 10 parallel calls: a step can then add more than the 20 blocks the cache looks back.
    const parallel = 1 + Math.floor(random() * 10);
    const calls = Array.from({ length: parallel }, () => {
      const name = supportTools[Math.floor(random() * supportTools.length)]!.name;
      return {
        type: 'tool_use' as const,
        id: `toolu_bench_${toolId++}`,
        name,
        input: { query: prose(random, 4) },
      };
    });
    const assistant: Anthropic.MessageParam = {
      role: 'assistant',
      content: [{ type: 'text', text: prose(random, 30) }, ...calls],
    };
    list.push({ user: previous, assistant });
    previous = {
      role: 'user',
      content: calls.map((call) => ({
        type: 'tool_result' as const,
        tool_use_id: call.id,
        content: prose(random, 120 + Math.floor(random() * 300)),
      })),
    };
  }
  // The last step answers the final tool results.
  list.push({
    user: previous,
    assistant: { role: 'assistant', content: [{ type: 'text', text: prose(random, 80) }] },
  });
  return {
    name: 'agent-tool-loop',
    description: `a ${steps}-step agent tool loop with parallel tool calls`,
    model: 'claude-sonnet-5-5',
    system: `You are an operations agent for Acme Store. ${prose(random, 1200)}`,
    tools: supportTools,
    documents: [],
    steps: list,
    facts: [],
    maxTokens: 2048,
  };
}

/** Questions over a fixed set of retrieved documents. */
function retrievedDocuments(seed: number, questions: number, documentWords: number): Workload {
  const random = seeded(seed);
  const perDocument = Math.floor(documentWords / 6);
  const documents: Anthropic.DocumentBlockParam[] = Array.from({ length: 6 }, (_, i) => ({
    type: 'document',
    title: `policy-${i + 1}.md`,
    source: { type: 'text', media_type: 'text/plain', data: prose(random, perDocument) },
  }));
  const steps: WorkloadStep[] = Array.from({ length: questions }, () => ({
    user: { role: 'user', content: `${prose(random, 25)}?` },
    assistant: { role: 'assistant', content: [{ type: 'text', text: prose(random, 90) }] },
  }));
  return {
    name: 'retrieved-documents',
    description: `${questions} questions over about 30,000 tokens of retrieved documents`,
    model: 'claude-sonnet-5-5',
    system: `Answer only from the documents, citing them. ${prose(random, 300)}`,
    tools: [],
    documents,
    steps,
    facts: [],
    maxTokens: 1024,
  };
}

/** The four standard workloads. */
export function standardWorkloads(): Workload[] {
  return [
    chat({
      name: 'support-chat',
      description: 'a 40-turn support chat with a ~3,000-token system prompt and 8 tools',
      model: 'claude-sonnet-5-5',
      seed: 1,
      turns: 40,
      systemWords: 2600,
      tools: supportTools,
      userWords: [15, 60],
      assistantWords: [40, 140],
      facts: 3,
    }),
    agentLoop(2, 20),
    retrievedDocuments(3, 15, 26_000),
    chat({
      name: 'long-chat',
      description: 'a 200-turn chat that outgrows the context window',
      model: 'claude-haiku-5-5',
      seed: 4,
      turns: 200,
      systemWords: 800,
      tools: supportTools,
      userWords: [300, 700],
      assistantWords: [500, 900],
      facts: 5,
    }),
  ];
}
