import { incidentSchema, type Incident } from '@rhx/domain';

// Validated copies by the stored object they came from: the deliveries of one incident read together share
// that object (see loadForRuns), so their runs validate it once. Weak: an entry lives as long as a run
// still holds the stored object, no longer.
const validated = new WeakMap<object, Incident>();

/**
 * The stored incident of a run, validated (the schema may have grown since it was stored). The result is
 * shared by every run of the same stored object: renderers read it and never change it.
 */
export function storedIncident(stored: unknown): Incident {
  if (typeof stored !== 'object' || stored === null) return incidentSchema.parse(stored);
  let incident = validated.get(stored);
  if (!incident) {
    incident = incidentSchema.parse(stored);
    validated.set(stored, incident);
  }
  return incident;
}
