import { sqlNumber, type FeatureMigrations, type Storage } from '@keel/core';
import type { AccountStore } from '../accounts/account-store.ts';

/** A demo login, printed in the log and shown on the login page in demo mode. */
export interface DemoAccount {
  email: string;
  password: string;
  displayName: string;
  role: 'customer' | 'admin';
}

interface DemoCustomer extends DemoAccount {
  id: string;
}

// Demo passwords are public on purpose: they only exist in demo mode, next to fake orders.
const customers: DemoCustomer[] = [
  {
    id: 'cust_alice',
    email: 'alice@example.com',
    password: 'alice-demo',
    displayName: 'Alice Martin',
    role: 'customer',
  },
  {
    id: 'cust_bob',
    email: 'bob@example.com',
    password: 'bob-demo',
    displayName: 'Bob Chen',
    role: 'customer',
  },
  {
    id: 'admin_dana',
    email: 'admin@example.com',
    password: 'admin-demo',
    displayName: 'Dana (admin)',
    role: 'admin',
  },
];

const orders: Array<[string, string, string, string, number, string]> = [
  ['ORD-10000001', 'cust_alice', 'shipped', 'Blue enamel kettle', 3499, '2026-03-01'],
  ['ORD-10000002', 'cust_bob', 'processing', 'Cast-iron teapot', 8900, '2026-03-02'],
  ['ORD-10000003', 'cust_alice', 'delivered', 'Green tea sampler', 1999, '2026-02-11'],
  ['ORD-10000004', 'cust_bob', 'delivered', 'Glass tea cups (set of 4)', 2450, '2026-01-20'],
  ['ORD-10000005', 'cust_alice', 'processing', 'Bamboo tea tray', 4200, '2026-03-05'],
];

const acmeStoreMigrations: FeatureMigrations = {
  feature: 'acme-store-demo',
  migrations: [
    {
      version: 1,
      name: 'demo orders',
      sql: `
CREATE TABLE IF NOT EXISTS acme_orders (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  status TEXT NOT NULL,
  item TEXT NOT NULL,
  total_cents INTEGER NOT NULL,
  ordered_on TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acme_orders_customer ON acme_orders (customer_id, ordered_on);`,
    },
  ],
};

/** An order as the tools show it. */
export interface OrderView {
  order_id: string;
  status: string;
  item: string;
  total: string;
  ordered_on: string;
}

/** The demo store's orders, always read for one customer. */
export class AcmeStore {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** Creates the tables, and the demo customers and orders when missing. Idempotent. */
  async seed(accounts: AccountStore): Promise<DemoAccount[]> {
    await this.#storage.migrate(acmeStoreMigrations);
    for (const customer of customers) {
      if (await accounts.get(customer.id)) continue;
      if (await accounts.findByEmail(customer.email)) continue;
      try {
        await accounts.create(customer);
      } catch {
        // Another instance seeded the same account at the same moment.
      }
    }
    for (const row of orders) {
      await this.#storage.execute(
        `INSERT INTO acme_orders (id, customer_id, status, item, total_cents, ordered_on)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        row,
      );
    }
    return customers.map(({ id: _id, ...account }) => account);
  }

  /** The order when it belongs to `customerId`; undefined for missing and other customers' orders. */
  async order(orderId: string, customerId: string): Promise<OrderView | undefined> {
    const [row] = await this.#storage.query(
      'SELECT * FROM acme_orders WHERE id = ? AND customer_id = ?',
      [orderId, customerId],
    );
    return row ? view(row) : undefined;
  }

  /** The customer's most recent orders. */
  async ordersOf(customerId: string, limit: number): Promise<OrderView[]> {
    const rows = await this.#storage.query(
      'SELECT * FROM acme_orders WHERE customer_id = ? ORDER BY ordered_on DESC, id LIMIT ?',
      [customerId, limit],
    );
    return rows.map(view);
  }
}

function view(row: Record<string, unknown>): OrderView {
  return {
    order_id: String(row.id),
    status: String(row.status),
    item: String(row.item),
    total: `$${(sqlNumber(row.total_cents) / 100).toFixed(2)}`,
    ordered_on: String(row.ordered_on),
  };
}
