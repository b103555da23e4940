// The incident's score over time as a small inline SVG (issue 18): drawn on the server, no script, so the
// console's CSP (no inline script or style) is kept; numbers only, so nothing in it needs escaping.

export interface RiskPoint {
  at: string;
  score: number;
}

export interface RiskChart {
  width: number;
  height: number;
  /** The polyline's points attribute. */
  points: string;
  dots: { x: number; y: number; at: string; score: number }[];
  /** Gridlines at the severity thresholds, labelled. */
  bands: { y: number; label: string }[];
}

const W = 640;
const H = 160;
const PAD = { left: 34, right: 10, top: 8, bottom: 8 };
const THRESHOLDS = [[90, 'CRITICAL 90'], [70, 'HIGH 70'], [40, 'MEDIUM 40']] as const;

/** The chart of `points` (oldest first), or undefined with fewer than two (a line needs two). */
export function riskChart(points: readonly RiskPoint[]): RiskChart | undefined {
  if (points.length < 2) return undefined;
  const times = points.map((p) => Date.parse(p.at));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const x = (t: number) => PAD.left + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (score: number) => PAD.top + (1 - Math.min(100, Math.max(0, score)) / 100) * (H - PAD.top - PAD.bottom);
  const round = (n: number) => Math.round(n * 10) / 10;
  const dots = points.map((p, i) => ({ x: round(x(times[i]!)), y: round(y(p.score)), at: p.at, score: p.score }));
  return {
    width: W,
    height: H,
    points: dots.map((d) => `${d.x},${d.y}`).join(' '),
    dots,
    bands: THRESHOLDS.map(([score, label]) => ({ y: round(y(score)), label })),
  };
}
