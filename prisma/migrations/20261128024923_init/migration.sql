-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "incidents" (
    "id" VARCHAR(64) NOT NULL,
    "payload" JSON NOT NULL,
    "severity" VARCHAR(10) NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "actor_name" VARCHAR(256) NOT NULL,
    "actor_type" VARCHAR(10) NOT NULL,
    "origin" VARCHAR(10) NOT NULL DEFAULT 'auto',
    "source" VARCHAR(10) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ingested_at" TIMESTAMPTZ(3),
    "analyst_status" VARCHAR(20) NOT NULL DEFAULT 'NEW',
    "last_snow_update_at" TIMESTAMPTZ(3),
    "snow_last_priority" VARCHAR(10),
    "snow_ticket_state" VARCHAR(50),
    "snow_last_polled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_history" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" VARCHAR(64) NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "source" VARCHAR(40) NOT NULL,
    "message" TEXT,
    "old_value" JSONB,
    "new_value" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "incident_id" VARCHAR(64) NOT NULL,
    "system" VARCHAR(20) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'PENDING',
    "trigger" VARCHAR(10) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_error_code" VARCHAR(60),
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "outcome" VARCHAR(20) NOT NULL,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_refs" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" VARCHAR(64) NOT NULL,
    "system" VARCHAR(20) NOT NULL,
    "external_id" VARCHAR(100) NOT NULL,
    "remote_id" VARCHAR(100) NOT NULL,
    "url" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_refs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_settings" (
    "system" VARCHAR(20) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "configured" BOOLEAN NOT NULL DEFAULT false,
    "config" JSONB NOT NULL,
    "secrets" TEXT,
    "last_test_at" TIMESTAMPTZ(3),
    "last_test_ok" BOOLEAN,
    "last_test_message" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_settings_pkey" PRIMARY KEY ("system")
);

-- CreateTable
CREATE TABLE "auto_push_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL,
    "min_severity" VARCHAR(10) NOT NULL,
    "targets" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_push_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "incidents_outbox_idx" ON "incidents"("ingested_at", "received_at");

-- CreateIndex
CREATE INDEX "incident_history_incident_id_id_idx" ON "incident_history"("incident_id", "id");

-- CreateIndex
CREATE INDEX "deliveries_status_idx" ON "deliveries"("status");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_incident_id_system_key" ON "deliveries"("incident_id", "system");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempts_delivery_id_number_key" ON "delivery_attempts"("delivery_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_refs_incident_id_system_key" ON "ticket_refs"("incident_id", "system");

-- AddForeignKey
ALTER TABLE "incident_history" ADD CONSTRAINT "incident_history_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_refs" ADD CONSTRAINT "ticket_refs_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in schema.prisma: lz4 compresses the large incident documents at a fraction of pglz's CPU.
ALTER TABLE "incidents" ALTER COLUMN "payload" SET COMPRESSION lz4;
