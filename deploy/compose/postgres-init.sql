-- Runs once, when the postgres volume is first made, as the server's superuser (which nothing
-- else uses): a role per service, none a superuser, and each database owned by the role of the
-- service it belongs to. The passwords come from the postgres container's environment
-- (docker-compose.yml). The tables' grants to lapak_app are made by the migration, which runs as
-- lapak_owner (DATABASE_APP_ROLE, packages/core/src/db/database-roles.ts). Kubernetes or any
-- other PostgreSQL: run this file once with psql as an admin, the five variables set.
\set ON_ERROR_STOP on
\getenv owner_password LAPAK_OWNER_DB_PASSWORD
\getenv app_password LAPAK_APP_DB_PASSWORD
\getenv directus_password DIRECTUS_DB_PASSWORD
\getenv n8n_password N8N_DB_PASSWORD
\getenv exporter_password POSTGRES_EXPORTER_PASSWORD

-- Owns Lapak's database and runs its migrations.
CREATE ROLE lapak_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_password';
-- The API and the worker: rows, sequences and functions, no DDL.
CREATE ROLE lapak_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'app_password';
CREATE ROLE lapak_directus LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'directus_password';
CREATE ROLE lapak_n8n LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'n8n_password';
-- postgres_exporter: the statistics views (pg_monitor), no table's rows.
CREATE ROLE lapak_exporter LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'exporter_password' IN ROLE pg_monitor;

CREATE DATABASE lapak OWNER lapak_owner;
CREATE DATABASE directus OWNER lapak_directus;
CREATE DATABASE n8n OWNER lapak_n8n;

-- PostgreSQL lets every role connect to every database: here only each database's own do.
REVOKE ALL ON DATABASE lapak, directus, n8n FROM PUBLIC;
GRANT CONNECT ON DATABASE lapak TO lapak_app, lapak_exporter;
