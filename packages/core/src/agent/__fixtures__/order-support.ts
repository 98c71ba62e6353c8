import Database from 'better-sqlite3';
import { z } from 'zod';
import { defineTool } from '../../tools/define-tool.ts';

/** A tiny order store on a real SQLite file, for the order-support agent of the tests. */
export function openOrderStore(path: string) {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE IF NOT EXISTS orders (
      id TEXT PRIMARY KEY,
      customer_id TEXT NOT NULL,
      status TEXT NOT NULL,
      item TEXT NOT NULL,
      total_cents INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
  `);
  const insert = db.prepare(
    'INSERT OR REPLACE INTO orders (id, customer_id, status, item, total_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  insert.run('ORD-00000001', 'cust_alice', 'shipped', 'Blue kettle', 3499, '2026-03-01');
  insert.run('ORD-00000002', 'cust_bob', 'processing', 'Diamond ring', 429900, '2026-03-02');
  insert.run('ORD-00000003', 'cust_alice', 'delivered', 'Tea sampler', 1999, '2026-02-11');
  return db;
}

type OrderRow = {
  id: string;
  customer_id: string;
  status: string;
  item: string;
  total_cents: number;
  created_at: string;
};

/** The two tools of the order-support agent. Authorization uses the principal only. */
export function orderTools(db: Database.Database) {
  const byId = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?');
  const byCustomer = db.prepare<[string, number], OrderRow>(
    'SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT ?',
  );
  const getOrderStatus = defineTool({
    name: 'get_order_status',
    description:
      'Look up the current status of a customer order by order ID. Use this when the user asks about their order.',
    input: z.object({
      order_id: z.string().describe('The order ID (format: ORD-XXXXXXXX)'),
    }),
    handler: ({ order_id }, { principal, logger }) => {
      const order = byId.get(order_id);
      // Another customer's order is reported exactly like a missing one: no data, not even existence.
      if (!order || order.customer_id !== principal.userId) {
        logger.warn({ orderId: order_id }, 'order not visible to principal');
        return { error: `No order ${order_id} was found on your account.` };
      }
      return { order_id: order.id, status: order.status, item: order.item };
    },
  });
  const listCustomerOrders = defineTool({
    name: 'list_customer_orders',
    description: 'Get a list of recent orders for the authenticated customer.',
    // No customer id in the input: whose orders is decided by the principal, never by the model.
    input: z.strictObject({
      limit: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(5)
        .describe('Maximum number of orders (default 5, max 20)'),
    }),
    handler: ({ limit }, { principal }) =>
      byCustomer.all(principal.userId, limit).map((order) => ({
        order_id: order.id,
        status: order.status,
        item: order.item,
      })),
  });
  return { getOrderStatus, listCustomerOrders };
}
