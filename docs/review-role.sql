-- The review app's PostgreSQL role: only the rights `extractor review serve` needs.
-- Run once as the database owner, after `extractor db upgrade`:
--
--   psql -d extractor -f docs/review-role.sql
--   psql -d extractor -c "CREATE ROLE review_app LOGIN PASSWORD '...' IN ROLE extractor_review"
--   EXTRACTOR_DATABASE_URL=postgresql://review_app:...@dbhost/extractor extractor review serve
--
-- It reads documents, their bytes (to draw the pages), runs, field values and the app's
-- users; it adds runs and field values (a review is a new run: no run is updated), and adds,
-- updates (a field's place moves, its record of uses and hits counts each review) and
-- deletes supplier-memory rows; of the page texts it reads only an OCR'd page's words. It
-- cannot change or delete runs, read page texts or jobs, or change users (`extractor review
-- adduser` runs as the owner).
-- tests/integration/test_review_role.py runs the app's store under exactly these rights.

DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'extractor_review') THEN
    CREATE ROLE extractor_review NOLOGIN;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO extractor_review;
GRANT SELECT ON documents, document_contents, extraction_runs, field_values, review_users,
  supplier_memories TO extractor_review;
GRANT INSERT ON extraction_runs, field_values, supplier_memories TO extractor_review;
GRANT UPDATE, DELETE ON supplier_memories TO extractor_review;
-- a scanned page's words (to click), never its text
GRANT SELECT (run_id, page, words) ON page_texts TO extractor_review;
GRANT USAGE ON SEQUENCE extraction_runs_id_seq, field_values_id_seq, supplier_memories_id_seq
  TO extractor_review;
