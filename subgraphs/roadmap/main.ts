import { runSubgraphProcess } from '../process.ts';
await runSubgraphProcess('roadmap', { seedDemo: process.env.SEED_DEMO === '1' });
