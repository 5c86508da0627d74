-- Availability "pre_order": orderable now, delivered later (schema.org PreOrder / PreSale / BackOrder and
-- shop texts such as "Pre-order", "Vorbestellen", "予約"). Stored with each price like the other values.
alter table prices drop constraint if exists prices_availability_check;
alter table prices add constraint prices_availability_check
  check (availability in ('in_stock', 'out_of_stock', 'pre_order', 'unknown'));
