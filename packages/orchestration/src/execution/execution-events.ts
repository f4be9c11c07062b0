import { describeError, type EventStore, type Logger } from '@perps-bot/core';

/** Where the execution steps record what they did (events are best effort: see `record`). */
export interface ExecutionJournal {
  readonly botId: string;
  readonly eventStore: EventStore | undefined;
  readonly logger: Logger;
}

/** Events are best effort here: a full disk must not turn a placed order into a "failed" one. */
export function record(journal: ExecutionJournal, type: string, payload: Record<string, unknown>): void {
  try {
    journal.eventStore?.appendEvent(type, journal.botId, payload);
  } catch (error) {
    journal.logger.error(`Could not record "${type}": ${describeError(error)}`);
  }
}
