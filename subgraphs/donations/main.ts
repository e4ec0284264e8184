/**
 * The donations subgraph as its own process — the deployable: `node dist/subgraphs/donations/main.js`
 * after `npm run build` (in development, `npm run start:subgraph -- donations`). Settings: see the README.
 */
import { runSubgraphProcess } from '../process.ts';

await runSubgraphProcess('donations');
