import { NotConfiguredError, type Brokerage, type EventStore, type OrdersStore } from '@perps-bot/core';
import type { LiveRiskManager } from '@perps-bot/risk';

/** The collaborators a bot is built with. Anything absent is created during bootstrap or stays absent. */
export interface ServiceRegistryInit {
  readonly broker?: Brokerage;
  readonly riskManager?: LiveRiskManager;
  readonly eventStore?: EventStore;
  readonly ordersStore?: OrdersStore;
}

export class ServiceRegistry {
  readonly #init: ServiceRegistryInit;

  constructor(init: ServiceRegistryInit = {}) {
    this.#init = init;
  }

  get broker(): Brokerage {
    if (!this.#init.broker) throw new NotConfiguredError('Broker');
    return this.#init.broker;
  }

  get riskManager(): LiveRiskManager {
    if (!this.#init.riskManager) throw new NotConfiguredError('Risk manager');
    return this.#init.riskManager;
  }

  get eventStore(): EventStore | undefined {
    return this.#init.eventStore;
  }

  get ordersStore(): OrdersStore | undefined {
    return this.#init.ordersStore;
  }

  has(name: keyof ServiceRegistryInit): boolean {
    return this.#init[name] !== undefined;
  }

  with(changes: ServiceRegistryInit): ServiceRegistry {
    return new ServiceRegistry({ ...this.#init, ...changes });
  }
}
