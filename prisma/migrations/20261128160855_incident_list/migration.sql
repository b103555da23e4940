-- The incident list (console and GET /v1/incidents): newest first with keyset paging on (received_at, id).
-- CreateIndex
CREATE INDEX "incidents_received_idx" ON "incidents"("received_at", "id");

-- CreateIndex
CREATE INDEX "incidents_severity_received_idx" ON "incidents"("severity", "received_at", "id");
