// Sharing an audit stream over NATS JetStream. The receiver publishes each event to a partition
// chosen by identity (so one identity's windows and baseline live on one consumer); consumers
// judge events and publish alerts with the alert id as JetStream message id, so a redelivered
// event (at-least-once) cannot produce a second copy of an alert within the duplicate window.
// Events are acknowledged only after their alerts are stored.
import { createHash } from '../../model/digest.js';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { JsonValue } from '../../model/types.js';
import type { Alert } from '../../analyses/audit/detect.js';
import { isObject } from '../../model/json.js';

export const EVENTS_STREAM = 'RAMPART_AUDIT';
export const ALERTS_STREAM = 'RAMPART_ALERTS';
export const EVENTS_SUBJECT = 'rampart.audit.events';
export const ALERTS_SUBJECT = 'rampart.audit.alerts';
export const DEFAULT_PARTITIONS = 8;

export class QueueError extends Error {}

/** "nats://host:port" → "host:port" (the client takes either; we validate the scheme). */
export function natsServer(url: string): string {
  const m = /^nats:\/\/([^/]+)\/?$/.exec(url);
  if (!m) throw new QueueError(`--queue must look like nats://HOST:PORT (got "${url}")`);
  return m[1]!;
}

/** The identity an event's work is keyed by; unparseable values go to partition 0 (the consumer reports them invalid). */
export function partitionOf(value: JsonValue, partitions: number): number {
  const u = isObject(value) && isObject(value.impersonatedUser) ? value.impersonatedUser : isObject(value) && isObject(value.user) ? value.user : undefined;
  const name = u && typeof u.username === 'string' ? u.username : '';
  return createHash('sha1').update(name).digest().readUInt32BE(0) % partitions;
}

export interface Queue {
  nc: NatsConnection;
  js: JetStreamClient;
  partitions: number;
  close(): Promise<void>;
}

export async function openQueue(url: string, partitions = DEFAULT_PARTITIONS): Promise<Queue> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: natsServer(url), timeout: 3000, reconnect: true, maxReconnectAttempts: -1 });
  } catch (e) {
    if (e instanceof QueueError) throw e;
    throw new QueueError(`cannot reach NATS at ${url}: ${(e as Error).message}`);
  }
  const jsm = await jetstreamManager(nc);
  // Streams are created on first use; an existing one is used as it is.
  for (const [name, subjects] of [
    [EVENTS_STREAM, [`${EVENTS_SUBJECT}.>`]],
    [ALERTS_STREAM, [ALERTS_SUBJECT]],
  ] as const) {
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({ name, subjects: [...subjects], duplicate_window: nanos(10 * 60_000) });
    }
  }
  return { nc, js: jetstream(nc), partitions, close: () => nc.drain() };
}

/**
 * Publishes one event durably: resolves once JetStream stored it. The event's auditID+stage is
 * the message id, so a batch the API server re-sends is stored once.
 */
export async function publishEvent(q: Queue, value: JsonValue): Promise<void> {
  const id = isObject(value) ? `${String(value.auditID ?? '')}/${String(value.stage ?? '')}` : '';
  const subject = `${EVENTS_SUBJECT}.p${partitionOf(value, q.partitions)}`;
  await q.js.publish(subject, JSON.stringify(value), id !== '/' ? { msgID: id } : undefined);
}

/** Publishes an alert once: the alert id is the message id (JetStream drops re-publications). */
export async function publishAlert(q: Queue, a: Alert): Promise<boolean> {
  const ack = await q.js.publish(ALERTS_SUBJECT, JSON.stringify(a), { msgID: a.id });
  return !ack.duplicate;
}

export interface ConsumeOptions {
  /** Partitions this replica takes (each is one durable consumer shared by replicas that take it). */
  partitions: number[];
  /** How long an unacknowledged event waits before it is delivered again (to this or another replica). */
  ackWaitMs?: number;
  signal: AbortSignal;
  /** Judges one event; returns its alerts (published before the event is acknowledged). */
  handle(value: JsonValue, redelivered: boolean): Alert[];
  onPublished?(a: Alert, fresh: boolean): void;
}

/** Pulls events partition by partition until aborted; acks each event after its alerts are stored. */
export async function consume(q: Queue, opts: ConsumeOptions): Promise<void> {
  const jsm = await jetstreamManager(q.nc);
  const consumers = [];
  for (const p of opts.partitions) {
    const durable = `rampart-p${p}`;
    try {
      await jsm.consumers.info(EVENTS_STREAM, durable);
    } catch {
      await jsm.consumers.add(EVENTS_STREAM, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: `${EVENTS_SUBJECT}.p${p}`, ack_wait: nanos(opts.ackWaitMs ?? 30_000), max_ack_pending: 1_000 });
    }
    consumers.push(await q.js.consumers.get(EVENTS_STREAM, durable));
  }
  // One pull loop per partition: events of a partition (an identity) are handled in order.
  await Promise.all(
    consumers.map(async (c) => {
      const messages = await c.consume({ max_messages: 100 });
      const stop = () => void messages.stop();
      if (opts.signal.aborted) stop();
      opts.signal.addEventListener('abort', stop, { once: true });
      for await (const m of messages) {
        let value: JsonValue;
        try {
          value = m.json<JsonValue>();
        } catch {
          value = m.string() as JsonValue; // counted invalid by the handler
        }
        for (const a of opts.handle(value, m.redelivered)) {
          const fresh = await publishAlert(q, a);
          opts.onPublished?.(a, fresh);
        }
        // After the alerts are stored. A lost ack only means a redelivery, whose alerts JetStream drops as duplicates.
        m.ack();
      }
    }),
  );
}
