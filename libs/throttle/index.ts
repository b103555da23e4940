export { SystemThrottle, MAX_PAUSE_MS, MAX_SLEEP_MS, type SystemThrottleOptions, type BeforeCallOptions } from './system-throttle.js';
export { ThrottleWaitTooLongError, type HoldReason } from './throttle-errors.js';
export { createSystemThrottle, adapterThrottle, ADAPTER_MAX_WAIT_MS } from './adapter-throttle.js';
export { ThrottledTime } from './throttled-time.js';
