/** Whether each triples map's subject key is unique: rows that would merge into one subject with different values. */
import { createHash } from 'node:crypto';
import type { MappingPlan } from './load-mapping.js';
import { subjectText, triplesMapAlone } from './lint.js';
import type { TriplesMap } from './plan.js';

export interface SubjectKeyProblem {
  /** The mapping file. */
  readonly file: string;
  readonly triplesMap: string;
  readonly message: string;
  /** Records that gave a subject. */
  readonly rows: number;
  readonly subjects: number;
  /** Rows whose values differ from an earlier row with the same subject: data a store would merge. */
  readonly mergedRows: number;
  /** False when the check stopped at `maxRows`. */
  readonly wholeSource: boolean;
}

export interface SubjectKeyOptions {
  /** Rows read per triples map at most (1,000,000 by default). */
  readonly maxRows?: number;
}

const count = (value: number): string => value.toLocaleString('en-US');
const rowsCount = (value: number): string => `${count(value)} ${value === 1 ? 'row' : 'rows'}`;

/** Subjects made from the row's values; constants and fresh blank nodes are one subject, or one per row, by design. */
function hasKey(map: TriplesMap): boolean {
  const { kind } = map.subject.expression;
  return map.subject.termType !== 'BlankNode' && (kind === 'template' || kind === 'reference' || kind === 'function');
}

function keyText(map: TriplesMap): string {
  const { expression } = map.subject;
  if (expression.kind === 'reference') return `subject reference "${expression.reference}"`;
  const template = subjectText(expression);
  return template ? `subject template "${template.text}"` : 'subject function';
}

interface SubjectRows {
  readonly signature: string;
  rows: number;
  differing: number;
}

/**
 * Maps each triples map over its whole source (a key's uniqueness is a property of every row:
 * a sample cannot show the duplicate beyond it) and finds subjects that several rows give with
 * different values. Rows that repeat another row's values (a department listed on each of its
 * municipalities' rows) are one entity, not a problem. Nothing is written anywhere.
 * @throws MappingError when a source cannot be read.
 */
export async function checkSubjectKeys(plan: MappingPlan, options: SubjectKeyOptions = {}): Promise<SubjectKeyProblem[]> {
  const maxRows = options.maxRows ?? 1_000_000;
  const problems: SubjectKeyProblem[] = [];
  for (const map of plan.compiled.triplesMaps) {
    if (!hasKey(map)) continue;
    const bySubject = new Map<string, SubjectRows>();
    let rows = 0;
    let wholeSource = true;
    for await (const batch of triplesMapAlone(plan, map)) {
      if (rows >= maxRows) {
        wholeSource = false;
        break;
      }
      rows++;
      const lines = batch.map((quad) => `${quad.predicate.value} ${quad.object.termType} ${quad.object.value} ${quad.object.termType === 'Literal' ? `${quad.object.language}^${quad.object.datatype.value}` : ''}`);
      const signature = createHash('sha1').update(lines.sort().join('\n')).digest('base64');
      for (const subject of new Set(batch.map((quad) => quad.subject.value))) {
        const seen = bySubject.get(subject);
        if (!seen) bySubject.set(subject, { signature, rows: 1, differing: 0 });
        else {
          seen.rows++;
          if (seen.signature !== signature) seen.differing++;
        }
      }
    }
    let mergedRows = 0;
    let example: [string, SubjectRows] | undefined;
    for (const entry of bySubject) {
      mergedRows += entry[1].differing;
      if (entry[1].differing > 0 && (!example || entry[1].rows > example[1].rows)) example = entry;
    }
    if (!example) continue;
    const scope = wholeSource ? '' : ` (the first ${count(maxRows)} rows checked)`;
    problems.push({
      file: plan.file,
      triplesMap: map.name,
      rows,
      subjects: bySubject.size,
      mergedRows,
      wholeSource,
      message:
        `${keyText(map)} gives ${count(bySubject.size)} distinct subjects for ${rowsCount(rows)}${scope}: ` +
        `${rowsCount(mergedRows)} would be merged into another row's subject with different values (e.g. <${example[0]}> from ${rowsCount(example[1].rows)}); ` +
        'choose a unique key (more columns, or the row number $(_row))',
    });
  }
  return problems;
}
