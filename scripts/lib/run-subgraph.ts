import { runSubgraphProcess as serve, type SubgraphProcessOptions as ServeOptions } from '../../subgraphs/serve.ts';
import { seedSubgraphDemo } from './demo.ts';

export interface SubgraphProcessOptions {
  port?: number;
  seedDemo?: boolean;
}

/** One subgraph process (subgraphs/serve.ts), with the demo data loaded on first start when asked. */
export async function runSubgraphProcess(name: string, options: SubgraphProcessOptions = {}): Promise<void> {
  const serveOptions: ServeOptions = {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.seedDemo
      ? {
          afterStart: async (db, log) => {
            const seeded = await seedSubgraphDemo(name, db);
            log.info({ seeded }, seeded ? 'demo data loaded' : 'demo data already present');
          },
        }
      : {}),
  };
  await serve(name, serveOptions);
}
