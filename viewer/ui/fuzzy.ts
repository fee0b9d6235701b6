/**
 * Fuzzy matching for the metric picker and the container list: a query matches a text when its
 * characters appear in it in order (a subsequence, case-insensitive, spaces in the query ignored).
 * Matches are scored so that a prefix beats a match at word starts, which beats a contiguous run,
 * which beats scattered letters: `cpu` ranks `cpu_usage_millicores` before
 * `collector_cpu_millicores`, `mws` finds `memory_working_set_bytes`. Pure.
 *
 * @module
 */

/** A match: its score (higher is better) and the matched character positions in the text. */
export interface FuzzyMatch {
  score: number;
  positions: number[];
}

const SEPARATORS = " _-./:,()[]";

const PREFIX_BONUS = 12;
const WORD_START_BONUS = 8;
const CONSECUTIVE_BONUS = 6;
const GAP_PENALTY = 3;
const LEADING_PENALTY = 0.25;
const MAX_LEADING_PENALTY = 4;
const EXACT_BONUS = 100;

/** Whether position `i` of `text` starts a word (after a separator, or a lower→upper change). */
function wordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1];
  if (SEPARATORS.includes(prev)) return true;
  const c = text[i];
  return prev === prev.toLowerCase() && c !== c.toLowerCase() && c === c.toUpperCase();
}

/**
 * The best match of `query` in `text`, or `null` when `query` is not a subsequence of it. An empty
 * query matches everything with score 0.
 *
 * @example
 * ```ts
 * import { fuzzyMatch } from "./fuzzy.ts";
 * console.assert(fuzzyMatch("mws", "memory_working_set_bytes")?.positions.join() === "0,7,15");
 * console.assert(fuzzyMatch("xyz", "cpu_usage_millicores") === null);
 * ```
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, "");
  if (q === "") return { score: 0, positions: [] };
  const lower = text.toLowerCase();
  const n = text.length;
  const m = q.length;
  if (m > n) return null;
  // Quick rejection: not a subsequence at all.
  for (let i = 0, j = 0; j < m; i++) {
    if (i >= n) return null;
    if (lower[i] === q[j]) j++;
  }
  // best[j][i]: the best score with q[0..j] matched and q[j] at text[i]; from[j][i]: where q[j-1]
  // was matched then.
  const NONE = -Infinity;
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let j = 0; j < m; j++) {
    const row = new Float64Array(n).fill(NONE);
    const back = new Int32Array(n).fill(-1);
    const prev = j > 0 ? best[j - 1] : null;
    // The best q[j-1] match at i-2 or earlier (a gap before q[j]).
    let gapBest = NONE;
    let gapAt = -1;
    for (let i = 0; i < n; i++) {
      if (prev !== null && i >= 2 && prev[i - 2] > gapBest) {
        gapBest = prev[i - 2];
        gapAt = i - 2;
      }
      if (lower[i] !== q[j]) continue;
      const charScore = 1 + (wordStart(text, i) ? WORD_START_BONUS : 0) +
        (i === 0 ? PREFIX_BONUS : 0);
      if (prev === null) {
        // Letters skipped before the first match cost a little.
        row[i] = charScore - Math.min(MAX_LEADING_PENALTY, i * LEADING_PENALTY);
        continue;
      }
      const adjacent = i >= 1 && prev[i - 1] !== NONE ? prev[i - 1] + CONSECUTIVE_BONUS : NONE;
      const gapped = gapBest !== NONE ? gapBest - GAP_PENALTY : NONE;
      if (adjacent === NONE && gapped === NONE) continue;
      if (adjacent >= gapped) {
        row[i] = adjacent + charScore;
        back[i] = i - 1;
      } else {
        row[i] = gapped + charScore;
        back[i] = gapAt;
      }
    }
    best.push(row);
    from.push(back);
  }
  let end = -1;
  let top = NONE;
  for (let i = 0; i < n; i++) {
    if (best[m - 1][i] > top) {
      top = best[m - 1][i];
      end = i;
    }
  }
  if (end < 0) return null;
  const positions = new Array<number>(m);
  for (let j = m - 1, i = end; j >= 0; j--) {
    positions[j] = i;
    i = from[j][i];
  }
  let score = top;
  if (lower === q) score += EXACT_BONUS;
  else if (lower.startsWith(q)) score += PREFIX_BONUS;
  // Among equal matches, shorter texts first.
  score -= n * 0.01;
  return { score, positions };
}

/** A ranked item: the item, its match, and which of its texts matched. */
export interface Ranked<T> {
  item: T;
  match: FuzzyMatch;
  /** Index into the texts `textsOf` gave for the item. */
  field: number;
}

/**
 * The items matching `query`, best first. Each item has one or more texts (`textsOf`); the first
 * text's matches weigh most, later texts (e.g. a description) count for less (`weights`). Ties keep
 * the items' order.
 */
export function fuzzyRank<T>(
  items: readonly T[],
  query: string,
  textsOf: (item: T) => readonly string[],
  weights: readonly number[] = [1, 0.5, 0.25],
): Ranked<T>[] {
  const out: (Ranked<T> & { order: number })[] = [];
  items.forEach((item, order) => {
    let bestMatch: FuzzyMatch | null = null;
    let bestField = 0;
    let bestScore = -Infinity;
    textsOf(item).forEach((text, field) => {
      const m = fuzzyMatch(query, text);
      if (m === null) return;
      const w = weights[Math.min(field, weights.length - 1)];
      const s = m.score >= 0 ? m.score * w : m.score / w;
      if (s > bestScore) {
        bestScore = s;
        bestMatch = m;
        bestField = field;
      }
    });
    if (bestMatch !== null) {
      out.push({
        item,
        match: { ...(bestMatch as FuzzyMatch), score: bestScore },
        field: bestField,
        order,
      });
    }
  });
  out.sort((a, b) => b.match.score - a.match.score || a.order - b.order);
  return out.map(({ item, match, field }) => ({ item, match, field }));
}

/** `text` split into runs marked as matched or not, for highlighting. */
export function highlight(
  text: string,
  positions: readonly number[],
): { text: string; hit: boolean }[] {
  const hits = new Set(positions);
  const parts: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const hit = hits.has(i);
    const last = parts.at(-1);
    if (last && last.hit === hit) last.text += text[i];
    else parts.push({ text: text[i], hit });
  }
  return parts;
}
