-- Incident payloads are JSON of 1–270 KB, stored once and read by every delivery of the incident:
-- lz4 compresses and decompresses them several times faster than the default pglz (PostgreSQL 14+),
-- which was a measurable share of PostgreSQL's CPU per ticket (bench row f). Existing rows keep
-- pglz until rewritten, and both read back the same.
ALTER TABLE "incidents" ALTER COLUMN "payload" SET COMPRESSION lz4;
