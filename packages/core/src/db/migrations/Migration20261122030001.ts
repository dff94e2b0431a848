import { Migration } from '@mikro-orm/migrations';
import { createFunctions } from './function-history';

/**
 * The catalog sync's bookkeeping: a delivery log (one row per event per attempt), dead letters
 * (events that kept failing, until replayed), and a notification at commit that wakes the
 * outbox relay (new events, and events put back for a replay).
 */
export class Migration20261122030001 extends Migration {
  override up(): void {
    this.addSql(`
      create table sync_deliveries (
        id bigserial primary key,
        event_id uuid not null,
        seq bigint not null,
        aggregate_type text not null,
        aggregate_id uuid not null,
        aggregate_version integer not null,
        flow_version text not null,
        attempt integer not null,
        status text not null check (status in ('applied', 'stale', 'failed', 'error', 'superseded')),
        http_status integer,
        latency_ms integer not null,
        error text,
        request_id text,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index sync_deliveries_created_idx on sync_deliveries (created_at);`);
    this.addSql(`create index sync_deliveries_status_idx on sync_deliveries (status, id);`);
    this.addSql(`create index sync_deliveries_event_idx on sync_deliveries (event_id, id);`);

    this.addSql(`
      create table sync_dead_letters (
        event_id uuid primary key,
        seq bigint not null,
        type text not null,
        aggregate_type text not null,
        aggregate_id uuid not null,
        aggregate_version integer not null,
        flow_version text not null,
        attempts integer not null,
        last_error text,
        request_id text,
        dead_at timestamptz not null default now(),
        replayed_at timestamptz
      );`);
    this.addSql(
      `create index sync_dead_letters_open_idx on sync_dead_letters (dead_at, event_id) where replayed_at is null;`,
    );

    createFunctions(this, 'lapak-outbox-notify.sql');
    this.addSql(`
      create trigger outbox_events_inserted after insert on outbox_events
        for each statement execute function lapak_outbox_notify();`);
    this.addSql(`
      create trigger outbox_events_requeued after update of relayed_at on outbox_events
        for each row when (new.relayed_at is null) execute function lapak_outbox_notify();`);
  }

  override down(): void {
    this.addSql(`drop trigger outbox_events_requeued on outbox_events;`);
    this.addSql(`drop trigger outbox_events_inserted on outbox_events;`);
    this.addSql(`drop function lapak_outbox_notify();`);
    this.addSql(`drop table sync_dead_letters;`);
    this.addSql(`drop table sync_deliveries;`);
  }
}
