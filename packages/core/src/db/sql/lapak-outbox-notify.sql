-- lapak_outbox_notify(): the trigger function that wakes the outbox relay. The triggers on
-- outbox_events (new events, and events put back for a replay) call it; the notification is
-- delivered at commit, so the relay reads only committed events. The relay also polls, so a
-- notification it misses delays an event and loses nothing.
create or replace function lapak_outbox_notify() returns trigger language plpgsql as $fn$
begin
  perform pg_notify('lapak_outbox', '');
  return null;
end
$fn$;
