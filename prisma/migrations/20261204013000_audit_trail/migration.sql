-- Issue 18: who did what. The operator on the incident history rows an operator's action wrote, and a
-- trail of every operator action (settings included).
ALTER TABLE "incident_history" ADD COLUMN "actor_kind" VARCHAR(10), ADD COLUMN "actor" VARCHAR(256);

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" VARCHAR(10) NOT NULL,
    "actor" VARCHAR(256) NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "target" VARCHAR(128),
    "incident_id" VARCHAR(64),
    "details" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_events_actor_kind_check" CHECK ("actor_kind" IN ('api', 'console'))
);

CREATE INDEX "audit_events_actor_idx" ON "audit_events"("actor", "id");
CREATE INDEX "audit_events_action_idx" ON "audit_events"("action", "id");
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");
