import { defineTool, type AgentTool } from '@keel/core';
import { z } from 'zod';
import type { AcmeStore } from './acme-store.ts';

/**
 * The order tools. Whose orders they read is decided by the authenticated principal only: the
 * model cannot name a customer, and another customer's order looks exactly like a missing one.
 */
export function orderTools(store: AcmeStore): {
  getOrderStatus: AgentTool;
  listCustomerOrders: AgentTool;
} {
  const getOrderStatus = defineTool({
    name: 'get_order_status',
    description:
      'Look up the current status of one of the logged-in customer’s orders by order id (format ORD-XXXXXXXX).',
    input: z.strictObject({
      order_id: z.string().min(1).max(40).describe('The order id, e.g. ORD-10000001'),
    }),
    handler: async ({ order_id }, { principal, logger }) => {
      const order = await store.order(order_id.trim().toUpperCase(), principal.userId);
      if (!order) {
        logger.warn({ orderId: order_id }, 'order not visible to the principal');
        return { error: `No order ${order_id} was found on your account.` };
      }
      return order;
    },
  });
  const listCustomerOrders = defineTool({
    name: 'list_customer_orders',
    description: 'List the logged-in customer’s most recent orders.',
    input: z.strictObject({
      limit: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(5)
        .describe('How many orders (default 5, max 20)'),
    }),
    handler: async ({ limit }, { principal }) => ({
      orders: await store.ordersOf(principal.userId, limit),
    }),
  });
  return {
    getOrderStatus: getOrderStatus,
    listCustomerOrders: listCustomerOrders,
  };
}
