-- AlterTable
ALTER TABLE "integration_settings" ADD COLUMN     "health_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "health_message" TEXT,
ADD COLUMN     "healthy" BOOLEAN NOT NULL DEFAULT true;
