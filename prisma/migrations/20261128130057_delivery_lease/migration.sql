-- DropIndex
DROP INDEX "deliveries_status_idx";

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "lease_token" UUID,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "deliveries_status_updated_at_idx" ON "deliveries"("status", "updated_at");
