import type { Interceptor } from "@connectrpc/connect";
import { resourceExhausted } from "../../errors.js";
import { observeOutcome } from "../call-outcome.js";

/**
 * Caps the streaming calls open at once in a service, over all connections: each holds a handler,
 * timers and buffers for as long as the client likes, so an unbounded number would let clients
 * exhaust the process. The call over the cap is refused with `resource_exhausted` before its handler
 * runs; a slot is freed when a stream ends, fails or is abandoned.
 */
export function openStreamLimitInterceptor(maxOpenStreams: number): Interceptor {
  let open = 0;
  return (next) => async (req) => {
    if (!req.stream) return next(req);
    if (open >= maxOpenStreams) {
      throw resourceExhausted(`too many open streams (at most ${maxOpenStreams}); retry later`);
    }
    open += 1;
    return observeOutcome(
      () => next(req),
      () => {
        open -= 1;
      },
    );
  };
}
