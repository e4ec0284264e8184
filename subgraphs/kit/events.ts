import { Redis } from 'ioredis';
import type { Database, Listener } from './database.ts';
import { outboxChannel, parseEventMessage, readEvent, relayUnpublished, type OutboxEvent } from './outbox.ts';
import type { Logger } from '../../platform/logger.ts';

export interface EventBusOptions {
  database: Database<any>;
  log: Logger;
  /**
   * Publish and receive events over Redis pub/sub (REDIS_URL); without it,
   * every replica LISTENs on the outbox's NOTIFY channel of its database.
   */
  redisUrl?: string | undefined;
  /** Redis channel of this subgraph's events. @default `vg:events:<schema>` */
  redisChannel?: string | undefined;
  /** With Redis: how often the relay looks for events no NOTIFY announced (a relay down at the time). @default 1_000 */
  sweepMs?: number;
  /** Events queued for one subscriber before it is dropped as too slow. @default 1_000 */
  maxQueued?: number;
}

interface Subscriber {
  accept(event: OutboxEvent): boolean;
  push(event: OutboxEvent): void;
  fail(error: Error): void;
  end(): void;
}

export class SlowSubscriber extends Error {}

/** The event bus of a subscription resolver's context (a subgraph with a Subscription type always has one). */
export function eventsOf(context: { events?: EventBus | undefined }): EventBus {
  if (!context.events) throw new Error('no event bus: the subgraph declares no Subscription resolvers');
  return context.events;
}

/**
 * A subgraph process's view of its outbox: the events its writes committed, in
 * order, from whichever replica wrote them, handed to the subscriptions open
 * in this process. The transport is PostgreSQL (LISTEN/NOTIFY: every replica
 * listens on its database) or Redis pub/sub (one replica relays each committed
 * event from the outbox to the channel; every replica subscribes to it). The
 * in-process fan-out below only hands an event to the subscriptions of this
 * process: it stores nothing and crosses no process boundary.
 */
export class EventBus {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly closers: (() => Promise<void> | void)[] = [];
  private closed = false;
  /** Events received (for metrics and tests). */
  received = 0;

  private constructor(private readonly options: EventBusOptions) {}

  static async start(options: EventBusOptions): Promise<EventBus> {
    const bus = new EventBus(options);
    await (options.redisUrl ? bus.startRedis(options.redisUrl) : bus.startListen());
    return bus;
  }

  get transport(): 'postgres' | 'redis' {
    return this.options.redisUrl ? 'redis' : 'postgres';
  }

  private async startListen(): Promise<void> {
    const { database, log } = this.options;
    const listener: Listener = await database.listen(
      outboxChannel(database.schema),
      (text) => void this.receive(text).catch((error: unknown) => log.error({ err: error }, 'event not delivered')),
      () => log.warn('event listener reconnected; events committed while it was away were not delivered'),
    );
    this.closers.push(() => listener.close());
  }

  private async startRedis(url: string): Promise<void> {
    const { database, log } = this.options;
    const channel = this.options.redisChannel ?? `vg:events:${database.schema}`;
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const subscriber = new Redis(url, { lazyConnect: true });
    publisher.on('error', (error) => log.warn({ err: error }, 'redis (events publisher)'));
    subscriber.on('error', (error) => log.warn({ err: error }, 'redis (events subscriber)'));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    subscriber.on('message', (from: string, text: string) => {
      if (from === channel) void this.receive(text).catch((error: unknown) => log.error({ err: error }, 'event not delivered'));
    });
    await subscriber.subscribe(channel);

    // The relay: committed events go from the outbox to the channel, each once (replicas skip each other's rows).
    let running: Promise<void> | null = null;
    let again = false;
    const relay = (): void => {
      if (this.closed) return;
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        try {
          do {
            again = false;
            while (
              (await relayUnpublished(database.db, async (events) => {
                const batch = publisher.pipeline();
                for (const event of events) batch.publish(channel, JSON.stringify(event));
                const results = (await batch.exec()) ?? [];
                const failed = results.find(([error]) => error);
                if (failed) throw failed[0];
              })) > 0
            );
          } while (again && !this.closed);
        } catch (error) {
          if (!this.closed) log.warn({ err: error }, 'event relay failed; retried on the next sweep');
        } finally {
          running = null;
        }
      })();
    };
    const listener = await database.listen(outboxChannel(database.schema), relay, relay);
    const sweep = setInterval(relay, this.options.sweepMs ?? 1_000);
    sweep.unref();
    relay();
    this.closers.push(async () => {
      clearInterval(sweep);
      await listener.close();
      await running;
      subscriber.disconnect();
      publisher.disconnect();
    });
  }

  private async receive(text: string): Promise<void> {
    const message = parseEventMessage(text);
    if (!message) {
      this.options.log.warn({ text: text.slice(0, 200) }, 'malformed event message ignored');
      return;
    }
    const event = message.payload && message.at ? (message as OutboxEvent) : await readEvent(this.options.database.db, message.id);
    if (!event) return;
    this.received += 1;
    for (const subscriber of this.subscribers.get(event.topic) ?? []) {
      try {
        if (subscriber.accept(event)) subscriber.push(event);
      } catch (error) {
        subscriber.fail(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Open subscriptions in this process. */
  get size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /**
   * The events of one topic that `accept` keeps, from now on, as an async
   * generator: `return()` (the client went away) unsubscribes; closing the bus
   * ends it.
   */
  subscribe<P = Record<string, unknown>>(
    topic: string,
    accept: (payload: P, event: OutboxEvent<P>) => boolean,
  ): AsyncGenerator<OutboxEvent<P>> {
    const maxQueued = this.options.maxQueued ?? 1_000;
    const queue: OutboxEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    let failure: Error | null = null;
    const set = this.subscribers.get(topic) ?? new Set<Subscriber>();
    this.subscribers.set(topic, set);
    const notify = () => {
      wake?.();
      wake = null;
    };
    const subscriber: Subscriber = {
      accept: (event) => accept(event.payload as P, event as OutboxEvent<P>),
      push: (event) => {
        if (queue.length >= maxQueued) return subscriber.fail(new SlowSubscriber(`more than ${maxQueued} events waiting`));
        queue.push(event);
        notify();
      },
      fail: (error) => {
        failure = error;
        subscriber.end();
      },
      end: () => {
        done = true;
        set.delete(subscriber);
        notify();
      },
    };
    if (this.closed) done = true;
    else set.add(subscriber);
    async function* events(): AsyncGenerator<OutboxEvent<P>> {
      try {
        for (;;) {
          while (queue.length) yield queue.shift() as OutboxEvent<P>;
          if (failure) throw failure;
          if (done) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        subscriber.end();
      }
    }
    const generator = events();
    // A generator closed before its first `next` never runs its `finally`: unsubscribe here too.
    const close = generator.return.bind(generator);
    generator.return = (value) => {
      subscriber.end();
      return close(value);
    };
    return generator;
  }

  /** Ends every subscription (their streams complete), then stops the transport. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const set of this.subscribers.values()) for (const subscriber of [...set]) subscriber.end();
    for (const close of this.closers) await close();
  }
}
