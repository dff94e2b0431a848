-- stock_fell_below(old, new, threshold): the one rule of a low-stock alert, for every kind of
-- stock that raises `stock.low` (lapak_stock_low_event): true when the stock went from the
-- threshold or more to below it. A threshold of 0 (or less) never alerts.
create or replace function stock_fell_below(p_old int, p_new int, p_threshold int) returns boolean
language sql immutable as $fn$
  select p_threshold > 0 and p_old >= p_threshold and p_new < p_threshold
$fn$;
