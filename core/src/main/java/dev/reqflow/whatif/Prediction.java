package dev.reqflow.whatif;

/**
 * What a flow would take under some changes.
 *
 * @param observedNanos the flow's recorded duration
 * @param replayedNanos the replay without changes: how well the model explains the recording
 * @param changedNanos the replay with the changes
 * @param predictedNanos the recorded duration minus the replay's saving, never below zero: the
 *     model's own error cancels out of the difference
 */
public record Prediction(
    long observedNanos, long replayedNanos, long changedNanos, long predictedNanos) {

  /** Time the changes save; negative when they cost time. */
  public long savingNanos() {
    return observedNanos - predictedNanos;
  }
}
