import type { FastifySchema } from 'fastify';

/** OpenAPI fields @fastify/swagger reads from a route schema (its type augmentation of FastifySchema does not reach here). */
export interface DocumentedSchema extends FastifySchema {
  tags?: string[];
  /** Stable camelCase name of the operation, for client generators. */
  operationId: string;
  summary?: string;
  description?: string;
  hide?: boolean;
}

export function routeSchema(schema: DocumentedSchema): FastifySchema {
  return schema;
}
