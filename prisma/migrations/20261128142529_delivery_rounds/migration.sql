-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "round_start" INTEGER NOT NULL DEFAULT 0;
