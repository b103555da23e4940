-- AlterTable
ALTER TABLE "ticket_refs" ADD COLUMN     "last_polled_at" TIMESTAMPTZ(3),
ADD COLUMN     "open" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "remote_state" VARCHAR(50);

-- CreateIndex
CREATE INDEX "ticket_refs_open_idx" ON "ticket_refs"("system", "id") WHERE (open);
