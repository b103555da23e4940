/** A position in the newest-first list of deliveries: the last row shown, by creation time then id. */
export interface DeliveryCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The opaque `nextCursor` of a page: base64url of `<createdAt ISO>_<id>`. Clients pass it back unchanged. */
export function encodeDeliveryCursor(cursor: DeliveryCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}_${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor `encodeDeliveryCursor` made, or undefined for anything else (a truncated or edited one). */
export function decodeDeliveryCursor(text: string): DeliveryCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  const [stamp, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('_');
  if (stamp === undefined || id === undefined || rest.length > 0 || !UUID.test(id)) return undefined;
  const createdAt = new Date(stamp);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== stamp) return undefined;
  return { createdAt, id };
}
