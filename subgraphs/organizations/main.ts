/**
 * The organizations subgraph as its own process — the deployable: `node dist/subgraphs/organizations/main.js`
 * after `npm run build` (in development, `npm run start:subgraph -- organizations`). Settings: see the README.
 */
import { runSubgraphProcess } from '../process.ts';

await runSubgraphProcess('organizations');
