-- 0003: leave half of each jobs page free.
-- A job's row is written three times (enqueued, claimed, finished), and neither update can be a
-- HOT update (both change indexed columns). With room left on its page, each new row version stays
-- on the page that already holds the job, so an update dirties one heap page instead of two and
-- searches no free-space map. Measured on the claim and complete statements: about 10% and 20% less
-- time per job with 50,000 jobs queued, 15% and 25% with a million. The price is disk: freshly
-- enqueued rows take about twice the pages.
-- Applies to pages written from now on; existing pages keep their layout until rewritten.
alter table jobs set (fillfactor = 50);
