-- Resolve deliveries (issue 14): a resolve carries the history row that closed the incident (the
-- analyst's ANALYST_STATUS row, or the sync's EXTERNAL_SYNC row) in risk_change_id, as an update carries
-- its RISK_CHANGED row. Only a create has none, so one close makes one resolve per ticket under the key.
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_update_change_check";
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_cause_check" CHECK (("kind" = 'create') = ("risk_change_id" = 0));
