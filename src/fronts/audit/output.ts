// Streaming writers for audit alerts: alerts are written as they are found (memory stays flat on
// any log size); the stats, known only at the end, close the document.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Alert } from '../../analyses/audit/detect.js';
import type { Severity } from '../../model/types.js';
import { VERSION } from '../../version.js';

export const AUDIT_FORMATS = ['text', 'json', 'jsonl'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditError {
  file: string;
  line?: number;
  message: string;
}

/** How many input errors are named one by one; the rest are counted (a broken file must not fill memory). */
export const MAX_NAMED_ERRORS = 1000;

export interface AlertWriter {
  alert(a: Alert): void;
  end(stats: Record<string, unknown>, errors: AuditError[]): Promise<void>;
}

type Sink = { write(s: string): unknown; close(): Promise<void> };

function sinkFor(file: string | undefined): Sink {
  if (!file) return { write: (s) => process.stdout.write(s), close: async () => undefined };
  const ws: WriteStream = createWriteStream(file);
  return { write: (s) => ws.write(s), close: () => new Promise((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res()))) };
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFO' };

export function alertLine(a: Alert): string {
  return `${SEVERITY_LABEL[a.severity].padEnd(8)} ${a.ruleId}  ${a.timestamp || '-'}  ${a.message}${a.mitre.length ? `  [${a.mitre.join(', ')}]` : ''}${a.source ? `  (${a.source})` : ''}`;
}

export function alertWriter(format: AuditFormat, file?: string): AlertWriter {
  const sink = sinkFor(file);
  if (format === 'json') {
    let n = 0;
    sink.write(`{\n"tool": ${JSON.stringify({ name: 'rampart', version: VERSION })},\n"alerts": [`);
    return {
      alert: (a) => sink.write(`${n++ ? ',' : ''}\n  ${JSON.stringify(a)}`),
      end: async (stats, errors) => {
        sink.write(`${n ? '\n' : ''}],\n"stats": ${JSON.stringify(stats)},\n"errors": ${JSON.stringify(errors)}\n}\n`);
        await sink.close();
      },
    };
  }
  if (format === 'jsonl') {
    return {
      alert: (a) => sink.write(JSON.stringify(a) + '\n'),
      end: async (stats, errors) => {
        sink.write(JSON.stringify({ stats, errors }) + '\n');
        await sink.close();
      },
    };
  }
  return {
    alert: (a) => sink.write(alertLine(a) + '\n'),
    end: async (stats, errors) => {
      for (const e of errors) sink.write(`error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      const s = stats as { events: number; invalid: number; alerts: number; bySeverity: Record<Severity, number> };
      const sev = Object.entries(s.bySeverity)
        .filter(([, v]) => v)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
      sink.write(`\n${s.events} events, ${s.invalid} invalid, ${s.alerts} alerts${sev ? ` (${sev})` : ''}\n`);
      await sink.close();
    },
  };
}
