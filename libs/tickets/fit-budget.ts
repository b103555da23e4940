import type { SectionId, TicketBlock, TicketSection } from './ticket-model.js';
import { codePointSafeEnd } from './text-normalise.js';

/** How one renderer turns a section into its output and measures it. */
export interface SectionWriter<R> {
  render(section: TicketSection): R;
  /** Characters the limit counts for a rendered section (visible text for ADF, the string otherwise). */
  size(rendered: R): number;
  /** Characters between two rendered sections. */
  readonly separatorSize: number;
}

/**
 * Which sections give way when content is over budget. `shrink`: sections whose lists, tables and
 * text are cut, in this order, each only as far as needed. `drop`: sections removed whole, in this
 * order, when cutting is not enough. A section in neither list is never cut or removed.
 */
export interface FitPolicy {
  shrink: readonly SectionId[];
  drop: readonly SectionId[];
}

/** The ticket descriptions of PRODUCT §4; the actor section always stays. */
export const TICKET_FIT_POLICY: FitPolicy = {
  // Lowest-value content first: notes are cut before rules, rules before MITRE, MITRE before factors.
  shrink: ['notes', 'rules', 'mitre', 'risk'],
  // When cutting lists is not enough (a very small limit), whole sections go in this order.
  drop: ['notes', 'rules', 'mitre', 'link', 'context', 'sla', 'timeline', 'activity', 'risk'],
};

interface Entry<R> {
  section: TicketSection;
  rendered: R;
  size: number;
}

/**
 * Renders `sections` so that their total size (sizes plus separators) is at most `budget`.
 * Over budget, it cuts the lists, tables and text of `policy.shrink` sections in order (by default
 * notes, then rules, MITRE and factors; each cut leaves a visible "… N more … not shown" note), then
 * drops whole `policy.drop` sections with a note naming them; the other sections always stay.
 * Only when even that is over budget does it return no sections. Sections within budget are rendered once.
 */
export function fitSections<R>(
  sections: readonly TicketSection[],
  budget: number,
  writer: SectionWriter<R>,
  policy: FitPolicy = TICKET_FIT_POLICY,
): R[] {
  const entries = sections.map((section) => entry(section, writer));
  if (total(entries, writer) <= budget) return entries.map((e) => e.rendered);
  for (const id of policy.shrink) {
    const index = entries.findIndex((e) => e.section.id === id);
    const current = entries[index];
    const over = total(entries, writer) - budget;
    if (over <= 0) break;
    if (current !== undefined) entries[index] = shrinkSection(current, current.size - over, writer);
  }
  if (total(entries, writer) <= budget) return entries.map((e) => e.rendered);
  return dropSections(entries, budget, writer, policy.drop).map((e) => e.rendered);
}

function entry<R>(section: TicketSection, writer: SectionWriter<R>): Entry<R> {
  const rendered = writer.render(section);
  return { section, rendered, size: writer.size(rendered) };
}

function total<R>(entries: ReadonlyArray<Entry<R>>, writer: SectionWriter<R>): number {
  let sum = entries.length > 0 ? (entries.length - 1) * writer.separatorSize : 0;
  for (const e of entries) sum += e.size;
  return sum;
}

/** Shrinks the section's cuttable blocks, last first, until it is at most `target` or nothing is left to cut. */
function shrinkSection<R>(start: Entry<R>, target: number, writer: SectionWriter<R>): Entry<R> {
  let current = start;
  for (let b = current.section.blocks.length - 1; b >= 0 && current.size > target; b -= 1) {
    const block = current.section.blocks[b];
    if (block === undefined) continue;
    const length = cuttableLength(block);
    if (length === 0) continue;
    const withKept = (kept: number): Entry<R> => entry(replaceBlock(current.section, b, cutBlock(block, kept)), writer);
    // Largest kept length that fits, by binary search: sizes grow with what is kept.
    let best = withKept(0);
    if (best.size <= target) {
      let low = 0;
      let high = length - 1;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        const candidate = withKept(mid);
        if (candidate.size <= target) {
          low = mid;
          best = candidate;
        } else {
          high = mid - 1;
        }
      }
    }
    current = best;
  }
  return current;
}

/** Items, rows or characters a block can lose (0 for blocks that are never cut). */
export function cuttableLength(block: TicketBlock): number {
  if (block.kind === 'list') return block.items.length;
  if (block.kind === 'table') return block.rows.length;
  if (block.kind === 'text') return block.text.length;
  return 0;
}

/** `block` keeping its first `kept` items, rows or characters; what goes is counted in `hidden`/`omittedChars`. */
export function cutBlock(block: TicketBlock, kept: number): TicketBlock {
  if (block.kind === 'list') {
    return { ...block, items: block.items.slice(0, kept), hidden: block.hidden + block.items.length - kept };
  }
  if (block.kind === 'table') {
    return { ...block, rows: block.rows.slice(0, kept), hidden: block.hidden + block.rows.length - kept };
  }
  if (block.kind === 'text') {
    const end = codePointSafeEnd(block.text, kept);
    return { ...block, text: block.text.slice(0, end), omittedChars: block.omittedChars + block.text.length - end };
  }
  return block;
}

function replaceBlock(section: TicketSection, index: number, block: TicketBlock): TicketSection {
  const blocks = section.blocks.slice();
  blocks[index] = block;
  return { ...section, blocks };
}

function withNote(section: TicketSection, text: string): TicketSection {
  return { ...section, blocks: [...section.blocks, { kind: 'note', text }] };
}

function dropSections<R>(
  start: ReadonlyArray<Entry<R>>,
  budget: number,
  writer: SectionWriter<R>,
  order: readonly SectionId[],
): Array<Entry<R>> {
  let kept = start.slice();
  for (const id of order) {
    const gone = kept.find((e) => e.section.id === id);
    if (gone === undefined) continue;
    kept = kept.filter((e) => e !== gone);
    // Named in the order they would have appeared.
    const dropped = start.filter((e) => !kept.includes(e)).map((e) => e.section.title);
    const last = kept[kept.length - 1];
    if (last === undefined) break;
    const noted = [...kept.slice(0, -1), entry(withNote(last.section, `… not shown (size limit): ${dropped.join(', ')}`), writer)];
    if (total(noted, writer) <= budget) return noted;
  }
  return [];
}
