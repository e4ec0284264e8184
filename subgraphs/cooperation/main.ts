/**
 * The cooperation subgraph as its own process — the deployable: `node dist/subgraphs/cooperation/main.js`
 * after `npm run build` (in development, `npm run start:subgraph -- cooperation`). Settings: see the README.
 */
import { runSubgraphProcess } from '../process.ts';

await runSubgraphProcess('cooperation');
