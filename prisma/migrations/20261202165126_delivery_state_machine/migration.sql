-- One delivery state machine (libs/deliveries): a real kind, ticket generations, the level each attempt
-- carried, and the cadence gate's memory split into what reached the ticket and what is in flight.

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "kind" VARCHAR(10) NOT NULL DEFAULT 'create';

-- Until now an update was told from a create by its risk change (0 for the create).
UPDATE "deliveries" SET "kind" = 'update' WHERE "risk_change_id" <> 0;

-- The statuses and kinds of libs/deliveries/delivery-states.ts (a test checks they agree).
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_status_check"
  CHECK ("status" IN ('PENDING', 'IN_PROGRESS', 'RETRY_WAIT', 'SUCCEEDED', 'FAILED', 'SKIPPED'));
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_kind_check" CHECK ("kind" IN ('create', 'update', 'resolve'));
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_update_change_check" CHECK (("kind" = 'update') = ("risk_change_id" <> 0));
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_generation_check" CHECK ("generation" >= 1);

-- AlterTable
ALTER TABLE "delivery_attempts" ADD COLUMN     "level" VARCHAR(10);
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_outcome_check"
  CHECK ("outcome" IN ('STARTED', 'SUCCEEDED', 'FAILED', 'UNKNOWN'));

-- AlterTable
ALTER TABLE "ticket_refs" ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "inflight_at" TIMESTAMPTZ(3),
ADD COLUMN     "inflight_delivery_id" UUID,
ADD COLUMN     "inflight_level" VARCHAR(10),
ADD COLUMN     "retired_at" TIMESTAMPTZ(3),
ADD COLUMN     "retired_reason" VARCHAR(20);

-- A ticket the remote deleted was closed (open = false) with a TICKET_VANISHED row: it is retired now.
UPDATE "ticket_refs" t SET "retired_at" = now(), "retired_reason" = 'vanished'
WHERE NOT t."open" AND EXISTS (
  SELECT 1 FROM "incident_history" h WHERE h."incident_id" = t."incident_id" AND h."action" = 'TICKET_VANISHED'
    AND h."message" LIKE '% ' || t."external_id" || ' no longer exists%');

-- CreateIndex (the new keys exist before the old ones go: uniqueness holds throughout)
CREATE UNIQUE INDEX "deliveries_key" ON "deliveries"("incident_id", "system", "generation", "risk_change_id");
CREATE UNIQUE INDEX "ticket_refs_generation_key" ON "ticket_refs"("incident_id", "system", "generation");
CREATE UNIQUE INDEX "ticket_refs_live_key" ON "ticket_refs"("incident_id", "system") WHERE (retired_at IS NULL);

-- DropIndex
DROP INDEX "deliveries_incident_id_system_risk_change_id_key";
DROP INDEX "ticket_refs_incident_id_system_key";

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "risk_observed_at" TIMESTAMPTZ(3);
