import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * PostgreSQL only: every update of the store versions notifies channel `stirhub_versions` with
 * its schema's name, at commit, so processes sharing the store move their attestation indexes
 * before their next call needs it (store/version-listener.ts; DESIGN §4, §8). The versions read
 * per call stay what makes a change apply to the very next call: a notification can arrive late.
 * Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`CREATE OR REPLACE FUNCTION stirhub_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('stirhub_versions', TG_TABLE_SCHEMA); RETURN NULL; END $$`.execute(db)
  await sql`CREATE TRIGGER decision_version_notify AFTER UPDATE ON decision_version
    FOR EACH ROW EXECUTE FUNCTION stirhub_versions_notify()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`DROP TRIGGER IF EXISTS decision_version_notify ON decision_version`.execute(db)
  await sql`DROP FUNCTION IF EXISTS stirhub_versions_notify()`.execute(db)
}
