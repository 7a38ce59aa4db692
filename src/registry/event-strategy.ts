import { events } from '../api/resources.ts';
import { validateEvent, validateEventUpdate } from '../api/event-validation.ts';
import type { Strategy } from './strategy.ts';

/**
 * core/v1 Events (pkg/registry/core/event/strategy.go): no defaults, create-on-update allowed, unconditional
 * updates allowed. Expiry (1 h after the last write) is the event-ttl controller's.
 */
export const eventStrategy: Strategy = {
  info: events,
  defaults() {},
  prepareForCreate() {},
  validate: (ev) => validateEvent(ev),
  prepareForUpdate() {},
  validateUpdate: (ev, old) => validateEventUpdate(ev, old),
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
};
