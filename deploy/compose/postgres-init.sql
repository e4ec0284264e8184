-- One database per subgraph, as in production: each subgraph owns its
-- database and, inside it, a schema of its own name (created by its migrations).
CREATE DATABASE volunteers;
CREATE DATABASE organizations;
CREATE DATABASE donations;
CREATE DATABASE cooperation;
CREATE DATABASE roadmap;
