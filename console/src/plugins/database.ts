import fp from 'fastify-plugin';
import type { Database } from '@streetwise/db';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/** Shares the database port with every route plugin. The owner of the Database closes it, not the app. */
export const databasePlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.decorate('db', db);
  },
  { name: 'streetwise-database', fastify: '5.x' },
);
