/**
 * The volunteers subgraph as its own process — the deployable: `node dist/subgraphs/volunteers/main.js`
 * after `npm run build` (in development, `npm run start:subgraph -- volunteers`). Settings: see the README.
 */
import { runSubgraphProcess } from '../process.ts';

await runSubgraphProcess('volunteers');
