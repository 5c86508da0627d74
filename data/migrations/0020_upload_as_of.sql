-- The latest sale date of each upload: the end of the series of the products it retrains, so a
-- row of one file never moves the models of products it does not contain.
alter table uploads add column as_of date;
