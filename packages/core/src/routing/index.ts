export {
  environmentSchema,
  routingOverrideSchema,
  routingTableSchema,
  type Environment,
  type RoutingOverride,
  type RoutingTableData,
} from './routing-schema.ts';
export {
  RoutingTable,
  defaultRoutingTablePath,
  loadRoutingTable,
  normalizeTaskName,
  parseRoutingTable,
  type RouteDecision,
  type RoutingTableOptions,
} from './routing-table.ts';
