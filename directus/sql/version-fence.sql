-- The version fence of the catalog sync, in Directus's own database (docs/sync.md).
--
-- A delivery the dispatcher gave up on (timed out) is not cancelled: its n8n execution may still
-- write after newer deliveries have. So the rule "a write takes effect only if its version is
-- newer than the one Directus holds" is enforced here, in the transaction of the write itself,
-- whoever sends it. `pnpm directus:apply` installs this file and the triggers that call it.
--
--   lapak_fence_item       BEFORE INSERT OR UPDATE on each fenced collection; its arguments are
--                          the collection's API-owned columns.
--   lapak_fence_tombstone  BEFORE INSERT on sync_tombstones: a delete is written as a tombstone
--                          (collection, item, version); its arguments are the fenced collections.
--   lapak_fence_parent     BEFORE INSERT on a fenced collection whose items belong to an item of
--                          another (a variant to its product), after lapak_fence_item; its
--                          arguments are the column naming the parent and the parent's collection.
--
-- A refused write is skipped silently (the row is left as it is), so one late item never fails
-- the batch request it travels in; the flow reads the versions back to answer `stale`, and every
-- refusal is counted in sync_fence_refusals.

CREATE OR REPLACE FUNCTION lapak_fence_refused(collection text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO sync_fence_refusals (id, refused, last_refused_at) VALUES (collection, 1, now())
  ON CONFLICT (id) DO UPDATE
    SET refused = sync_fence_refusals.refused + 1, last_refused_at = excluded.last_refused_at;
$$;

CREATE OR REPLACE FUNCTION lapak_fence_item() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  held integer;
  buried integer;
  assignments text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A write that leaves the version alone (an editor's) passes; a sync write must be newer.
    -- Concurrent updates of one row queue on its row lock, so OLD is the latest committed state.
    IF NEW.version IS NOT DISTINCT FROM OLD.version THEN
      RETURN NEW;
    END IF;
    IF NEW.version > OLD.version THEN
      RETURN NEW;
    END IF;
    PERFORM lapak_fence_refused(TG_TABLE_NAME);
    RETURN NULL;
  END IF;

  -- INSERT. One writer per item at a time: a create and a tombstone of the same item wait for
  -- each other here, so neither decides on a state the other is about to change.
  PERFORM pg_advisory_xact_lock(hashtextextended(TG_TABLE_NAME || ':' || NEW.id, 0));
  SELECT t.version INTO buried FROM sync_tombstones t WHERE t.id = TG_TABLE_NAME || ':' || NEW.id;
  IF buried >= NEW.version THEN
    PERFORM lapak_fence_refused(TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT version FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
    INTO held USING NEW.id;
  IF held IS NULL THEN
    RETURN NEW;
  END IF;
  IF held >= NEW.version THEN
    PERFORM lapak_fence_refused(TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  -- Created meanwhile by another delivery at an older version: this create updates its
  -- API-owned columns (the trigger's arguments) and leaves the editors' columns alone.
  SELECT string_agg(format('%I = ($1).%I', c, c), ', ') INTO assignments FROM unnest(TG_ARGV) AS c;
  EXECUTE format('UPDATE %I.%I SET %s WHERE id = $2', TG_TABLE_SCHEMA, TG_TABLE_NAME, assignments)
    USING NEW, NEW.id;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION lapak_fence_tombstone() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  held integer;
  buried integer;
BEGIN
  IF NEW.collection IS NULL OR NOT (NEW.collection = ANY (TG_ARGV)) THEN
    RAISE EXCEPTION 'sync_tombstones: "%" is not a fenced collection', NEW.collection
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.version IS NULL OR NEW.version < 1 THEN
    RAISE EXCEPTION 'sync_tombstones: version must be a positive integer' USING ERRCODE = 'check_violation';
  END IF;
  NEW.id := NEW.collection || ':' || NEW.item;
  NEW.deleted_at := now();
  PERFORM pg_advisory_xact_lock(hashtextextended(NEW.id, 0));
  SELECT t.version INTO buried FROM sync_tombstones t WHERE t.id = NEW.id;
  IF buried >= NEW.version THEN
    PERFORM lapak_fence_refused(NEW.collection);
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT version FROM %I.%I WHERE id = %L', TG_TABLE_SCHEMA, NEW.collection, NEW.item)
    INTO held;
  IF held > NEW.version THEN
    PERFORM lapak_fence_refused(NEW.collection);
    RETURN NULL;
  END IF;
  IF held IS NOT NULL THEN
    EXECUTE format('DELETE FROM %I.%I WHERE id = %L', TG_TABLE_SCHEMA, NEW.collection, NEW.item);
  END IF;
  IF buried IS NOT NULL THEN
    UPDATE sync_tombstones SET version = NEW.version, deleted_at = NEW.deleted_at WHERE id = NEW.id;
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
$$;

-- A create of an item whose parent Directus does not hold is refused: the parent's delete took its
-- children with it (on delete cascade), so a late delivery of a child must neither bring it back
-- nor fail its batch request on the foreign key. The parent row is locked (key share) until the
-- write commits, so a delete of it waits instead of slipping in between.
CREATE OR REPLACE FUNCTION lapak_fence_parent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parent integer;
BEGIN
  EXECUTE format('SELECT 1 FROM %I.%I WHERE id = ($1).%I FOR KEY SHARE', TG_TABLE_SCHEMA, TG_ARGV[1], TG_ARGV[0])
    INTO parent USING NEW;
  IF parent IS NULL THEN
    PERFORM lapak_fence_refused(TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
$$;
