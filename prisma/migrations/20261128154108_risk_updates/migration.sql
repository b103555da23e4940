-- DropIndex
DROP INDEX "deliveries_incident_id_system_key";

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "risk_change_id" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ticket_refs" ADD COLUMN     "last_push_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_push_level" VARCHAR(10);

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_incident_id_system_risk_change_id_key" ON "deliveries"("incident_id", "system", "risk_change_id");

-- Tickets made before the gate existed: their create was their last push, at the level the incident has.
UPDATE "ticket_refs" t SET "last_push_at" = t."created_at", "last_push_level" = i."severity" FROM "incidents" i WHERE i."id" = t."incident_id";
