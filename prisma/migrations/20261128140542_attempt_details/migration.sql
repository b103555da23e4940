-- AlterTable
ALTER TABLE "delivery_attempts" ADD COLUMN     "code" VARCHAR(60),
ADD COLUMN     "http_status" INTEGER,
ADD COLUMN     "wait_ms" INTEGER,
ADD COLUMN     "wait_reason" VARCHAR(20);

-- CreateIndex
CREATE INDEX "deliveries_created_at_idx" ON "deliveries"("created_at");
