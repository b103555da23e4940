/** Options shared by the three description renderers. */
export interface RenderOptions {
  /** Most characters the description may hold: visible text for ADF, the whole string otherwise. */
  maxChars?: number;
  /** RhythmX UI base URL (http or https); adds a link to `<base>/incidents/<id>`. */
  deepLinkBaseUrl?: string;
  /** A follow-up ticket: the earlier ticket of the incident it follows (closed for good when the risk rose again). */
  followsUp?: FollowedTicket;
}

/** The ticket a follow-up ticket follows: named and linked at the top of its description. */
export interface FollowedTicket {
  externalId: string;
  url: string;
}

/** The limit to apply: `maxChars` rounded down when it is a number ≥ 0, else `fallback`. */
export function resolveMaxChars(maxChars: number | undefined, fallback: number): number {
  if (maxChars === undefined || Number.isNaN(maxChars) || maxChars < 0) return fallback;
  return Math.floor(maxChars);
}
