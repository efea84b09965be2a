// The time the extension's pure modules wait on (the dashboard's throttle, the
// runs model's quiet period, a training process's stop deadlines), passed in so
// that tests drive it by hand instead of sleeping.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
