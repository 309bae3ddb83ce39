// `rampart audit serve` (the audit webhook backend) and `rampart audit consume` (queue replicas).
import { readFileSync } from 'node:fs';
import { loadConfig, parse, UsageError } from '../common.js';
import { CONFIG_OPTIONS, HELP_OPTION, RULE_OPTIONS, wantsHelp } from '../scan-options.js';
import { alertWriter } from '../../fronts/audit/output.js';
import { AuditRun, type EventScorer } from '../../fronts/audit/run.js';
import { startReceiver } from '../../fronts/audit/server.js';
import { DEFAULT_PARTITIONS, QueueError } from '../../fronts/audit/queue.js';
import { baselineScorer, SCORE_FLAGS, scoreOptions } from './audit-learn.js';
import { newDetector, parseFormat } from './audit.js';

export const usage = `Usage: rampart audit serve --tls-cert FILE --tls-key FILE [options]
       rampart audit consume --queue nats://HOST:PORT [options]

serve: the API server's audit webhook backend (--audit-webhook-config-file points at
https://HOST:PORT/). Each POSTed EventList is judged (or, with --queue, stored in NATS JetStream)
before the answer 200; 429 when --max-inflight batches are being handled, 413 over --max-body,
503 when the queue cannot store the batch: the API server retries.

consume: takes events from the queue (partitions keyed by identity; run several replicas with
--replica I/N), judges them and stores alerts in the queue once each (the alert id is the message
id), acknowledging events only after that. Alerts are also written to stdout / --output.

Options (serve):
      --tls-cert FILE       certificate (PEM)        --tls-key FILE  its private key (PEM)
      --port N              port (default 8444)      --host ADDR     address (default 127.0.0.1)
      --max-body BYTES      largest batch accepted (default 33554432)
      --max-inflight N      batches handled at once before 429 (default 4)
      --queue URL           publish events to NATS JetStream (nats://HOST:PORT) instead of judging them here
      --partitions N        identity partitions in the queue (default ${DEFAULT_PARTITIONS}; same for serve and consume)
Options (consume):
      --queue URL           NATS JetStream to read from (required)
      --replica I/N         take partitions p with p % N = I (default: all)
      --ack-wait MS         redeliver an event not acknowledged within MS (default 30000)
Both:
  -o, --format FORMAT       text|json|jsonl (default jsonl)   --output FILE
      --baseline FILE       also score against a baseline from 'rampart audit learn'
      --rule ID, --config FILE, --no-config
  -h, --help`;

const SHARED = {
  format: { type: 'string', short: 'o' },
  output: { type: 'string' },
  baseline: { type: 'string' },
  queue: { type: 'string' },
  partitions: { type: 'string' },
  ...SCORE_FLAGS,
  ...RULE_OPTIONS,
  ...CONFIG_OPTIONS,
  ...HELP_OPTION,
} as const;

function positiveInt(flag: string, v: string | undefined, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer of at least ${min} (got "${v}")`);
  return n;
}

function stopSignal(): AbortSignal {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  return abort.signal;
}

function pipeline(values: { format?: string; output?: string; baseline?: string; rule?: string[]; config?: string; 'no-config'?: boolean } & Parameters<typeof scoreOptions>[0]) {
  const writer = alertWriter(parseFormat(values.format ?? 'jsonl'), values.output);
  const scorers: EventScorer[] = values.baseline ? [baselineScorer(values.baseline, scoreOptions(values))] : [];
  const config = loadConfig(values.config, values['no-config']);
  return { writer, scorers, detector: newDetector(config, values.rule) };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...SHARED,
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'max-body': { type: 'string' },
    'max-inflight': { type: 'string' },
  });
  if (wantsHelp(values.help, usage)) return 0;
  if (positionals.length) throw new UsageError(`serve takes no arguments (got ${positionals.join(' ')})`);
  if (!values['tls-cert'] || !values['tls-key']) throw new UsageError('serve is HTTPS only: give --tls-cert FILE and --tls-key FILE');
  let cert: Buffer, key: Buffer;
  try {
    cert = readFileSync(values['tls-cert']);
    key = readFileSync(values['tls-key']);
  } catch (e) {
    throw new UsageError(`cannot read the TLS certificate or key: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { writer, scorers, detector } = pipeline(values);
  const runState = new AuditRun(detector, (a) => writer.alert(a), scorers);
  let handle: (events: import('../../model/types.js').JsonValue[]) => Promise<void>;
  let closeQueue = async () => undefined as void;
  if (values.queue) {
    const { openQueue, publishEvent } = await import('../../fronts/audit/queue.js');
    let q;
    try {
      q = await openQueue(values.queue, positiveInt('partitions', values.partitions, DEFAULT_PARTITIONS));
    } catch (e) {
      if (e instanceof QueueError) throw new UsageError(e.message);
      throw e;
    }
    const queue = q;
    handle = async (events) => {
      await Promise.all(events.map((v) => publishEvent(queue, v)));
    };
    closeQueue = () => queue.close();
  } else {
    let batch = 0;
    handle = async (events) => {
      batch++;
      events.forEach((v, i) => runState.value(v, `batch ${batch}`, i + 1));
    };
  }
  const receiver = await startReceiver({
    cert,
    key,
    port: positiveInt('port', values.port, 8444, 0), // 0: any free port (printed)
    host: values.host ?? '127.0.0.1',
    maxBodyBytes: positiveInt('max-body', values['max-body'], 32 << 20),
    maxInFlight: positiveInt('max-inflight', values['max-inflight'], 4),
    handle,
    onInvalid: (m) => runState.invalidRecord('<webhook>', 0, m),
  });
  process.stderr.write(`rampart audit serve: listening on https://${values.host ?? '127.0.0.1'}:${receiver.port()}/${values.queue ? ` (events to ${values.queue})` : ''}\n`);
  const signal = stopSignal();
  await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
  await receiver.close();
  await closeQueue();
  await writer.end({ ...runState.stats(), receiver: receiver.metrics }, runState.errors);
  return 0;
}

export async function runConsume(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...SHARED, replica: { type: 'string' }, 'ack-wait': { type: 'string' } });
  if (wantsHelp(values.help, usage)) return 0;
  if (positionals.length) throw new UsageError(`consume takes no arguments (got ${positionals.join(' ')})`);
  if (!values.queue) throw new UsageError('consume needs --queue nats://HOST:PORT');
  const partitions = positiveInt('partitions', values.partitions, DEFAULT_PARTITIONS);
  let mine = [...Array(partitions).keys()];
  if (values.replica) {
    const m = /^(\d+)\/(\d+)$/.exec(values.replica);
    if (!m || Number(m[1]) >= Number(m[2])) throw new UsageError(`--replica must be I/N with 0 <= I < N (got "${values.replica}")`);
    mine = mine.filter((p) => p % Number(m[2]) === Number(m[1]));
  }
  const { writer, scorers, detector } = pipeline(values);
  const { openQueue, consume } = await import('../../fronts/audit/queue.js');
  let q;
  try {
    q = await openQueue(values.queue, partitions);
  } catch (e) {
    if (e instanceof QueueError) throw new UsageError(e.message);
    throw e;
  }
  let redelivered = 0;
  let duplicatesDropped = 0;
  const pending: import('../../analyses/audit/detect.js').Alert[] = [];
  const runState = new AuditRun(detector, (a) => pending.push(a), scorers);
  const signal = stopSignal();
  process.stderr.write(`rampart audit consume: partitions ${mine.join(',')} of ${partitions} from ${values.queue}\n`);
  await consume(q, {
    partitions: mine,
    ackWaitMs: positiveInt('ack-wait', values['ack-wait'], 30_000),
    signal,
    handle: (value, again) => {
      if (again) redelivered++;
      pending.length = 0;
      runState.value(value, 'queue', 0);
      return pending.splice(0);
    },
    onPublished: (a, fresh) => {
      if (fresh) writer.alert(a);
      else duplicatesDropped++;
    },
  });
  await q.close();
  await writer.end({ ...runState.stats(), redelivered, duplicatesDropped }, runState.errors);
  return runState.failedClosed() ? 2 : 0;
}
