/**
 * Kept so src/cli/server.ts keeps working while it still imports the old stand-in: the real scheduler lives in
 * scheduler.ts (`startScheduler`). Remove once the server calls startScheduler.
 */
export { startScheduler as startSimpleBinder, SCHEDULER_NAME } from './scheduler.ts';
export { fitErrorMessage } from './fit-error.ts';
