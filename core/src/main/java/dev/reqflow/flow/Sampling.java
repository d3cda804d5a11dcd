package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract.SampledBecause;
import java.util.Objects;

/**
 * Whether a flow was recorded under the agent's sampling, and why it was kept ({@code
 * reqflow.flow.sampling}, {@code reqflow.flow.sampled_because}). Flows kept for being slow or
 * failed are not a fair sample of their endpoint: counts, percentiles and shares read from them
 * lean toward the slow pages.
 *
 * @param options the agent's sampling options as written ({@code sample=0.1,keep.slow}); empty: not
 *     sampled (every flow recorded)
 * @param keptBecause one of {@link SampledBecause}; empty when not sampled
 */
public record Sampling(String options, String keptBecause) {
  /** Every flow recorded: no sampling. */
  public static final Sampling NONE = new Sampling("", "");

  public Sampling {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(keptBecause, "keptBecause");
  }

  /** Whether the flow is one of a sample rather than of every flow. */
  public boolean sampled() {
    return !options.isEmpty();
  }

  /** Whether it was kept for what it was (slow, failed, first of its endpoint), not drawn. */
  public boolean keptForBeingSlowOrFailed() {
    return sampled()
        && !keptBecause.equals(SampledBecause.AT_START)
        && !keptBecause.equals(SampledBecause.WITH_TRACE);
  }
}
