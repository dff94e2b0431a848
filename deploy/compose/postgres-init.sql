-- Runs once, when the postgres volume is first created: the databases of Directus and n8n
-- beside Lapak's own (POSTGRES_DB).
CREATE DATABASE directus;
CREATE DATABASE n8n;
