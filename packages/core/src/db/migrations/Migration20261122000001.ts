import { Migration } from '@mikro-orm/migrations';

/** Catalog, users, orders, idempotency records and the outbox. */
export class Migration20261122000001 extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(`
      create table categories (
        id uuid primary key,
        name text not null,
        slug text not null,
        parent_id uuid references categories (id),
        version integer not null default 1 check (version >= 1),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz
      );`);
    this.addSql(`create unique index categories_slug_key on categories (slug) where deleted_at is null;`);

    this.addSql(`
      create table products (
        id uuid primary key,
        sku text not null,
        name text not null,
        slug text not null,
        price_cents integer not null check (price_cents >= 0),
        currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
        stock integer not null check (stock >= 0),
        status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
        category_id uuid references categories (id),
        version integer not null default 1 check (version >= 1),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz
      );`);
    this.addSql(`create unique index products_sku_key on products (sku) where deleted_at is null;`);
    this.addSql(`create unique index products_slug_key on products (slug) where deleted_at is null;`);
    this.addSql(`create index products_category_idx on products (category_id) where deleted_at is null;`);
    this.addSql(`create index products_status_idx on products (status, id) where deleted_at is null;`);
    this.addSql(
      `create index products_search_idx on products using gin ((name || ' ' || sku) gin_trgm_ops);`,
    );

    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null,
        name text not null,
        password_hash text not null,
        role text not null default 'customer' check (role in ('customer', 'admin')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create unique index users_email_key on users (lower(email));`);

    this.addSql(`
      create table orders (
        id uuid primary key,
        user_id uuid not null references users (id),
        status text not null default 'pending' check (status in ('pending', 'confirmed', 'failed', 'cancelled')),
        failure_reason text check (failure_reason in ('out_of_stock', 'product_unavailable', 'processing_failed', 'timed_out')),
        total_cents bigint not null check (total_cents >= 0),
        currency char(3) not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create index orders_user_idx on orders (user_id, created_at desc, id desc);`);
    this.addSql(`create index orders_status_idx on orders (status, created_at);`);

    this.addSql(`
      create table order_lines (
        order_id uuid not null references orders (id) on delete cascade,
        line_no integer not null,
        product_id uuid not null references products (id),
        sku text not null,
        name text not null,
        unit_price_cents integer not null check (unit_price_cents >= 0),
        quantity integer not null check (quantity between 1 and 1000),
        primary key (order_id, line_no)
      );`);

    this.addSql(`
      create table idempotency_keys (
        user_id uuid not null references users (id),
        key text not null,
        request_hash text not null,
        order_id uuid not null references orders (id) on delete cascade,
        created_at timestamptz not null default now(),
        primary key (user_id, key)
      );`);

    this.addSql(`
      create table outbox_events (
        seq bigserial primary key,
        event_id uuid not null unique,
        type text not null,
        aggregate_type text not null,
        aggregate_id uuid not null,
        aggregate_version integer not null,
        payload jsonb not null,
        occurred_at timestamptz not null default now(),
        relayed_at timestamptz
      );`);
    this.addSql(`create index outbox_events_unrelayed_idx on outbox_events (seq) where relayed_at is null;`);
  }
}
