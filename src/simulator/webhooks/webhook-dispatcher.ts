import type { Clock } from '../clock';
import type { CrmChange } from '../domain/crm-change';
import { validationError } from '../domain/simulated-api-error';
import type { Accounting } from '../stats/accounting';
import { isRetryable, MAX_ATTEMPTS, retryDelay } from './retry-schedule';
import { signedPost } from './signed-post';
import type { Subscription } from './subscriptions';
import { compileSubscriptions, subscriptionsFor } from './subscriptions';
import type { WebhooksConfig } from './webhook-config';
import type { WebhookEvent } from './webhook-event';
import type { WebhookJournal } from './webhook-journal';
import { buildEvent } from './webhook-event';

export const MAX_EVENTS_PER_REQUEST = 100;

/** On-demand misbehaviour: HubSpot promises neither exactly-once nor in-order delivery. */
export interface WebhookChaos {
  /** Every delivery is POSTed twice. */
  duplicate: boolean;
  /** Newest events go first, and the events inside each request are reversed. */
  reorder: boolean;
}

export interface DeliveryAttempt {
  deliveryId: number;
  portalId: number;
  attemptNumber: number;
  eventIds: number[];
  at: number;
  status?: number;
  error?: string;
  duplicate: boolean;
}

interface Delivery {
  deliveryId: number;
  events: WebhookEvent[];
  attemptNumber: number;
  dueAt: number;
}

interface Channel {
  portalId: number;
  appId: number;
  clientSecret: string;
  config: WebhooksConfig;
  subscriptions: Subscription[];
  buffer: WebhookEvent[];
  retries: Delivery[];
  inflight: number;
  chaos: WebhookChaos;
  nextEventId: number;
}

export interface DispatcherOptions {
  clock: Clock;
  accounting: Accounting;
  timeScale: number;
  timeoutMs: number;
  log: (line: string) => void;
  /** Every published event is also recorded here (the webhooks journal), delivered or not. */
  journal?: WebhookJournal;
}

/**
 * Delivers subscription events per portal the way HubSpot does: batches of ≤ 100, at most
 * `maxConcurrentRequests` POSTs in flight, v3 + v1 signatures, retries of 5xx/timeouts/connection errors up
 * to 10 tries on the (scaled) retry schedule. Retry due times are read from the injected clock, so tests move
 * a ManualClock forward and call `idle()` instead of sleeping.
 */
export class WebhookDispatcher {
  private readonly channels = new Map<number, Channel>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: DeliveryAttempt[] = [];
  private nextDeliveryId = 1;
  private pumpScheduled = false;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  configure(portal: { portalId: number; appId: number; clientSecret: string }, config: WebhooksConfig | undefined): Subscription[] {
    if (!config) {
      this.channels.delete(portal.portalId);
      return [];
    }
    const previous = this.channels.get(portal.portalId);
    const subscriptions = compileSubscriptions(config, portal.portalId * 1000 + 1);
    this.channels.set(portal.portalId, {
      ...portal,
      config,
      subscriptions,
      buffer: previous?.buffer ?? [],
      retries: previous?.retries ?? [],
      inflight: previous?.inflight ?? 0,
      chaos: previous?.chaos ?? { duplicate: false, reorder: false },
      nextEventId: previous?.nextEventId ?? 1,
    });
    return subscriptions;
  }

  setChaos(portalId: number, chaos: Partial<WebhookChaos>): void {
    const channel = this.channels.get(portalId);
    if (!channel) throw validationError(`portal ${portalId} has no webhook subscriptions configured`);
    channel.chaos = { ...channel.chaos, ...chaos };
  }

  /** Called for every CRM change; events are buffered and sent on the next tick so one request's changes share a batch. */
  publish(portalId: number, change: CrmChange): void {
    const channel = this.channels.get(portalId);
    if (!channel) return;
    for (const subscription of subscriptionsFor(change, channel.subscriptions)) {
      const event = buildEvent(change, subscription, { eventId: channel.nextEventId++, portalId, appId: channel.appId });
      channel.buffer.push(event);
      this.options.journal?.record(portalId, channel.appId, event);
      this.options.accounting.bump(portalId, 'webhookEvents');
    }
    this.schedulePump();
  }

  /** Resolves once nothing is buffered, in flight or due; retries scheduled for later do not hold it up. */
  async idle(): Promise<void> {
    for (;;) {
      this.pump();
      if (this.running.size === 0) return;
      await Promise.allSettled([...this.running]);
    }
  }

  attemptsFor(portalId?: number): DeliveryAttempt[] {
    return this.attempts.filter((a) => portalId === undefined || a.portalId === portalId);
  }

  pendingRetries(portalId?: number): number {
    return [...this.channels.values()].filter((c) => portalId === undefined || c.portalId === portalId).reduce((n, c) => n + c.retries.length, 0);
  }

  subscriptions(portalId: number): Subscription[] {
    return this.channels.get(portalId)?.subscriptions ?? [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.options.journal?.flush();
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    for (const channel of this.channels.values()) {
      for (;;) {
        if (channel.inflight >= channel.config.settings.maxConcurrentRequests) break;
        const delivery = this.nextDelivery(channel);
        if (!delivery) break;
        this.track(this.deliver(channel, delivery));
      }
    }
  }

  private nextDelivery(channel: Channel): Delivery | undefined {
    const now = this.options.clock.now();
    channel.retries.sort((a, b) => a.dueAt - b.dueAt);
    const due = channel.retries[0];
    if (due && due.dueAt <= now) return channel.retries.shift();
    if (channel.buffer.length === 0) return undefined;
    const events = channel.chaos.reorder ? channel.buffer.splice(-MAX_EVENTS_PER_REQUEST).reverse() : channel.buffer.splice(0, MAX_EVENTS_PER_REQUEST);
    return { deliveryId: this.nextDeliveryId++, events, attemptNumber: 0, dueAt: now };
  }

  private track(promise: Promise<void>): void {
    this.running.add(promise);
    void promise.finally(() => {
      this.running.delete(promise);
      this.pump();
    });
  }

  private async deliver(channel: Channel, delivery: Delivery): Promise<void> {
    channel.inflight += 1;
    try {
      const outcome = await this.post(channel, delivery, false);
      if (channel.chaos.duplicate) await this.post(channel, delivery, true);
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) return;
      this.retryOrDrop(channel, delivery, outcome);
    } finally {
      channel.inflight -= 1;
    }
  }

  private async post(channel: Channel, delivery: Delivery, duplicate: boolean): Promise<{ status?: number; error?: string }> {
    const body = JSON.stringify(delivery.events.map((e) => ({ ...e, attemptNumber: delivery.attemptNumber })));
    const at = this.options.clock.now();
    const outcome = await signedPost({
      url: channel.config.settings.targetUrl,
      body,
      clientSecret: channel.clientSecret,
      timestamp: at,
      legacyVersion: 'v1',
      timeoutMs: this.options.timeoutMs,
    });
    this.options.accounting.bump(channel.portalId, 'webhookDeliveries');
    if (delivery.attemptNumber > 0 && !duplicate) this.options.accounting.bump(channel.portalId, 'webhookRetries');
    this.attempts.push({
      deliveryId: delivery.deliveryId,
      portalId: channel.portalId,
      attemptNumber: delivery.attemptNumber,
      eventIds: delivery.events.map((e) => e.eventId),
      at,
      duplicate,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    });
    return outcome;
  }

  private retryOrDrop(channel: Channel, delivery: Delivery, outcome: { status?: number; error?: string }): void {
    const next = delivery.attemptNumber + 1;
    const delay = retryDelay(next, this.options.timeScale);
    if (!isRetryable(outcome) || next >= MAX_ATTEMPTS || delay === undefined) {
      this.options.accounting.bump(channel.portalId, 'webhookFailures');
      this.options.log(`webhook delivery ${delivery.deliveryId} to portal ${channel.portalId} dropped after attempt ${delivery.attemptNumber}: ${outcome.error ?? outcome.status}`);
      return;
    }
    channel.retries.push({ ...delivery, attemptNumber: next, dueAt: this.options.clock.now() + delay });
    // A real-time wake-up for the system clock; with a ManualClock the test advances time and calls idle().
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pump();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
