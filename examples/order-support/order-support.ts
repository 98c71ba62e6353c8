import { defineTool, keelCaller, runAgent, type AgentResult, type KeelClient } from '@keel/core';
import { z } from 'zod';
import { connect, isMain } from '../shared/connect.ts';

/** A tiny order service: each order belongs to one customer. */
export const orders = new Map([
  ['ORD-00000001', { customerId: 'cust_alice', status: 'shipped', total: '$42.00' }],
  ['ORD-00000002', { customerId: 'cust_bob', status: 'processing', total: '$310.00' }],
]);

/** Looks an order up, only if it belongs to the signed-in customer (never whom the model names). */
const getOrderStatus = defineTool({
  name: 'get_order_status',
  description:
    "Current status of one of the signed-in customer's orders, by order id (ORD-XXXXXXXX).",
  input: z.object({ order_id: z.string().regex(/^ORD-\d{8}$/) }),
  handler: async ({ order_id }, context) => {
    const order = orders.get(order_id);
    // Another customer's order reads exactly like a missing one: no existence leak.
    if (!order || order.customerId !== context.principal.userId) {
      throw new Error(`No order ${order_id} on this account`);
    }
    return { order_id, status: order.status, total: order.total };
  },
});

const listCustomerOrders = defineTool({
  name: 'list_customer_orders',
  description: "The signed-in customer's recent orders.",
  input: z.object({ limit: z.number().int().min(1).max(20).default(5) }),
  handler: async ({ limit }, context) =>
    [...orders.entries()]
      .filter(([, order]) => order.customerId === context.principal.userId)
      .slice(0, limit)
      .map(([id, order]) => ({ order_id: id, status: order.status })),
});

/** Answers a customer's question; tools run as `customerId`, whatever the conversation says. */
export function askSupport(
  keel: KeelClient,
  customerId: string,
  question: string,
): Promise<AgentResult> {
  return runAgent({
    caller: keelCaller(keel, { tags: { feature: 'order-support', user: customerId } }),
    model: 'claude-haiku-5-5',
    system: 'You help customers with their orders. Use the tools; never guess an order status.',
    messages: [{ role: 'user', content: question }],
    tools: [getOrderStatus, listCustomerOrders],
    principal: { userId: customerId, roles: ['customer'] },
    maxIterations: 5,
  });
}

/** Offline: the model asks for whatever order id the user typed. */
export const scenarios = [
  {
    name: 'order-lookup',
    match: { userMatches: 'ORD-\\d{8}', afterToolResult: false },
    replies: [{ content: [{ type: 'tool_use' as const, name: 'get_order_status' }] }],
  },
];

if (isMain(import.meta.url)) {
  const connection = await connect({ scenarios });
  try {
    const result = await askSupport(
      connection.keel,
      'cust_alice',
      'Where is my order ORD-00000001?',
    );
    console.log(result.text);
  } finally {
    await connection.close();
  }
}
